import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type {
  AuthSettings,
  TelegramSettings,
} from './interfaces/settings.interface.js';
import {
  AUTH_SETTINGS,
  TELEGRAM_SETTINGS,
} from './telegram-qr-auth.constants.js';

/**
 * Says at start-up which options leave the module insecure or half-working,
 * so that every host app is told, not only this repository's service. Each
 * line names the option and, in brackets, this service's variable for it.
 */
@Injectable()
export class StartupWarningsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('TelegramQrAuthModule');

  constructor(
    @Inject(TELEGRAM_SETTINGS)
    private readonly telegramSettings: TelegramSettings,
    @Inject(AUTH_SETTINGS) private readonly authSettings: AuthSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.telegramSettings.demoMode) {
      this.logger.warn(
        "DEMO MODE: no bot token (bot.token; BOT_TOKEN), so nothing is sent to Telegram. A login completes only when its /start update is posted to the webhook (in the standalone service: npm run simulate -- '<deep link>'; the page shows the command).",
      );
    } else if (!this.telegramSettings.webhookSecret) {
      this.logger.warn(
        'No webhook secret (bot.webhookSecret; WEBHOOK_SECRET): the webhook secret check is OFF and anyone can post updates that log people in.',
      );
    }
    if (this.authSettings.jwtSecretIsEphemeral) {
      this.logger.warn(
        'HS256 without a secret (jwt.secret; JWT_SECRET): access tokens are signed with a random key and end when the process stops.',
      );
    }
  }
}
