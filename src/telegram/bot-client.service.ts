import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Api } from 'grammy';
import type { InlineKeyboardMarkup, PhotoSize } from 'grammy/types';
import { describeBotApiError, grammySignal } from './bot-api.js';
import { fitMessage } from './bot-messages.js';
import { TELEGRAM_BOT_API } from './telegram.constants.js';
import {
  AUTH_SETTINGS,
  TELEGRAM_SETTINGS,
} from '../telegram-qr-auth.constants.js';
import type {
  AuthSettings,
  TelegramSettings,
} from '../interfaces/settings.interface.js';

type GrammySignal = ReturnType<typeof grammySignal>;

/**
 * Talks to the person through the Bot API; in demo mode it only logs what it
 * would say. Every method that sends resolves (never rejects) once Telegram has
 * the call or it has finally failed: the Api is set up with timeouts, retries
 * and a throttler (see createBotApi), so callers fire and forget. The methods
 * that read (a profile photo) reject instead, for their caller to answer.
 *
 * A call is retried until it gets through or its deadline passes: `until`
 * (epoch ms), e.g. the expiry of the login a confirmation request is about,
 * after which the message would ask about a login that is gone; by default the
 * token TTL from now, the longest a login lives, so that no reply is retried
 * for ever.
 */
@Injectable()
export class BotClientService implements OnApplicationShutdown {
  private readonly logger = new Logger(BotClientService.name);
  // Retries can wait minutes for Telegram; a stopping process must not wait for them.
  private readonly shutdown = new AbortController();
  private readonly defaultWindowMs: number;

  constructor(
    @Inject(TELEGRAM_BOT_API) private readonly api: Api | null,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
    @Inject(AUTH_SETTINGS) authSettings: AuthSettings,
  ) {
    this.defaultWindowMs = authSettings.tokenTtlSeconds * 1000;
  }

  sendMessage(
    chatId: number,
    text: string,
    keyboard?: InlineKeyboardMarkup,
    until?: number,
  ): Promise<boolean> {
    const message = fitMessage(text);
    return this.call(
      `sendMessage to chat ${chatId}`,
      message,
      until,
      (api, signal) =>
        api.sendMessage(
          chatId,
          message,
          {
            link_preview_options: { is_disabled: true },
            reply_markup: keyboard,
          },
          signal,
        ),
    );
  }

  /** Replaces a message's text, and its buttons with `keyboard` (removes them without one). */
  editMessageText(
    chatId: number,
    messageId: number,
    text: string,
    keyboard?: InlineKeyboardMarkup,
  ): Promise<boolean> {
    const message = fitMessage(text);
    return this.call(
      `editMessageText in chat ${chatId}`,
      message,
      undefined,
      (api, signal) =>
        api.editMessageText(
          chatId,
          messageId,
          message,
          {
            link_preview_options: { is_disabled: true },
            ...(keyboard && { reply_markup: keyboard }),
          },
          signal,
        ),
    );
  }

  /** Stops the button's spinner in the app and shows `text` as a toast. */
  answerCallbackQuery(queryId: string, text: string): Promise<boolean> {
    return this.call('answerCallbackQuery', text, undefined, (api, signal) =>
      api.answerCallbackQuery(queryId, { text }, signal),
    );
  }

  /**
   * The sizes of the person's current profile photo, as Telegram lists them
   * (smallest first); [] for a person without one, or who shows it to nobody.
   * Rejects when Telegram fails, or when `signal` aborts (the caller's
   * deadline) while retries wait; never with the bot token in the message.
   */
  async profilePhotoSizes(
    userId: number,
    signal: AbortSignal,
  ): Promise<PhotoSize[]> {
    const photos = await this.read(signal, (api, combined) =>
      api.getUserProfilePhotos(userId, { limit: 1 }, combined),
    );
    return photos.photos[0] ?? [];
  }

  /**
   * A file's bytes: getFile, then the download from Telegram's file URL. That
   * URL holds the bot token, so it never leaves this method, not even in an
   * error. Rejects as {@link profilePhotoSizes} does, and for a file larger
   * than `maxBytes` (before or while downloading it).
   */
  async downloadFile(
    fileId: string,
    signal: AbortSignal,
    maxBytes: number,
  ): Promise<Buffer> {
    const file = await this.read(signal, (api, combined) =>
      api.getFile(fileId, combined),
    );
    const path = file.file_path;
    if (!path || !SAFE_FILE_PATH.test(path) || path.includes('..'))
      throw new Error('getFile gave no usable file_path');
    if (file.file_size !== undefined && file.file_size > maxBytes)
      throw new Error(`the file is larger than ${maxBytes} bytes`);
    const combined = AbortSignal.any([this.shutdown.signal, signal]);
    try {
      const response = await fetch(
        `${this.settings.apiRoot}/file/bot${this.settings.botToken}/${path}`,
        { signal: combined, redirect: 'error' },
      );
      if (!response.ok)
        throw new Error(`the file download answered ${response.status}`);
      return await readAtMost(response, maxBytes);
    } catch (error) {
      // eslint-disable-next-line preserve-caught-error -- the cause's message can hold the file URL, and with it the token
      throw new Error(
        `file download failed: ${describeBotApiError(error, this.settings.botToken)}`,
      );
    }
  }

  onApplicationShutdown(): void {
    this.shutdown.abort();
  }

  /** A Bot API read, cut off by `signal` and at shutdown; its error carries no token. */
  private async read<T>(
    signal: AbortSignal,
    request: (api: Api, signal: GrammySignal) => Promise<T>,
  ): Promise<T> {
    if (!this.api) throw new Error('Demo mode: there is no bot to ask');
    const combined = AbortSignal.any([this.shutdown.signal, signal]);
    try {
      return await request(this.api, grammySignal(combined));
    } catch (error) {
      // eslint-disable-next-line preserve-caught-error -- the cause's message can hold the request URL, and with it the token
      throw new Error(describeBotApiError(error, this.settings.botToken));
    }
  }

  private async call(
    what: string,
    text: string,
    until: number | undefined,
    request: (api: Api, signal: GrammySignal) => Promise<unknown>,
  ): Promise<boolean> {
    if (!this.api) {
      this.logger.log(`Demo mode, not sent (${what}): ${text}`);
      return true;
    }
    const deadline = until ?? Date.now() + this.defaultWindowMs;
    // Aborts the call where it is: in flight, waiting for a retry, or queued in the throttler.
    const signal = AbortSignal.any([
      this.shutdown.signal,
      AbortSignal.timeout(Math.max(0, deadline - Date.now())),
    ]);
    try {
      await request(this.api, grammySignal(signal));
      return true;
    } catch (error) {
      if (this.shutdown.signal.aborted) return false;
      const reason = describeBotApiError(error, this.settings.botToken);
      this.logger.warn(
        signal.aborted
          ? `${what} given up at its deadline, ${new Date(deadline).toISOString()} (${reason})`
          : `${what} failed: ${reason}`,
      );
      return false;
    }
  }
}

/** What Telegram's file paths look like (`photos/file_12.jpg`): nothing that could leave `/file/bot<token>/`. */
const SAFE_FILE_PATH = /^[A-Za-z0-9_-][A-Za-z0-9_./-]*$/;

/** The body, refused once it passes `maxBytes` (a Content-Length that says so is refused unread). */
async function readAtMost(
  response: Response,
  maxBytes: number,
): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new Error(`the file is larger than ${maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  // Node types a fetch body's chunks as any; they are bytes.
  const reader = (
    response.body as ReadableStream<Uint8Array> | null
  )?.getReader();
  let size = 0;
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader!.cancel();
      throw new Error(`the file is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks);
}
