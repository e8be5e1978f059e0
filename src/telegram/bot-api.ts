import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Api } from 'grammy';
import type { TelegramSettings } from '../interfaces/settings.interface.js';

/** grammY types its signals with the `abort-controller` polyfill; Node's own is the same at run time. */
type GrammySignal = NonNullable<Parameters<Api['getUpdates']>[1]>;

export function grammySignal(signal: AbortSignal): GrammySignal {
  return signal as unknown as GrammySignal;
}

/**
 * grammY's Api with its two standard transformers: the throttler keeps us
 * within Telegram's limits (30 messages/s overall, 1/s per private chat) and
 * auto-retry waits out 429 `retry_after`, 5xx and network errors with backoff.
 * The throttler is installed first so that auto-retry wraps it: each attempt
 * queues again. Null in demo mode (no BOT_TOKEN).
 */
export function createBotApi({
  botToken,
  apiRoot,
}: TelegramSettings): Api | null {
  if (!botToken) return null;
  const api = new Api(botToken, { apiRoot });
  api.config.use(apiThrottler());
  api.config.use(autoRetry({ maxRetryAttempts: 8, maxDelaySeconds: 120 }));
  return api;
}

/** Error texts from HTTP clients can carry the request URL, and with it the bot token. */
export function describeBotApiError(
  error: unknown,
  botToken: string | undefined,
): string {
  const text = error instanceof Error ? error.message : String(error);
  return botToken ? text.split(botToken).join('<bot-token>') : text;
}
