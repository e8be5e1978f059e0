import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuthModule } from './auth/auth.module.js';
import { appConfig, authConfig, redisConfig, telegramConfig, validateEnvironment } from './config/index.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { QrModule } from './qr/qr.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { ShutdownModule } from './shutdown/shutdown.module.js';
import { TelegramModule } from './telegram/telegram.module.js';

export interface AppModuleOptions {
  /** Tests pass true so that a developer's `.env` cannot change what they check. */
  ignoreEnvFile?: boolean;
  /** JSON logs through pino with request ids (main.ts); tests that bring their own logger leave it off. */
  structuredLogs?: boolean;
}

@Module({})
export class AppModule {
  /** Async because ConfigModule validates the environment while it is built: a bad value rejects here. */
  static async forRoot(options: AppModuleOptions = {}): Promise<DynamicModule> {
    const config = await ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      ignoreEnvFile: options.ignoreEnvFile,
      validate: validateEnvironment,
      load: [appConfig, authConfig, redisConfig, telegramConfig],
    });
    return {
      module: AppModule,
      imports: [
        config,
        QrModule,
        RateLimitModule,
        AuthModule,
        TelegramModule,
        ShutdownModule,
        HealthModule,
        MetricsModule,
        ...(options.structuredLogs ? [LoggingModule.forRoot()] : []),
      ],
    };
  }
}
