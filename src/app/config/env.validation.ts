import Joi from 'joi';
import { readFileSync } from 'node:fs';
import type {
  OidcClientMetadata,
  OidcJwks,
} from '../../oidc/interfaces/index.js';
import { clientProblems, isLoopbackHost } from '../../oidc/oidc-clients.js';
import { jwksProblems, signingKeyFor } from '../../oidc/oidc-keys.js';
import {
  DEFAULT_OPTIONS,
  JWT_ALGORITHMS,
  type JwtAlgorithm,
  LOGIN_CONFIRMATION_MODES,
  type LoginConfirmationMode,
  PROFILE_PHOTOS_SWITCHES,
  type ProfilePhotosSwitch,
  TELEGRAM_MODES,
  type TelegramMode,
} from '../../telegram-qr-auth.constants.js';
import { MAX_APP_NAME_LENGTH } from '../../telegram/bot-messages.js';
import type { RedisNode } from '../../interfaces/settings.interface.js';

export const LOG_LEVELS = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The environment after validation: defaults applied, numbers converted. */
export interface Environment {
  NODE_ENV: 'development' | 'production' | 'test';
  PORT: number;
  HOST?: string;
  APP_NAME: string;
  APP_LOGO_URL?: string;
  PUBLIC_URL?: string;
  CORS_ORIGINS: string[];
  TRUST_PROXY: boolean | number | string;
  LOG_LEVEL: LogLevelName;
  SHUTDOWN_TIMEOUT_MS: number;
  BOT_TOKEN?: string;
  BOT_USERNAME?: string;
  WEBHOOK_SECRET?: string;
  TELEGRAM_API_ROOT: string;
  TELEGRAM_MODE: TelegramMode;
  LOGIN_CONFIRMATION: LoginConfirmationMode;
  TOKEN_TTL_SECONDS: number;
  JWT_ALGORITHM: JwtAlgorithm;
  JWT_SECRET?: string;
  JWT_TTL_SECONDS: number;
  SESSION_TTL_SECONDS: number;
  PROFILE_PHOTOS: ProfilePhotosSwitch;
  RATE_LIMIT_TTL_SECONDS: number;
  RATE_LIMIT_TOKEN: number;
  RATE_LIMIT_POLL: number;
  REDIS_URL?: string;
  REDIS_CLUSTER_NODES?: RedisNode[];
  REDIS_SENTINELS?: RedisNode[];
  REDIS_SENTINEL_NAME?: string;
  REDIS_SENTINEL_PASSWORD?: string;
  REDIS_USERNAME?: string;
  REDIS_PASSWORD?: string;
  REDIS_TLS?: boolean;
  REDIS_WAIT_REPLICAS?: number;
  REDIS_WAIT_TIMEOUT_MS: number;
  ALLOWED_TELEGRAM_IDS: number[];
  REDIS_KEY_PREFIX: string;
  OIDC_ISSUER?: string;
  /** From OIDC_CLIENTS or the file OIDC_CLIENTS_FILE names; [] for none. */
  OIDC_CLIENTS: OidcClientMetadata[];
  OIDC_CLIENTS_FILE?: string;
  /** From OIDC_JWKS or the file OIDC_JWKS_FILE names. */
  OIDC_JWKS?: OidcJwks;
  OIDC_JWKS_FILE?: string;
  OIDC_SESSION_TTL_SECONDS: number;
}

/** Without these a production start would run insecurely or not reach Telegram at all. */
const REQUIRED_IN_PRODUCTION = [
  'BOT_TOKEN',
  'BOT_USERNAME',
  'WEBHOOK_SECRET',
] as const;

const requiredInProduction = (schema: Joi.StringSchema) =>
  schema.when('NODE_ENV', { is: 'production', then: Joi.required() });

/**
 * Variables another one makes required, in any mode; `why` ends the error
 * message, so that it says what is wrong in the mode that is running.
 */
const REQUIRED_WITH: Partial<
  Record<keyof Environment, { with: keyof Environment; why: string }>
