import type { Socket } from 'socket.io-client';
import { ApiError, isAbort, pollLogin } from './api.js';
import {
  AUTH_NAMESPACE,
  STATUS_EVENT,
  type LoginStatusBody,
} from './contract.js';
import { socketIoClient } from './socket-io.js';

/** How the page currently learns about the login. */
export type Transport = 'socket' | 'polling';

export interface WatcherListener {
  status(body: LoginStatusBody): void;
  /** The server no longer knows the login (expired and cleaned up, or its result went elsewhere). */
  gone(): void;
  transport(transport: Transport): void;
}

export interface WatcherOptions {
  /** Polls are spaced by a random delay in this range, so that many pages do not poll in step. */
  pollIntervalMs: readonly [min: number, max: number];
}

const DEFAULT_OPTIONS: WatcherOptions = { pollIntervalMs: [2000, 3000] };

/** Statuses after which the login cannot change any more. */
const FINAL_STATUSES: ReadonlySet<LoginStatusBody['status']> = new Set([
  'authenticated',
  'denied',
  'expired',
]);

/**
 * Follows one login: over Socket.IO (websocket only) while it can connect,
 * by polling `GET /auth/poll/:token` while it cannot, and back to the socket
 * as soon as it reconnects. `stop()` ends every timer, request and socket.
 */
export class LoginWatcher {
  private socket?: Socket;
  private polling = false;
  private pollTimer?: ReturnType<typeof setTimeout>;
  private fallbackTimer?: ReturnType<typeof setTimeout>;
  private readonly abort = new AbortController();
  private stopped = false;
  /** A final status has arrived. */
  private settled = false;

  constructor(
    private readonly login: { token: string; secret: string },
    private readonly listener: WatcherListener,
    private readonly options: WatcherOptions = DEFAULT_OPTIONS,
  ) {}

  start(): void {
    const io = socketIoClient();
    if (!io) {
      this.startPolling();
      return;
    }
    const socket = io(AUTH_NAMESPACE, {
      auth: { token: this.login.token, secret: this.login.secret },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      timeout: 5000,
    });
    this.socket = socket;
    socket.on('connect', () => {
      if (this.stopped) return;
      clearTimeout(this.fallbackTimer);
      this.stopPolling();
      this.listener.transport('socket');
    });
    socket.on(STATUS_EVENT, (body: LoginStatusBody, ack?: () => void) => {
      // The server keeps a result until the browser confirms it has it (it asks only for results).
      // Confirmed before the listener runs: on a result the page stops this watcher, closing the socket.
      ack?.();
      if (
        FINAL_STATUSES.has(body.status) &&
        (body.status !== 'authenticated' || body.accessToken || body.continueTo)
      )
        this.settled = true;
      if (!this.stopped) this.listener.status(body);
    });
    // A transport failure (the socket retries by itself) or the server turning the
    // socket away (too many sockets, or a login it no longer knows; the poll loop
    // below tries it again, and the poll tells whether the login is gone): poll meanwhile.
    socket.on('connect_error', () => this.startPolling());
    socket.on('disconnect', () => {
      // After the final status the server lets the socket go: the login is over, nothing to poll for.
      if (!this.settled) this.startPolling();
    });
    // A websocket that neither opens nor fails (a proxy holding the upgrade) costs no more than one poll interval.
    this.fallbackTimer = setTimeout(() => {
      if (!socket.connected) this.startPolling();
    }, this.jitteredInterval());
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.fallbackTimer);
    this.stopPolling();
    this.abort.abort();
    if (this.socket) {
      const socket = this.socket;
      this.socket = undefined;
      socket.removeAllListeners();
      if (this.settled) {
        // After a final status the server lets the socket go, and may be closing it right now:
        // close the connection without a goodbye packet, which the browser would report as
        // "WebSocket is already in CLOSING or CLOSED state".
        socket.io.reconnection(false);
        socket.io.engine?.close();
      } else socket.disconnect();
    }
  }

  private startPolling(): void {
    if (this.stopped || this.polling) return;
    this.polling = true;
    this.listener.transport('polling');
    this.schedulePoll(0);
  }

  /**
   * A poll already sent is left to finish: it may be the one that took the
   * result, which is handed out only once.
   */
  private stopPolling(): void {
    this.polling = false;
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  private schedulePoll(delayMs: number): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => void this.pollOnce(), delayMs);
  }

  private async pollOnce(): Promise<void> {
    this.pollTimer = undefined;
    let nextDelay = this.jitteredInterval();
    try {
      const body = await pollLogin(
        this.login.token,
        this.login.secret,
        this.abort.signal,
      );
      if (this.stopped) return;
      this.listener.status(body);
    } catch (error) {
      if (this.stopped || isAbort(error)) return;
      if (error instanceof ApiError && error.status === 404) {
        // With the socket connected, the socket took the result and is about to deliver it.
        if (!this.socket?.connected) {
          this.listener.gone();
          return;
        }
      } else if (
        error instanceof ApiError &&
        error.retryAfterMs !== undefined
      ) {
        nextDelay = Math.max(
          nextDelay,
          error.retryAfterMs + this.jitteredInterval() / 4,
        );
      }
    }
    if (this.stopped || !this.polling) return;
    // A socket the server turned away does not retry by itself; the login is alive, so try again.
    if (this.socket && !this.socket.active) this.socket.connect();
    this.schedulePoll(nextDelay);
  }

  private jitteredInterval(): number {
    const [min, max] = this.options.pollIntervalMs;
    return min + Math.random() * (max - min);
  }
}
