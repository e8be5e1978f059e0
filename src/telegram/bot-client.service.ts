import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Api } from 'grammy';
import { telegramConfig } from '../config/index.js';
import { TELEGRAM_BOT_API } from './telegram.constants.js';

/** Talks to the person through the Bot API; in demo mode it only logs what it would say. */
@Injectable()
export class BotClientService {
  private readonly logger = new Logger(BotClientService.name);

  constructor(
    @Inject(TELEGRAM_BOT_API) private readonly api: Api | null,
    @Inject(telegramConfig.KEY) private readonly config: ConfigType<typeof telegramConfig>,
  ) {}

  async sendMessage(chatId: number, text: string): Promise<void> {
    if (!this.api) {
      this.logger.log(`Demo mode, not sent to chat ${chatId}: ${text}`);
      return;
    }
    try {
      await this.api.sendMessage(chatId, text, { link_preview_options: { is_disabled: true } });
    } catch (error) {
      this.logger.warn(`sendMessage to chat ${chatId} failed: ${this.redact(error)}`);
    }
  }

  /** Error texts from HTTP clients can carry the request URL, and with it the bot token. */
  private redact(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error);
    const token = this.config.botToken;
    return token ? text.split(token).join('<bot-token>') : text;
  }
}
