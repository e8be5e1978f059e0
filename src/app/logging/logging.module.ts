import {
  type DynamicModule,
  type INestApplication,
  Module,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  LoggerModule,
  Logger as PinoNestLogger,
  PinoLogger,
} from 'nestjs-pino';
import { appConfig } from '../config/index.js';
import type {
  AuthSettings,
  OidcSettings,
  TelegramSettings,
} from '../../interfaces/settings.interface.js';
import {
  AUTH_SETTINGS,
  OIDC_SETTINGS,
  TELEGRAM_SETTINGS,
} from '../../telegram-qr-auth.constants.js';
import { pinoOptions } from './pino-options.js';
import { requestLogging } from './request-logging.middleware.js';

/**
 * Structured JSON logs (nestjs-pino): Nest's `Logger` writes through pino,
 * every request gets an id and a completion line (see requestLogging).
 * createApp installs it unless a caller (a test) brings its own logger.
 */
@Module({})
export class LoggingModule {
  static forRoot(): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [
            appConfig.KEY,
            TELEGRAM_SETTINGS,
            AUTH_SETTINGS,
            OIDC_SETTINGS,
          ],
          useFactory: (
            app: ConfigType<typeof appConfig>,
            telegram: TelegramSettings,
            auth: AuthSettings,
            oidc: OidcSettings,
          ) => ({
            pinoHttp: pinoOptions({
              level: app.logLevel,
              // The part after the colon is the token's secret half: scrubbed on its own too.
              secrets: [
                telegram.botToken,
                telegram.botToken?.split(':')[1],
                telegram.webhookSecret,
                auth.jwtSecret,
                ...oidc.clients.map((client) => client.client_secret),
                // The private parts of configured keys (an RSA key's are d, p, q, dp, dq, qi).
                ...(oidc.jwks?.keys ?? []).flatMap((key) =>
                  ['d', 'p', 'q', 'dp', 'dq', 'qi'].map((part) =>
                    typeof key[part] === 'string' ? key[part] : undefined,
                  ),
                ),
              ],
            }),
            // The request middleware is requestLogging, mounted by useStructuredLogs.
            forRoutes: [],
          }),
        }),
      ],
    };
  }
}

/**
 * Makes the pino logger the app's logger (the lines Nest buffered while
 * starting come out through it) and logs every request; call before any
 * other middleware, so that requests refused early are logged too.
 */
export async function useStructuredLogs(app: INestApplication): Promise<void> {
  app.useLogger(app.get(PinoNestLogger));
  app.use(requestLogging(await app.resolve(PinoLogger)));
}
