import type { Socket } from 'socket.io-client';
import { ApiError, isAbort, logOut, refreshSession } from './api.js';
import {
  SESSION_EVENT,
  SESSION_NOT_ACTIVE,
  SESSIONS_NAMESPACE,
  type SessionEndedMessage,
} from './contract.js';
import type { StoredSession } from './session.js';
import { socketIoClient } from './socket-io.js';
import { lifetimeMsOf, refreshDelayMs } from './token-life.js';

export interface KeeperListener {
  /** New tokens (the old ones are spent): kept for a reload. */
  renewed(tokens: StoredSession): void;
  /** The session is over: told over the socket (with its reason), or its refresh token was refused. */
  ended(reason: string | undefined): void;
  /** The access token ran out while the server could not be reached to refresh it. */
  unreachable(): void;
  /** Whether the page hears its session's news live. */
  transport(transport: 'socket' | 'none'): void;
}

export type RefreshOutcome = 'renewed' | 'ended' | 'unreachable' | 'stopped';

/** The first wait before a failed refresh (or a refused socket) is tried again; doubled each time up to the max. */
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 30_000;
/**
 * After a refused refresh, how long the page listens for the socket to say
 * why: the server tells the session's socket as it ends the session (a
 * refresh token used twice), and the HTTP answer may arrive first.
 */
const REASON_GRACE_MS = 2000;
/** A log-out that hangs is not waited for longer: the page forgets the session anyway. */
const LOGOUT_TIMEOUT_MS = 10_000;
/** When a token does not say how long it lives, failed refreshes are retried this long. */
const UNKNOWN_LIFETIME_RETRY_MS = 60_000;

/**
 * Keeps one session going while the page shows it: refreshes its tokens
 * before the access token expires (one refresh at a time: a refresh token
 * presented twice ends the session), and listens on `/sessions` for its end.
 * Says nothing to the listener but `renewed` until {@link start}; after
 * {@link stop}, nothing at all.
 */
export class SessionKeeper {
  private socket?: Socket;
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private socketTimer?: ReturnType<typeof setTimeout>;
  private graceTimer?: ReturnType<typeof setTimeout>;
  private refreshing?: Promise<RefreshOutcome>;
  private readonly abort = new AbortController();
  /** Times in a row the server turned the socket away or let it go. */
  private socketRefusals = 0;
  private muted = true;
  private stopped = false;
  /** The refresh token was refused; the socket may still say why. */
  private refused = false;

  constructor(
    private tokens: StoredSession,
    private readonly listener: KeeperListener,
  ) {}

  get accessToken(): string {
    return this.tokens.accessToken;
  }

  /** The access token is at or past the time it is replaced (after a reload, say). */
  get due(): boolean {
    const at = this.refreshAt();
    return at !== undefined && Date.now() >= at;
  }

  /** Refreshes the tokens in time and listens for the session's end. */
  start(): void {
    if (this.stopped) return;
    this.muted = false;
    this.scheduleRefresh();
    this.connect();
  }

