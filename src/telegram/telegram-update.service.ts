import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import { LOGIN_TOKEN_PATTERN } from '../auth/auth.constants.js';
import type { Login } from '../auth/interfaces/index.js';
import {
  type Decision,
  type DecisionOutcome,
  LoginService,
  type ScanOutcome,
} from '../auth/login.service.js';
import { BotClientService } from './bot-client.service.js';
import { BotMessages, ButtonAnswers } from './bot-messages.js';
import { type LoginAction, parseCallbackData } from './callback-data.js';
import { confirmationRequest } from './confirmation-request.js';
import type { ProcessedUpdates } from './interfaces/index.js';
import {
  type ButtonPress,
  parseButtonPress,
  parseStartCommand,
  type StartCommand,
} from './telegram-input.js';
import {
  MIN_UPDATE_DEDUPE_MS,
  PROCESSED_UPDATES,
  UPDATE_CLAIM_TTL_MS,
} from './telegram.constants.js';
import { UpdateInProgressError } from './update-in-progress.error.js';
import {
  AUTH_SETTINGS,
  TELEGRAM_SETTINGS,
} from '../telegram-qr-auth.constants.js';
import type {
  AuthSettings,
  TelegramSettings,
} from '../interfaces/settings.interface.js';

/** What the handling of one update amounted to; for logs, metrics and tests. */
export type UpdateOutcome =
  | 'ignored'
  | 'duplicate'
  | 'bare-start'
  | ScanOutcome['result']
  | DecisionOutcome;

/** One update handled: what it amounted to ('error' when handling threw) and when it arrived. */
export interface HandledUpdate {
  outcome: UpdateOutcome | 'error';
  /** Epoch ms. */
  receivedAt: number;
}

const BUTTON_ANSWERS: Record<DecisionOutcome, string> = {
  authenticated: ButtonAnswers.confirmed,
  denied: ButtonAnswers.denied,
  'wrong-code': ButtonAnswers.wrongCode,
  expired: ButtonAnswers.expired,
  unknown: ButtonAnswers.unknown,
  'wrong-user': ButtonAnswers.wrongUser,
  'already-authenticated': ButtonAnswers.alreadyAuthenticated,
  'already-denied': ButtonAnswers.alreadyDenied,
};

/**
 * Acts on the updates Telegram delivers, whichever way they arrive (webhook or
 * long polling). Replies to the person are fired and forgotten: the browser's
 * push and the webhook's answer never wait for the Bot API.
 */
@Injectable()
export class TelegramUpdateService {
  private readonly logger = new Logger(TelegramUpdateService.name);
  private readonly dedupeMs: number;
  private readonly handledSubject = new Subject<HandledUpdate>();
  /** Every update handled, for metrics; the handling itself does not depend on who listens. */
  readonly handled: Observable<HandledUpdate> =
    this.handledSubject.asObservable();

