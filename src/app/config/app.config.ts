import { registerAs } from '@nestjs/config';
import { validateEnvironment } from './env.validation.js';

/** What this service decides as an app, around the TelegramQrAuthModule it hosts. */
export const appConfig = registerAs('app', () => {
  const env = validateEnvironment(process.env);
  return {
    port: env.PORT,
    /** Unset: loopback in demo mode, every interface with a bot (src/app/listen-host.ts). */
    host: env.HOST,
    /** Origins allowed to call the API from another site; empty = same origin only, ["*"] = any. */
    corsOrigins: env.CORS_ORIGINS,
    /** Express's `trust proxy`: whose X-Forwarded-For is believed for the client IP. */
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
});
