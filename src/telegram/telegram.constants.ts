/** Injection token of grammY's Bot API client; `null` in demo mode (no BOT_TOKEN). */
export const TELEGRAM_BOT_API = Symbol('TELEGRAM_BOT_API');

/** Injection token of the {@link ProcessedUpdates} implementation. */
export const PROCESSED_UPDATES = Symbol('PROCESSED_UPDATES');

/** The header Telegram sends with every webhook call when `secret_token` was set. */
export const WEBHOOK_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Where Telegram posts updates, below the service's public URL. */
export const WEBHOOK_PATH = 'telegram/webhook';

/** Only what the bot acts on, so Telegram does not send (and we do not parse) anything else. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/**
 * Telegram re-sends an update for up to about a day; remembering ids for at
 * least this long (and at least the token TTL) covers the retries that matter.
 */
export const MIN_UPDATE_DEDUPE_MS = 10 * 60_000;

/**
 * How long an update's claim lasts while it is being handled. A claim that
 * outlives its handling (the instance died, or Redis ran a claim whose answer
 * the client had given up waiting for) blocks the copies Telegram re-sends for
 * this long, and no longer. Handling takes a few Redis round trips (each cut
 * off after REDIS_COMMAND_TIMEOUT_MS) and the login policy, well under this.
 */
export const UPDATE_CLAIM_TTL_MS = 10_000;
