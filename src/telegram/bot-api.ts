import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Api, HttpError, type Transformer } from 'grammy';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TelegramSettings } from '../interfaces/settings.interface.js';
import {
  BOT_API_MAX_RETRY_DELAY_SECONDS,
  BOT_API_TIMEOUT_SECONDS,
  LONG_POLL_SECONDS,
} from './telegram.constants.js';

/** grammY types its signals with the `abort-controller` polyfill; Node's own is the same at run time. */
type GrammySignal = NonNullable<Parameters<Api['getUpdates']>[1]>;

export function grammySignal(signal: AbortSignal): GrammySignal {
  return signal as unknown as GrammySignal;
}

/**
 * grammY's Api with its two standard transformers: the throttler keeps us
 * within Telegram's limits (30 messages/s overall, 1/s per private chat) and
 * auto-retry waits out 429 `retry_after` and 5xx with backoff. The throttler
 * is installed first so that the retries wrap it: each attempt queues again,
 * and a chat's queue is free while its call waits to be retried.
 *
 * Every call is cut off after {@link BOT_API_TIMEOUT_SECONDS} (grammY waits
 * 500 s by default, and a hung call holds its chat's queue for that long).
 * A call that timed out or failed on the network is retried by
 * {@link retryNetworkErrors} until it gets through or its signal aborts: the
 * callers give each call one that aborts at shutdown and at the reply's
 * deadline. Null in demo mode (no BOT_TOKEN).
 */
export function createBotApi({
  botToken,
  apiRoot,
}: TelegramSettings): Api | null {
  if (!botToken) return null;
  const api = new Api(botToken, {
    apiRoot,
    timeoutSeconds: BOT_API_TIMEOUT_SECONDS,
  });
  api.config.use(apiThrottler());
  api.config.use(
    autoRetry({
      maxRetryAttempts: 8,
      maxDelaySeconds: 120,
      rethrowHttpErrors: true,
    }),
  );
  api.config.use(retryNetworkErrors(BOT_API_MAX_RETRY_DELAY_SECONDS));
  return api;
}

/**
 * The Api getUpdates is long-polled with (TELEGRAM_MODE=polling): its calls
 * may take the long poll's time plus the usual bound, and it has no
 * transformers, since the polling loop backs off and logs failures itself
 * (auto-retry would retry a network error silently, up to an hour apart).
 * Null unless polling with a bot token.
 */
export function createPollingApi({
  botToken,
  apiRoot,
  mode,
}: TelegramSettings): Api | null {
  if (!botToken || mode !== 'polling') return null;
  return new Api(botToken, {
    apiRoot,
    timeoutSeconds: LONG_POLL_SECONDS + BOT_API_TIMEOUT_SECONDS,
  });
}

/**
 * Retries calls that failed on the network (timeouts included) after 1 s, 2 s,
 * 4 s, ... up to `maxDelaySeconds` between attempts, until one gets through or
 * the call's signal aborts. auto-retry would retry them too, but 3 s, 6 s,
 * 12 s, ... up to an hour apart, which is not configurable: after a Bot API
 * outage of two minutes the next attempt could come two minutes after Telegram
 * is back, while the person waits for the message. So auto-retry is told to
 * rethrow these (`rethrowHttpErrors`) and this wraps it.
 */
export function retryNetworkErrors(maxDelaySeconds: number): Transformer {
  return async (prev, method, payload, signal) => {
    let delaySeconds = 1;
    for (;;) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || signal?.aborted) throw error;
        // Rejects once the signal aborts: a stopping process or a passed deadline ends the retries.
        await sleep(delaySeconds * 1000, undefined, {
          signal: signal as AbortSignal | undefined,
        });
        delaySeconds = Math.min(2 * delaySeconds, maxDelaySeconds);
      }
    }
  };
}

/** Error texts from HTTP clients can carry the request URL, and with it the bot token. */
export function describeBotApiError(
  error: unknown,
  botToken: string | undefined,
): string {
  const text = error instanceof Error ? error.message : String(error);
  return botToken ? text.split(botToken).join('<bot-token>') : text;
}
