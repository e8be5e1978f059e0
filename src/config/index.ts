export { appConfig } from './app.config.js';
export { authConfig } from './auth.config.js';
export { telegramConfig, DEMO_BOT_USERNAME } from './telegram.config.js';
export { validateEnvironment, type Environment } from './env.validation.js';
