/** Injection token of the {@link LoginStore} implementation. */
export const LOGIN_STORE = Symbol('LOGIN_STORE');

/**
 * Injection token of a boolean: the logins live in this process only (the memory store), so no
 * other instance can have a socket waiting for one. Unset: they may be shared.
 */
export const LOGINS_IN_THIS_PROCESS = Symbol('LOGINS_IN_THIS_PROCESS');

/** Socket.IO namespace of the login gateway. */
export const AUTH_NAMESPACE = '/auth';

/** Event that carries a {@link LoginStatusDto} to the browser. */
export const STATUS_EVENT = 'status';

/** Header in which the browser proves it is the one that asked for the token. */
export const LOGIN_SECRET_HEADER = 'x-login-secret';

/** 32 random bytes in base64url: what `/start` carries and what the socket room is named after. */
export const LOGIN_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * How long an expired or undelivered login is kept after its expiry, so that a
 * late poll or socket learns "expired" instead of "unknown".
 */
export const EXPIRED_LOGIN_RETENTION_MS = 60_000;

/**
 * How long a pushed result (`status: authenticated`) waits for the browser's
 * acknowledgement. Without one the result is not taken: it stays for the
 * browser's reconnecting socket or its next poll, until the login's retention ends.
 */
export const RESULT_ACK_TIMEOUT_MS = 10_000;

/**
 * How long a push holds a result against polls: the acknowledgement timeout
 * and a second for the round trips around it. A push that ends without an
 * acknowledgement lets go at once; this bounds a hold whose instance died.
 */
export const RESULT_HOLD_MS = RESULT_ACK_TIMEOUT_MS + 1_000;

/**
 * Sockets one login may have open on one instance. A page needs one, two for a
 * moment while it reconnects; more is someone hoarding connections (each one a
 * file descriptor). Counted per instance: a count shared in Redis would outlive
 * an instance killed with its sockets.
 */
export const MAX_SOCKETS_PER_LOGIN = 5;

/**
 * The largest message a socket may send (Socket.IO's `maxHttpBufferSize`,
 * 1 MB by default). A page sends its token and secret at the handshake and
 * tiny acknowledgements, nothing else; a bigger message closes its connection.
 */
export const MAX_SOCKET_MESSAGE_BYTES = 4 * 1024;

/**
 * Sockets one client IP (as `trust proxy` tells it) may have open on one
 * instance, over all its logins: room for a busy office behind one NAT, not
 * for one client to take every file descriptor of the process.
 */
export const MAX_SOCKETS_PER_IP = 50;

/**
 * Handshakes with an unknown token or a wrong secret that one client IP may
 * make per window; past that, its handshakes are refused for the rest of a
 * window. Counted in the rate-limit storage, so shared by instances with Redis.
 */
export const FAILED_HANDSHAKES_PER_IP = 10;
export const FAILED_HANDSHAKES_WINDOW_MS = 60_000;
