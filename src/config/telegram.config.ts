import { registerAs } from '@nestjs/config';
import { validateEnvironment } from './env.validation.js';

/** Shown in deep links when no bot is configured (demo mode). */
export const DEMO_BOT_USERNAME = 'demo_login_bot';

export const telegramConfig = registerAs('telegram', () => {
  const env = validateEnvironment(process.env);
  return {
    botToken: env.BOT_TOKEN,
    botUsername: (env.BOT_USERNAME ?? DEMO_BOT_USERNAME).replace(/^@/, ''),
    demoMode: env.BOT_TOKEN === undefined,
    webhookSecret: env.WEBHOOK_SECRET,
    apiRoot: env.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    mode: env.TELEGRAM_MODE,
  };
});
