import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { PATIENCE_MS } from './patience.js';

/** One Bot API call the fake received with the right bot token. */
export interface RecordedCall {
  method: string;
  params: Record<string, any>;
  /** Epoch milliseconds when the request arrived. */
  at: number;
}

/** A call the fake accepted and never answered (see {@link FakeBotApi.hang}); not in `calls`. */
export interface HungCall extends RecordedCall {
  /** Epoch milliseconds when the client gave up and closed the connection; undefined while it waits. */
  closedAt?: number;
}

/** Which calls {@link FakeBotApi.hang} holds: these methods (all when omitted) whose params match. */
export interface HangSpec {
  methods?: string[];
  where?: (params: Record<string, any>) => boolean;
}

export interface FailureSpec {
  /** HTTP status and `error_code`, e.g. 429, 400, 403, 500. */
  status: number;
  /** Telegram's description; a realistic default is used per status. */
  description?: string;
  /** Seconds; with 429 defaults to 1. Sent as `parameters.retry_after`. */
  retryAfter?: number;
}

export interface FakeBotApiOptions {
  /** Bot username returned by getMe. */
  username?: string;
  /**
   * Longest a `getUpdates` long poll is held, whatever `timeout` asks for, so
   * that a test never waits Telegram's usual 30 s. Default 1000 ms.
   */
  longPollCapMs?: number;
}

type Update = { update_id: number } & Record<string, unknown>;

/** The sides (px) of the sizes Telegram keeps of a profile photo. */
export const PROFILE_PHOTO_SIDES = [160, 320, 640] as const;
export type ProfilePhotoSide = (typeof PROFILE_PHOTO_SIDES)[number];

/** The pseudo-method under which downloads of `<root>/file/bot<token>/<path>` are recorded, hung and failed. */
export const FILE_DOWNLOAD = 'file';

/** Bytes that start and end like a JPEG, told apart by `label`. */
export function fakeJpeg(label: string): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    Buffer.from(label, 'utf8'),
    Buffer.from([0xff, 0xd9]),
  ]);
}

interface Waiter {
  /** Waits for a call held by `hang` rather than one answered. */
  hung: boolean;
  method: string;
  predicate: (params: any) => boolean;
  resolve: (call: RecordedCall) => void;
  timer?: NodeJS.Timeout;
}
type Handler = (params: Record<string, any>) => unknown;

interface HeldPoll {
  params: Record<string, any>;
  respond: () => void;
}

/** Update kinds Telegram leaves out when `allowed_updates` is empty or was never set. */
const NOT_DELIVERED_BY_DEFAULT = new Set([
  'chat_member',
  'message_reaction',
  'message_reaction_count',
]);

const WEBHOOK_CONFLICT =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

/** Methods for which Telegram answers `result: true`. */
const BOOLEAN_METHODS = new Set([
  'answerCallbackQuery',
  'setWebhook',
  'deleteWebhook',
  'setMyCommands',
  'deleteMyCommands',
  'setMyDescription',
  'setMyShortDescription',
  'setMyName',
  'setChatMenuButton',
  'sendChatAction',
  'deleteMessage',
  'deleteMessages',
  'logOut',
  'close',
]);

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: message to edit not found',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found',
  409: WEBHOOK_CONFLICT,
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

/**
 * A local stand-in for Telegram's Bot API (`<root>/bot<token>/<method>`): answers
 * like Telegram, records every call, serves queued updates to `getUpdates`
 * (long polling included), fails or hangs on request. Point TELEGRAM_API_ROOT at `url`.
 */
export class FakeBotApi {
  /** Looks like what @BotFather gives: "<bot id>:<35 characters>". */
  readonly token = `${123456789}:AAH${randomBytes(24).toString('base64url').slice(0, 32)}`;
  readonly botId = 123456789;
  readonly username: string;
  readonly calls: RecordedCall[] = [];
  /** Requests with a wrong bot token (answered 401); they are not in `calls`. */
  readonly unauthorizedRequests: { path: string; at: number }[] = [];

