/** Injection tokens of the resolved options; each part of the module reads only its own. */
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');
export const TELEGRAM_SETTINGS = Symbol('TELEGRAM_SETTINGS');
export const REDIS_SETTINGS = Symbol('REDIS_SETTINGS');
export const OIDC_SETTINGS = Symbol('OIDC_SETTINGS');
export const I18N_SETTINGS = Symbol('I18N_SETTINGS');
/** All of them at once, resolved once (a random JWT key must be the same for every part). */
export const RESOLVED_SETTINGS = Symbol('RESOLVED_SETTINGS');
/** The `routePrefix` extra, without slashes at either end; '' for none. */
export const ROUTE_PREFIX = Symbol('ROUTE_PREFIX');

export const LOGIN_CONFIRMATION_MODES = ['off', 'button', 'code'] as const;
/** `off`: /start logs in; `button`: Confirm/Deny in Telegram; `code`: number matching. */
export type LoginConfirmationMode = (typeof LOGIN_CONFIRMATION_MODES)[number];

/**
 * How access tokens are signed: `ES256` (the EC P-256 key of the JWK set) or
 * `RS256` (its RSA key), both verifiable by anyone with the published JWKS;
 * or `HS256` with a shared secret, an opt-in for hosts that already verify that.
 */
export const JWT_ALGORITHMS = ['ES256', 'RS256', 'HS256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** How PROFILE_PHOTOS (and, besides a boolean, the `profilePhotos` option) turns the photos on or off. */
export const PROFILE_PHOTOS_SWITCHES = ['on', 'off'] as const;
export type ProfilePhotosSwitch = (typeof PROFILE_PHOTOS_SWITCHES)[number];

export const TELEGRAM_MODES = ['webhook', 'polling'] as const;
/** `webhook`: Telegram posts updates; `polling`: the service long-polls getUpdates. */
export type TelegramMode = (typeof TELEGRAM_MODES)[number];

/**
 * Every default of the module's options, written once: the module applies
 * them, and this service's environment schema uses the same values.
 */
export const DEFAULT_OPTIONS = {
  appName: 'Telegram QR Auth',
  tokenTtlSeconds: 300,
  confirmation: 'off' as LoginConfirmationMode,
  /** Short, since a stolen one works until then; the page refreshes it well before. */
  jwtTtlSeconds: 600,
  /**
   * How long a session lasts from its login, refreshes or not (and, unless set apart, the OpenID
   * Provider's browser session): 14 days, as oidc-provider's own default and common among providers.
   */
  sessionTtlSeconds: 14 * 24 * 3600,
  /**
   * ES256 over RS256: a 64-byte signature instead of 256, and signing (done
   * once per login, on the way to the browser) many times cheaper than RSA's.
   */
  jwtAlgorithm: 'ES256' as JwtAlgorithm,
  botApiRoot: 'https://api.telegram.org',
  telegramMode: 'webhook' as TelegramMode,
  redisKeyPrefix: 'tqa:',
  /** WAIT's bound: a replica on the same network acknowledges in about a millisecond; this only bounds a sick one. */
  redisWaitTimeoutMs: 500,
  rateLimit: { ttlSeconds: 60, tokenCreations: 20, polls: 120 },
  serveLoginPage: true,
  /** The person's Telegram profile photo on the page and in the OpenID `picture` claim (off without a bot). */
  profilePhotos: true,
  oidc: {
    allowHttpRedirectUris: false,
  },
} as const;

/**
 * The deep link's base when no bot is configured (demo mode). Not t.me: a
 * phone scanning the code would open some stranger's bot. `.invalid` never
 * resolves (RFC 2606, RFC 6761), so a real phone opens nothing, while
 * `npm run simulate` still reads the token from the `start` parameter.
 */
export const DEMO_DEEP_LINK_BASE = 'https://demo.invalid/';
