import {
  AccessTokens,
  type AccessTokenKeys,
} from '../sessions/access-tokens.js';
import {
  PAGE_PHOTO_TTL_SECONDS,
  PHOTO_TICKET_TYPE,
} from './profile-photos.constants.js';

/** What a valid ticket lets its holder see. */
export interface PhotoTicket {
  /** Whose profile photo. */
  userId: number;
  /** Epoch seconds after which the ticket no longer works. */
  expiresAt: number;
}

/**
 * The signed part of a photo URL: a compact JWT with `sub` = the Telegram id, made with the
 * access tokens' keys (so every instance checks it, with nothing stored) under a `typ` of its
 * own (`photo+jwt`), so that a ticket is never an access token and an access token never a
 * ticket. Made locally, without asking Telegram: handing out a URL never waits for a photo.
 */
export class PhotoTickets {
  private readonly tokens: AccessTokens;

  constructor(
    keys: () => Promise<AccessTokenKeys>,
    options: { issuer?: string } = {},
  ) {
    this.tokens = new AccessTokens(keys, {
      issuer: options.issuer,
      ttlSeconds: PAGE_PHOTO_TTL_SECONDS,
      type: PHOTO_TICKET_TYPE,
    });
  }

  /** A ticket to `userId`'s photo that works for `ttlSeconds`. */
  issue(userId: number, ttlSeconds: number): Promise<string> {
    return this.tokens.sign({ sub: String(userId) }, ttlSeconds);
  }

  /** What a ticket of ours, unexpired, says; undefined for anything else. Rejects only while the keys cannot be read. */
  async verify(ticket: string): Promise<PhotoTicket | undefined> {
    const claims = await this.tokens.verify(ticket);
    const sub = claims?.sub;
    if (typeof sub !== 'string' || !/^[1-9]\d{0,15}$/.test(sub))
      return undefined;
    const userId = Number(sub);
    if (!Number.isSafeInteger(userId)) return undefined;
    return { userId, expiresAt: claims!.exp! };
  }
}
