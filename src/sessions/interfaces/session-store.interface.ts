import type {
  SessionOidcLinks,
  SessionRecord,
} from './session-record.interface.js';

/** What {@link SessionStore.rotateRefresh} found. */
export type RefreshRotation =
  /** The generation was the current one: it is spent, the next one is current. */
  | 'rotated'
  /** An older generation: spent before. */
  | 'reused'
  /** No such session (ended, expired or never made). */
  | 'gone';

/**
 * Where sessions live: in memory, or in Redis with `redis.url`. A session is
 * kept until `expiresAt` (the store forgets it then by itself) or until
 * `end`. `rotateRefresh` and `end` must be atomic: of two racing callers,
 * exactly one rotates, and exactly one ends.
 */
export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** The session while it goes on; undefined once ended or expired. */
  find(sid: string, now: number): Promise<SessionRecord | undefined>;
  /** The user's sessions that go on, newest first. */
  listForUser(userId: number, now: number): Promise<SessionRecord[]>;
  /** Sets `lastUsedAt`; false when the session does not go on. */
  touch(sid: string, now: number): Promise<boolean>;
  /** Spends refresh generation `generation` if it is the current one, and marks the session used. */
  rotateRefresh(
    sid: string,
    generation: number,
    now: number,
  ): Promise<RefreshRotation>;
  /** Ends the session: returns it to the one caller that ended it, undefined to any other. */
  end(sid: string, now: number): Promise<SessionRecord | undefined>;
  /**
   * Records what ties the session to the OpenID Provider's records (merged
   * with what is there); with `sessionUid`, the session is listed under that
   * browser session too.
   */
  linkOidc(sid: string, links: SessionOidcLinks): Promise<void>;
  /** The sessions that go on linked to the OpenID Provider's browser session `sessionUid`, newest first. */
  listForOidcSession(sessionUid: string, now: number): Promise<SessionRecord[]>;
}
