import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { Api } from 'grammy';
import { describeBotApiError } from './bot-api.js';
import {
  ALLOWED_UPDATES,
  TELEGRAM_BOT_API,
  webhookPathFor,
} from './telegram.constants.js';
import {
  ROUTE_PREFIX,
  TELEGRAM_SETTINGS,
} from '../telegram-qr-auth.constants.js';
import type { TelegramSettings } from '../interfaces/settings.interface.js';

/**
 * TELEGRAM_MODE=webhook with PUBLIC_URL: tells Telegram where to post updates,
 * with the secret it must send back, at every start (the call is idempotent).
 * Without PUBLIC_URL the webhook is set by hand, as the README shows.
 */
@Injectable()
export class WebhookRegistrationService implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookRegistrationService.name);

  constructor(
    @Inject(TELEGRAM_BOT_API) private readonly api: Api | null,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
    @Inject(ROUTE_PREFIX) private readonly routePrefix: string,
  ) {}

  onApplicationBootstrap(): void {
    if (
      this.settings.mode !== 'webhook' ||
      !this.api ||
      !this.settings.publicUrl
    )
      return;
    // Not awaited: an unreachable Telegram must not keep the service from serving browsers.
    void this.register(
      this.api,
      `${this.settings.publicUrl}/${webhookPathFor(this.routePrefix)}`,
    );
  }

  private async register(api: Api, url: string): Promise<void> {
    try {
      await api.setWebhook(url, {
        secret_token: this.settings.webhookSecret,
        allowed_updates: [...ALLOWED_UPDATES],
      });
      this.logger.log(`Webhook set to ${url}`);
    } catch (error) {
      this.logger.error(
        `Could not set the webhook to ${url}: ${describeBotApiError(error, this.settings.botToken)}`,
      );
    }
  }
}
