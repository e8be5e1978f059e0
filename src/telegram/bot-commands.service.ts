import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Api } from 'grammy';
import { describeBotApiError, grammySignal } from './bot-api.js';
import { BOT_COMMANDS } from './bot-messages.js';
import {
  BOT_COMMANDS_DEADLINE_MS,
  TELEGRAM_BOT_API,
} from './telegram.constants.js';
import { TELEGRAM_SETTINGS } from '../telegram-qr-auth.constants.js';
import type { TelegramSettings } from '../interfaces/settings.interface.js';

/**
 * Tells Telegram the bot's commands (`/sessions`, `/help`) at every start,
 * webhook and polling alike (the call is idempotent), so that the chat's
 * menu offers them. Not in demo mode: there is no bot to tell.
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
      await api.setMyCommands(
        BOT_COMMANDS.map((command) => ({ ...command })),
        { scope: { type: 'all_private_chats' } },
        grammySignal(signal),
      );
      this.logger.log(
        `Bot commands set: ${BOT_COMMANDS.map(({ command }) => `/${command}`).join(', ')}`,
      );
    } catch (error) {
      if (this.shutdown.signal.aborted) return;
      this.logger.error(
        `Could not set the bot's commands (the chat's menu may not offer them): ${describeBotApiError(error, this.settings.botToken)}`,
      );
    }
  }
}