  private server!: Server;
  private port = 0;
  private readonly longPollCapMs: number;
  private readonly failures = new Map<
    string,
    { spec: FailureSpec; remaining: number }[]
  >();
  private readonly handlers = new Map<string, Handler>();
  /** Calls held by {@link hang}, in the order they came. */
  readonly hungCalls: HungCall[] = [];
  private readonly waiters = new Set<Waiter>();
  private hanging: HangSpec | undefined;
  private readonly heldPolls = new Set<HeldPoll>();
  private updates: Update[] = [];
  /** Profile photos by user id: each size's bytes. */
  private readonly photos = new Map<number, Record<ProfilePhotoSide, Buffer>>();
  private allowedUpdates: string[] = [];
  private conflicts = 0;
  private nextMessageId = 1;
  private webhook:
    | { url: string; secretToken?: string; allowedUpdates?: string[] }
    | undefined;

  private constructor(options: FakeBotApiOptions) {
    this.username = options.username ?? 'test_login_bot';
    this.longPollCapMs = options.longPollCapMs ?? 1000;
  }

  static async start(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const fake = new FakeBotApi(options);
    fake.server = createServer((request, response) => {
      fake.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          fake.reply(response, 500, {
            ok: false,
            error_code: 500,
            description: String(error),
          });
      });
    });
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** Use as TELEGRAM_API_ROOT. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The URL and secret of the last successful setWebhook, undefined after deleteWebhook. */
  get webhookInfo():
    | { url: string; secretToken?: string; allowedUpdates?: string[] }
    | undefined {
    return this.webhook && { ...this.webhook };
  }

  /** The service's variables that point a bot at this fake. */
  get env(): {
    BOT_TOKEN: string;
    BOT_USERNAME: string;
    TELEGRAM_API_ROOT: string;
  } {
    return {
      BOT_TOKEN: this.token,
      BOT_USERNAME: this.username,
      TELEGRAM_API_ROOT: this.url,
    };
  }

  callsTo(method: string): Record<string, any>[] {
    return this.calls
      .filter((call) => call.method === method)
      .map((call) => call.params);
  }

  /** The params of the first call (already made or still to come) to `method` that matches. */
  waitForCall<T extends Record<string, any> = Record<string, any>>(
    method: string,
    predicate: (params: T) => boolean = () => true,
    timeoutMs = PATIENCE_MS,
  ): Promise<T> {
    return this.waitFor(false, method, predicate, timeoutMs).then(
      (call) => call.params as T,
    );
  }

  /** The first call (already held or still to come) to `method` that {@link hang} holds and that matches. */
  waitForHungCall(
    method: string,
    predicate: (params: Record<string, any>) => boolean = () => true,
    timeoutMs = PATIENCE_MS,
  ): Promise<HungCall> {
    return this.waitFor(true, method, predicate, timeoutMs);
  }

  /**
   * From now on, calls that match `spec` (every call when omitted) are
   * accepted and read but never answered, like a Bot API behind a network
   * path that drops the replies: the client waits until it gives up. They are
   * recorded in `hungCalls`, not `calls` (Telegram did not act on them).
   */
  hang(spec: HangSpec = {}): void {
    this.hanging = spec;
  }

  /**
   * New calls are answered again. Calls held already stay unanswered, as
   * requests lost on the way do: only a client that gives up on them and
   * tries again gets through.
   */
  recover(): void {
    this.hanging = undefined;
  }

  /** Makes the next `times` calls to `method` fail like Telegram does. */
  failNext(method: string, spec: FailureSpec, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ spec, remaining: times });
    this.failures.set(method, queue);
  }

  /**
   * Replaces the `result` the fake answers for `method` (may be async; throw to
   * answer 500). Without a handler the fake's own answer is restored.
   */
  respondTo(method: string, handler?: Handler): void {
    if (handler) this.handlers.set(method, handler);
    else this.handlers.delete(method);
  }

  /**
   * Gives `userId` a profile photo (in Telegram's three sizes, each a distinct JPEG) for
   * getUserProfilePhotos, getFile and the file download; returns each size's bytes. With
   * `null`, the person has no photo again (as everyone has at first). With a
   * Buffer, every size is those bytes (a JPEG a browser can show).
   */
  setProfilePhoto(
    userId: number,
    photo?: null | Buffer,
  ): Record<ProfilePhotoSide, Buffer> | undefined {
    if (photo === null) {
      this.photos.delete(userId);
      return undefined;
    }
    const sizes = Object.fromEntries(
      PROFILE_PHOTO_SIDES.map((side) => [
        side,
        photo ?? fakeJpeg(`photo of ${userId} at ${side}px`),
      ]),
    ) as Record<ProfilePhotoSide, Buffer>;
    this.photos.set(userId, sizes);
    return sizes;
  }

  /** Updates for `getUpdates`; ids are kept as given (use the builders in telegram-updates.ts). */
  queueUpdates(...updates: Update[]): void {
    this.updates.push(...updates);
    for (const poll of [...this.heldPolls]) poll.respond();
  }

  /** Updates queued but not yet confirmed by a later `getUpdates` offset. */
  get pendingUpdates(): Update[] {
    return [...this.updates];
  }

  /** The next `times` getUpdates calls answer 409 as while a webhook is set. */
  conflictGetUpdates(times = 1): void {
    this.conflicts += times;
  }

  /** Forgets recorded calls (not queued updates or failures). */
  clearCalls(): void {
    this.calls.length = 0;
  }

  async close(): Promise<void> {
    for (const poll of [...this.heldPolls]) poll.respond();
    // Waiters still open fail on their own timeout, which names what was awaited.
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const body = await readBody(request);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      this.download(file[1], file[2], response);
      return;
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(url.pathname);
    if (!match) {
      this.reply(response, 404, {
        ok: false,
        error_code: 404,
        description: 'Not Found',
      });
      return;
    }
    const [, token, method] = match;
    if (token !== this.token) {
      this.unauthorizedRequests.push({
        path: url.pathname.replace(token, '<token>'),
        at: Date.now(),
      });
      this.reply(response, 401, {
        ok: false,
        error_code: 401,
        description: 'Unauthorized',
      });
      return;
    }
    const params = {
      ...Object.fromEntries(url.searchParams),
      ...parseParams(request.headers['content-type'], body),
    };
    if (this.hangs(method, params)) {
      const call: HungCall = { method, params, at: Date.now() };
      this.hungCalls.push(call);
      response.once('close', () => (call.closedAt = Date.now()));
      this.notify(true, call);
      return;
    }
    this.record({ method, params, at: Date.now() });

    const failure = this.takeFailure(method);
    if (failure) {
      this.replyError(response, failure);
      return;
    }
    if (method === 'getUpdates') {
      await this.getUpdates(params, response);
      return;
    }
    let result: unknown;
    try {
      result = this.handlers.has(method)
        ? await this.handlers.get(method)!(params)
        : this.defaultResult(method, params);
    } catch (error) {
      if (error instanceof BadRequest) {
        this.reply(response, 400, {
          ok: false,
          error_code: 400,
          description: error.message,
        });
        return;
      }
      this.reply(response, 500, {
        ok: false,
        error_code: 500,
        description: `Internal Server Error: ${String(error)}`,
      });
      return;
    }
    if (result === undefined) {
      this.reply(response, 404, {
        ok: false,
        error_code: 404,
        description: 'Not Found',
      });
      return;
    }
    this.reply(response, 200, { ok: true, result });
  }

  /** `GET <root>/file/bot<token>/<path>`, recorded (and hung or failed) as {@link FILE_DOWNLOAD}. */
  private download(
    token: string,
    path: string,
    response: ServerResponse,
  ): void {
    if (token !== this.token) {
      this.unauthorizedRequests.push({
        path: `/file/bot<token>/${path}`,
        at: Date.now(),
      });
      this.reply(response, 401, {
        ok: false,
        error_code: 401,
        description: 'Unauthorized',
      });
      return;
    }
    const params = { path };
    if (this.hangs(FILE_DOWNLOAD, params)) {
      const call: HungCall = { method: FILE_DOWNLOAD, params, at: Date.now() };
      this.hungCalls.push(call);
      response.once('close', () => (call.closedAt = Date.now()));
      this.notify(true, call);
      return;
    }
    this.record({ method: FILE_DOWNLOAD, params, at: Date.now() });
    const failure = this.takeFailure(FILE_DOWNLOAD);
    if (failure) {
      this.replyError(response, failure);
      return;
    }
    const bytes = this.fileAt(path);
    if (!bytes) {
      this.reply(response, 404, {
        ok: false,
        error_code: 404,
        description: 'Not Found',
      });
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': bytes.byteLength,
    });
    response.end(bytes);
  }

  /** The bytes of a file path getFile gave (`profile_photos/<user>_<side>.jpg`). */
  private fileAt(path: string): Buffer | undefined {
    const match = /^profile_photos\/(\d+)_(\d+)\.jpg$/.exec(path);
    if (!match) return undefined;
    return this.photos.get(Number(match[1]))?.[
      Number(match[2]) as ProfilePhotoSide
    ];
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    this.notify(false, call);
  }

  private notify(hung: boolean, call: RecordedCall): void {
    for (const waiter of [...this.waiters]) {
      if (
        waiter.hung === hung &&
        waiter.method === call.method &&
        waiter.predicate(call.params)
      )
        waiter.resolve(call);
    }
  }

  private hangs(method: string, params: Record<string, any>): boolean {
    const spec = this.hanging;
    if (!spec) return false;
    if (spec.methods && !spec.methods.includes(method)) return false;
    return spec.where ? spec.where(params) : true;
  }

  private waitFor(
    hung: boolean,
    method: string,
    predicate: (params: any) => boolean,
    timeoutMs: number,
  ): Promise<RecordedCall> {
    const list: RecordedCall[] = hung ? this.hungCalls : this.calls;
    const made = list.find(
      (call) => call.method === method && predicate(call.params),
    );
    if (made) return Promise.resolve(made);
    return new Promise<RecordedCall>((resolve, reject) => {
      const waiter: Waiter = {
        hung,
        method,
        predicate,
        resolve: (call) => {
          clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          resolve(call);
        },
      };
      waiter.timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = list.map((call) => call.method).join(', ') || 'none';
        reject(
          new Error(
            `FakeBotApi: no matching ${hung ? 'hung ' : ''}${method} call within ${timeoutMs} ms (${hung ? 'hung ' : ''}calls so far: ${seen})`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private takeFailure(method: string): FailureSpec | undefined {
    const queue = this.failures.get(method);
    const next = queue?.[0];
    if (!next) return undefined;
    if (--next.remaining <= 0) queue.shift();
    return next.spec;
  }

  private replyError(
    response: ServerResponse,
    { status, description, retryAfter }: FailureSpec,
  ): void {
    if (status === 429) {
      const seconds = retryAfter ?? 1;
      this.reply(response, 429, {
        ok: false,
        error_code: 429,
        description: description ?? `Too Many Requests: retry after ${seconds}`,
        parameters: { retry_after: seconds },
      });
      return;
    }
    const body: Record<string, unknown> = {
      ok: false,
      error_code: status,
      description: description ?? DEFAULT_DESCRIPTIONS[status] ?? 'Error',
    };
    if (retryAfter !== undefined) body.parameters = { retry_after: retryAfter };
    this.reply(response, status, body);
  }

  private async getUpdates(
    params: Record<string, any>,
    response: ServerResponse,
  ): Promise<void> {
    if (this.conflicts > 0 || this.webhook) {
      if (this.conflicts > 0) this.conflicts--;
      this.reply(response, 409, {
        ok: false,
        error_code: 409,
        description: WEBHOOK_CONFLICT,
      });
      return;
    }
    const allowed = toList(params.allowed_updates);
    if (allowed) this.allowedUpdates = allowed;
    const offset = toInt(params.offset);
    // An offset confirms every update before it: Telegram forgets them.
    if (offset !== undefined && offset > 0)
      this.updates = this.updates.filter(
        (update) => update.update_id >= offset,
      );
    const limit = Math.min(Math.max(toInt(params.limit) ?? 100, 1), 100);
    const deliverable = () =>
      this.updates.filter((update) => this.isAllowed(update)).slice(0, limit);

    const timeoutMs = Math.min(
      Math.max(toInt(params.timeout) ?? 0, 0) * 1000,
      this.longPollCapMs,
    );
    if (deliverable().length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const poll: HeldPoll = {
          params,
          respond: () => {
            clearTimeout(timer);
            this.heldPolls.delete(poll);
            resolve();
          },
        };
        const timer = setTimeout(() => poll.respond(), timeoutMs);
        response.once('close', () => poll.respond());
        this.heldPolls.add(poll);
      });
    }
    if (response.destroyed) return;
    this.reply(response, 200, { ok: true, result: deliverable() });
  }

  private isAllowed(update: Update): boolean {
    const kind = Object.keys(update).find((key) => key !== 'update_id');
    if (!kind) return false;
    return this.allowedUpdates.length > 0
      ? this.allowedUpdates.includes(kind)
      : !NOT_DELIVERED_BY_DEFAULT.has(kind);
  }

  private defaultResult(method: string, params: Record<string, any>): unknown {
    switch (method) {
      case 'getMe':
        return {
          id: this.botId,
          is_bot: true,
          first_name: 'Test Login Bot',
          username: this.username,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        };
      case 'sendMessage':
        return this.message(params);
      case 'editMessageText':
      case 'editMessageReplyMarkup':
        // Inline messages (inline_message_id) are edited without a Message in return.
        if (params.inline_message_id !== undefined) return true;
        return {
          ...this.message(params, toInt(params.message_id)),
          edit_date: Math.floor(Date.now() / 1000),
        };
      case 'setWebhook': {
        const url = String(params.url ?? '');
        this.webhook = url
          ? {
              url,
              secretToken: params.secret_token,
              allowedUpdates: toList(params.allowed_updates),
            }
          : undefined;
        return true;
      }
      case 'deleteWebhook':
        this.webhook = undefined;
        if (isTrue(params.drop_pending_updates)) this.updates = [];
        return true;
      case 'getWebhookInfo':
        return {
          url: this.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.webhook ? 0 : this.updates.length,
          max_connections: 40,
          ...(this.webhook?.allowedUpdates
            ? { allowed_updates: this.webhook.allowedUpdates }
            : {}),
        };
      case 'getUserProfilePhotos': {
        const userId = toInt(params.user_id) ?? 0;
        const sizes = this.photos.get(userId);
        return {
          total_count: sizes ? 1 : 0,
          photos: sizes
            ? [
                PROFILE_PHOTO_SIDES.map((side) => ({
                  file_id: `photo-${userId}-${side}`,
                  file_unique_id: `unique-${userId}-${side}`,
                  width: side,
                  height: side,
                  file_size: sizes[side].byteLength,
                })),
              ]
            : [],
        };
      }
      case 'getFile': {
        const match = /^photo-(\d+)-(\d+)$/.exec(String(params.file_id ?? ''));
        const path = match && `profile_photos/${match[1]}_${match[2]}.jpg`;
        const bytes = path ? this.fileAt(path) : undefined;
        if (!bytes) throw new BadRequest('Bad Request: invalid file_id');
        return {
          file_id: params.file_id,
          file_unique_id: `unique-${match![1]}-${match![2]}`,
          file_size: bytes.byteLength,
          file_path: path,
        };
      }
      default:
        return BOOLEAN_METHODS.has(method) ? true : undefined;
    }
  }

  private message(
    params: Record<string, any>,
    messageId?: number,
  ): Record<string, unknown> {
    const chatId = params.chat_id;
    const numericChat =
      typeof chatId === 'string' && /^-?\d+$/.test(chatId)
        ? Number(chatId)
        : chatId;
    const message: Record<string, unknown> = {
      message_id: messageId ?? this.nextMessageId++,
      from: {
        id: this.botId,
        is_bot: true,
        first_name: 'Test Login Bot',
        username: this.username,
      },
      chat:
        typeof numericChat === 'number' && numericChat > 0
          ? { id: numericChat, type: 'private' }
          : { id: numericChat, type: 'group', title: 'Group' },
      date: Math.floor(Date.now() / 1000),
    };
    if (params.text !== undefined) message.text = String(params.text);
    const markup =
      typeof params.reply_markup === 'string'
        ? safeJson(params.reply_markup)
        : params.reply_markup;
    if (markup && typeof markup === 'object' && 'inline_keyboard' in markup)
      message.reply_markup = markup;
    return message;
  }

  private reply(response: ServerResponse, status: number, body: unknown): void {
    if (response.destroyed) return;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}

/** Thrown by a method's answer to answer 400 with Telegram's description. */
class BadRequest extends Error {}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** JSON (what grammY sends) or a urlencoded form; other bodies give no params. */
function parseParams(
  contentType: string | undefined,
  body: string,
): Record<string, any> {
  if (!body) return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(body));
  }
  const parsed = safeJson(body);
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, any>)
    : {};
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toInt(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number)
    ? Math.trunc(number)
    : undefined;
}

/** `allowed_updates` arrives as an array (JSON) or a JSON string (form / query). */
function toList(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? safeJson(value) : value;
  return Array.isArray(list) ? list.map(String) : undefined;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
}
