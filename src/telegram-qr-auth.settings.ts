import { randomBytes } from 'node:crypto';
import { fluentProblems } from './i18n/fluent-messages.js';
import { isLocale, LOCALES } from './i18n/i18n.constants.js';
import type { I18nSettings } from './i18n/interfaces/i18n-settings.interface.js';
import type {
  AuthSettings,
  OidcSettings,
  RedisSettings,
  TelegramSettings,
} from './interfaces/settings.interface.js';
import type { OidcOptions } from './oidc/interfaces/index.js';
import { clientProblems } from './oidc/oidc-clients.js';
import { jwksProblems } from './oidc/oidc-keys.js';
import { OIDC_BODY_ROUTES } from './oidc/oidc.constants.js';
import type { TelegramQrAuthOptions } from './interfaces/telegram-qr-auth-options.interface.js';
import {
  DEFAULT_OPTIONS,
  DEMO_DEEP_LINK_BASE,
  JWT_ALGORITHMS,
  type JwtAlgorithm,
  PROFILE_PHOTOS_SWITCHES,
} from './telegram-qr-auth.constants.js';
import { jsonCopy } from './oidc/json-copy.js';

export interface Settings {
  auth: AuthSettings;
  telegram: TelegramSettings;
  redis: RedisSettings;
  oidc: OidcSettings;
  i18n: I18nSettings;
}

type RedisOptions = NonNullable<TelegramQrAuthOptions['redis']>;

/**
 * One way to reach Redis at most: two would leave it to chance which one the
 * instances share. Messages name options, never their values (they may hold
 * a password).
 */
export function resolveRedisSettings(redis: RedisOptions): RedisSettings {
  const given = (
    [
      ['url', redis.url !== undefined],
      ['clusterNodes', (redis.clusterNodes?.length ?? 0) > 0],
      ['sentinels', (redis.sentinels?.length ?? 0) > 0],
    ] as const
  ).filter(([, set]) => set);
  if (given.length > 1)
    throw new Error(
      `TelegramQrAuthModule: redis.${given[0][0]} and redis.${given[1][0]} are both set; set only one of redis.url, redis.clusterNodes and redis.sentinels`,
    );
  if (redis.sentinels?.length && !redis.sentinelName)
    throw new Error(
      'TelegramQrAuthModule: redis.sentinelName is required with redis.sentinels: it names the primary the Sentinels watch',
    );
  for (const [name, value] of [
    ['waitReplicas', redis.waitReplicas],
    ['waitTimeoutMs', redis.waitTimeoutMs],
  ] as const)
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0))
      throw new Error(
        `TelegramQrAuthModule: redis.${name} must be a whole number, 0 or more`,
      );
  const mode = (
    { url: 'single', clusterNodes: 'cluster', sentinels: 'sentinel' } as const
  )[given[0]?.[0] ?? 'url'];
  return {
    mode: given.length ? mode : undefined,
    url: redis.url,
    clusterNodes: redis.clusterNodes?.length ? redis.clusterNodes : undefined,
    sentinels: redis.sentinels?.length ? redis.sentinels : undefined,
    sentinelName: redis.sentinelName,
    sentinelPassword: redis.sentinelPassword,
    username: redis.username,
    password: redis.password,
    tls: redis.tls ?? redis.url?.startsWith('rediss:') ?? false,
    keyPrefix: redis.keyPrefix ?? DEFAULT_OPTIONS.redisKeyPrefix,
    replicaWait: {
      // A single Redis may have no replica at all; a failover setup has them.
      replicas: redis.waitReplicas ?? (mode === 'single' ? 0 : 1),
      timeoutMs: redis.waitTimeoutMs ?? DEFAULT_OPTIONS.redisWaitTimeoutMs,
    },
  };
}

