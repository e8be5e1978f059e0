import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionRecord } from './interfaces/index.js';

/** 16 random bytes in base64url. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** `<sid>.<generation>.<mac>`: the mac is 32 bytes in base64url. */
const REFRESH_TOKEN_PATTERN =
  /^([A-Za-z0-9_-]{22})\.(0|[1-9]\d{0,8})\.([A-Za-z0-9_-]{43})$/;

export const generateSessionId = (): string =>
  randomBytes(16).toString('base64url');

export const generateRefreshKey = (): string =>
  randomBytes(32).toString('base64url');

/**
 * The refresh token of one generation of a session. Only the session's key
 * (kept in the store) makes it, so nothing of it is stored: the same token
 * comes out each time the result is handed out, and a token of an earlier
 * generation is known for a spent one (reuse) rather than a forgery, which
 * could otherwise end anybody's session by naming its id.
 */
export function refreshTokenOf(
  session: Pick<SessionRecord, 'sid' | 'refreshKey'>,
  generation: number,
): string {
  return `${session.sid}.${generation}.${macOf(session, generation)}`;
}

export interface ParsedRefreshToken {
  sid: string;
  generation: number;
  mac: string;
}

export function parseRefreshToken(
  token: unknown,
): ParsedRefreshToken | undefined {
  if (typeof token !== 'string') return undefined;
  const match = REFRESH_TOKEN_PATTERN.exec(token);
  return match
    ? { sid: match[1], generation: Number(match[2]), mac: match[3] }
    : undefined;
}

/** The token was made with this session's key (in constant time). */
export function refreshTokenIsGenuine(
  session: Pick<SessionRecord, 'sid' | 'refreshKey'>,
  token: ParsedRefreshToken,
): boolean {
  const expected = Buffer.from(macOf(session, token.generation));
  const given = Buffer.from(token.mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function macOf(
  session: Pick<SessionRecord, 'sid' | 'refreshKey'>,
  generation: number,
): string {
  return createHmac('sha256', Buffer.from(session.refreshKey, 'base64url'))
    .update(`${session.sid}.${generation}`)
    .digest('base64url');
}
