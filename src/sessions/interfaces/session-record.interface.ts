import type {
  SessionGrant,
  TelegramUser,
} from '../../auth/interfaces/index.js';

/**
 * A session: one completed login of one browser to one site, from the scan
 * until it is ended (by the person, the site or the host) or expires. Its
 * access tokens carry its `sid` and are refused once it has ended.
 */
export interface SessionRecord {
  /** 128 random bits, base64url. Not a secret: it is in every access token. */
  sid: string;
  user: TelegramUser;
  /** What the login policy granted: every access token of the session is signed with it. */
  grant?: SessionGrant;
  /**
   * The `language_code` of the person's Telegram at the login (an IETF tag),
   * when Telegram told it: the bot's messages about the session (the
   * new-login notice) are in it.
   */
  language?: string;
  /** The site logged in to: the OpenID client's name, or the app's (`appName`) for the page's own login. */
  site: string;
  /** The OpenID client, when the site is one. */
  clientId?: string;
  /** As bowser names them from the browser's User-Agent; absent when unknown. */
  browser?: string;
  os?: string;
  /** The browser's IP as the service saw it (behind `trust proxy`). */
  ip?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  lastUsedAt: number;
  /** The refresh token stops working then, whatever is done with it. */
  expiresAt: number;
  /** HMAC key of this session's refresh tokens (base64url); never leaves the store. */
  refreshKey: string;
  /** The generation of the one refresh token that may be spent now; each refresh adds one. */
  refreshGeneration: number;
  /** What ties the session to the OpenID Provider's own records, so that ending it ends them too. */
  oidc?: SessionOidcLinks;
}

/** A session as hosts, events and lists see it: without what makes its refresh tokens. */
export type SessionInfo = Omit<
  SessionRecord,
  'refreshKey' | 'refreshGeneration'
>;

/** The OpenID Provider's records of this session. */
export interface SessionOidcLinks {
  /** The grant the client's tokens (access and refresh) belong to. */
  grantId?: string;
  /** The OpenID Provider's browser session (its cookie), which later sites may log in through. */
  sessionUid?: string;
  /** The `sid` of that browser session for this client, as its ID tokens and logout tokens carry it. */
  clientSid?: string;
}

/** Why a session ended, as the browser is told (`session` event) and hosts see it. */
export type SessionEndReason =
  /** The browser logged out (`POST /auth/logout`). */
  | 'logged-out'
  /** The person ended it in the bot's `/sessions`. */
  | 'ended-in-telegram'
  /** The person ended it from another of their sessions (`DELETE /auth/sessions/:sid`). */
  | 'ended-from-another-session'
  /** A spent refresh token came back: someone else may hold this session's tokens. */
  | 'refresh-token-reused'
  /** The person logged out of the site through OpenID Connect (RP-initiated logout). */
  | 'logged-out-of-site'
  /** The host ended it (`SessionService.end`), e.g. because it banned the user. */
  | 'ended-by-site';

/** A session that has ended, as `session.ended` carries it. */
export interface EndedSession {
  session: SessionInfo;
  reason: SessionEndReason;
  /** Epoch milliseconds. */
  at: number;
}
