import { randomBytes } from 'node:crypto';
import type { AuthSettings, RedisSettings, TelegramSettings } from './interfaces/settings.interface.js';
import type { TelegramQrAuthOptions } from './interfaces/telegram-qr-auth-options.interface.js';
import { DEMO_BOT_USERNAME } from './telegram-qr-auth.constants.js';

export interface Settings {
  auth: AuthSettings;
  telegram: TelegramSettings;
  redis: RedisSettings;
}

/** The module's options with every default applied, split by the part that reads them. */
export function resolveSettings(options: TelegramQrAuthOptions): Settings {
  const { bot = {}, jwt = {}, redis = {}, rateLimit = {} } = options;
  if (bot.token && !bot.username) throw new Error('TelegramQrAuthModule: bot.username is required with bot.token');
  if (jwt.secret !== undefined && jwt.secret.length < 32) {
    throw new Error('TelegramQrAuthModule: jwt.secret must be at least 32 characters long');
  }
  return {
    auth: {
      tokenTtlSeconds: options.tokenTtlSeconds ?? 300,
      confirmation: options.confirmation ?? 'off',
      jwtSecret: jwt.secret ?? randomBytes(32).toString('base64url'),
      jwtSecretIsEphemeral: jwt.secret === undefined,
      jwtTtlSeconds: jwt.ttlSeconds ?? 3600,
      allowedTelegramIds: [...(options.allowedTelegramIds ?? [])],
      rateLimit: {
        ttlSeconds: rateLimit.ttlSeconds ?? 60,
        tokenCreations: rateLimit.tokenCreations ?? 20,
        polls: rateLimit.polls ?? 120,
      },
    },
    telegram: {
      appName: options.appName ?? 'Telegram QR Auth',
      botToken: bot.token,
      botUsername: (bot.username ?? DEMO_BOT_USERNAME).replace(/^@/, ''),
      demoMode: !bot.token,
      webhookSecret: bot.webhookSecret,
      apiRoot: (bot.apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, ''),
      mode: bot.mode ?? 'webhook',
      publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    },
    redis: { url: redis.url, keyPrefix: redis.keyPrefix ?? 'tqa:' },
  };
}