/** The module's options with every default applied, split by the part that reads them. */
export function resolveSettings(options: TelegramQrAuthOptions): Settings {
  const { bot = {}, jwt = {}, redis = {}, rateLimit = {} } = options;
  const botUsername = bot.username?.replace(/^@/, '');
  if (bot.token && !bot.username)
    throw new Error(
      'TelegramQrAuthModule: bot.username is required with bot.token',
    );
  const jwtAlgorithm = jwt.algorithm ?? DEFAULT_OPTIONS.jwtAlgorithm;
  if (!(JWT_ALGORITHMS as readonly string[]).includes(jwtAlgorithm))
    throw new Error(
      `TelegramQrAuthModule: jwt.algorithm must be one of ${JWT_ALGORITHMS.join(', ')}`,
    );
  const hs256 = jwtAlgorithm === 'HS256';
  // A secret beside an asymmetric algorithm is a host that still verifies HS256: it would refuse every new token.
  if (!hs256 && jwt.secret !== undefined)
    throw new Error(
      `TelegramQrAuthModule: jwt.secret is only used with jwt.algorithm 'HS256'; access tokens are signed with ${jwtAlgorithm} (the keys of oidc.jwks, published at <issuer>/jwks). Set jwt.algorithm: 'HS256' to keep signing with the secret, or remove it`,
    );
  // Each process would sign with a random key of its own: a session from one instance fails on the others.
  const redisSettings = resolveRedisSettings(redis);
  if (hs256 && redisSettings.mode && jwt.secret === undefined)
    throw new Error(
      'TelegramQrAuthModule: jwt.secret is required with redis.url, redis.clusterNodes or redis.sentinels and jwt.algorithm HS256, so that every instance signs sessions with the same key',
    );
  const sessionTtlSeconds =
    options.session?.ttlSeconds ?? DEFAULT_OPTIONS.sessionTtlSeconds;
  if (!Number.isSafeInteger(sessionTtlSeconds) || sessionTtlSeconds < 60)
    throw new Error(
      'TelegramQrAuthModule: session.ttlSeconds must be a whole number of at least 60',
    );
  const profilePhotos = profilePhotosOn(options.profilePhotos);
  if (jwt.secret !== undefined && jwt.secret.length < 32) {
    throw new Error(
      'TelegramQrAuthModule: jwt.secret must be at least 32 characters long',
    );
  }
  return {
    auth: {
      appName: options.appName ?? DEFAULT_OPTIONS.appName,
      appLogoUrl: logoUrlOf(options.appLogoUrl),
      tokenTtlSeconds:
        options.tokenTtlSeconds ?? DEFAULT_OPTIONS.tokenTtlSeconds,
      confirmation: options.confirmation ?? DEFAULT_OPTIONS.confirmation,
      jwtAlgorithm,
      jwtSecret: hs256
        ? (jwt.secret ?? randomBytes(32).toString('base64url'))
        : undefined,
      jwtSecretIsEphemeral: hs256 && jwt.secret === undefined,
      jwtTtlSeconds: jwt.ttlSeconds ?? DEFAULT_OPTIONS.jwtTtlSeconds,
      sessionTtlSeconds,
      allowedTelegramIds: [...(options.allowedTelegramIds ?? [])],
      rateLimit: {
        ttlSeconds:
          rateLimit.ttlSeconds ?? DEFAULT_OPTIONS.rateLimit.ttlSeconds,
        tokenCreations:
          rateLimit.tokenCreations ?? DEFAULT_OPTIONS.rateLimit.tokenCreations,
        polls: rateLimit.polls ?? DEFAULT_OPTIONS.rateLimit.polls,
      },
    },
    telegram: {
      appName: options.appName ?? DEFAULT_OPTIONS.appName,
      botToken: bot.token,
      botUsername,
      demoMode: !bot.token,
      deepLinkBase: bot.token
        ? `https://t.me/${botUsername}`
        : DEMO_DEEP_LINK_BASE,
      webhookSecret: bot.webhookSecret,
      apiRoot: (bot.apiRoot ?? DEFAULT_OPTIONS.botApiRoot).replace(/\/+$/, ''),
      mode: bot.mode ?? DEFAULT_OPTIONS.telegramMode,
      publicUrl: options.publicUrl?.replace(/\/+$/, ''),
      // No bot, nobody to ask for a photo: demo mode shows initials.
      profilePhotos: profilePhotos && Boolean(bot.token),
      extraBotMessages: { ...options.messages },
    },
    redis: redisSettings,
    oidc: resolveOidcSettings(
      options.oidc ?? {},
      options.publicUrl,
      jwtAlgorithm,
    ),
    i18n: resolveI18nSettings(options.messages),
  };
}

