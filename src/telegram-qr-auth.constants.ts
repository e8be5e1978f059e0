/** Injection tokens of the resolved options; each part of the module reads only its own. */
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');
export const TELEGRAM_SETTINGS = Symbol('TELEGRAM_SETTINGS');
export const REDIS_SETTINGS = Symbol('REDIS_SETTINGS');
/** All three at once, resolved once (a random JWT key must be the same for every part). */
export const RESOLVED_SETTINGS = Symbol('RESOLVED_SETTINGS');
/** The `routePrefix` extra, without slashes at either end; '' for none. */
export const ROUTE_PREFIX = Symbol('ROUTE_PREFIX');

/** Shown in deep links when no bot is configured (demo mode). */
export const DEMO_BOT_USERNAME = 'demo_login_bot';
