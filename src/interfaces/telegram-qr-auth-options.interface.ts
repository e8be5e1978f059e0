import type { LoginConfirmationMode, TelegramMode } from '../config/env.validation.js';

/**
 * The module's settings, the part `forRootAsync` may compute at run time.
 * Every field has a default; an empty object gives demo mode (no bot) with
 * logins kept in memory. What shapes the module itself (policy, store, route
 * prefix, the page) is in {@link TelegramQrAuthExtras}.
 */
export interface TelegramQrAuthOptions {
  /** The site name the bot uses ("You are logged in to <appName>"). Default "Telegram QR Auth". */
  appName?: string;
  bot?: {
    /** The token @BotFather gives. Unset: demo mode, nothing is sent to Telegram. */
    token?: string;
    /** The bot's username, for the `t.me` deep link. Required with `token`. */
    username?: string;
    /** Telegram sends it back with every webhook call; checked in constant time. Unset: not checked. */
    webhookSecret?: string;
    /** Bot API root. Default https://api.telegram.org. */
    apiRoot?: string;
    /** `webhook` (default) or `polling` (long-polls getUpdates; for machines Telegram cannot reach). */
    mode?: TelegramMode;
  };
  /** Public origin of the app; with it and `webhook` mode, the webhook is registered at start. */
  publicUrl?: string;
  /** How long a QR code can be used, in seconds. Default 300. */
  tokenTtlSeconds?: number;
  /** `off` (default), `button` (Confirm/Deny in Telegram) or `code` (number matching). */
  confirmation?: LoginConfirmationMode;
  jwt?: {
    /** HS256 key, at least 32 characters. Default: a random key (sessions end with the process). */
    secret?: string;
    /** Access token lifetime in seconds. Default 3600. */
    ttlSeconds?: number;
  };
  redis?: {
    /** `redis://…`: logins, update dedupe and rate limits shared by every instance. Default: in memory. */
    url?: string;
    /** Prefix of every key and channel. Default `tqa:`. */
    keyPrefix?: string;
  };
  rateLimit?: {
    /** Window in seconds. Default 60. */
    ttlSeconds?: number;
    /** `POST /auth/token` per client IP per window. Default 20. */
    tokenCreations?: number;
    /** `GET /auth/poll/:token` per client IP per window. Default 120. */
    polls?: number;
  };
  /** Telegram ids the default login policy lets in. Default empty: everyone. */
  allowedTelegramIds?: number[];
}
