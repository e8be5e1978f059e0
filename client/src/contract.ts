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
  user?: TelegramUser;
  accessToken?: string;
  /**
   * Only with `authenticated`, for a login of an OpenID Connect authorization
   * (interaction mode): where to send the browser, a form POST of token and secret.
   */
  continueTo?: string;
}

export const AUTH_NAMESPACE = '/auth';
export const STATUS_EVENT = 'status';
export const LOGIN_SECRET_HEADER = 'X-Login-Secret';
