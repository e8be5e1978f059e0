import { LoggerService, LogLevel } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import {
  ExpressAdapter,
  type NestExpressApplication,
} from '@nestjs/platform-express';
import express from 'express';
import type { RedisClient } from '../redis/redis-client.factory.js';
import { AppModule, type AppModuleOptions } from './app.module.js';
import { appConfig } from './config/index.js';
import { setUpApiDocs } from './docs/api-docs.js';
import type {
  OidcSettings,
  RedisSettings,
} from '../interfaces/settings.interface.js';
import {
  OIDC_SETTINGS,
  REDIS_SETTINGS,
  ROUTE_PREFIX,
} from '../telegram-qr-auth.constants.js';
import { webhookPathFor } from '../telegram/telegram.constants.js';
import { useStructuredLogs } from './logging/logging.module.js';
import { REDIS_CLIENT } from '../redis/redis.constants.js';
import { applyHttpSecurity } from './security/http-security.js';
import {
  applyRequestTimeout,
  limitUnexpectedBodies,
  REQUEST_TIMEOUT_MS,
} from './security/request-limits.js';
import { corsOptionsFor } from './security/cors.js';
import { ShutdownService } from './shutdown/shutdown.service.js';
import { SocketIoAdapter } from '../socket-io/socket-io.adapter.js';

export interface CreateAppOptions extends Omit<
  AppModuleOptions,
  'structuredLogs'
> {
  /** Unset: structured JSON logs (pino) at LOG_LEVEL. Tests pass false, levels or a logger of their own. */
  logger?: LoggerService | LogLevel[] | false;
  /** How long a client has to send a whole request; default {@link REQUEST_TIMEOUT_MS}. */
  requestTimeoutMs?: number;
}

/** Builds the whole service, configured the same way for `main.ts` and for the e2e tests. */
export async function createApp(
  options: CreateAppOptions = {},
): Promise<NestExpressApplication> {
  const structuredLogs = options.logger === undefined;
  const app = await NestFactory.create<NestExpressApplication>(
    await AppModule.forRoot({ ...options, structuredLogs }),
    new ExpressAdapter(strictRouter()),
    {
      bodyParser: false,
      logger: options.logger,
      bufferLogs: structuredLogs,
      // Nest would otherwise exit the process on a start-up error (bad configuration included);
      // reject instead, so main.ts prints the reason and tests can check it.
      abortOnError: false,
    },
  );
  if (structuredLogs) await useStructuredLogs(app);
  configureApp(app, options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
  await useSocketIoAdapter(app);
  return app;
}

/**
 * Express that matches paths exactly as written: by default it ignores case
 * and a trailing slash, so /METRICS and /metrics/ were /metrics, and a proxy
 * rule for one spelling (deploy/nginx.conf) left the others open. Set before
 * anything is mounted: Express reads both settings once, when it creates its
 * router, which Nest's adapter does in its constructor.
 */
function strictRouter(): express.Express {
  const instance = express();
  instance.set('case sensitive routing', true);
  instance.set('strict routing', true);
  return instance;
}

function configureApp(
  app: NestExpressApplication,
  requestTimeoutMs: number,
): void {
  app.set(
    'trust proxy',
    app.get<ConfigType<typeof appConfig>>(appConfig.KEY).trustProxy,
  );
  app.disable('x-powered-by');
  // Express would hash every JSON answer for an ETag; API answers are never cached (no-store), so that is waste.
  // Static files keep theirs (serve-static makes its own).
  app.set('etag', false);
  applyHttpSecurity(app);
  // No body parser in front of every route (bodyParser: false): the webhook reads its own body,
  // after checking the secret, and the OpenID Provider its form posts (token, revocation, …;
  // oidc-provider allows 56 KiB); every other route takes next to none.
  app.use(
    limitUnexpectedBodies([
      `/${webhookPathFor(app.get<string>(ROUTE_PREFIX))}`,
      ...app.get<OidcSettings>(OIDC_SETTINGS).bodyPaths,
    ]),
  );
  applyRequestTimeout(app.getHttpServer(), requestTimeoutMs);
  setUpApiDocs(app);
  // Signals are handled by main.ts (exitGracefullyOnSignals): Nest's own hooks would close modules under requests in flight.
  app.get(ShutdownService).watch(app.getHttpServer());
}

/** CORS for Socket.IO as for HTTP; with REDIS_URL, rooms shared by every instance. */
async function useSocketIoAdapter(app: NestExpressApplication): Promise<void> {
  const adapter = new SocketIoAdapter(app, {
    cors: corsOptionsFor(
      app.get<ConfigType<typeof appConfig>>(appConfig.KEY).corsOrigins,
    ),
  });
  const redis = app.get<RedisClient | null>(REDIS_CLIENT);
  if (redis)
    await adapter.connectRooms(
      redis,
      app.get<RedisSettings>(REDIS_SETTINGS).keyPrefix,
    );
  app.useWebSocketAdapter(adapter);
}
