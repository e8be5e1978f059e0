import { ConfigurableModuleBuilder, type Type } from '@nestjs/common';
import type { LoginStore } from './auth/interfaces/index.js';
import type { LoginPolicy } from './auth/login-policy.js';
import type { TelegramQrAuthOptions } from './interfaces/telegram-qr-auth-options.interface.js';
import { applyExtras } from './telegram-qr-auth.extras.js';

/**
 * What shapes the module itself rather than its settings, so it is given
 * next to `useFactory`/`useClass` in `forRootAsync` as well as in `forRoot`.
 */
export interface TelegramQrAuthExtras {
  /** Replaces the default {@link AllowListLoginPolicy}. It may inject providers of the modules in `imports`. */
  loginPolicy?: Type<LoginPolicy>;
  /** Replaces the built-in store (memory, or Redis with `redis.url`). */
  loginStore?: Type<LoginStore>;
  /** Path prefix of the module's routes and page, e.g. `login` → `/login/auth/token`. Default none. */
  routePrefix?: string;
  /** Serve the bundled login page at `/<routePrefix>`. Default true. */
  serveLoginPage?: boolean;
}

export const DEFAULT_EXTRAS: Required<Pick<TelegramQrAuthExtras, 'serveLoginPage'>> & TelegramQrAuthExtras = {
  serveLoginPage: true,
};

export const {
  ConfigurableModuleClass: ConfigurableTelegramQrAuthModule,
  MODULE_OPTIONS_TOKEN: TELEGRAM_QR_AUTH_OPTIONS,
  OPTIONS_TYPE: TELEGRAM_QR_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: TELEGRAM_QR_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<TelegramQrAuthOptions>()
  .setClassMethodName('forRoot')
  // forRootAsync({ useClass | useExisting }) takes a class with this method.
  .setFactoryMethodName('createTelegramQrAuthOptions')
  .setExtras<TelegramQrAuthExtras>(DEFAULT_EXTRAS, applyExtras)
  .build();

/** For `forRootAsync({ useClass })`: a provider that computes the options. */
export interface TelegramQrAuthOptionsFactory {
  createTelegramQrAuthOptions(): TelegramQrAuthOptions | Promise<TelegramQrAuthOptions>;
}
