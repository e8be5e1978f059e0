import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { type Api, GrammyError } from 'grammy';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeBotApiError, grammySignal } from './bot-api.js';
import {
  ALLOWED_UPDATES,
  LONG_POLL_SECONDS,
  TELEGRAM_POLLING_API,
} from './telegram.constants.js';
import { TelegramUpdateService } from './telegram-update.service.js';
import { UpdateInProgressError } from './update-in-progress.error.js';
import { TELEGRAM_SETTINGS } from '../telegram-qr-auth.constants.js';
import type { TelegramSettings } from '../interfaces/settings.interface.js';

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

/**
 * TELEGRAM_MODE=polling: fetches updates with long polling, for a machine
 * Telegram cannot reach (a laptop without a public HTTPS URL). grammY's own
 * `bot.start()` stops for good on a 409 (a webhook is set); this loop removes
 * the webhook and carries on, and backs off on any other failure.
 */
@Injectable()
export class TelegramPollingService
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(TelegramPollingService.name);
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;

  constructor(
    @Inject(TELEGRAM_POLLING_API) private readonly api: Api | null,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
    private readonly updates: TelegramUpdateService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.mode !== 'polling' || !this.api) return;
    this.logger.log('Long polling for updates (TELEGRAM_MODE=polling)');
    this.loop = this.poll(this.api);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async poll(api: Api): Promise<void> {
    const signal = this.stopping.signal;
    let offset = 0;
    let failures = 0;
    let webhookRemoved = false;
    while (!signal.aborted) {
      try {
        if (!webhookRemoved) {
          // getUpdates is refused (409) while a webhook is set; updates waiting meanwhile are kept.
          await api.deleteWebhook(
            { drop_pending_updates: false },
            grammySignal(signal),
          );
          webhookRemoved = true;
        }
        const batch = await api.getUpdates(
          {
            offset,
            timeout: LONG_POLL_SECONDS,
            allowed_updates: [...ALLOWED_UPDATES],
          },
          grammySignal(signal),
        );
        for (const update of batch) {
          await this.updates.handle(update);
          // Only a handled update (or a duplicate of one) is confirmed. One that failed, or whose claim is
          // still in force, throws: the offset stays on it, so the next call fetches it (and those after it) again.
          offset = update.update_id + 1;
        }
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        if (error instanceof GrammyError && error.error_code === 409)
          webhookRemoved = false;
        // A claim still in force (see UpdateInProgressError) is fetched again once it has expired at the latest.
        const delay =
          error instanceof UpdateInProgressError
            ? Math.min(backoff(failures), error.retryAfterMs)
            : backoff(failures);
        this.logger.warn(
          `Polling failed (${describeBotApiError(error, this.settings.botToken)}); retrying in ${delay} ms`,
        );
        await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
    }
  }
}

/** Exponential with jitter, so several instances do not retry in step. */
function backoff(failures: number): number {
  const ceiling = Math.min(
    MAX_BACKOFF_MS,
    MIN_BACKOFF_MS * 2 ** (failures - 1),
  );
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
