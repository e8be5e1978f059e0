/** Injection token of grammY's Bot API client; `null` in demo mode (no BOT_TOKEN). */
export const TELEGRAM_BOT_API = Symbol('TELEGRAM_BOT_API');

/** The header Telegram sends with every webhook call when `secret_token` was set. */
export const WEBHOOK_SECRET_HEADER = 'x-telegram-bot-api-secret-token';
