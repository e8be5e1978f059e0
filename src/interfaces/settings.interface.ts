import type { OidcClientMetadata, OidcJwks } from '../oidc/interfaces/index.js';
import type {
  JwtAlgorithm,
  LoginConfirmationMode,
  TelegramMode,
} from '../telegram-qr-auth.constants.js';

/** {@link TelegramQrAuthOptions} with defaults applied, as the auth side reads them. */
export interface AuthSettings {
  /** The site name of the page's own sessions. */
  appName: string;
  /** The logo the page shows beside `appName`, an http(s) URL; none when unset. */
  appLogoUrl?: string;
  tokenTtlSeconds: number;
  confirmation: LoginConfirmationMode;
  jwtAlgorithm: JwtAlgorithm;
  /** The HS256 key; only with `jwtAlgorithm` HS256 (random when none was given). */
  jwtSecret?: string;
  /** True when HS256 signs with a random key, no secret having been given. */
  jwtSecretIsEphemeral: boolean;
  jwtTtlSeconds: number;
  sessionTtlSeconds: number;
  allowedTelegramIds: readonly number[];
  rateLimit: { ttlSeconds: number; tokenCreations: number; polls: number };
}

/** {@link TelegramQrAuthOptions} with defaults applied, as the Telegram side reads them. */
export interface TelegramSettings {
  appName: string;
  botToken?: string;
  /** Without the @; may be unset in demo mode. */
  botUsername?: string;
  /** No bot token: nothing is sent to Telegram. */
  demoMode: boolean;
  /**
   * What `?start=<token>` is appended to: `https://t.me/<bot>`, or in demo
   * mode `DEMO_DEEP_LINK_BASE`, which no phone can open.
   */
  deepLinkBase: string;
  webhookSecret?: string;
  /** Without a trailing slash. */
  apiRoot: string;
  mode: TelegramMode;
  /** Without a trailing slash. */
  publicUrl?: string;
  /** The `profilePhotos` option, and a bot to fetch them from (false in demo mode). */
  profilePhotos: boolean;
  /** The host's bot messages (Fluent source) by locale, over the shipped ones: {@link TelegramQrAuthOptions.messages}. */
  extraBotMessages: Readonly<Record<string, string>>;
}

/** A Redis node to start from: a Cluster seed or a Sentinel. */
export interface RedisNode {
  host: string;
  port: number;
}

/** How this service reaches Redis: one node, a Cluster, or a primary that Sentinels name. */
export type RedisMode = 'single' | 'cluster' | 'sentinel';

/** {@link TelegramQrAuthOptions.redis} with defaults applied and checked. */
export interface RedisSettings {
  /** Unset: no Redis (memory). */
  mode?: RedisMode;
  url?: string;
  clusterNodes?: readonly RedisNode[];
  sentinels?: readonly RedisNode[];
  sentinelName?: string;
  sentinelPassword?: string;
  username?: string;
  password?: string;
  tls: boolean;
  keyPrefix: string;
  /** WAIT after the writes a login cannot lose; replicas 0: none. */
  replicaWait: { replicas: number; timeoutMs: number };
}

/** {@link TelegramQrAuthOptions.oidc} with defaults applied and checked. */
export interface OidcSettings {
  /** At least one client is configured: the provider's endpoints are mounted. */
  enabled: boolean;
  /** Without a trailing slash; '' when neither `oidc.issuer` nor `publicUrl` is set. The `iss` of every token. */
  issuer: string;
  /** The issuer's path ('' for the origin's root): the endpoints and the JWKS live under it. */
  mountPath: string;
  clients: readonly OidcClientMetadata[];
  /** Every token's signing keys (ID tokens, and asymmetric access tokens), with clients or without. Unset: generated at start. */
  jwks?: OidcJwks;
  /** Whether this module signs with {@link jwks}: with clients, or with an asymmetric `jwt.algorithm`. */
  keysNeeded: boolean;
  sessionTtlSeconds: number;
  /**
   * The POST paths (whole, with `mountPath`) whose form bodies oidc-provider
   * reads itself: nothing in front of it may read them first.
   */
  bodyPaths: readonly string[];
}
