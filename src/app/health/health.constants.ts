/** A PING slower than this counts as Redis being down: readiness must answer fast, whatever Redis does. */
export const REDIS_PING_TIMEOUT_MS = 1_000;

/** The names the checks report under, in `info`, `error` and `details`. */
export const REDIS_CHECK = 'redis';
export const LIFECYCLE_CHECK = 'lifecycle';
/** Only while it flags a bot without WEBHOOK_SECRET. */
export const WEBHOOK_CHECK = 'webhook';
