import { registerAs } from '@nestjs/config';
import { validateEnvironment } from './env.validation.js';

export const appConfig = registerAs('app', () => {
  const env = validateEnvironment(process.env);
  return {
    environment: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    port: env.PORT,
    appName: env.APP_NAME,
    /** Where Telegram reaches this service, without a trailing slash; undefined when not public. */
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
    /** Origins allowed to call the API from another site; empty = same origin only, ["*"] = any. */
    corsOrigins: env.CORS_ORIGINS,
    /** Express's `trust proxy`: whose X-Forwarded-For is believed for the client IP. */
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    rateLimit: {
      ttlSeconds: env.RATE_LIMIT_TTL_SECONDS,
      tokenCreations: env.RATE_LIMIT_TOKEN,
      polls: env.RATE_LIMIT_POLL,
    },
  };
});
