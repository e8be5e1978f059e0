export { appConfig } from './app.config.js';
export { telegramQrAuthConfig, telegramQrAuthOptionsFrom } from './telegram-qr-auth.config.js';
export {
  validateEnvironment,
  type Environment,
  type LoginConfirmationMode,
  type TelegramMode,
  LOGIN_CONFIRMATION_MODES,
  TELEGRAM_MODES,
} from './env.validation.js';
