/** Injection token of grammY's Bot API client; `null` in demo mode (no BOT_TOKEN). */
export const TELEGRAM_BOT_API = Symbol('TELEGRAM_BOT_API');

/** Injection token of the bot's catalogues (BotI18n: the shipped messages and the host's). */
export const BOT_I18N = Symbol('BOT_I18N');

/** Injection token of the {@link ProcessedUpdates} implementation. */
export const PROCESSED_UPDATES = Symbol('PROCESSED_UPDATES');

/** The header Telegram sends with every webhook call when `secret_token` was set. */
export const WEBHOOK_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Where Telegram posts updates, below the service's public URL. */
export const WEBHOOK_PATH = 'telegram/webhook';

/** The webhook's path under the module's `routePrefix` ('' for none), without a leading slash. */
export const webhookPathFor = (routePrefix: string): string =>
  [routePrefix, WEBHOOK_PATH].filter(Boolean).join('/');

/**
 * The largest webhook body read. An update of the kinds the bot asks for
 * (ALLOWED_UPDATES) is a message or a button press: at most 4,096 characters
 * of text (48 KiB even if every one were sent as a \uXXXX escape), its
 * entities, the message it replies to or quotes, and a keyboard. A few tens
 * of KiB at worst; 256 KiB leaves room for all of it and for Telegram adding
 * fields, while 200 slow bodies can hold no more than 50 MiB between them.
 */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

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

/** A claim whose release Redis could not take is released again this often, until it lapses. */
export const CLAIM_RELEASE_RETRY_MS = 250;

/**
 * Longest one Bot API call may take (grammY's `timeoutSeconds`; its default is
 * 500 s). A call that hangs holds its chat's queue in the throttler (one call
 * at a time per chat) until then, and is retried after it. Shorter would free
 * the chat sooner but risks sending a message twice when Telegram is merely
 * slow: a sendMessage that timed out may still have been delivered.
 */
export const BOT_API_TIMEOUT_SECONDS = 10;

/**
 * Longest wait between two attempts of a Bot API call that failed on the
 * network or timed out (see retryNetworkErrors): a reply goes out within about
 * this plus BOT_API_TIMEOUT_SECONDS of Telegram being reachable again.
 */
export const BOT_API_MAX_RETRY_DELAY_SECONDS = 10;

/** Seconds Telegram holds a getUpdates call open while there is nothing to deliver (TELEGRAM_MODE=polling). */
export const LONG_POLL_SECONDS = 25;

/** Injection token of the Api that long-polls getUpdates; `null` unless TELEGRAM_MODE=polling with a bot token. */
export const TELEGRAM_POLLING_API = Symbol('TELEGRAM_POLLING_API');

/**
 * How long setMyCommands is retried at start while Telegram cannot be
 * reached; then it is given up (and logged) until the next start. Telegram
 * keeps the commands of an earlier start meanwhile.
 */
export const BOT_COMMANDS_DEADLINE_MS = 5 * 60_000;
