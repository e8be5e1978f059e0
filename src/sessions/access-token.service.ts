import { Injectable } from '@nestjs/common';
import { AccessTokens } from './access-tokens.js';
import type { SessionGrant, TelegramUser } from '../auth/interfaces/index.js';

/** The claims of an access token. */
export interface SessionClaims extends Record<string, unknown> {
  /** The Telegram id, or the subject the login policy chose. */
  sub: string;
  /** Only when the policy chose another subject. */
  telegram_id?: number;
  first_name: string;
  last_name?: string;
  username?: string;
  /** The session the token belongs to (see {@link SessionService}); it is refused once that session has ended. */
  sid: string;
}

/** A verified access token: who it is on Telegram and every claim it carries. */
export interface Session {
  user: TelegramUser;
  claims: SessionClaims;
  /** The session's id, as {@link SessionService.list} names it. */
  sid: string;
}

const RESERVED_CLAIMS = new Set([
  'sub',
  'telegram_id',
  'first_name',
  'last_name',
  'username',
  'sid',
  'iat',
  'exp',
  'nbf',
  'aud',
  'iss',
  'jti',
]);

/**
 * The access tokens of a session: signed, short-lived, carrying the session's
 * id. Whether that session still goes on is {@link SessionService}'s to say.
 */
@Injectable()
export class AccessTokenService {
  constructor(private readonly tokens: AccessTokens) {}

  issue(
    user: TelegramUser,
    sid: string,
    grant: SessionGrant = {},
  ): Promise<string> {
    const extra = Object.fromEntries(
      Object.entries(grant.claims ?? {}).filter(
        ([name]) => !RESERVED_CLAIMS.has(name),
      ),
    );
    const claims: SessionClaims = {
      ...extra,
      sub: grant.subject ?? String(user.id),
      first_name: user.first_name,
      sid,
    };
    if (grant.subject !== undefined) claims.telegram_id = user.id;
    if (user.last_name !== undefined) claims.last_name = user.last_name;
    if (user.username !== undefined) claims.username = user.username;
    return this.tokens.sign(claims);
  }

  /**
   * What a valid, unexpired access token says; undefined for anything else
   * (a token without a session id included). Whether its session has ended is not checked here. Rejects (503) only while the signing keys cannot be read.
   */
  async verify(accessToken: string): Promise<Session | undefined> {
    const claims = (await this.tokens.verify(accessToken)) as
      SessionClaims | undefined;
    if (!claims) return undefined;
    const id =
      claims.telegram_id === undefined
        ? telegramIdOf(claims.sub)
        : claims.telegram_id;
    if (
      !isTelegramId(id) ||
      typeof claims.first_name !== 'string' ||
      typeof claims.sid !== 'string'
    )
      return undefined;
    const user: TelegramUser = { id, first_name: claims.first_name };
    if (typeof claims.last_name === 'string') user.last_name = claims.last_name;
    if (typeof claims.username === 'string') user.username = claims.username;
    return { user, claims, sid: claims.sid };
  }
}

/** Telegram user ids are positive integers (JavaScript-safe, as the Bot API promises). */
function isTelegramId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0;
}

/**
 * The id a subject spells in plain decimal digits, or undefined. Number()
 * alone would read '' and ' ' as 0, '0x10' as 16 and '1e3' as 1000.
 */
function telegramIdOf(sub: unknown): number | undefined {
  return typeof sub === 'string' && /^[1-9]\d{0,15}$/.test(sub)
    ? Number(sub)
    : undefined;
}
