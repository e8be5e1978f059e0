/** Metadata key naming which configured limit a route counts against. */
export const RATE_LIMITED_ACTION = 'rate-limit:action';

/** The limits of the `rateLimit` option, per client IP and window. */
export type RateLimitedAction = 'tokenCreations' | 'polls';