> = {
  BOT_USERNAME: {
    with: 'BOT_TOKEN',
    why: 'the t.me deep link in the QR code names the bot',
  },
};

/** Required when the variable {@link REQUIRED_WITH} names for `name` is set. */
const requiredWith = (name: keyof Environment, schema: Joi.StringSchema) => {
  const rule = REQUIRED_WITH[name];
  return rule
    ? schema.when(rule.with, { is: Joi.exist(), then: Joi.required() })
    : schema;
};

/** "a, b" → ["a", "b"]; "*" stays a one-element list that means any origin. */
const commaSeparatedList = Joi.custom((value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value,
);

/**
 * JSON text to its value. JSON.parse's own message quotes the text around
 * the mistake, which may be a client secret or a private key: only the
 * position is kept.
 */
function parseJson(
  text: string,
  what: string,
): { value: unknown } | { problem: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    return {
      problem: `must be ${what} in JSON; it is not valid JSON${position ? ` (at character ${position})` : ''}`,
    };
  }
}

/** A variable holding JSON, parsed; a syntax error names the variable. */
const jsonVariable = (name: string, what: string) =>
  Joi.custom((value: unknown, helpers) => {
    if (typeof value !== 'string') return value;
    const parsed = parseJson(value, what);
    return 'value' in parsed
      ? parsed.value
      : helpers.message({ custom: `"${name}" ${parsed.problem}` });
  });

