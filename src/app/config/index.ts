export { appConfig } from './app.config.js';
export {
  telegramQrAuthConfig,
  telegramQrAuthOptionsFrom,
} from './telegram-qr-auth.config.js';
export { validateEnvironment, type Environment } from './env.validation.js';
