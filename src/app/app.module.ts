import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import {
  appConfig,
  telegramQrAuthConfig,
  validateEnvironment,
} from './config/index.js';
import { HealthModule } from './health/health.module.js';
import type { TelegramQrAuthOptions } from '../interfaces/telegram-qr-auth-options.interface.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ShutdownModule } from './shutdown/shutdown.module.js';
import { TelegramQrAuthModule } from '../telegram-qr-auth.module.js';

export interface AppModuleOptions {
  /** Tests pass true so that a developer's `.env` cannot change what they check. */
  ignoreEnvFile?: boolean;
  /** JSON logs through pino with request ids (main.ts); tests that bring their own logger leave it off. */
  structuredLogs?: boolean;
}

/**
 * This service: TelegramQrAuthModule configured from the environment exactly
 * as a host app would configure it, plus what a standalone deployment needs
 * (health, metrics, logs, graceful shutdown).
 */
@Module({})
export class AppModule {
  /** Async because ConfigModule validates the environment while it is built: a bad value rejects here. */
  static async forRoot(options: AppModuleOptions = {}): Promise<DynamicModule> {
    const config = await ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      ignoreEnvFile: options.ignoreEnvFile,
      validate: validateEnvironment,
      load: [appConfig, telegramQrAuthConfig],
    });
    return {
      module: AppModule,
      imports: [
        config,
        TelegramQrAuthModule.forRootAsync({
          inject: [telegramQrAuthConfig.KEY],
          useFactory: (qrAuthOptions: TelegramQrAuthOptions) => qrAuthOptions,
        }),
        ShutdownModule,
        HealthModule,
        MetricsModule,
        ...(options.structuredLogs ? [LoggingModule.forRoot()] : []),
      ],
    };
  }
}
