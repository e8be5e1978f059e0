import { Inject, Injectable } from '@nestjs/common';
import type { AuthSettings } from '../interfaces/settings.interface.js';
import { AUTH_SETTINGS } from '../telegram-qr-auth.constants.js';
import type { SessionGrant, TelegramUser } from './interfaces/index.js';

/** A policy's answer: let the user in (and how they appear in the session), or not and why. */
export type LoginPolicyDecision =
  ({ allowed: true } & SessionGrant) | { allowed: false; reason?: string };

/**
 * Decides whether a Telegram user may log in, and maps them to the host's own
 * user (the session's subject and extra claims). Asked once per login, when
 * the person opens the link, before any confirmation. Replace it with
 * `TelegramQrAuthModule.forRoot({ loginPolicy: MyPolicy })`; the class is
 * the injection token.
 */
export abstract class LoginPolicy {
  abstract decide(
    user: TelegramUser,
  ): Promise<LoginPolicyDecision> | LoginPolicyDecision;
}

/** The default: everyone, or only the ids in `allowedTelegramIds` (ALLOWED_TELEGRAM_IDS) when it is not empty. */
@Injectable()
export class AllowListLoginPolicy extends LoginPolicy {
  private readonly allowed: ReadonlySet<number>;

  constructor(@Inject(AUTH_SETTINGS) settings: AuthSettings) {
    super();
    this.allowed = new Set(settings.allowedTelegramIds);
  }

  decide(user: TelegramUser): LoginPolicyDecision {
    if (this.allowed.size === 0 || this.allowed.has(user.id))
      return { allowed: true };
    return {
      allowed: false,
      reason:
        'This Telegram account is not on the list of accounts allowed to log in.',
    };
  }
}