export const environmentSchema = Joi.object<Environment>({
  NODE_ENV: Joi.string()
    .valid('development', 'production', 'test')
    .default('development'),
  PORT: Joi.number().port().default(8887),
  // No default here: unset means loopback in demo mode and every interface with a bot (main.ts decides, by the module's demoMode).
  HOST: Joi.string().hostname().messages({
    'string.hostname':
      '"HOST" must be an IP address or a host name to listen on, such as 127.0.0.1 or 0.0.0.0',
  }),
  APP_NAME: Joi.string()
    .trim()
    .min(1)
    .max(MAX_APP_NAME_LENGTH)
    .default(DEFAULT_OPTIONS.appName),
  // Shown beside APP_NAME at the head of the login page; the CSP's img-src allows its origin.
  APP_LOGO_URL: Joi.string().uri({ scheme: ['https', 'http'] }),
  PUBLIC_URL: Joi.string().uri({ scheme: ['https', 'http'] }),
  CORS_ORIGINS: commaSeparatedList.default([]),
  // Express's "trust proxy": which hops may set X-Forwarded-For, i.e. whose word decides the client IP
  // that rate limits and the confirmation message use. true/false, a hop count, or names/CIDRs.
  TRUST_PROXY: Joi.alternatives()
    .try(
      Joi.boolean(),
      Joi.number().integer().min(0).max(10),
      Joi.string().pattern(/^[A-Za-z0-9.:/, ]+$/),
    )
    .default('loopback')
    .error((errors) =>
      errors.map((error) =>
        Object.assign(error, {
          message:
            '"TRUST_PROXY" must be true, false, a hop count, or names/CIDRs like "loopback, uniquelocal"',
        }),
      ),
    ),
  LOG_LEVEL: Joi.string()
    .valid(...LOG_LEVELS)
    .default('info'),
  SHUTDOWN_TIMEOUT_MS: Joi.number()
    .integer()
    .min(0)
    .max(120_000)
    .default(10_000),
  // Telegram's own format: "<bot id>:<35 characters>".
  BOT_TOKEN: requiredInProduction(
    Joi.string()
      .pattern(/^\d+:[A-Za-z0-9_-]{30,}$/)
      .messages({
        'string.pattern.base':
          '"BOT_TOKEN" must look like 123456789:AA... (the token @BotFather gives)',
      }),
  ),
  BOT_USERNAME: requiredWith(
    'BOT_USERNAME',
    requiredInProduction(
      Joi.string()
        .pattern(/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/)
        .messages({
          'string.pattern.base':
            '"BOT_USERNAME" must be a Telegram username: 5-32 letters, digits or _',
        }),
    ),
  ),
  // Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - for secret_token.
  WEBHOOK_SECRET: requiredInProduction(
    Joi.string()
      .pattern(/^[A-Za-z0-9_-]{1,256}$/)
      .messages({
        'string.pattern.base':
          '"WEBHOOK_SECRET" must be 1-256 characters of A-Z, a-z, 0-9, _ and -',
      }),
  ),
  TELEGRAM_API_ROOT: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default(DEFAULT_OPTIONS.botApiRoot),
  TELEGRAM_MODE: Joi.string()
    .valid(...TELEGRAM_MODES)
    .default(DEFAULT_OPTIONS.telegramMode),
  LOGIN_CONFIRMATION: Joi.string()
    .valid(...LOGIN_CONFIRMATION_MODES)
    .default(DEFAULT_OPTIONS.confirmation),
  TOKEN_TTL_SECONDS: Joi.number()
    .integer()
    .min(1)
    .max(86400)
    .default(DEFAULT_OPTIONS.tokenTtlSeconds),
  JWT_ALGORITHM: Joi.string()
    .valid(...JWT_ALGORITHMS)
    .default(DEFAULT_OPTIONS.jwtAlgorithm),
  // Only with JWT_ALGORITHM=HS256; when it is required, keysProblems says.
  JWT_SECRET: Joi.string().min(32).messages({
    'string.min': '"JWT_SECRET" must be at least 32 characters long',
  }),
  JWT_TTL_SECONDS: Joi.number()
    .integer()
    .min(1)
    .default(DEFAULT_OPTIONS.jwtTtlSeconds),
  SESSION_TTL_SECONDS: Joi.number()
    .integer()
    .min(60)
    .default(DEFAULT_OPTIONS.sessionTtlSeconds),
  // The person's Telegram profile photo on the page and in the OpenID `picture` claim; off in demo mode whatever this says.
  PROFILE_PHOTOS: Joi.string()
    .valid(...PROFILE_PHOTOS_SWITCHES)
    .default(DEFAULT_OPTIONS.profilePhotos ? 'on' : 'off')
    .messages({ 'any.only': '"PROFILE_PHOTOS" must be on or off' }),
  RATE_LIMIT_TTL_SECONDS: Joi.number()
    .integer()
    .min(1)
    .max(3600)
    .default(DEFAULT_OPTIONS.rateLimit.ttlSeconds),
  RATE_LIMIT_TOKEN: Joi.number()
    .integer()
    .min(1)
    .default(DEFAULT_OPTIONS.rateLimit.tokenCreations),
  RATE_LIMIT_POLL: Joi.number()
    .integer()
    .min(1)
    .default(DEFAULT_OPTIONS.rateLimit.polls),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }),
  // One of REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SENTINELS (redisProblems, below).
  REDIS_CLUSTER_NODES: nodeList('REDIS_CLUSTER_NODES'),
  REDIS_SENTINELS: nodeList('REDIS_SENTINELS'),
  REDIS_SENTINEL_NAME: Joi.string(),
  REDIS_SENTINEL_PASSWORD: Joi.string(),
  // ACL user and password of the Redis nodes, in every mode (with REDIS_URL, they override the URL's).
  REDIS_USERNAME: Joi.string(),
  REDIS_PASSWORD: Joi.string(),
  // TLS to the nodes (and Sentinels); rediss:// does the same for REDIS_URL.
  REDIS_TLS: Joi.boolean(),
  // WAIT after the writes a login cannot lose; unset: 0 with REDIS_URL, 1 with a Cluster or Sentinel.
  REDIS_WAIT_REPLICAS: Joi.number().integer().min(0).max(16),
  REDIS_WAIT_TIMEOUT_MS: Joi.number()
    .integer()
    .min(1)
    .max(10_000)
    .default(DEFAULT_OPTIONS.redisWaitTimeoutMs),
  // Comma-separated Telegram user ids the default login policy lets in; empty = everyone.
  ALLOWED_TELEGRAM_IDS: Joi.custom((value: unknown, helpers) => {
    if (typeof value !== 'string') return value;
    const ids = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    if (
      !ids.every(
        (id) => /^\d{1,16}$/.test(id) && Number.isSafeInteger(Number(id)),
      )
    ) {
      return helpers.message({
        custom:
          '"ALLOWED_TELEGRAM_IDS" must be Telegram user ids separated by commas',
      });
    }
    return ids.map(Number);
  }).default([]),
  // Separates several deployments (or test runs) sharing one Redis: every key and channel starts with it.
  REDIS_KEY_PREFIX: Joi.string()
    .pattern(/^[A-Za-z0-9:_.-]{1,64}$/)
    .default(DEFAULT_OPTIONS.redisKeyPrefix)
    .messages({
      'string.pattern.base':
        '"REDIS_KEY_PREFIX" must be 1-64 characters of A-Z, a-z, 0-9, :, _, . and -',
    }),
  // The OpenID Provider: on with at least one client. Checked as a whole by oidcProblems, below.
  OIDC_ISSUER: Joi.string()
    .uri({ scheme: ['https', 'http'] })
    .pattern(/^[^?#]*$/)
    .messages({
      'string.pattern.base':
        '"OIDC_ISSUER" must not have a query or a fragment',
    }),
  OIDC_CLIENTS: jsonVariable('OIDC_CLIENTS', 'an array of clients').default([]),
  OIDC_CLIENTS_FILE: Joi.string(),
  OIDC_JWKS: jsonVariable('OIDC_JWKS', 'a private JWK set'),
  OIDC_JWKS_FILE: Joi.string(),
  OIDC_SESSION_TTL_SECONDS: Joi.number()
    .integer()
    .min(60)
    .default(DEFAULT_OPTIONS.sessionTtlSeconds),
});

