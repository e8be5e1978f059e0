/** Metadata key naming which configured limit a route counts against. */
export const RATE_LIMITED_ACTION = 'rate-limit:action';

/** The limits of the `rateLimit` option, per client IP and window. */
export type RateLimitedAction = 'tokenCreations' | 'polls';

/** The 429's message; `seconds` is what its Retry-After says. */
export const tooManyRequests = (seconds: number): string =>
  `Too many requests from your address. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
