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
import {
  AUTH_SETTINGS,
  TELEGRAM_SETTINGS,
} from '../telegram-qr-auth.constants.js';
import type {
  AuthSettings,
  TelegramSettings,
} from '../interfaces/settings.interface.js';

type GrammySignal = ReturnType<typeof grammySignal>;

/**
 * Talks to the person through the Bot API; in demo mode it only logs what it
 * would say. Every method resolves (never rejects) once Telegram has the call
 * or it has finally failed: the Api is set up with timeouts, retries and a
 * throttler (see createBotApi), so callers fire and forget.
 *
 * A call is retried until it gets through or its deadline passes: `until`
 * (epoch ms), e.g. the expiry of the login a confirmation request is about,
 * after which the message would ask about a login that is gone; by default the
 * token TTL from now, the longest a login lives, so that no reply is retried
 * for ever.
 */
@Injectable()
export class BotClientService implements OnApplicationShutdown {
  private readonly logger = new Logger(BotClientService.name);
  // Retries can wait minutes for Telegram; a stopping process must not wait for them.
  private readonly shutdown = new AbortController();
  private readonly defaultWindowMs: number;

  constructor(
    @Inject(TELEGRAM_BOT_API) private readonly api: Api | null,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
    @Inject(AUTH_SETTINGS) authSettings: AuthSettings,
  ) {
    this.defaultWindowMs = authSettings.tokenTtlSeconds * 1000;
  }

  sendMessage(
    chatId: number,
    text: string,
    keyboard?: InlineKeyboardMarkup,
    until?: number,
  ): Promise<boolean> {
    const message = fitMessage(text);
    return this.call(
      `sendMessage to chat ${chatId}`,
      message,
      until,
      (api, signal) =>
        api.sendMessage(
          chatId,
          message,
          {
            link_preview_options: { is_disabled: true },
            reply_markup: keyboard,
          },
          signal,
        ),
    );
  }

  /** Replaces a message's text, and its buttons with `keyboard` (removes them without one). */
  editMessageText(
    chatId: number,
    messageId: number,
    text: string,
    keyboard?: InlineKeyboardMarkup,
  ): Promise<boolean> {
    const message = fitMessage(text);
    return this.call(
      `editMessageText in chat ${chatId}`,
      message,
      undefined,
      (api, signal) =>
        api.editMessageText(
          chatId,
          messageId,
          message,
          {
            link_preview_options: { is_disabled: true },
            ...(keyboard && { reply_markup: keyboard }),
          },
          signal,
        ),
    );
  }

  /** Stops the button's spinner in the app and shows `text` as a toast. */
  answerCallbackQuery(queryId: string, text: string): Promise<boolean> {
    return this.call('answerCallbackQuery', text, undefined, (api, signal) =>
      api.answerCallbackQuery(queryId, { text }, signal),
    );
  }

  onApplicationShutdown(): void {
    this.shutdown.abort();
  }

  private async call(
    what: string,
    text: string,
    until: number | undefined,
    request: (api: Api, signal: GrammySignal) => Promise<unknown>,
  ): Promise<boolean> {
    if (!this.api) {
      this.logger.log(`Demo mode, not sent (${what}): ${text}`);
      return true;
    }
    const deadline = until ?? Date.now() + this.defaultWindowMs;
    // Aborts the call where it is: in flight, waiting for a retry, or queued in the throttler.
    const signal = AbortSignal.any([
      this.shutdown.signal,
      AbortSignal.timeout(Math.max(0, deadline - Date.now())),
    ]);
    try {
      await request(this.api, grammySignal(signal));
      return true;
    } catch (error) {
      if (this.shutdown.signal.aborted) return false;
      const reason = describeBotApiError(error, this.settings.botToken);
      this.logger.warn(
        signal.aborted
          ? `${what} given up at its deadline, ${new Date(deadline).toISOString()} (${reason})`
          : `${what} failed: ${reason}`,
      );
      return false;
    }
  }
}
