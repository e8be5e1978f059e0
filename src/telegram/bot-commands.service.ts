import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Api } from 'grammy';
import type { LanguageCode } from 'grammy/types';
import { describeBotApiError, grammySignal } from './bot-api.js';
import {
  BOT_LOCALES,
  type BotI18n,
  DEFAULT_BOT_LOCALE,
  translatorFor,
} from './bot-i18n.js';
import { botCommands } from './bot-messages.js';
import {
  BOT_COMMANDS_DEADLINE_MS,
  BOT_I18N,
  TELEGRAM_BOT_API,
} from './telegram.constants.js';
import { TELEGRAM_SETTINGS } from '../telegram-qr-auth.constants.js';
import type { TelegramSettings } from '../interfaces/settings.interface.js';

/**
 * Tells Telegram the bot's commands (`/sessions`, `/help`) at every start,
 * webhook and polling alike (the call is idempotent), so that the chat's
 * menu offers them, described in each language the bot speaks (English for
 * the others). Not in demo mode: there is no bot to tell.
 */
@Injectable()
export class BotCommandsService
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(BotCommandsService.name);
  // The call is retried while Telegram cannot be reached; a stopping process must not wait for it.
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(TELEGRAM_BOT_API) private readonly api: Api | null,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
    @Inject(BOT_I18N) private readonly i18n: BotI18n,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: an unreachable Telegram must not keep the service from serving browsers.
    if (this.api) void this.register(this.api);
  }

  onApplicationShutdown(): void {
    this.shutdown.abort();
  }

  private async register(api: Api): Promise<void> {
    const signal = AbortSignal.any([
      this.shutdown.signal,
      AbortSignal.timeout(BOT_COMMANDS_DEADLINE_MS),
    ]);
    try {
      // The default list first (English, for every language without its own), then one per language.
      for (const locale of BOT_LOCALES) {
        const commands = botCommands(translatorFor(this.i18n, locale));
        await api.setMyCommands(
          commands,
          {
            scope: { type: 'all_private_chats' },
            ...(locale !== DEFAULT_BOT_LOCALE && {
              language_code: commandLanguageOf(locale),
            }),
          },
          grammySignal(signal),
        );
      }
      const names = botCommands(translatorFor(this.i18n, DEFAULT_BOT_LOCALE));
      this.logger.log(
        `Bot commands set: ${names.map(({ command }) => `/${command}`).join(', ')}`,
      );
    } catch (error) {
      if (this.shutdown.signal.aborted) return;
      this.logger.error(
        `Could not set the bot's commands (the chat's menu may not offer them): ${describeBotApiError(error, this.settings.botToken)}`,
      );
    }
  }
}

/** setMyCommands takes a two-letter ISO 639-1 code: `pt-BR` is told as `pt`, which Telegram's Portuguese users have. */
const commandLanguageOf = (locale: string): LanguageCode =>
  locale.split('-')[0] as LanguageCode;
