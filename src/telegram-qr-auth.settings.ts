import { randomBytes } from 'node:crypto';
import type {
  AuthSettings,
  RedisSettings,
  TelegramSettings,
} from './interfaces/settings.interface.js';
import type { TelegramQrAuthOptions } from './interfaces/telegram-qr-auth-options.interface.js';
import {
  DEFAULT_OPTIONS,
  DEMO_DEEP_LINK_BASE,
} from './telegram-qr-auth.constants.js';

export interface Settings {
  auth: AuthSettings;
  telegram: TelegramSettings;
  redis: RedisSettings;
}

/** The module's options with every default applied, split by the part that reads them. */
export function resolveSettings(options: TelegramQrAuthOptions): Settings {
  const { bot = {}, jwt = {}, redis = {}, rateLimit = {} } = options;
  const botUsername = bot.username?.replace(/^@/, '');
  if (bot.token && !bot.username)
    throw new Error(
      'TelegramQrAuthModule: bot.username is required with bot.token',
    );
  // Each process would sign with a random key of its own: a session from one instance fails on the others.
  if (redis.url && jwt.secret === undefined)
    throw new Error(
      'TelegramQrAuthModule: jwt.secret is required with redis.url, so that every instance signs sessions with the same key',
    );
  if (jwt.secret !== undefined && jwt.secret.length < 32) {
    throw new Error(
      'TelegramQrAuthModule: jwt.secret must be at least 32 characters long',
    );
  }
  return {
    auth: {
      tokenTtlSeconds:
        options.tokenTtlSeconds ?? DEFAULT_OPTIONS.tokenTtlSeconds,
      confirmation: options.confirmation ?? DEFAULT_OPTIONS.confirmation,
      jwtSecret: jwt.secret ?? randomBytes(32).toString('base64url'),
      jwtSecretIsEphemeral: jwt.secret === undefined,
      jwtTtlSeconds: jwt.ttlSeconds ?? DEFAULT_OPTIONS.jwtTtlSeconds,
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
    },
    redis: {
      url: redis.url,
      keyPrefix: redis.keyPrefix ?? DEFAULT_OPTIONS.redisKeyPrefix,
    },
  };
}