  constructor(
    private readonly logins: LoginService,
    private readonly bot: BotClientService,
    @Inject(PROCESSED_UPDATES) private readonly processed: ProcessedUpdates,
    @Inject(TELEGRAM_SETTINGS)
    private readonly telegramSettings: TelegramSettings,
    @Inject(AUTH_SETTINGS) authSettings: AuthSettings,
  ) {
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
      return this.dispatch(update, receivedAt, undefined);
    const id = updateId as number;
    const claim = await this.processed.claim(id, UPDATE_CLAIM_TTL_MS);
    if (claim.state === 'done') return 'duplicate';
    // Not "duplicate": the claim may belong to a handling that will never finish, and a 200 would drop the update.
    if (claim.state === 'processing')
      throw new UpdateInProgressError(id, claim.retryAfterMs);
    let outcome: UpdateOutcome;
    try {
      outcome = await this.dispatch(update, receivedAt, id);
    } catch (error) {
      // Telegram will send it again; let that copy through.
      await this.processed.release(id, claim.nonce).catch(() => undefined);
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

  /** `updateId` lets a copy of an update whose change was applied, though its handling failed, finish it. */
  private async dispatch(
    update: unknown,
    receivedAt: number,
    updateId: number | undefined,
  ): Promise<UpdateOutcome> {
    const command = parseStartCommand(
      update,
      this.telegramSettings.botUsername,
    );
    if (command) return this.onStart(command, receivedAt, updateId);
    const press = parseButtonPress(update);
    if (press) return this.onButton(press, receivedAt, updateId);
    return 'ignored';
  }

  private async onStart(
    { chatId, user, payload }: StartCommand,
    receivedAt: number,
    updateId: number | undefined,
  ): Promise<UpdateOutcome> {
    let outcome: UpdateOutcome;
    if (payload === '') {
      outcome = 'bare-start';
      void this.bot.sendMessage(
        chatId,
        BotMessages.bareStart(this.telegramSettings.appName),
      );
    } else {
      const scan: ScanOutcome = LOGIN_TOKEN_PATTERN.test(payload)
        ? await this.logins.scan(payload, user, chatId, receivedAt, updateId)
        : { result: 'unknown' };
      outcome = scan.result;
      this.replyToScan(chatId, scan);
    }
    this.logger.log(`/start from Telegram user ${user.id}: ${outcome}`);
    return outcome;
  }

  private replyToScan(chatId: number, scan: ScanOutcome): void {
    const name = this.siteOf('login' in scan ? scan.login : undefined);
    switch (scan.result) {
      case 'scanned': {
        const request = confirmationRequest(scan.login, name);
        // Retried as long as the login can still be confirmed, no longer.
        void this.bot.sendMessage(
          chatId,
          request.text,
          request.keyboard,
          scan.login.expiresAt,
        );
        return;
      }
      case 'awaiting-confirmation': {
        // The whole question again, buttons included, rather than a pointer to the first message: the
        // service keeps no message id to point at, the person may have deleted that message or scrolled
        // far past it, and one message (not a pointer plus a copy) waits for no second slot of the
        // chat's rate limit. Browser, IP and time come along so the answer is as informed as the first
        // time. The first message's buttons keep working; whichever is pressed first decides.
        const request = confirmationRequest(scan.login, name);
        void this.bot.sendMessage(
          chatId,
          `${BotMessages.awaitingConfirmation(name)}\n\n${request.text}`,
          request.keyboard,
          scan.login.expiresAt,
        );
        return;
      }
      case 'refused':
        void this.bot.sendMessage(
          chatId,
          BotMessages.refused(name, scan.reason),
        );
        return;
      default: {
        const reply = {
          authenticated: BotMessages.loggedIn,
          expired: BotMessages.expired,
          unknown: BotMessages.unknown,
        }[scan.result];
        void this.bot.sendMessage(chatId, reply(name));
      }
    }
  }

  private async onButton(
    press: ButtonPress,
    receivedAt: number,
    updateId: number | undefined,
  ): Promise<UpdateOutcome> {
    const action = parseCallbackData(press.data);
    if (!action) {
      void this.bot.answerCallbackQuery(press.queryId, ButtonAnswers.unknown);
      return 'ignored';
    }
    const { outcome, login } = await this.logins.decideFor(
      action.token,
      press.user,
      decisionOf(action),
      receivedAt,
      updateId,
    );
    void this.bot.answerCallbackQuery(press.queryId, BUTTON_ANSWERS[outcome]);
    const finalText = this.finalMessage(outcome, this.siteOf(login));
    if (finalText && press.message)
      void this.bot.editMessageText(
        press.message.chatId,
        press.message.messageId,
        finalText,
      );
    this.logger.log(
      `${action.kind} from Telegram user ${press.user.id}: ${outcome}`,
    );
    return outcome;
  }

  /**
   * The site the bot names: the OpenID client that asked for the login (its
   * `client_name`), else this service's APP_NAME. Shortened where it is put in a message.
   */
  private siteOf(login: Login | undefined): string {
    return login?.oidc?.clientName || this.telegramSettings.appName;
  }

  /** The confirmation message is replaced (and its buttons removed) once its question has an answer. */
  private finalMessage(
    outcome: DecisionOutcome,
    name: string,
  ): string | undefined {
    switch (outcome) {
      case 'authenticated':
        return BotMessages.loggedIn(name);
      case 'denied':
        return BotMessages.denied(name);
      case 'wrong-code':
        return BotMessages.wrongCode(name);
      case 'expired':
        return BotMessages.expired(name);
      default:
        // Presses that change nothing leave the message as it is; the toast says why.
        return undefined;
    }
  }
}

function decisionOf(action: LoginAction): Decision {
  switch (action.kind) {
    case 'confirm':
      return { confirm: true };
    case 'pick':
      return { confirm: true, pickedCode: action.code };
    case 'deny':
      return { confirm: false };
  }
}
