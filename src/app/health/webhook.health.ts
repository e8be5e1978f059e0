import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { TelegramSettings } from '../../interfaces/settings.interface.js';
import { TELEGRAM_SETTINGS } from '../../telegram-qr-auth.constants.js';
import { WEBHOOK_CHECK } from './health.constants.js';

/** What readiness says of a bot whose webhook checks no secret. */
export const UNCHECKED_WEBHOOK_WARNING =
  'WEBHOOK_SECRET is unset: the webhook checks no secret, and anyone who reaches /telegram/webhook can post updates that log people in as any Telegram user';

/**
 * Flags a real bot without WEBHOOK_SECRET, which only production refuses
 * (the start-up warning scrolls away; a readiness probe is looked at again).
 * Up all the same: a laptop polling Telegram with a test bot needs no
 * secret, and failing readiness would only take such an instance out of
 * service, not close the hole.
 */
@Injectable()
export class WebhookHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {}

  /** A bot without a webhook secret; demo mode (no bot) is open by design and says so itself. */
  get flagged(): boolean {
    return !this.settings.demoMode && !this.settings.webhookSecret;
  }

  isHealthy(key = WEBHOOK_CHECK) {
    return this.indicators
      .check(key)
      .up(this.flagged ? { warning: UNCHECKED_WEBHOOK_WARNING } : {});
  }
}
