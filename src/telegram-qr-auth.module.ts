import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { I18nModule } from './i18n/i18n.module.js';
import { OidcModule } from './oidc/oidc.module.js';
import { ProfilePhotosModule } from './photos/profile-photos.module.js';
import { QrModule } from './qr/qr.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { RedisModule } from './redis/redis.module.js';
import type { TelegramQrAuthOptions } from './interfaces/telegram-qr-auth-options.interface.js';
import {
  ConfigurableTelegramQrAuthModule,
  TELEGRAM_QR_AUTH_OPTIONS,
} from './telegram-qr-auth.module-definition.js';
import { resolveSettings, type Settings } from './telegram-qr-auth.settings.js';
import { StartupWarningsService } from './startup-warnings.service.js';
import {
  AUTH_SETTINGS,
  I18N_SETTINGS,
  OIDC_SETTINGS,
  REDIS_SETTINGS,
  RESOLVED_SETTINGS,
  TELEGRAM_SETTINGS,
} from './telegram-qr-auth.constants.js';
import { TelegramModule } from './telegram/telegram.module.js';

/**
 * Log in with Telegram by QR code, as one module:
 *
 * ```ts
 * TelegramQrAuthModule.forRootAsync({
 *   imports: [ConfigModule, UsersModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ bot: { token: config.get('BOT_TOKEN'), username: 'my_bot' } }),
 *   loginPolicy: UsersLoginPolicy,
 * })
 * ```
 *
 * Routes: `POST /auth/token`, `GET /auth/poll/:token`, `GET /auth/me`,
 * `GET /auth/photos/:ticket`, `POST /telegram/webhook` (under `routePrefix` if given), the Socket.IO
 * namespace `/auth`, and the login page at `/`. With `oidc.clients`, an
 * OpenID Provider under `oidc.issuer`'s path.
 */
@Module({
  imports: [
    RedisModule,
    QrModule,
    RateLimitModule,
    AuthModule,
    TelegramModule,
    OidcModule,
    ProfilePhotosModule,
    I18nModule,
  ],
  providers: [
    {
      provide: RESOLVED_SETTINGS,
      inject: [TELEGRAM_QR_AUTH_OPTIONS],
      useFactory: (options: TelegramQrAuthOptions) => resolveSettings(options),
    },
    {
      provide: AUTH_SETTINGS,
      inject: [RESOLVED_SETTINGS],
      useFactory: (settings: Settings) => settings.auth,
    },
    {
      provide: TELEGRAM_SETTINGS,
      inject: [RESOLVED_SETTINGS],
      useFactory: (settings: Settings) => settings.telegram,
    },
    {
      provide: REDIS_SETTINGS,
      inject: [RESOLVED_SETTINGS],
      useFactory: (settings: Settings) => settings.redis,
    },
    {
      provide: OIDC_SETTINGS,
      inject: [RESOLVED_SETTINGS],
      useFactory: (settings: Settings) => settings.oidc,
    },
    {
      provide: I18N_SETTINGS,
      inject: [RESOLVED_SETTINGS],
      useFactory: (settings: Settings) => settings.i18n,
    },
    StartupWarningsService,
  ],
  exports: [
    AUTH_SETTINGS,
    TELEGRAM_SETTINGS,
    REDIS_SETTINGS,
    OIDC_SETTINGS,
    I18N_SETTINGS,
    RedisModule,
    AuthModule,
    TelegramModule,
    OidcModule,
    I18nModule,
  ],
})
export class TelegramQrAuthModule extends ConfigurableTelegramQrAuthModule {}
