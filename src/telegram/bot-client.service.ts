import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { describeBotApiError, grammySignal } from './bot-api.js';
import { fitMessage } from './bot-messages.js';
import { TELEGRAM_BOT_API } from './telegram.constants.js';
import { TELEGRAM_SETTINGS } from '../telegram-qr-auth.constants.js';
import type { TelegramSettings } from '../interfaces/settings.interface.js';

/**
 * Talks to the person through the Bot API; in demo mode it only logs what it
 * would say. Every method resolves (never rejects) once Telegram has the call
 * or it has finally failed: the Api is set up with auto-retry and a throttler
 * (see TelegramModule), so callers fire and forget.
 */
@Injectable()
export class BotClientService implements OnApplicationShutdown {
  private readonly logger = new Logger(BotClientService.name);
  // Retries can wait minutes for Telegram; a stopping process must not wait for them.
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(TELEGRAM_BOT_API) private readonly api: Api | null,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {}

  sendMessage(
    chatId: number,
    text: string,
    keyboard?: InlineKeyboardMarkup,
  ): Promise<boolean> {
    const message = fitMessage(text);
    return this.call(`sendMessage to chat ${chatId}`, message, (api) =>
      api.sendMessage(
        chatId,
        message,
        { link_preview_options: { is_disabled: true }, reply_markup: keyboard },
        grammySignal(this.shutdown.signal),
      ),
    );
  }

  /** Replaces a message's text and removes its buttons. */
  editMessageText(
    chatId: number,
    messageId: number,
    text: string,
  ): Promise<boolean> {
    const message = fitMessage(text);
    return this.call(`editMessageText in chat ${chatId}`, message, (api) =>
      api.editMessageText(
        chatId,
        messageId,
        message,
        { link_preview_options: { is_disabled: true } },
        grammySignal(this.shutdown.signal),
      ),
    );
  }

  /** Stops the button's spinner in the app and shows `text` as a toast. */
  answerCallbackQuery(queryId: string, text: string): Promise<boolean> {
    return this.call('answerCallbackQuery', text, (api) =>
      api.answerCallbackQuery(
        queryId,
        { text },
        grammySignal(this.shutdown.signal),
      ),
    );
  }

  onApplicationShutdown(): void {
    this.shutdown.abort();
  }

  private async call(
    what: string,
    text: string,
    request: (api: Api) => Promise<unknown>,
  ): Promise<boolean> {
    if (!this.api) {
      this.logger.log(`Demo mode, not sent (${what}): ${text}`);
      return true;
    }
    try {
      await request(this.api);
      return true;
    } catch (error) {
      if (this.shutdown.signal.aborted) return false;
      this.logger.warn(
        `${what} failed: ${describeBotApiError(error, this.settings.botToken)}`,
      );
      return false;
    }
  }
}