  /** Ends every timer, request and socket; the listener hears nothing more. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.muted = true;
    clearTimeout(this.refreshTimer);
    clearTimeout(this.socketTimer);
    clearTimeout(this.graceTimer);
    this.abort.abort();
    this.closeSocket(false);
  }

  /** The next tokens, now; a refresh already on its way is shared, never sent twice. */
  refresh(): Promise<RefreshOutcome> {
    this.refreshing ??= this.renew().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /**
   * Ends the session on the server, then stops. False when the server could
   * not be reached or failed: the session may go on there until it expires.
   */
  async logOut(): Promise<boolean> {
    // The session's own end is no news to this page.
    this.muted = true;
    clearTimeout(this.refreshTimer);
    clearTimeout(this.socketTimer);
    this.closeSocket(false);
    // A refresh on its way is spending the refresh token: log out with what it brings.
    await this.refreshing;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await logOut(
            this.tokens.accessToken,
            AbortSignal.timeout(LOGOUT_TIMEOUT_MS),
          );
          return true;
        } catch (error) {
          if (!(error instanceof ApiError) || error.status !== 401)
            return false;
          // Refused: the session is over, or only its access token ran out (a computer waking up).
          if (attempt > 0 || (await this.refresh()) !== 'renewed') return true;
        }
      }
    } finally {
      this.stop();
    }
  }

  private async renew(): Promise<RefreshOutcome> {
    clearTimeout(this.refreshTimer);
    const deadline = this.expiresAt() ?? Date.now() + UNKNOWN_LIFETIME_RETRY_MS;
    for (let attempt = 0; ; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const tokens = await refreshSession(
          this.tokens.refreshToken,
          this.abort.signal,
        );
        if (this.stopped) return 'stopped';
        this.tokens = { ...tokens, receivedAt: Date.now() };
        this.listener.renewed(this.tokens);
        if (!this.muted) this.scheduleRefresh();
        return 'renewed';
      } catch (error) {
        if (this.stopped || isAbort(error)) return 'stopped';
        if (error instanceof ApiError && isRefusal(error.status)) {
          this.endAfterRefusal();
          return 'ended';
        }
        if (error instanceof ApiError) retryAfterMs = error.retryAfterMs;
      }
      // The server cannot be reached or failed: the refresh token is still good, try again while the access token lasts.
      const waitMs = Math.max(retryAfterMs ?? 0, backoffMs(attempt));
      if (Date.now() + waitMs >= deadline) {
        this.say(() => this.listener.unreachable());
        return 'unreachable';
      }
      if (!(await this.wait(waitMs))) return 'stopped';
    }
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    const at = this.refreshAt();
    // A token that does not say how long it lives is refreshed when it is refused.
    if (at === undefined) return;
    this.refreshTimer = setTimeout(
      () => void this.refresh(),
      Math.max(0, at - Date.now()),
    );
  }

  private refreshAt(): number | undefined {
    const lifetime = lifetimeMsOf(this.tokens.accessToken);
    return lifetime === undefined
      ? undefined
      : this.tokens.receivedAt + refreshDelayMs(lifetime);
  }

  private expiresAt(): number | undefined {
    const lifetime = lifetimeMsOf(this.tokens.accessToken);
    return lifetime === undefined
      ? undefined
      : this.tokens.receivedAt + lifetime;
  }

  private connect(): void {
    const io = socketIoClient();
    // Without the Socket.IO client the page hears of the end at its next refresh.
    if (!io) return;
    const socket = io(SESSIONS_NAMESPACE, {
      // A function: every (re)connection sends the access token of the moment, not the first one.
      auth: (send) => send({ accessToken: this.tokens.accessToken }),
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: RETRY_BASE_MS,
      reconnectionDelayMax: RETRY_MAX_MS,
      timeout: 5000,
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.socketRefusals = 0;
      this.say(() => this.listener.transport('socket'));
    });
    socket.on(SESSION_EVENT, (message: SessionEndedMessage) => {
      if (message?.status === 'ended') this.end(message.reason, true);
    });
    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      this.say(() => this.listener.transport('none'));
      // A transport failure: Socket.IO tries again by itself, with backoff.
      if (socket.active) return;
      // Turned away by the server.
      this.socketRefusals++;
      if (error.message === SESSION_NOT_ACTIVE) void this.checkThenReconnect();
      else this.reconnectLater(retryAfterMsOf(error.data));
    });
    socket.on('disconnect', (reason: Socket.DisconnectReason) => {
      this.say(() => this.listener.transport('none'));
      if (this.refused) return this.end(undefined, true);
      // Let go by the server without a word (other reasons: Socket.IO reconnects by itself).
      if (reason === 'io server disconnect') {
        this.socketRefusals++;
        void this.checkThenReconnect();
      }
    });
  }

  /**
   * The access token may simply have expired (timers sleep with the computer):
   * a refresh says whether the session goes on, and brings the token to connect with.
   */
  private async checkThenReconnect(): Promise<void> {
    if ((await this.refresh()) === 'renewed') this.reconnectLater();
  }

  /** At once the first time; with backoff when the server keeps turning the socket away. */
  private reconnectLater(minMs = 0): void {
    clearTimeout(this.socketTimer);
    const waitMs = Math.max(
      minMs,
      this.socketRefusals > 1 ? backoffMs(this.socketRefusals - 2) : 0,
    );
    this.socketTimer = setTimeout(() => {
      if (!this.stopped) this.socket?.connect();
    }, waitMs);
  }

  private endAfterRefusal(): void {
    if (!this.muted && this.socket?.connected) {
      this.refused = true;
      this.graceTimer = setTimeout(
        () => this.end(undefined, false),
        REASON_GRACE_MS,
      );
      return;
    }
    this.end(undefined, false);
  }

  /** `serverCloses`: the server is letting the socket go right now. */
  private end(reason: string | undefined, serverCloses: boolean): void {
    if (this.stopped) return;
    const muted = this.muted;
    this.closeSocket(serverCloses);
    this.stop();
    if (!muted) this.listener.ended(reason);
  }

  private closeSocket(serverCloses: boolean): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    socket.removeAllListeners();
    if (serverCloses) {
      // Closed without a goodbye packet, which the browser would report as
      // "WebSocket is already in CLOSING or CLOSED state" (as LoginWatcher does).
      socket.io.reconnection(false);
      socket.io.engine?.close();
    } else socket.disconnect();
  }

  private say(tell: () => void): void {
    if (!this.muted) tell();
  }

  /** Resolves true after `ms`, false at once when the keeper is stopped. */
  private wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve(false);
      const timer = setTimeout(() => resolve(true), ms);
      this.abort.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve(false);
        },
        { once: true },
      );
    });
  }
}

/** A client error no retry can fix: the refresh token is not (or no longer) good. */
function isRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** 1 s doubling to 30 s, each ±25% so that many pages do not retry in step. */
function backoffMs(attempt: number): number {
  const base = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt);
  return base * (0.75 + Math.random() / 2);
}

/** The `retryAfterSeconds` of a refusal for too many failed handshakes. */
function retryAfterMsOf(data: unknown): number {
  const seconds = (data as { retryAfterSeconds?: unknown } | undefined)
    ?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : 0;
}