/** `host:port,host:port`: Cluster seeds or Sentinels. The message never repeats the value. */
function nodeList(name: string) {
  return Joi.custom((value: unknown, helpers) => {
    if (typeof value !== 'string') return value;
    const nodes = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
      .map((item) => /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(item));
    if (!nodes.length || nodes.some((node) => !node || Number(node[2]) > 65535))
      return helpers.message({
        custom: `"${name}" must be host:port pairs separated by commas`,
      });
    return nodes.map((node) => ({
      host: node![1].replace(/^\[|\]$/g, ''),
      port: Number(node![2]),
    }));
  });
}

/**
 * Validates the raw environment. Empty strings count as unset, so a `.env`
 * copied from `.env.example` with blank values behaves like no value at all.
 * The error lists every bad variable by name, never its value (it may be a secret).
 */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const present = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== ''),
  );
  const result = environmentSchema.validate(present, {
    abortEarly: false,
    allowUnknown: true,
    stripUnknown: false,
    errors: { wrap: { label: '"' } },
  });
  const problems = (result.error?.details ?? []).map((detail) =>
    explain(detail, present),
  );
  const failed = new Set(
    (result.error?.details ?? []).map((detail) => String(detail.path[0])),
  );
  // Joi gives the value with defaults and conversions even when some variables failed.
  const env = result.value as Environment;
  problems.push(...oidcProblems(env, present, failed));
  problems.push(...keysProblems(env, failed));
  problems.push(...redisProblems(env));
  if (problems.length) {
    throw new Error(
      `Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
  return env;
}

/**
 * Reads a JSON file a `*_FILE` variable names into `env[name]` (unless the
 * variable itself is set too, which is a mistake). Returns what is wrong.
 */
function readJsonFile(
  env: Environment,
  name: 'OIDC_CLIENTS' | 'OIDC_JWKS',
  what: string,
  given: boolean,
): string[] {
  const file = env[`${name}_FILE`];
  if (file === undefined) return [];
  if (given) return [`"${name}" and "${name}_FILE" are both set: set one`];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return [
      `"${name}_FILE" names a file that cannot be read: ${file} (${code})`,
    ];
  }
  const parsed = parseJson(text, what);
  if ('problem' in parsed)
    return [`"${name}_FILE" (${file}) ${parsed.problem}`];
  Object.assign(env, { [name]: parsed.value });
  return [];
}

/**
 * The OpenID Provider's variables, together: the files read, every client
 * entry and key checked, and what production asks for. Each problem names
 * the variable, and for clients the client and the field.
 */
function oidcProblems(
  env: Environment,
  input: Record<string, unknown>,
  failed: Set<string>,
): string[] {
  const names = [
    'OIDC_ISSUER',
    'OIDC_CLIENTS',
    'OIDC_CLIENTS_FILE',
    'OIDC_JWKS',
    'OIDC_JWKS_FILE',
  ];
  if (names.some((name) => failed.has(name))) return [];
  const problems = [
    ...readJsonFile(
      env,
      'OIDC_CLIENTS',
      'an array of clients',
      input.OIDC_CLIENTS !== undefined,
    ),
    ...readJsonFile(
      env,
      'OIDC_JWKS',
      'a private JWK set',
      input.OIDC_JWKS !== undefined,
    ),
  ];
  if (problems.length) return problems;
  const clientsVariable = env.OIDC_CLIENTS_FILE
    ? 'OIDC_CLIENTS_FILE'
    : 'OIDC_CLIENTS';
  const jwksVariable = env.OIDC_JWKS_FILE ? 'OIDC_JWKS_FILE' : 'OIDC_JWKS';
  const production = env.NODE_ENV === 'production';
  problems.push(
    ...clientProblems(env.OIDC_CLIENTS, {
      allowHttpRedirectUris: !production,
    }).map((problem) => `"${clientsVariable}": ${problem}`),
  );
  if (env.OIDC_JWKS !== undefined)
    problems.push(
      ...jwksProblems(env.OIDC_JWKS).map(
        (problem) => `"${jwksVariable}": ${problem}`,
      ),
    );
  if (!Array.isArray(env.OIDC_CLIENTS) || env.OIDC_CLIENTS.length === 0)
    return problems;
  const issuer = env.OIDC_ISSUER ?? env.PUBLIC_URL;
  if (issuer === undefined)
    problems.push(
      `"OIDC_ISSUER" is required when ${clientsVariable} is set and PUBLIC_URL is not: it is the URL every OpenID endpoint lives under and every token names`,
    );
  else if (
    production &&
    new URL(issuer).protocol === 'http:' &&
    !isLoopbackHost(new URL(issuer).hostname)
  )
    problems.push(
      `"${env.OIDC_ISSUER ? 'OIDC_ISSUER' : 'PUBLIC_URL'}" must be an https: URL when NODE_ENV=production and OpenID clients are configured: it is the OpenID issuer`,
    );
  return problems;
}

/**
 * What signs the access tokens: the JWK set (ES256, RS256), or with the
 * HS256 opt-in JWT_SECRET; and the keys production needs. OIDC_JWKS itself
 * is checked (and read from its file) by oidcProblems.
 */
function keysProblems(env: Environment, failed: Set<string>): string[] {
  const names = ['JWT_ALGORITHM', 'JWT_SECRET', 'OIDC_JWKS', 'OIDC_JWKS_FILE'];
  if (names.some((name) => failed.has(name))) return [];
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const clients =
    Array.isArray(env.OIDC_CLIENTS) && env.OIDC_CLIENTS.length > 0;
  const jwksVariable = env.OIDC_JWKS_FILE ? 'OIDC_JWKS_FILE' : 'OIDC_JWKS';
  if (env.JWT_ALGORITHM === 'HS256') {
    if (env.JWT_SECRET === undefined && production)
      problems.push(
        '"JWT_SECRET" is required when NODE_ENV=production and JWT_ALGORITHM=HS256',
      );
    else if (env.JWT_SECRET === undefined && redisVariable(env))
      problems.push(
        `"JWT_SECRET" is required when ${redisVariable(env)} is set and JWT_ALGORITHM=HS256: every instance on that Redis must sign sessions with the same key, or a session from one is refused by the others`,
      );
  } else {
    // A host that verifies HS256 with this secret would refuse every token signed now: say so rather than switch silently.
    if (env.JWT_SECRET !== undefined)
      problems.push(
        `"JWT_SECRET" is only used with JWT_ALGORITHM=HS256: access tokens are signed with ${env.JWT_ALGORITHM} by the keys of OIDC_JWKS and verified with the JWKS at <issuer>/jwks. Set JWT_ALGORITHM=HS256 to keep signing with the secret, or remove JWT_SECRET`,
      );
    if (
      env.OIDC_JWKS !== undefined &&
      !signingKeyFor(env.OIDC_JWKS, env.JWT_ALGORITHM) &&
      jwksProblems(env.OIDC_JWKS).length === 0
    )
      problems.push(
        `"${jwksVariable}" must include a key that signs ${env.JWT_ALGORITHM} (${env.JWT_ALGORITHM === 'ES256' ? 'an EC P-256 key' : 'an RSA key'}): JWT_ALGORITHM=${env.JWT_ALGORITHM} signs the access tokens with it`,
      );
  }
  const signed = [
    clients ? 'the ID tokens' : undefined,
    env.JWT_ALGORITHM === 'HS256' ? undefined : 'the access tokens',
  ].filter(Boolean);
  // A file given but unreadable is reported by oidcProblems already.
  if (
    production &&
    signed.length > 0 &&
    env.OIDC_JWKS === undefined &&
    env.OIDC_JWKS_FILE === undefined
  )
    problems.push(
      `"OIDC_JWKS" (or OIDC_JWKS_FILE) is required when NODE_ENV=production: its keys sign ${signed.join(' and ')}, and generated keys would not survive a restart. \`npm run keys\` prints a new set${clients ? '' : '; or sign access tokens with a shared secret instead: JWT_ALGORITHM=HS256 and JWT_SECRET'}`,
    );
  return problems;
}

