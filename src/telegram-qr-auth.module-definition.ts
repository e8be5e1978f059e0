import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { TelegramQrAuthExtras } from './interfaces/telegram-qr-auth-extras.interface.js';
import type { TelegramQrAuthOptions } from './interfaces/telegram-qr-auth-options.interface.js';
import { DEFAULT_OPTIONS } from './telegram-qr-auth.constants.js';
import { applyExtras } from './telegram-qr-auth.extras.js';

const DEFAULT_EXTRAS: TelegramQrAuthExtras = {
  serveLoginPage: DEFAULT_OPTIONS.serveLoginPage,
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
  createTelegramQrAuthOptions():
    TelegramQrAuthOptions | Promise<TelegramQrAuthOptions>;
}
