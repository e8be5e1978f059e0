import type { TelegramUser } from './telegram-user.interface.js';

/**
 * What the browser is told. `scanned` and `denied` only happen with a
 * confirmation mode (LOGIN_CONFIRMATION=button|code). `expired` is derived from
 * the clock, never stored.
 */
export type LoginStatus =
  'pending' | 'scanned' | 'authenticated' | 'denied' | 'expired';

/** What a store keeps. */
export type StoredLoginStatus = Exclude<LoginStatus, 'expired'>;

/** Who asked for the token: shown to the person when a later step asks them to confirm. */
export interface LoginRequester {
  userAgent?: string;
  ip?: string;
}

export interface Login {
  token: string;
  /** SHA-256 of the browser's secret, hex; the secret itself is never stored. */
  secretHash: string;
  status: StoredLoginStatus;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds after which the login can no longer be completed. */
  expiresAt: number;
  requester: LoginRequester;
  /** Two digits the page shows and the person must pick in Telegram (LOGIN_CONFIRMATION=code). */
  matchCode?: string;
  /** The Telegram user who scanned (scanned, denied) or logged in (authenticated). */
  user?: TelegramUser;
  /** The private chat in which the bot asks for confirmation. */
  chatId?: number;
  /** What the login policy granted the user who scanned: the session's subject and extra claims. */
  grant?: SessionGrant;
  /**
   * The Telegram `update_id` that made the last change (a scan, or a button press). When a copy of
   * that update arrives again, its change was applied already even though its handling failed (the
   * store ran it after the handler stopped waiting): the copy finishes the job instead of being
   * told the login is used up.
   */
  updateId?: number;
  /**
   * Set when the login is an OpenID Connect authorization's interaction: the
   * browser is then told where to go on (never given an access token), and the
   * bot names the client that asked rather than the app.
   */
  oidc?: LoginOidcContext;
  /** The session the login started once it was authenticated (see `SessionService`). */
  sid?: string;
}

/** The authorization a login completes (OpenID Connect). */
export interface LoginOidcContext {
  /** oidc-provider's interaction uid: only that interaction may complete the login. */
  interactionUid: string;
  clientId: string;
  /** The client's `client_name` (else its id), as the page and the bot show it. */
  clientName: string;
}

/** The host's view of a Telegram user who may log in, from its {@link LoginPolicy}. */
export interface SessionGrant {
  /** The access token's `sub`. Default: the Telegram id. */
  subject?: string;
  /** Extra claims in the access token; the Telegram fields and JWT's own claims cannot be overridden. */
  claims?: Record<string, unknown>;
}

/** Fields a transition may set along with the status. */
export type LoginPatch = Partial<
  Pick<Login, 'user' | 'chatId' | 'grant' | 'updateId' | 'sid'>
>;

/** The atomic change a store applies when, and only when, a login is still in `from`. */
export interface LoginTransition {
  from: StoredLoginStatus;
  to: StoredLoginStatus;
  set?: LoginPatch;
  /** Epoch milliseconds; a login past its expiry never transitions. */
  now: number;
}
