/** A PING slower than this counts as Redis being down: readiness must answer fast, whatever Redis does. */
export const REDIS_PING_TIMEOUT_MS = 1_000;
