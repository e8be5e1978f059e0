import type {
  LoginConfirmationMode,
  TelegramMode,
} from '../telegram-qr-auth.constants.js';

/** {@link TelegramQrAuthOptions} with defaults applied, as the auth side reads them. */
export interface AuthSettings {
  tokenTtlSeconds: number;
  confirmation: LoginConfirmationMode;
  jwtSecret: string;
  /** True when no secret was given and a random one is used. */
  jwtSecretIsEphemeral: boolean;
  jwtTtlSeconds: number;
  allowedTelegramIds: readonly number[];
  rateLimit: { ttlSeconds: number; tokenCreations: number; polls: number };
}

/** {@link TelegramQrAuthOptions} with defaults applied, as the Telegram side reads them. */
export interface TelegramSettings {
  appName: string;
  botToken?: string;
  /** Without the @; may be unset in demo mode. */
  botUsername?: string;
  /** No bot token: nothing is sent to Telegram. */
  demoMode: boolean;
  /**
   * What `?start=<token>` is appended to: `https://t.me/<bot>`, or in demo
   * mode `DEMO_DEEP_LINK_BASE`, which no phone can open.
   */
  deepLinkBase: string;
  webhookSecret?: string;
  /** Without a trailing slash. */
  apiRoot: string;
  mode: TelegramMode;
  /** Without a trailing slash. */
  publicUrl?: string;
}

export interface RedisSettings {
  url?: string;
  keyPrefix: string;
}
