import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import {
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';
import { AUTH_NAMESPACE, STATUS_EVENT } from './auth.constants.js';
import type { LoginStatusDto } from './dto/login-status.dto.js';
import { LoginEventsService } from './login-events.service.js';
import { LoginService } from './login.service.js';

interface WatcherData {
  token: string;
  expiresAt: number;
  /** Counted in the store's watchers, so uncounted when it leaves. */
  counted?: boolean;
}

/**
 * Pushes login results to the browser. A socket proves it holds the login's
 * secret at the handshake, then waits in the room named after the token.
 */
@WebSocketGateway({ namespace: AUTH_NAMESPACE })
export class AuthGateway
  implements
    OnGatewayInit<Namespace>,
    OnGatewayConnection<Socket>,
    OnGatewayDisconnect<Socket>,
    OnModuleInit,
    OnModuleDestroy
{
  @WebSocketServer() private readonly server!: Namespace;
  private readonly logger = new Logger(AuthGateway.name);
  // One timer per room this process has sockets in, not per socket: it tells them "expired".
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();
  private subscription?: Subscription;
  // Pushes under way when the app closes are finished first: a webhook handled during a drain reaches its browser.
  private readonly pushes = new Set<Promise<void>>();

  constructor(
    private readonly logins: LoginService,
    private readonly events: LoginEventsService,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.changes.subscribe(
      ({ token, status, at }) => {
        if (status === 'authenticated')
          this.track(this.deliver(token, at), 'deliver a login');
        else if (status === 'scanned' || status === 'denied')
          this.track(this.pushStatus(token, at), `push "${status}"`);
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.subscription?.unsubscribe();
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
    this.expiryTimers.clear();
    await Promise.all(this.pushes);
  }

  afterInit(server: Namespace): void {
    server.use((socket, next) => {
      const { token, secret } = (socket.handshake.auth ?? {}) as Record<
        string,
        unknown
      >;
      this.logins.authorize(token, secret).then(
        (login) => {
          if (!login) return next(new Error('Unknown login'));
          (socket.data as WatcherData) = {
            token: login.token,
            expiresAt: login.expiresAt,
          };
          next();
        },
        (error) => {
          this.logFailure('check a socket', error);
          next(new Error('Login service unavailable'));
        },
      );
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    try {
      await this.welcome(socket);
    } catch (error) {
      this.logFailure('welcome a socket', error);
      // A socket never told its status would wait in vain: the page polls instead and tries the socket again later.
      socket.disconnect(true);
    }
  }

  private async welcome(socket: Socket): Promise<void> {
    const data = socket.data as WatcherData;
    const { token, expiresAt } = data;
    await socket.join(token);
    // Counted before the status is read: a result authenticated in between is then either
    // pushed to the room (count seen) or taken below (count not yet seen), never left behind.
    await this.logins.addWatcher(token);
    data.counted = true;
    if (!socket.connected) return this.uncount(data);
    this.watchExpiry(token, expiresAt);
    const status = await this.logins.statusOf(token);
    if (status?.status === 'authenticated')
      this.server.to(token).emit(STATUS_EVENT, status);
    else if (status) socket.emit(STATUS_EVENT, status);
  }

  handleDisconnect(socket: Socket): void {
    const data = socket.data as Partial<WatcherData>;
    if (data.token && !this.server.adapter.rooms.get(data.token)?.size)
      this.stopWatchingExpiry(data.token);
    this.uncount(data);
  }

  private uncount(data: Partial<WatcherData>): void {
    if (!data.counted || !data.token) return;
    data.counted = false;
    this.track(this.logins.removeWatcher(data.token), 'uncount a socket');
  }

  /**
   * Hands the result to the sockets waiting for it, on any instance; a browser that polls instead
   * takes it there. The store's watcher count answers "is anyone listening?" in the same atomic
   * step that takes the result, where asking every instance's adapter would cost a cluster-wide round trip.
   */
  private async deliver(token: string, causedAt?: number): Promise<void> {
    const status = await this.logins.takeResult(token, { ifWatched: true });
    if (status) this.emit(token, status, causedAt);
  }

  /** Emitting into a room without sockets costs nothing, and peeking never takes a result meant for a poller. */
  private async pushStatus(token: string, causedAt?: number): Promise<void> {
    const status = await this.logins.peekStatus(token);
    if (status) this.emit(token, status, causedAt);
  }

  private watchExpiry(token: string, expiresAt: number): void {
    if (this.expiryTimers.has(token)) return;
    const timer = setTimeout(
      () => {
        this.expiryTimers.delete(token);
        // Every instance with sockets in the room has its own timer, so each tells only its own sockets;
        // and a result that is due goes out through deliver(), never from here.
        this.logins
          .peekStatus(token)
          .then((status) => {
            if (status?.status !== 'expired') return;
            this.emit(token, status, undefined, { localOnly: true });
            this.events.publish({ token, status: 'expired', at: Date.now() });
          })
          .catch((error) => this.logFailure('expire a login', error));
      },
      Math.max(0, expiresAt - Date.now()),
    );
    this.expiryTimers.set(token, timer.unref());
  }

  private stopWatchingExpiry(token: string): void {
    clearTimeout(this.expiryTimers.get(token));
    this.expiryTimers.delete(token);
  }

  private track(push: Promise<void>, what: string): void {
    const tracked: Promise<void> = push
      .catch((error) => this.logFailure(what, error))
      .finally(() => this.pushes.delete(tracked));
    this.pushes.add(tracked);
  }

  /** Sockets connected to this instance. */
  get connectionCount(): number {
    return this.server?.sockets.size ?? 0;
  }

  private emit(
    token: string,
    status: LoginStatusDto,
    causedAt?: number,
    { localOnly = false } = {},
  ): void {
    (localOnly ? this.server.local : this.server)
      .to(token)
      .emit(STATUS_EVENT, status);
    this.events.delivered({
      token,
      status: status.status,
      causedAt,
      emittedAt: Date.now(),
    });
    if (status.status !== 'pending' && status.status !== 'scanned')
      this.stopWatchingExpiry(token);
  }

  private logFailure(what: string, error: unknown): void {
    this.logger.error(
      `Could not ${what}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
