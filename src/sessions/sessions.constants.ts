/**
 * Injection token of what the access tokens are signed and verified with (`() =>
 * Promise<AccessTokenKeys>`, read once): other tokens of this module signed with the same keys
 * (photo tickets) use it too, each with a `typ` of its own.
 */
export const ACCESS_TOKEN_KEYS = Symbol('ACCESS_TOKEN_KEYS');

/** Injection token of the {@link SessionStore} implementation. */
export const SESSION_STORE = Symbol('SESSION_STORE');

/**
 * How long an instance trusts that a session it checked goes on. An access
 * token of a session ended on another instance works here for at most this
 * long; on the instance that ended it, not at all.
 */
export const SESSION_CHECK_CACHE_MS = 5_000;

/** Sessions an instance remembers as checked; past this, the oldest are forgotten first. */
export const SESSION_CHECK_CACHE_SIZE = 10_000;

/** Socket.IO namespace where a logged-in page hears that its session ended. */
export const SESSIONS_NAMESPACE = '/sessions';

/** Event that carries `{ status: 'ended', reason }` to the session's page. */
export const SESSION_EVENT = 'session';

/** Names of the events emitted on a host's EventEmitter2 (`@OnEvent(SESSION_EVENTS.ended)`). */
export const SESSION_EVENTS = {
  created: 'telegram-qr-auth.session.created',
  ended: 'telegram-qr-auth.session.ended',
} as const;
