import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type Observable, Subject } from 'rxjs';
import { LoginService } from '../auth/login.service.js';
import { SessionService } from '../sessions/session.service.js';
import { BotClientService } from './bot-client.service.js';
import type { BotI18n } from './bot-i18n.js';
import type { ProcessedUpdates, UpdateClaim } from './interfaces/index.js';
import { TelegramBot } from './telegram-bot.js';
import {
  BOT_I18N,
  MIN_UPDATE_DEDUPE_MS,
  PROCESSED_UPDATES,
  CLAIM_RELEASE_RETRY_MS,
  UPDATE_CLAIM_TTL_MS,
} from './telegram.constants.js';
import type { UpdateOutcome } from './update-outcome.js';
import { UpdateInProgressError } from './update-in-progress.error.js';
import {
  AUTH_SETTINGS,
  TELEGRAM_SETTINGS,
} from '../telegram-qr-auth.constants.js';
import type {
  AuthSettings,
  TelegramSettings,
} from '../interfaces/settings.interface.js';

export type { UpdateOutcome } from './update-outcome.js';

/** One update handled: what it amounted to ('error' when handling threw) and when it arrived. */
export interface HandledUpdate {
  outcome: UpdateOutcome | 'error';
  /** Epoch ms. */
  receivedAt: number;
}

/**
 * Acts on the updates Telegram delivers, whichever way they arrive (webhook or
 * long polling): each is claimed once (update_id dedupe), then run through the
 * bot's grammY handlers ({@link TelegramBot}, src/telegram/handlers/). Replies
 * to the person are fired and forgotten through BotClientService: the
 * browser's push and the webhook's answer never wait for the Bot API.
 */
@Injectable()
export class TelegramUpdateService {
  private readonly logger = new Logger(TelegramUpdateService.name);
  private readonly dedupeMs: number;
  private readonly handledSubject = new Subject<HandledUpdate>();
  /** Every update handled, for metrics; the handling itself does not depend on who listens. */
  readonly handled: Observable<HandledUpdate> =
    this.handledSubject.asObservable();

  private readonly bot: TelegramBot;

  constructor(
    logins: LoginService,
    replies: BotClientService,
    @Inject(PROCESSED_UPDATES) private readonly processed: ProcessedUpdates,
    @Inject(TELEGRAM_SETTINGS) telegramSettings: TelegramSettings,
    @Inject(AUTH_SETTINGS) authSettings: AuthSettings,
    @Inject(BOT_I18N) i18n: BotI18n,
    // Always injected by Nest; optional only for tests of the login handlers alone.
    sessions?: SessionService,
  ) {
    this.bot = new TelegramBot(
      {
        logins,
        replies,
        sessions,
        i18n,
        appName: telegramSettings.appName,
        botUsername: telegramSettings.botUsername,
        log: (message) => this.logger.log(message),
      },
      telegramSettings.botToken,
    );
    this.dedupeMs = Math.max(
      MIN_UPDATE_DEDUPE_MS,
      2 * authSettings.tokenTtlSeconds * 1000,
    );
  }

  /** `receivedAt` (epoch ms) is the time the login changes are stamped with, so that push latency is measured from it. */
  async handle(
    update: unknown,
    receivedAt = Date.now(),
  ): Promise<UpdateOutcome> {
    try {
      const outcome = await this.process(update, receivedAt);
      this.handledSubject.next({ outcome, receivedAt });
      return outcome;
    } catch (error) {
      this.handledSubject.next({ outcome: 'error', receivedAt });
      throw error;
    }
  }

  private async process(
    update: unknown,
    receivedAt: number,
  ): Promise<UpdateOutcome> {
    const updateId = (update as { update_id?: unknown } | null)?.update_id;
    if (!Number.isSafeInteger(updateId))
      return this.bot.handleUpdate(update, receivedAt, undefined);
    const id = updateId as number;
    const nonce = randomUUID();
    let claim: UpdateClaim;
    try {
      claim = await this.processed.claim(id, UPDATE_CLAIM_TTL_MS, nonce);
    } catch (error) {
      // Redis may have written the claim and lost only its answer (the primary died): given back,
      // it stops refusing the copies Telegram re-sends as "in progress" until it lapses.
      void this.releaseClaim(id, nonce);
      throw error;
    }
    if (claim.state === 'done') return 'duplicate';
    // Not "duplicate": the claim may belong to a handling that will never finish, and a 200 would drop the update.
    if (claim.state === 'processing')
      throw new UpdateInProgressError(id, claim.retryAfterMs);
    let outcome: UpdateOutcome;
    try {
      outcome = await this.bot.handleUpdate(update, receivedAt, id);
    } catch (error) {
      // Telegram will send it again; let that copy through.
      await this.releaseClaim(id, claim.nonce);
      throw error;
    }
    // The update was acted on, so it is answered 200 even if this fails: a 503 would only have the copy
    // acted on twice. The claim then expires after UPDATE_CLAIM_TTL_MS unless Redis runs this late.
    await this.processed
      .complete(id, claim.nonce, this.dedupeMs)
      .catch((error: unknown) =>
        this.logger.warn(
          `Update ${id} was handled but could not be marked done (${(error as Error).message}); a copy re-sent after ${UPDATE_CLAIM_TTL_MS} ms would be handled again`,
        ),
      );
    return outcome;
  }

  /**
   * Releases the claim of an update whose handling failed. When Redis cannot take the release
   * either (the claim's primary is failing over), it is tried again in the background until it
   * lands or the claim would have lapsed anyway: every copy Telegram re-sends meanwhile is
   * answered 503 "in progress", so the sooner the claim goes, the sooner the login goes through.
   */
  private async releaseClaim(id: number, nonce: string): Promise<void> {
    const lapsesAt = Date.now() + UPDATE_CLAIM_TTL_MS;
    const attempt = async (): Promise<void> => {
      try {
        await this.processed.release(id, nonce);
      } catch {
        if (Date.now() + CLAIM_RELEASE_RETRY_MS < lapsesAt)
          setTimeout(() => void attempt(), CLAIM_RELEASE_RETRY_MS).unref();
      }
    };
    await attempt();
  }
}
