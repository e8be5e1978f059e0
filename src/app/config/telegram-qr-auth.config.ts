import { registerAs } from '@nestjs/config';
import type { TelegramQrAuthOptions } from '../../interfaces/telegram-qr-auth-options.interface.js';
import { type Environment, validateEnvironment } from './env.validation.js';

/** This service configures its TelegramQrAuthModule from the environment, as a host app would from its own config. */
export function telegramQrAuthOptionsFrom(
  env: Environment,
): TelegramQrAuthOptions {
  return {
    appName: env.APP_NAME,
    appLogoUrl: env.APP_LOGO_URL,
    bot: {
      token: env.BOT_TOKEN,
      username: env.BOT_USERNAME,
      webhookSecret: env.WEBHOOK_SECRET,
      apiRoot: env.TELEGRAM_API_ROOT,
      mode: env.TELEGRAM_MODE,
    },
    publicUrl: env.PUBLIC_URL,
    tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
    confirmation: env.LOGIN_CONFIRMATION,
    jwt: {
      algorithm: env.JWT_ALGORITHM,
      secret: env.JWT_SECRET,
      ttlSeconds: env.JWT_TTL_SECONDS,
    },
    session: { ttlSeconds: env.SESSION_TTL_SECONDS },
    profilePhotos: env.PROFILE_PHOTOS,
    redis: {
      url: env.REDIS_URL,
      clusterNodes: env.REDIS_CLUSTER_NODES,
      sentinels: env.REDIS_SENTINELS,
      sentinelName: env.REDIS_SENTINEL_NAME,
      sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
      username: env.REDIS_USERNAME,
      password: env.REDIS_PASSWORD,
      // Unset: the module's default (the URL's scheme says, rediss://).
      tls: env.REDIS_TLS,
      waitReplicas: env.REDIS_WAIT_REPLICAS,
      waitTimeoutMs: env.REDIS_WAIT_TIMEOUT_MS,
      keyPrefix: env.REDIS_KEY_PREFIX,
    },
    rateLimit: {
      ttlSeconds: env.RATE_LIMIT_TTL_SECONDS,
      tokenCreations: env.RATE_LIMIT_TOKEN,
      polls: env.RATE_LIMIT_POLL,
    },
    allowedTelegramIds: env.ALLOWED_TELEGRAM_IDS,
    oidc: {
      // Unset: the module's own default, publicUrl (PUBLIC_URL).
      issuer: env.OIDC_ISSUER,
      clients: env.OIDC_CLIENTS,
      jwks: env.OIDC_JWKS,
      sessionTtlSeconds: env.OIDC_SESSION_TTL_SECONDS,
      // Refused in production only, where env validation has said so already.
      allowHttpRedirectUris: env.NODE_ENV !== 'production',
    },
  };
}

export const telegramQrAuthConfig = registerAs('telegramQrAuth', () =>
  telegramQrAuthOptionsFrom(validateEnvironment(process.env)),
);