const REDIS_MODES = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'];

/** The name of the variable that connects to Redis, if one does. */
export function redisVariable(env: Environment): string | undefined {
  return REDIS_MODES.find((name) => env[name as keyof Environment]);
}

/** One way to reach Redis at most; a Sentinel setup names its primary. */
function redisProblems(env: Environment): string[] {
  const set = REDIS_MODES.filter((name) => env[name as keyof Environment]);
  const problems: string[] = [];
  if (set.length > 1)
    problems.push(
      `${set.map((name) => `"${name}"`).join(' and ')} are set: set only one of REDIS_URL (one Redis), REDIS_CLUSTER_NODES (a Redis Cluster) and REDIS_SENTINELS (Redis with Sentinel)`,
    );
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME)
    problems.push(
      '"REDIS_SENTINEL_NAME" is required when REDIS_SENTINELS is set: it names the primary the Sentinels watch',
    );
  return problems;
}

/** `input`: the variables as given (empty ones removed), to tell which rule made a missing one required. */
function explain(
  detail: Joi.ValidationErrorItem,
  input: Record<string, unknown>,
): string {
  const name = String(detail.path[0]);
  if (detail.type === 'any.required') {
    if (
      input.NODE_ENV === 'production' &&
      (REQUIRED_IN_PRODUCTION as readonly string[]).includes(name)
    ) {
      return `"${name}" is required when NODE_ENV=production`;
    }
    const rule = REQUIRED_WITH[name as keyof Environment];
    if (rule && input[rule.with] !== undefined)
      return `"${name}" is required when ${rule.with} is set: ${rule.why}`;
  }
  // Joi echoes the rejected value in some messages; a secret must never reach a log.
  return detail.message.replace(/ with value ".*"/, '');
}