/** `profilePhotos` as a boolean: a boolean, or `'on'` / `'off'` as the environment spells it. */
function profilePhotosOn(
  value: TelegramQrAuthOptions['profilePhotos'],
): boolean {
  if (value === undefined) return DEFAULT_OPTIONS.profilePhotos;
  if (typeof value === 'boolean') return value;
  if ((PROFILE_PHOTOS_SWITCHES as readonly unknown[]).includes(value))
    return value === 'on';
  throw new Error(
    "TelegramQrAuthModule: profilePhotos must be true, false, 'on' or 'off'",
  );
}

/** The `messages` option checked: shipped locales only, each valid Fluent. */
export function resolveI18nSettings(
  messages: TelegramQrAuthOptions['messages'] = {},
): I18nSettings {
  const problems = Object.entries(messages).flatMap(([locale, source]) => {
    if (!isLocale(locale))
      return [
        `messages.${locale}: not a shipped locale (${LOCALES.join(', ')})`,
      ];
    if (typeof source !== 'string')
      return [`messages.${locale}: must be Fluent source, a string`];
    return fluentProblems(source).map(
      (problem) => `messages.${locale}: ${problem}`,
    );
  });
  if (problems.length)
    throw new Error(`TelegramQrAuthModule: ${problems.join('; ')}`);
  return { messages: { ...messages } };
}

/**
 * The `oidc` option checked as a whole: every problem is named in one error,
 * each naming the client (or option) and the field.
 */
export function resolveOidcSettings(
  options: OidcOptions,
  publicUrl: string | undefined,
  jwtAlgorithm: JwtAlgorithm = DEFAULT_OPTIONS.jwtAlgorithm,
): OidcSettings {
  const clients = options.clients ?? [];
  const problems = clientProblems(clients, {
    allowHttpRedirectUris:
      options.allowHttpRedirectUris ??
      DEFAULT_OPTIONS.oidc.allowHttpRedirectUris,
  }).map((problem) => `oidc.clients: ${problem}`);
  if (options.jwks !== undefined)
    problems.push(
      ...jwksProblems(options.jwks, { accessTokenAlgorithm: jwtAlgorithm }).map(
        (problem) => `oidc.jwks: ${problem}`,
      ),
    );
  const sessionTtlSeconds =
    options.sessionTtlSeconds ?? DEFAULT_OPTIONS.sessionTtlSeconds;
  if (!Number.isSafeInteger(sessionTtlSeconds) || sessionTtlSeconds < 60)
    problems.push(
      'oidc.sessionTtlSeconds must be a whole number of at least 60',
    );
  const enabled = Array.isArray(clients) && clients.length > 0;
  const issuer = (options.issuer ?? publicUrl)?.replace(/\/+$/, '');
  if (enabled && issuer === undefined)
    problems.push(
      'oidc.issuer is required with oidc.clients (it defaults to publicUrl, which is not set either)',
    );
  // Without clients too: it is the access tokens' `iss`, and its path is where the JWKS is published.
  else if (issuer !== undefined) problems.push(...issuerProblems(issuer));
  if (problems.length)
    throw new Error(
      `TelegramQrAuthModule: invalid oidc options:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  const mountPath =
    issuer === undefined ? '' : new URL(issuer).pathname.replace(/\/+$/, '');
  return {
    enabled,
    issuer: issuer ?? '',
    mountPath,
    clients: enabled ? jsonCopy(clients) : [],
    jwks: options.jwks && jsonCopy(options.jwks),
    keysNeeded: enabled || jwtAlgorithm !== 'HS256',
    sessionTtlSeconds,
    bodyPaths: enabled
      ? OIDC_BODY_ROUTES.map((route) => `${mountPath}${route}`)
      : [],
  };
}

/** OpenID Connect Discovery §3: an https (here also http, for development) URL without query or fragment. */
export function issuerProblems(issuer: string): string[] {
  const url = URL.parse(issuer);
  if (!url || !['https:', 'http:'].includes(url.protocol))
    return [
      'oidc.issuer must be an http(s) URL, e.g. https://login.example.com',
    ];
  if (url.search || url.hash || issuer.includes('?') || issuer.includes('#'))
    return ['oidc.issuer must not have a query or a fragment'];
  return [];
}

/** `appLogoUrl` as given, once it is known to be an http(s) URL (it ends up in an `<img>` and in the CSP). */
function logoUrlOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== 'https:' && parsed?.protocol !== 'http:')
    throw new Error(
      'TelegramQrAuthModule: appLogoUrl must be an http(s) URL, such as https://example.com/logo.svg',
    );
  return parsed.href;
}
