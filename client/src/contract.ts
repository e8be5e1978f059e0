/** The service's API as the page uses it (see the README's "API" section). */

export interface TelegramUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}

/** `POST /auth/token` → 201. */
export interface LoginTicket {
  token: string;
  /** Proves this browser asked for the token; never shown. */
  secret: string;
  deepLink: string;
  /** SVG data URL of `deepLink`. */
  qr: string;
  expiresAt: string;
  expiresIn: number;
  /** Only with LOGIN_CONFIRMATION=code: the number to pick in Telegram. */
  matchCode?: string;
  /** Only in demo mode: no bot answers `deepLink`, which opens nothing on a phone. */
  demo?: true;
}

export type LoginStatus =
  'pending' | 'scanned' | 'authenticated' | 'denied' | 'expired';

/** The Socket.IO `status` event and the body of `GET /auth/poll/:token`. */
export interface LoginStatusBody {
  status: LoginStatus;
  firstName?: string;
  /** With `scanned` and `authenticated`, when photos are on: the person's photo on this service (404: none). */
  photoUrl?: string;
  user?: TelegramUser;
  accessToken?: string;
  /** Beside `accessToken`: spent by `POST /auth/refresh` for the next pair. */
  refreshToken?: string;
  /**
   * Only with `authenticated`, for a login of an OpenID Connect authorization
   * (interaction mode): where to send the browser, a form POST of token and secret.
   */
  continueTo?: string;
}

/** `POST /auth/refresh` → 200: the next pair; the refresh token sent is spent. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

/** Why a session ended, as the `/sessions` socket says; the server may add more. */
export type SessionEndReason =
  | 'logged-out'
  | 'ended-in-telegram'
  | 'ended-from-another-session'
  | 'refresh-token-reused'
  | 'logged-out-of-site'
  | 'ended-by-site';

/** The `session` event on `/sessions`. */
export interface SessionEndedMessage {
  status: 'ended';
  /** A {@link SessionEndReason}, or one a later server adds. */
  reason?: string;
}

export const AUTH_NAMESPACE = '/auth';
export const STATUS_EVENT = 'status';
export const LOGIN_SECRET_HEADER = 'X-Login-Secret';

/** Where a logged-in page hears that its session ended (`auth: { accessToken }`). */
export const SESSIONS_NAMESPACE = '/sessions';
export const SESSION_EVENT = 'session';
/** The `/sessions` handshake's refusal of an expired or unknown token, or of an ended session. */
export const SESSION_NOT_ACTIVE = 'Session not active';
