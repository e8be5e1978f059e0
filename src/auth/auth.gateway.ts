import {
  Inject,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import {
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';
import {
  AUTH_NAMESPACE,
  LOGINS_IN_THIS_PROCESS,
  MAX_SOCKET_MESSAGE_BYTES,
  RESULT_ACK_TIMEOUT_MS,
  STATUS_EVENT,
} from './auth.constants.js';
import type { LoginStatusDto } from './dto/login-status.dto.js';
import { LoginEventsService } from './login-events.service.js';
import { LoginService } from './login.service.js';
import { handshakeWith, SocketAdmission } from './socket-admission.js';

/**
 * How a push ended: a socket acknowledged it, none did in time, or (the logins in this process's
 * memory) nobody was in the room. With shared logins an emptied room counts as unacknowledged:
 * the Redis adapter hears only from the instances it counts, and after a Redis failover the one
 * with the socket may not be counted (or subscribed) yet.
 */
type PushOutcome = 'acknowledged' | 'unacknowledged' | 'nobody';

/**
 * On a timeout, the acknowledgements that did arrive still count. An empty room proves that
 * nobody waits only where this instance is the only one: a socket that joins later is handed
 * the result in its welcome, and a poll takes it.
 */
function roomOutcome(
  error: Error | null,
  acks: unknown[],
  onlyInstance: boolean,
): PushOutcome {
  if (acks.length > 0) return 'acknowledged';
  return onlyInstance && !error ? 'nobody' : 'unacknowledged';
}

interface WatcherData {
  token: string;
  expiresAt: number;
}

/**
 * A push that failed (the store did not answer) or that no socket acknowledged is tried again for
 * this long, waiting 1 s, then twice as long each time up to 8 s (7 pushes in all for a login
 * whose browser is gone): see {@link AuthGateway.deliver}.
 */
const DELIVERY_RETRY_FOR_MS = 30_000;
const DELIVERY_RETRY_FIRST_MS = 1_000;
const DELIVERY_RETRY_LONGEST_MS = 8_000;

const delay = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * While another push holds a result (a socket's welcome and the room's push racing, or two
 * copies of one event), this one asks again this often: the other ends with an
 * acknowledgement (nothing left to push) or lets go, and then this one sends it.
 */
const BUSY_HOLD_RETRY_MS = 100;

/**
 * How long a socket's welcome waits for a push that holds its result before taking the hold over.
 * A live push is acknowledged within a few round trips; one whose instance died (with the
 * browser's previous socket) would otherwise keep this browser waiting for RESULT_HOLD_MS.
 */
const WELCOME_TAKEOVER_MS = 1_500;

/** At shutdown, how much longer a pushed result waits for its acknowledgement (the result stays if none comes). */
const SHUTDOWN_ACK_GRACE_MS = 500;

/**
 * After these the login has nothing more to tell its sockets, which are then let go. An
 * OpenID interaction's result (`continueTo`) is one of them: it only says where to go on,
 * and is not handed out once, since the interaction's complete endpoint takes it.
 */
function isFinal(status: LoginStatusDto): boolean {
  return (
    status.status === 'denied' ||
    status.status === 'expired' ||
    isOnward(status)
  );
}

/** An OpenID interaction's result: where the browser goes on, no access token. */
function isOnward(status: LoginStatusDto): boolean {
  return status.status === 'authenticated' && status.continueTo !== undefined;
}

/**
 * Pushes login results to the browser. A socket proves it holds the login's
 * secret at the handshake (within the limits of {@link SocketAdmission}), then
 * waits in the room named after the token. Once the login is over (its result
 * acknowledged, denied, expired, or gone) the server disconnects its sockets,
 * after the final status: none is left holding a connection for nothing.
 *
 * A result is taken from the store only once a socket has acknowledged it
 * (Socket.IO acknowledgements, which the Redis adapter collects from every
 * instance). A push that no socket acknowledges (the room is empty, or its
 * instance died on the way) leaves the result where the browser's reconnecting
 * socket or its next poll finds it. Until then every push carries a fresh
 * access token, and only to sockets that proved they hold the login's secret.
 */
// The server options apply when this is the first gateway on its port (a host's own may come first).
@WebSocketGateway({
  namespace: AUTH_NAMESPACE,
  maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
})
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
  // Pushes of this process still waiting for an acknowledgement, by token: the login's expiry ends the wait.
  private readonly awaitingAcks = new Map<string, Set<() => void>>();
  private stopWaitingForAcks!: () => void;
  private readonly closing = new Promise<void>((resolve) => {
    this.stopWaitingForAcks = resolve;
  });

  constructor(
    private readonly logins: LoginService,
    private readonly events: LoginEventsService,
    private readonly admission: SocketAdmission,
    /** The logins are in this process's memory: a socket for one can only be on this instance. */
    @Optional()
    @Inject(LOGINS_IN_THIS_PROCESS)
    private readonly onlyInstance = false,
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
    // A browser that never acknowledges must not hold the shutdown up: its result stays in the store.
    const grace = setTimeout(this.stopWaitingForAcks, SHUTDOWN_ACK_GRACE_MS);
    await Promise.all(this.pushes);
    clearTimeout(grace);
    this.stopWaitingForAcks();
  }

  afterInit(server: Namespace): void {
    handshakeWith(server, (socket) => this.admit(socket));
  }

  /** The handshake: resolves when the socket may connect, rejects with what its `connect_error` says. */
  private async admit(socket: Socket): Promise<void> {
    const ip = this.admission.clientIp(socket);
    this.admission.screen(ip);
    const { token, secret } = (socket.handshake.auth ?? {}) as Record<
      string,
      unknown
    >;
    let login;
    try {
      login = await this.logins.authorize(token, secret);
    } catch (error) {
      this.logFailure('check a socket', error);
      // Socket.IO sends the client the message (and `data`), never the cause.
      throw new Error('Login service unavailable', { cause: error });
    }
    if (!login)
      throw await this.admission.failed(ip).catch((error: unknown) => {
        this.logFailure('count a failed handshake', error);
        return new Error('Unknown login');
      });
    this.admission.admit(socket, ip, login.token);
    (socket.data as WatcherData) = {
      token: login.token,
      expiresAt: login.expiresAt,
    };
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
    const { token, expiresAt } = socket.data as WatcherData;
    // In the room before the status is read: a result authenticated in between is then
    // either seen here or pushed to the room by deliver(), never missed (at worst both).
    await socket.join(token);
    if (!socket.connected) return;
    this.watchExpiry(token, expiresAt);
    const status = await this.logins.peek(token);
    // Gone since the handshake: its result went to another socket or a poll.
    if (!status) return void socket.disconnect(true);
    if (status.status === 'authenticated' && !isOnward(status)) {
      // Unacknowledged, the result stays: this socket's next connection, or a poll, gets it. A push
      // already under way may be reaching this socket (the room's, racing this welcome) or may have
      // died with the instance this browser was on: waited for a while, then taken over.
      await this.handOut(
        token,
        (settle) =>
          socket
            .timeout(RESULT_ACK_TIMEOUT_MS)
            .emit(STATUS_EVENT, status, (error: Error | null) =>
              settle(error ? 'unacknowledged' : 'acknowledged'),
            ),
        WELCOME_TAKEOVER_MS,
      );
      return;
    }
    socket.emit(STATUS_EVENT, status);
    // The status goes out first: a disconnect closes the connection only once what was sent is flushed.
    if (isFinal(status)) socket.disconnect(true);
  }

  handleDisconnect(socket: Socket): void {
    const data = socket.data as Partial<WatcherData>;
    if (data.token && !this.server.adapter.rooms.get(data.token)?.size)
      this.stopWatchingExpiry(data.token);
  }

  /**
   * Pushes the result to the sockets waiting for it, on any instance; a browser that polls
   * instead takes it there. Emitting into a room without sockets costs one round of the
   * adapter's acknowledgement collection and leaves the result in the store; a poll soon ends
   * the pushes that follow.
   */
  private async deliver(token: string, causedAt?: number): Promise<void> {
    // The result waits in the store, but a browser whose socket stays connected never polls: a push
    // that failed or went unacknowledged is tried again while the result is there, or that browser
    // would wait in vain (on Redis an empty room is no proof that it polls: see PushOutcome). A
    // browser that polls takes the result meanwhile, which ends this.
    const giveUpAt = Date.now() + DELIVERY_RETRY_FOR_MS;
    for (let wait = DELIVERY_RETRY_FIRST_MS; ;) {
      try {
        if (await this.deliverOnce(token, causedAt)) return;
      } catch (error) {
        if (Date.now() >= giveUpAt) {
          this.letGoOfRoom(token);
          throw error;
        }
      }
      if (Date.now() >= giveUpAt) return this.letGoOfRoom(token);
      // At shutdown the browser's socket reconnects elsewhere and is handed the result there.
      if (await this.closesWithin(wait)) return;
      wait = Math.min(wait * 2, DELIVERY_RETRY_LONGEST_MS);
    }
  }

  /**
   * No push got through: the login's sockets, wherever they are, are let go, and the page polls
   * (or its socket reconnects and is handed the result in its welcome).
   */
  private letGoOfRoom(token: string): void {
    this.server.in(token).disconnectSockets(true);
  }

  /** One push of the result; false when no socket acknowledged it and the result is still there. */
  private async deliverOnce(
    token: string,
    causedAt?: number,
  ): Promise<boolean> {
    const status = await this.logins.peek(token);
    if (status?.status !== 'authenticated') return true;
    if (isOnward(status)) {
      this.emit(token, status, causedAt);
      this.server.in(token).disconnectSockets(true);
      return true;
    }
    return this.handOut(token, (settle) => {
      this.server
        .to(token)
        .timeout(RESULT_ACK_TIMEOUT_MS)
        .emit(STATUS_EVENT, status, (error: Error | null, acks: unknown[]) =>
          settle(roomOutcome(error, acks, this.onlyInstance)),
        );
      this.reportDelivery(token, status, causedAt);
    });
  }

  /**
   * Sends a result with `emit` and waits for its acknowledgement: once one came, the result is
   * taken from the store (the browser has it) and the login's sockets, on every instance, are let
   * go. Without one (timeout, no socket, or the app closing) the result stays. Polls leave it alone
   * while the push is under way. Resolves false when no socket acknowledged the push (the result
   * is still there), true when there is nothing left to push, nobody to push it to (one instance:
   * the result waits for a welcome or a poll) or the app is closing.
   */
  private async handOut(
    token: string,
    emit: (settle: (outcome: PushOutcome) => void) => void,
    takeOverAfterMs?: number,
  ): Promise<boolean> {
    // Held first, so that a poll or another push racing this one cannot send the result as well; if
    // one took it already, this browser has it and there is nothing to push.
    const holder = randomUUID();
    const hold = await this.holdWhenFree(token, holder, takeOverAfterMs);
    if (hold === 'closing') return true;
    if (hold === 'none') {
      this.server.in(token).disconnectSockets(true);
      return true;
    }
    let giveUp!: () => void;
    // The login expired, or the app closes: nothing more this push can do.
    const ended = new Promise<'ended'>((resolve) => {
      giveUp = () => resolve('ended');
    });
    const waiting = this.awaitingAcks.get(token) ?? new Set();
    this.awaitingAcks.set(token, waiting.add(giveUp));
    let outcome: PushOutcome | 'ended' = 'unacknowledged';
    try {
      outcome = await Promise.race([
        new Promise<PushOutcome>((resolve) => emit(resolve)),
        this.closing.then(() => 'ended' as const),
        ended,
      ]);
    } finally {
      waiting.delete(giveUp);
      if (!waiting.size && this.awaitingAcks.get(token) === waiting)
        this.awaitingAcks.delete(token);
      if (outcome !== 'acknowledged')
        // A poll may have it at once; if this fails the hold simply lapses (RESULT_HOLD_MS).
        await this.logins
          .releaseResult(token, holder)
          .catch((error) => this.logFailure('release a result', error));
    }
    // Unacknowledged, the message may have been lost on its way: worth another push.
    if (outcome !== 'acknowledged')
      return outcome === 'ended' || outcome === 'nobody';
    this.stopWatchingExpiry(token);
    try {
      await this.logins.forgetResult(token);
    } finally {
      // Even if the store could not be told: the browser has its result, the socket has no more use.
      this.server.in(token).disconnectSockets(true);
    }
    return true;
  }

  /**
   * Holds the result for `holder`, waiting while another push holds it: that one ends with an
   * acknowledgement or lets go, and its hold lapses after RESULT_HOLD_MS if its instance died.
   * With `takeOverAfterMs`, the hold is taken from the other push after that long.
   */
  private async holdWhenFree(
    token: string,
    holder: string,
    takeOverAfterMs?: number,
  ): Promise<'held' | 'none' | 'closing'> {
    const takeOverAt =
      takeOverAfterMs === undefined ? Infinity : Date.now() + takeOverAfterMs;
    for (;;) {
      const hold = await this.logins.holdResult(
        token,
        holder,
        Date.now() >= takeOverAt,
      );
      if (hold !== 'busy') return hold;
      if (await this.closesWithin(BUSY_HOLD_RETRY_MS)) return 'closing';
    }
  }

  /** Waits `ms`; true (at once) if the app begins to close first. */
  private closesWithin(ms: number): Promise<boolean> {
    return Promise.race([
      delay(ms).then(() => false),
      this.closing.then(() => true),
    ]);
  }

  /** Emitting into a room without sockets costs nothing, and peeking never takes a result meant for a poller. */
  private async pushStatus(token: string, causedAt?: number): Promise<void> {
    const status = await this.logins.peekStatus(token);
    if (!status) return;
    this.emit(token, status, causedAt);
    // Published after the status on the same Redis connection, so every instance sends its sockets the status first.
    if (isFinal(status)) this.server.in(token).disconnectSockets(true);
  }

  private watchExpiry(token: string, expiresAt: number): void {
    if (this.expiryTimers.has(token)) return;
    const timer = setTimeout(
      () => {
        this.expiryTimers.delete(token);
        this.track(this.expire(token, expiresAt), 'expire a login');
      },
      Math.max(0, expiresAt - Date.now()),
    );
    this.expiryTimers.set(token, timer.unref());
  }

  /**
   * Every instance with sockets in the room has its own timer, so each tells only its own sockets.
   * Past its expiry a login can no longer change: whatever it is, its sockets here have nothing more
   * to wait for afterwards.
   */
  private async expire(token: string, expiresAt: number): Promise<void> {
    try {
      // Timers run on a monotonic clock and may fire a millisecond before Date.now() reaches
      // expiresAt: judged as of the expiry itself, or the login would still look pending here.
      const status = await this.logins.peek(
        token,
        Math.max(Date.now(), expiresAt),
      );
      if (status && isOnward(status))
        this.emit(token, status, undefined, { localOnly: true });
      else if (status?.status === 'expired') {
        this.emit(token, status, undefined, { localOnly: true });
        this.events.publish({ token, status: 'expired', at: Date.now() });
      } else if (
        status?.status === 'authenticated' &&
        !this.awaitingAcks.has(token)
      )
        // A result that no push of this instance is bringing: the instance that was to push it died
        // between the scan and the push. The sockets here get it now, late rather than never.
        await this.handOut(token, (settle) =>
          this.server.local
            .to(token)
            .timeout(RESULT_ACK_TIMEOUT_MS)
            .emit(
              STATUS_EVENT,
              status,
              (error: Error | null, acks: unknown[]) =>
                settle(roomOutcome(error, acks, true)),
            ),
        );
    } finally {
      this.server.local.in(token).disconnectSockets(true);
      // Its sockets here are gone, so no acknowledgement can come from them: a poll may have the result.
      for (const giveUp of this.awaitingAcks.get(token) ?? []) giveUp();
    }
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
    this.reportDelivery(token, status, causedAt);
    if (status.status !== 'pending' && status.status !== 'scanned')
      this.stopWatchingExpiry(token);
  }

  private reportDelivery(
    token: string,
    status: LoginStatusDto,
    causedAt?: number,
  ): void {
    this.events.delivered({
      token,
      status: status.status,
      causedAt,
      emittedAt: Date.now(),
    });
  }

  private logFailure(what: string, error: unknown): void {
    this.logger.error(
      `Could not ${what}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
