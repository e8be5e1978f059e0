import type { Locale } from '../i18n/i18n.constants.js';
import type { OidcOptions } from '../oidc/interfaces/index.js';
import type {
  JwtAlgorithm,
  LoginConfirmationMode,
  ProfilePhotosSwitch,
  TelegramMode,
} from '../telegram-qr-auth.constants.js';

/**
 * The module's settings, the part `forRootAsync` may compute at run time.
 * Every field has a default; an empty object gives demo mode (no bot) with
 * logins kept in memory. What shapes the module itself (policy, store, route
 * prefix, the page) is in {@link TelegramQrAuthExtras}.
 */
export interface TelegramQrAuthOptions {
  /**
   * The site name the bot uses ("You are logged in to <appName>").
   * @default "Telegram QR Auth"
   */
  appName?: string;
  /**
   * An http(s) URL of the site's logo, shown beside `appName` at the head of
   * the login page (an OpenID client's `logo_uri` takes its place on that
   * client's login). The service's own CSP allows this URL's origin in
   * `img-src`; a host app serving the page must allow it in its own.
   * @default undefined (no logo: Telegram's)
   */
  appLogoUrl?: string;
  bot?: {
    /** The token @BotFather gives. Unset: demo mode, nothing is sent to Telegram. */
    token?: string;
    /** The bot's username, for the `t.me` deep link. Required with `token`. */
    username?: string;
    /** Telegram sends it back with every webhook call; checked in constant time. Unset: not checked. */
    webhookSecret?: string;
    /**
     * Bot API root.
     * @default https://api.telegram.org
     */
    apiRoot?: string;
    /**
     * `webhook` or `polling` (long-polls getUpdates; for machines Telegram cannot reach).
     * @default 'webhook'
     */
    mode?: TelegramMode;
  };
  /** Public origin of the app; with it and `webhook` mode, the webhook is registered at start. */
  publicUrl?: string;
  /**
   * How long a QR code can be used, in seconds.
   * @default 300
   */
  tokenTtlSeconds?: number;
  /**
   * `off`, `button` (Confirm/Deny in Telegram) or `code` (number matching).
   * @default 'off'
   */
  confirmation?: LoginConfirmationMode;
  /** The access token the browser gets at the end of a login, for `Authorization: Bearer`. */
  jwt?: {
    /**
     * `ES256` or `RS256`: signed with the first key of that kind in
     * `oidc.jwks`, `kid` in the header, verifiable by any backend with the
     * published JWKS (`<issuer>/jwks`). `HS256`: signed with `secret`, for a
     * host that already verifies HS256 tokens with a shared secret.
     * @default 'ES256'
     */
    algorithm?: JwtAlgorithm;
    /**
     * The HS256 key, at least 32 characters; only with `algorithm: 'HS256'`.
     * Required with Redis (`redis.url`, `clusterNodes` or `sentinels`): every instance must sign with the same key.
     * @default a random key (sessions end with the process)
     */
    secret?: string;
    /**
     * Access token lifetime in seconds. Short: the page and the API get a
     * refresh token beside it, and a token of an ended session is refused.
     * @default 600
     */
    ttlSeconds?: number;
  };
  /** What every completed login starts: listed in the bot's /sessions, ended from there, the page or the API. */
  session?: {
    /**
     * How long a session lasts from its login, however often it is refreshed.
     * @default 1209600 (14 days)
     */
    ttlSeconds?: number;
  };
  /**
   * Where logins, sessions, update dedupe, rate limits and Socket.IO rooms are
   * shared by every instance. Set one of `url`, `clusterNodes` and `sentinels`.
   */
  redis?: {
    /**
     * `redis://…` or `rediss://…` (TLS): one Redis node.
     * @default in memory
     */
    url?: string;
    /**
     * Seed nodes of a Redis Cluster (7.0 or later); the rest is discovered.
     * @default none
     */
    clusterNodes?: readonly { host: string; port: number }[];
    /**
     * Redis Sentinels that name the primary called {@link sentinelName}; the
     * client follows it through a failover.
     * @default none
     */
    sentinels?: readonly { host: string; port: number }[];
    /**
     * The primary's name at the Sentinels; required with `sentinels`.
     * @default none
     */
    sentinelName?: string;
    /**
     * The Sentinels' own password, if they have one.
     * @default none
     */
    sentinelPassword?: string;
    /**
     * ACL user of the Redis nodes (Cluster and Sentinel's primary and replicas;
     * with `url`, this overrides the URL's user).
     * @default none (the default user)
     */
    username?: string;
    /**
     * Password of the Redis nodes (with `url`, this overrides the URL's).
     * @default none
     */
    password?: string;
    /**
     * TLS to the Redis nodes (and the Sentinels). With `url`, `rediss://` does
     * the same.
     * @default false
     */
    tls?: boolean;
    /**
     * Replicas a write that a login cannot lose (a login created, scanned,
     * authenticated; a session created) waits for (`WAIT`), so that a
     * failover promoting a replica keeps it. 0: no wait.
     * @default 0 with `url`, 1 with `clusterNodes` or `sentinels`
     */
    waitReplicas?: number;
    /**
     * How long such a write waits for its replicas at most; past it the
     * request goes on (the write is on the primary).
     * @default 500
     */
    waitTimeoutMs?: number;
    /**
     * Prefix of every key and channel.
     * @default 'tqa:'
     */
    keyPrefix?: string;
  };
  rateLimit?: {
    /**
     * Window in seconds.
     * @default 60
     */
    ttlSeconds?: number;
    /**
     * `POST /auth/token` per client IP per window.
     * @default 20
     */
    tokenCreations?: number;
    /**
     * `GET /auth/poll/:token` per client IP per window.
     * @default 120
     */
    polls?: number;
  };
  /**
   * The person's Telegram profile photo, fetched through the Bot API and
   * served from this module's own short-lived URL (`GET /auth/photos/:ticket`,
   * never Telegram's, which holds the bot token): `photoUrl` in the `scanned`
   * status and the login's result, and the OpenID `picture` claim. `false` or
   * `'off'` turns it off. Always off in demo mode (no bot to ask).
   * @default true
   */
  profilePhotos?: boolean | ProfilePhotosSwitch;
  /**
   * Telegram ids the default login policy lets in.
   * @default empty: everyone
   */
  allowedTelegramIds?: number[];
  /**
   * The module as an OpenID Provider, so that any site (Keycloak, authentik,
   * Auth.js, Grafana, …) logs people in with Telegram. Off without clients.
   * @default off
   */
  oidc?: OidcOptions;
  /**
   * The host's own words: Fluent source per shipped locale (`en`, `ru`, `uk`,
   * `es`, `pt-BR`, `fa`, `id`), merged into that locale's catalogues (the
   * login page's `locales/<locale>/page.ftl` and the bot's `bot.ftl`). A message with one of ours' ids
   * replaces it; any other is added. Checked at start: an unknown locale or a
   * syntax error fails with the locale and line.
   *
   * ```ts
   * messages: { en: 'page-title = Sign in to Acme', ru: 'page-title = Вход в Acme' }
   * ```
   * @default none: the shipped catalogues as they are
   */
  messages?: Partial<Record<Locale, string>>;
}
