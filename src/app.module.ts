import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuthModule } from './auth/auth.module.js';
import { appConfig, authConfig, redisConfig, telegramConfig, validateEnvironment } from './config/index.js';
import { QrModule } from './qr/qr.module.js';
import { TelegramModule } from './telegram/telegram.module.js';

export interface AppModuleOptions {
  /** Tests pass true so that a developer's `.env` cannot change what they check. */
  ignoreEnvFile?: boolean;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          ignoreEnvFile: options.ignoreEnvFile,
          validate: validateEnvironment,
          load: [appConfig, authConfig, redisConfig, telegramConfig],
        }),
        QrModule,
        AuthModule,
        TelegramModule,
      ],
    };
  }
}
