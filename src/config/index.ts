export { appConfig } from './app.config.js';
export { authConfig } from './auth.config.js';
export { redisConfig } from './redis.config.js';
export { telegramConfig, DEMO_BOT_USERNAME } from './telegram.config.js';
export {
  validateEnvironment,
  type Environment,
  type LoginConfirmationMode,
  type TelegramMode,
  LOGIN_CONFIRMATION_MODES,
  TELEGRAM_MODES,
} from './env.validation.js';
