import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import { Logger } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { EventEmitter } from 'node:events';
import type { Namespace, Socket } from 'socket.io';
import {
  FAILED_HANDSHAKES_PER_IP,
  FAILED_HANDSHAKES_WINDOW_MS,
  MAX_SOCKETS_PER_IP,
  MAX_SOCKETS_PER_LOGIN,
  RESULT_ACK_TIMEOUT_MS,
  STATUS_EVENT,
} from './auth.constants.js';
import { AuthGateway } from './auth.gateway.js';
import type { LoginChange, LoginDelivery } from './login-events.service.js';
import { LoginEventsService } from './login-events.service.js';
import { AllowListLoginPolicy } from './login-policy.js';
import { LoginService } from './login.service.js';
import { instantSessions } from '../../test/support/access-tokens.js';
import { SocketAdmission, type SocketRefusal } from './socket-admission.js';
import { MemoryLoginStore } from './stores/memory-login.store.js';
import type { AuthSettings } from '../interfaces/settings.interface.js';
import type { LoginConfirmationMode } from '../telegram-qr-auth.constants.js';

Logger.overrideLogger(false);

const ADA = { id: 4242, first_name: 'Ada' };
const TTL_SECONDS = 60;

interface Emitted {
  room: string;
  /** Sent to this instance's sockets only (`server.local`). */
  local: boolean;
  event: string;
  payload: unknown;
  /** Emitted asking for acknowledgements. */
  withAck?: boolean;
}

/** What a fake socket does with an emit that asks for an acknowledgement: answers it, refuses it (timeout), or never answers. */
type AckPolicy = 'ack' | 'timeout' | 'hold';

type AckCallback = (error: Error | null, ...responses: unknown[]) => void;

type Middleware = (socket: Socket, next: (error?: Error) => void) => void;

/** Just enough of a Socket.IO namespace: records what is emitted to which room. */
class FakeNamespace {
  readonly emitted: Emitted[] = [];
  readonly middlewares: Middleware[] = [];
  readonly adapter = { rooms: new Map<string, Set<string>>() };
  readonly sockets = new Map<string, FakeSocket>();
  /**
   * Rooms whose emits with acknowledgements reach no socket and end without an error, as when
   * the instance with the socket has not re-subscribed after a Redis failover (and is not counted).
   */
  readonly unheard = new Set<string>();
  private readonly waiters: (() => void)[] = [];

  use(middleware: Middleware): this {
    this.middlewares.push(middleware);
    return this;
  }

  to(room: string) {
    return this.operator(room, false);
  }

  private operator(room: string, local: boolean) {
    return {
      emit: (event: string, payload: unknown) =>
        this.record(room, local, event, payload),
      timeout: (_ms: number) => ({
        // As Socket.IO: the callback gets the acknowledgements that came, with an error if some did not.
        emit: (event: string, payload: unknown, callback: AckCallback) => {
          this.record(room, local, event, payload, true);
          const members = this.unheard.has(room)
            ? []
            : [...(this.adapter.rooms.get(room) ?? [])].map((id) =>
                this.sockets.get(id)!,
              );
          if (members.some((socket) => socket.ackPolicy === 'hold')) return;
          const acks = members
            .filter((socket) => socket.ackPolicy === 'ack')
            .map(() => undefined);
          queueMicrotask(() =>
            callback(
              acks.length === members.length
                ? null
                : new Error('operation has timed out'),
              acks,
            ),
          );
        },
      }),
    };
  }

  /** Rooms whose sockets were disconnected with `in(room).disconnectSockets()` (`local.in` for this instance's only). */
  readonly disconnectedRooms: { room: string; local: boolean }[] = [];
  /** Where the gateway hears of a disconnect, as Nest would tell it. */
  onDisconnect?: (socket: FakeSocket) => void;

  in(room: string) {
    return {
      disconnectSockets: (close = false) =>
        this.disconnectRoom(room, close, false),
    };
  }

  private disconnectRoom(room: string, close: boolean, local: boolean): void {
    this.disconnectedRooms.push({ room, local });
    for (const id of [...(this.adapter.rooms.get(room) ?? [])])
      this.sockets.get(id)?.disconnect(close);
  }

  get local() {
    return {
      to: (room: string) => this.operator(room, true),
      in: (room: string) => ({
        disconnectSockets: (close = false) =>
          this.disconnectRoom(room, close, true),
      }),
    };
  }

  /** The first push of `status` to `room`, once there is one. */
  async pushed(room: string, status: string): Promise<Emitted> {
    for (;;) {
      const found = this.emitted.find(
        (entry) =>
          entry.room === room &&
          (entry.payload as { status?: unknown }).status === status,
      );
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The statuses pushed to `room`, in order. */
  statusesPushedTo(room: string): unknown[] {
    return this.emitted
      .filter((entry) => entry.room === room)
      .map((entry) => (entry.payload as { status?: unknown }).status);
  }

  private record(
    room: string,
    local: boolean,
    event: string,
    payload: unknown,
    withAck = false,
  ): boolean {
    this.emitted.push({
      room,
      local,
      event,
      payload,
      ...(withAck && { withAck }),
    });
    for (const wake of this.waiters.splice(0)) wake();
    return true;
  }
}

let socketIds = 0;

/** A socket as the gateway sees it: handshake, data, rooms, emits to itself, its engine connection. */
class FakeSocket {
  readonly id = `socket-${++socketIds}`;
  data: unknown = {};
  connected = true;
  readonly emitted: { event: string; payload: unknown; withAck?: boolean }[] =
    [];
  /** The underlying connection, which may close before the socket ever connects. */
  readonly conn = Object.assign(new EventEmitter(), {
    readyState: 'open',
    close: jest.fn(),
  });
  private readonly disconnectListeners: (() => void)[] = [];
  /** The server ends the socket. */
  readonly disconnect = jest.fn((_close?: boolean) => this.close());

  constructor(
    private readonly namespace: FakeNamespace,
    readonly handshake: { auth: Record<string, unknown>; address: string },
    public ackPolicy: AckPolicy = 'ack',
  ) {}

  once(event: 'disconnect', listener: () => void): this {
    this.disconnectListeners.push(listener);
    return this;
  }

  /** Gone, whoever ended it: it leaves its rooms, then its listeners and the gateway hear of it. */
  close(): void {
    if (!this.connected) return;
    this.leaveAll();
    for (const listener of this.disconnectListeners.splice(0)) listener();
    this.namespace.onDisconnect?.(this);
  }

  /** The client leaves during the handshake: the connection closes, the socket never connects. */
  dropConnection(): void {
    this.connected = false;
    this.conn.readyState = 'closed';
    this.conn.emit('close');
  }

  timeout(_ms: number) {
    return {
      emit: (event: string, payload: unknown, callback: AckCallback) => {
        this.emitted.push({ event, payload, withAck: true });
        if (this.ackPolicy === 'hold') return;
        queueMicrotask(() =>
          this.ackPolicy === 'ack'
            ? callback(null, undefined)
            : callback(new Error('operation has timed out')),
        );
      },
    };
  }

  async join(room: string): Promise<void> {
    const members = this.namespace.adapter.rooms.get(room) ?? new Set();
    members.add(this.id);
    this.namespace.adapter.rooms.set(room, members);
    this.namespace.sockets.set(this.id, this);
  }

  /** What the adapter does on disconnect, before the gateway hears of it. */
  private leaveAll(): void {
    this.connected = false;
    for (const members of this.namespace.adapter.rooms.values())
      members.delete(this.id);
    this.namespace.sockets.delete(this.id);
  }

  emit(event: string, payload: unknown): boolean {
    this.emitted.push({ event, payload });
    return true;
  }

  get asSocket(): Socket {
    return this as unknown as Socket;
  }
}

/**
 * `loginsInThisProcess`: false (by default) as with Redis, where the logins are shared and an empty
 * room may hide a socket on an instance not counted yet; true as with the memory store alone.
 */
function setup(
  confirmation: LoginConfirmationMode = 'off',
  loginsInThisProcess = false,
) {
  const settings: AuthSettings = {
    allowedTelegramIds: [],
    tokenTtlSeconds: TTL_SECONDS,
    confirmation,
    jwtAlgorithm: 'ES256',
    jwtSecretIsEphemeral: false,
    jwtTtlSeconds: 60,
    appName: 'Test site',
    sessionTtlSeconds: 3600,
    rateLimit: { ttlSeconds: 60, tokenCreations: 20, polls: 120 },
  };
  const store = new MemoryLoginStore();
  const events = new LoginEventsService();
  const sessions = instantSessions(settings);
  const logins = new LoginService(
    store,
    settings,
    sessions,
    events,
    new AllowListLoginPolicy(settings),
  );
  const failures = new ThrottlerStorageService();
  const gateway = new AuthGateway(
    logins,
    events,
    new SocketAdmission(failures),
    loginsInThisProcess,
  );
  const namespace = new FakeNamespace();
  namespace.onDisconnect = (socket) =>
    gateway.handleDisconnect(socket.asSocket);
  // What @WebSocketServer() does when Nest starts the gateway.
  Reflect.set(gateway, 'server', namespace);
  gateway.afterInit(namespace as unknown as Namespace);
  gateway.onModuleInit();

  /** Runs the handshake middleware as Socket.IO would; resolves to the error it refused with, if any. */
  const handshake = (socket: FakeSocket) =>
    new Promise<Error | undefined>((resolve) =>
      namespace.middlewares[0](socket.asSocket, resolve),
    );

  /** A socket that has not shaken hands yet. */
  const newSocket = (
    auth: Record<string, unknown>,
    {
      ackPolicy = 'ack',
      address = '192.0.2.1',
    }: { ackPolicy?: AckPolicy; address?: string } = {},
  ) => new FakeSocket(namespace, { auth, address }, ackPolicy);

  /** A socket let in by the handshake and welcomed, as Socket.IO and Nest would. */
  const connect = async (
    token: string,
    secret: string,
    ackPolicy: AckPolicy = 'ack',
    address?: string,
  ) => {
    const socket = newSocket({ token, secret }, { ackPolicy, address });
    expect(await handshake(socket)).toBeUndefined();
    await gateway.handleConnection(socket.asSocket);
    return socket;
  };

  /** The client disconnects. */
  const disconnect = (socket: FakeSocket) => socket.close();

  const close = async () => {
    await gateway.onModuleDestroy();
    store.onModuleDestroy();
    failures.onApplicationShutdown();
  };

  return {
    gateway,
    logins,
    sessions,
    store,
    events,
    namespace,
    handshake,
    newSocket,
    connect,
    disconnect,
    close,
  };
}

/** Authenticated by another instance (straight in the store): no event reaches this gateway. */
async function authenticatedElsewhere(
  env: ReturnType<typeof setup>,
  token: string,
): Promise<void> {
  const { sid } = await env.sessions.start({
    user: ADA,
    site: 'Test site',
    requester: {},
  });
  await env.store.transition(token, {
    from: 'pending',
    to: 'authenticated',
    set: { user: ADA, sid },
    now: Date.now(),
  });
}

describe('AuthGateway', () => {
  let env: ReturnType<typeof setup>;

  afterEach(async () => {
    await env?.close();
  });

  describe('handshake', () => {
    it("lets in a socket with its login's secret, remembering which login it waits for", async () => {
      env = setup();
      const { login, secret } = await env.logins.create({});
      const socket = env.newSocket({ token: login.token, secret });
      expect(await env.handshake(socket)).toBeUndefined();
      expect(socket.data).toEqual({
        token: login.token,
        expiresAt: login.expiresAt,
      });
    });

    it.each([
      ['a wrong secret', (token: string) => ({ token, secret: 'wrong' })],
      ['no secret', (token: string) => ({ token })],
      ['an unknown token', () => ({ token: 'A'.repeat(43), secret: 'x' })],
      ['a token that is not a string', () => ({ token: 42, secret: 'x' })],
      ['no auth at all', () => ({})],
    ])('refuses %s as an unknown login', async (_name, auth) => {
      env = setup();
      const { login } = await env.logins.create({});
      const socket = env.newSocket(auth(login.token));
      const refusal = await env.handshake(socket);
      expect(refusal).toBeInstanceOf(Error);
      expect(refusal?.message).toBe('Unknown login');
    });

    it('refuses with "Login service unavailable" when the store cannot answer', async () => {
      env = setup();
      jest
        .spyOn(env.logins, 'authorize')
        .mockRejectedValue(new Error('connection refused'));
      const socket = env.newSocket({ token: 'A'.repeat(43), secret: 'x' });
      expect((await env.handshake(socket))?.message).toBe(
        'Login service unavailable',
      );
    });
  });

  describe('connection', () => {
    it("joins the room named after the token and tells the socket the login's status", async () => {
      env = setup();
      const { login, secret } = await env.logins.create({});
      const socket = await env.connect(login.token, secret);
      expect(env.namespace.adapter.rooms.get(login.token)).toEqual(
        new Set([socket.id]),
      );
      expect(socket.emitted).toEqual([
        { event: STATUS_EVENT, payload: { status: 'pending' } },
      ]);
      expect(env.gateway.connectionCount).toBe(1);
    });

    it('hands a result that arrived before the socket to it, takes it once acknowledged, and lets the room go', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      // Nobody watches yet: the push goes into an empty room, and the result waits in the store.
      await env.logins.scan(login.token, ADA, ADA.id);
      await env.namespace.pushed(login.token, 'authenticated');

      const socket = await env.connect(login.token, secret);
      expect(socket.emitted).toEqual([
        {
          event: STATUS_EVENT,
          payload: {
            status: 'authenticated',
            user: ADA,
            accessToken: expect.any(String),
            refreshToken: expect.any(String),
          },
          withAck: true,
        },
      ]);
      expect(await env.logins.statusOf(login.token)).toBeUndefined();
      expect(env.namespace.disconnectedRooms).toEqual([
        { room: login.token, local: false },
      ]);
      expect(socket.disconnect).toHaveBeenCalledWith(true);
    });

    it('leaves a result the socket did not acknowledge for its next socket or poll', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      await env.logins.scan(login.token, ADA, ADA.id);
      await env.namespace.pushed(login.token, 'authenticated');

      const first = await env.connect(login.token, secret, 'timeout');
      expect(first.emitted[0].payload).toMatchObject({
        status: 'authenticated',
      });
      expect(first.disconnect).not.toHaveBeenCalled();

      const second = await env.connect(login.token, secret);
      expect(second.emitted[0].payload).toMatchObject({
        status: 'authenticated',
      });
      // Each push signs its own access token; both went to holders of the secret only.
      expect(await env.logins.statusOf(login.token)).toBeUndefined();
    });

    it('tells a socket that connects to a denied login so, then lets it go', async () => {
      env = setup('button');
      const { login, secret } = await env.logins.create({});
      await env.logins.scan(login.token, ADA, ADA.id);
      await env.logins.decide(login.token, ADA, { confirm: false });

      const socket = await env.connect(login.token, secret);
      expect(socket.emitted).toEqual([
        { event: STATUS_EVENT, payload: { status: 'denied' } },
      ]);
      expect(socket.disconnect).toHaveBeenCalledWith(true);
    });

    it('lets a socket go whose login is gone by the time it is welcomed', async () => {
      env = setup();
      const { login, secret } = await env.logins.create({});
      jest.spyOn(env.logins, 'peek').mockResolvedValue(undefined);
      const socket = await env.connect(login.token, secret);
      expect(socket.emitted).toEqual([]);
      expect(socket.disconnect).toHaveBeenCalledWith(true);
    });

    it('disconnects a socket whose status cannot be read, so that the page polls instead', async () => {
      env = setup();
      const { login, secret } = await env.logins.create({});
      jest.spyOn(env.logins, 'peek').mockRejectedValue(new Error('store down'));
      const socket = await env.connect(login.token, secret);
      expect(socket.disconnect).toHaveBeenCalledWith(true);
      expect(socket.emitted).toEqual([]);
    });

    it('leaves the result for the poller when the only socket left during its welcome', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      const socket = env.newSocket({ token: login.token, secret });
      await env.handshake(socket);
      // Gone between joining the room and being counted.
      jest.spyOn(socket, 'join').mockImplementation(async () => {
        socket.connected = false;
      });
      await env.gateway.handleConnection(socket.asSocket);
      expect(socket.emitted).toEqual([]);

      await env.logins.scan(login.token, ADA, ADA.id);
      await env.gateway.onModuleDestroy();
      expect(env.namespace.statusesPushedTo(login.token)).toEqual([
        'authenticated',
      ]);
      expect(await env.logins.statusOf(login.token)).toMatchObject({
        status: 'authenticated',
      });
    });
  });

  describe('pushes', () => {
    it('pushes "scanned" with the first name to the room, and reports when it was caused', async () => {
      env = setup('button');
      const deliveries: LoginDelivery[] = [];
      env.events.deliveries.subscribe((delivery) => deliveries.push(delivery));
      const { login, secret } = await env.logins.create({});
      await env.connect(login.token, secret);

      const scannedAt = Date.now();
      await env.logins.scan(login.token, ADA, ADA.id, scannedAt);
      expect(await env.namespace.pushed(login.token, 'scanned')).toEqual({
        room: login.token,
        local: false,
        event: STATUS_EVENT,
        payload: { status: 'scanned', firstName: 'Ada' },
      });
      expect(deliveries).toEqual([
        {
          token: login.token,
          status: 'scanned',
          causedAt: scannedAt,
          emittedAt: expect.any(Number),
        },
      ]);
    });

    it('pushes "denied" to the room, then disconnects its sockets', async () => {
      env = setup('button');
      const { login, secret } = await env.logins.create({});
      await env.logins.scan(login.token, ADA, ADA.id);
      await env.connect(login.token, secret);

      await env.logins.decide(login.token, ADA, { confirm: false });
      const pushed = await env.namespace.pushed(login.token, 'denied');
      expect(pushed).toMatchObject({
        local: false,
        event: STATUS_EVENT,
        payload: { status: 'denied' },
      });
      // Then every instance lets the login's sockets go.
      expect(env.namespace.disconnectedRooms).toEqual([
        { room: login.token, local: false },
      ]);
    });

    it('delivers an authenticated login to the watching room with an access token, and takes it once acknowledged', async () => {
      env = setup('button');
      const { login, secret } = await env.logins.create({});
      await env.logins.scan(login.token, ADA, ADA.id);
      const socket = await env.connect(login.token, secret);

      await env.logins.decide(login.token, ADA, { confirm: true });
      const pushed = await env.namespace.pushed(login.token, 'authenticated');
      expect(pushed).toMatchObject({
        withAck: true,
        payload: {
          status: 'authenticated',
          user: ADA,
          accessToken: expect.any(String),
        },
      });
      await env.gateway.onModuleDestroy();
      expect(await env.logins.statusOf(login.token)).toBeUndefined();
      expect(socket.disconnect).toHaveBeenCalledWith(true);
    });

    it('leaves an authenticated login that no socket acknowledged for the poller', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      const socket = await env.connect(login.token, secret, 'timeout');
      await env.logins.scan(login.token, ADA, ADA.id);
      await env.namespace.pushed(login.token, 'authenticated');
      await env.gateway.onModuleDestroy();
      expect(socket.disconnect).not.toHaveBeenCalled();
      expect(await env.logins.statusOf(login.token)).toMatchObject({
        status: 'authenticated',
        user: ADA,
      });
    });

    it('leaves an authenticated login for the poller when no socket watches it', async () => {
      env = setup('off');
      const { login } = await env.logins.create({});
      await env.logins.scan(login.token, ADA, ADA.id);
      // Waits for the pushes under way, as on shutdown.
      await env.gateway.onModuleDestroy();
      expect(await env.logins.statusOf(login.token)).toMatchObject({
        status: 'authenticated',
      });
    });

    it('keeps a poll from getting the result while its push awaits the acknowledgement, then lets it', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      await env.connect(login.token, secret, 'hold');
      await env.logins.scan(login.token, ADA, ADA.id);
      await env.namespace.pushed(login.token, 'authenticated');

      // The result is on its way to the socket: a poll now would hand it out a second time.
      expect(await env.logins.statusOf(login.token)).toEqual({
        status: 'pending',
      });
      // No acknowledgement came (here: the app closes): the poll gets it after all.
      await env.gateway.onModuleDestroy();
      expect(await env.logins.statusOf(login.token)).toMatchObject({
        status: 'authenticated',
        user: ADA,
      });
    });

    it('waits while another push holds the result, then sends it once that one lets go: the browser gets it once', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      await env.connect(login.token, secret);
      // The other push (e.g. the welcome of this browser's socket, racing the room's push) holds it for now.
      const hold = jest
        .spyOn(env.store, 'holdResult')
        .mockResolvedValueOnce('busy');
      await env.logins.scan(login.token, ADA, ADA.id);

      await env.namespace.pushed(login.token, 'authenticated');
      expect(hold).toHaveBeenCalledTimes(2);
      await env.gateway.onModuleDestroy();
      expect(env.namespace.statusesPushedTo(login.token)).toEqual([
        'authenticated',
      ]);
      expect(await env.logins.statusOf(login.token)).toBeUndefined();
    });

    it('sends nothing when the push that held the result was acknowledged meanwhile, and lets the sockets go', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      const socket = await env.connect(login.token, secret);
      const store = env.store;
      const hold = jest
        .spyOn(store, 'holdResult')
        .mockImplementationOnce(async (token) => {
          // The other push's browser acknowledged: the result is taken.
          await store.takeResult(token);
          return 'busy';
        });
      await env.logins.scan(login.token, ADA, ADA.id);

      await env.gateway.onModuleDestroy();
      expect(hold).toHaveBeenCalledTimes(2);
      expect(env.namespace.statusesPushedTo(login.token)).toEqual([]);
      expect(socket.disconnect).toHaveBeenCalledWith(true);
    });

    it('stops waiting for acknowledgements soon after shutdown begins, leaving the result', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      await env.connect(login.token, secret, 'hold');
      await env.logins.scan(login.token, ADA, ADA.id);
      await env.namespace.pushed(login.token, 'authenticated');

      const started = Date.now();
      await env.gateway.onModuleDestroy();
      expect(Date.now() - started).toBeLessThan(RESULT_ACK_TIMEOUT_MS);
      expect(await env.logins.statusOf(login.token)).toMatchObject({
        status: 'authenticated',
      });
    });
  });

  describe('limits', () => {
    const refusalOf = async (
      auth: Record<string, unknown>,
      address = '192.0.2.1',
    ) => env.handshake(env.newSocket(auth, { address }));

    it(`lets ${MAX_SOCKETS_PER_LOGIN} sockets of one login in and refuses the next, until one leaves`, async () => {
      env = setup();
      const { login, secret } = await env.logins.create({});
      const sockets: FakeSocket[] = [];
      for (let i = 0; i < MAX_SOCKETS_PER_LOGIN; i++)
        sockets.push(await env.connect(login.token, secret));

      const refusal = await refusalOf({ token: login.token, secret });
      expect(refusal?.message).toBe('Too many connections for this login');
      // Another login is counted on its own.
      const other = await env.logins.create({});
      await env.connect(other.login.token, other.secret);

      env.disconnect(sockets[0]);
      await env.connect(login.token, secret);
    });

    it('gives back the place of a socket whose client left during the handshake', async () => {
      env = setup();
      const { login, secret } = await env.logins.create({});
      for (let i = 0; i < MAX_SOCKETS_PER_LOGIN; i++) {
        const socket = env.newSocket({ token: login.token, secret });
        expect(await env.handshake(socket)).toBeUndefined();
        // Socket.IO then drops the socket without a "disconnect": only its connection says so.
        socket.dropConnection();
      }
      await env.connect(login.token, secret);
    });

    it(`refuses the socket past ${MAX_SOCKETS_PER_IP} from one address, over all its logins`, async () => {
      env = setup();
      const logins = await Promise.all(
        Array.from(
          { length: Math.ceil(MAX_SOCKETS_PER_IP / MAX_SOCKETS_PER_LOGIN) + 1 },
          () => env.logins.create({}),
        ),
      );
      for (let i = 0; i < MAX_SOCKETS_PER_IP; i++) {
        const { login, secret } = logins[Math.floor(i / MAX_SOCKETS_PER_LOGIN)];
        await env.connect(login.token, secret, 'ack', '198.51.100.7');
      }
      const { login, secret } = logins.at(-1)!;
      expect(
        (await refusalOf({ token: login.token, secret }, '198.51.100.7'))
          ?.message,
      ).toBe('Too many connections from your address');
      await env.connect(login.token, secret, 'ack', '198.51.100.8');
    });

    it(`refuses every handshake from an address after ${FAILED_HANDSHAKES_PER_IP} failed ones, saying when to retry`, async () => {
      env = setup();
      const { login, secret } = await env.logins.create({});
      for (let i = 0; i < FAILED_HANDSHAKES_PER_IP; i++)
        expect(
          (await refusalOf({ token: login.token, secret: 'wrong' }))?.message,
        ).toBe('Unknown login');

      const refused = (await refusalOf({
        token: login.token,
        secret: 'wrong',
      })) as SocketRefusal;
      const seconds = FAILED_HANDSHAKES_WINDOW_MS / 1000;
      expect(refused.message).toBe(
        `Too many failed attempts from your address. Try again in ${seconds} seconds.`,
      );
      expect(refused.data).toEqual({ retryAfterSeconds: seconds });
      // Even with the right secret, while the address is blocked; not from another address.
      expect((await refusalOf({ token: login.token, secret }))?.message).toBe(
        refused.message,
      );
      expect(
        await refusalOf({ token: login.token, secret }, '192.0.2.2'),
      ).toBeUndefined();
    });
  });

  describe('expiry', () => {
    const START = Date.UTC(2026, 0, 1, 12);

    beforeEach(() => {
      // Promise jobs and the JWT signing keep running on their own; only the clock and timers are the test's.
      jest.useFakeTimers({
        now: START,
        doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'],
      });
    });

    afterEach(() => {
      jest.useRealTimers();
    });

    it("tells this instance's sockets in the room that the code expired, and publishes it", async () => {
      env = setup();
      const changes: LoginChange[] = [];
      env.events.changes.subscribe((change) => changes.push(change));
      const { login, secret } = await env.logins.create({});
      const socket = await env.connect(login.token, secret);

      await jest.advanceTimersByTimeAsync(TTL_SECONDS * 1000 - 1);
      expect(env.namespace.emitted).toEqual([]);

      await jest.advanceTimersByTimeAsync(1);
      expect(await env.namespace.pushed(login.token, 'expired')).toEqual({
        room: login.token,
        local: true,
        event: STATUS_EVENT,
        payload: { status: 'expired' },
      });
      expect(changes).toContainEqual({
        token: login.token,
        status: 'expired',
        at: START + TTL_SECONDS * 1000,
      });
      await jest.advanceTimersByTimeAsync(0);
      expect(socket.disconnect).toHaveBeenCalledWith(true);
      expect(env.namespace.disconnectedRooms).toEqual([
        { room: login.token, local: true },
      ]);
    });

    it("lets this instance's sockets go at expiry also when a result they got was never acknowledged", async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      const socket = await env.connect(login.token, secret, 'timeout');
      await env.logins.scan(login.token, ADA, ADA.id);
      await env.namespace.pushed(login.token, 'authenticated');
      expect(socket.disconnect).not.toHaveBeenCalled();

      await jest.advanceTimersByTimeAsync(TTL_SECONDS * 1000);
      expect(socket.disconnect).toHaveBeenCalledWith(true);
      // The result stays for a poll until the login's retention ends.
      expect(await env.logins.statusOf(login.token)).toMatchObject({
        status: 'authenticated',
      });
    });

    it('tries a push again while the store does not answer, so a browser that only listens still gets it', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      await env.connect(login.token, secret);
      jest
        .spyOn(env.store, 'holdResult')
        .mockRejectedValueOnce(new Error('Command timed out'))
        .mockRejectedValueOnce(new Error('Command timed out'));
      await env.logins.scan(login.token, ADA, ADA.id);
      await jest.advanceTimersByTimeAsync(0);
      expect(env.namespace.statusesPushedTo(login.token)).toEqual([]);

      // Tried at 1 s, and again 2 s later.
      await jest.advanceTimersByTimeAsync(2_999);
      expect(env.namespace.statusesPushedTo(login.token)).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(env.namespace.statusesPushedTo(login.token)).toEqual([
        'authenticated',
      ]);
      expect(await env.logins.statusOf(login.token)).toBeUndefined();
    });

    it('takes over, for a socket that connects, a hold that does not end (its push died with an instance)', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      await authenticatedElsewhere(env, login.token);
      // The instance that was pushing it died, holding it for RESULT_HOLD_MS.
      await env.store.holdResult(login.token, 'dead-instance', 60_000);

      const connected = env.connect(login.token, secret);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(await env.logins.statusOf(login.token)).toEqual({
        status: 'pending',
      });
      await jest.advanceTimersByTimeAsync(1_000);
      const socket = await connected;
      expect(socket.emitted).toEqual([
        expect.objectContaining({
          event: STATUS_EVENT,
          payload: expect.objectContaining({ status: 'authenticated' }),
        }),
      ]);
      expect(await env.logins.statusOf(login.token)).toBeUndefined();
    });

    it.each([
      ['shared logins', false],
      ['logins in this process', true],
    ])(
      'pushes a result again that no socket acknowledged (the message lost on its way), until one does (%s)',
      async (_, inThisProcess) => {
        env = setup('off', inThisProcess);
        const { login, secret } = await env.logins.create({});
        const socket = await env.connect(login.token, secret, 'timeout');
        await env.logins.scan(login.token, ADA, ADA.id);
        await jest.advanceTimersByTimeAsync(0);
        expect(env.namespace.statusesPushedTo(login.token)).toEqual([
          'authenticated',
        ]);

        socket.ackPolicy = 'ack';
        await jest.advanceTimersByTimeAsync(1_000);
        expect(env.namespace.statusesPushedTo(login.token)).toEqual([
          'authenticated',
          'authenticated',
        ]);
        expect(await env.logins.statusOf(login.token)).toBeUndefined();
        expect(socket.disconnect).toHaveBeenCalledWith(true);
      },
    );

    it('pushes again when no instance answered for a socket (after a Redis failover the one with it may not be counted yet), until one acknowledges', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      const socket = await env.connect(login.token, secret);
      env.namespace.unheard.add(login.token);
      await env.logins.scan(login.token, ADA, ADA.id);
      await jest.advanceTimersByTimeAsync(0);
      expect(env.namespace.statusesPushedTo(login.token)).toEqual([
        'authenticated',
      ]);
      expect(socket.disconnect).not.toHaveBeenCalled();

      env.namespace.unheard.delete(login.token);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(env.namespace.statusesPushedTo(login.token)).toEqual([
        'authenticated',
        'authenticated',
      ]);
      expect(await env.logins.statusOf(login.token)).toBeUndefined();
      expect(socket.disconnect).toHaveBeenCalledWith(true);
    });

    it('leaves a result that no socket watches for the poll, pushing it less and less often meanwhile', async () => {
      env = setup('off');
      const { login } = await env.logins.create({});
      await env.logins.scan(login.token, ADA, ADA.id);
      // At 0, 1, 3 and 7 s: the waits double.
      await jest.advanceTimersByTimeAsync(7_000);
      expect(env.namespace.statusesPushedTo(login.token)).toHaveLength(4);
      await jest.advanceTimersByTimeAsync(7_999);
      expect(env.namespace.statusesPushedTo(login.token)).toHaveLength(4);

      expect(await env.logins.statusOf(login.token)).toMatchObject({
        status: 'authenticated',
        user: ADA,
      });
      await jest.advanceTimersByTimeAsync(30_000);
      expect(env.namespace.statusesPushedTo(login.token)).toHaveLength(4);
    });

    it('with the logins in this process (no Redis), pushes a result into an empty room once: the socket that connects later gets it in its welcome', async () => {
      env = setup('off', true);
      const { login, secret } = await env.logins.create({});
      await env.logins.scan(login.token, ADA, ADA.id);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(env.namespace.statusesPushedTo(login.token)).toHaveLength(1);

      const socket = await env.connect(login.token, secret);
      expect(socket.emitted).toEqual([
        expect.objectContaining({
          event: STATUS_EVENT,
          payload: expect.objectContaining({ status: 'authenticated' }),
        }),
      ]);
      expect(await env.logins.statusOf(login.token)).toBeUndefined();
    });

    it('gives up after 30 s of pushes nobody acknowledged, letting the sockets go so that the page polls; the result stays for it', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      const socket = await env.connect(login.token, secret, 'timeout');
      await env.logins.scan(login.token, ADA, ADA.id);
      await jest.advanceTimersByTimeAsync(29_000);
      expect(socket.disconnect).not.toHaveBeenCalled();

      await jest.advanceTimersByTimeAsync(10_000);
      // At 0, 1, 3, 7, 15, 23 and 31 s: the waits double up to 8 s.
      expect(env.namespace.statusesPushedTo(login.token)).toHaveLength(7);
      expect(socket.disconnect).toHaveBeenCalledWith(true);
      expect(env.namespace.disconnectedRooms).toEqual([
        { room: login.token, local: false },
      ]);
      await jest.advanceTimersByTimeAsync(30_000);
      expect(env.namespace.statusesPushedTo(login.token)).toHaveLength(7);
      expect(await env.logins.statusOf(login.token)).toMatchObject({
        status: 'authenticated',
      });
    });

    it('stops pushing an unacknowledged result once a poll has taken it', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      await env.connect(login.token, secret, 'timeout');
      await env.logins.scan(login.token, ADA, ADA.id);
      await jest.advanceTimersByTimeAsync(0);
      expect(await env.logins.statusOf(login.token)).toMatchObject({
        status: 'authenticated',
      });

      await jest.advanceTimersByTimeAsync(5_000);
      expect(env.namespace.statusesPushedTo(login.token)).toEqual([
        'authenticated',
      ]);
    });

    it("hands this instance's sockets a result that no push brought (its instance died), then lets them go", async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      const socket = await env.connect(login.token, secret);
      // Authenticated by an instance that died before it could push: no event reached this one.
      await authenticatedElsewhere(env, login.token);
      expect(env.namespace.statusesPushedTo(login.token)).toEqual([]);

      await jest.advanceTimersByTimeAsync(TTL_SECONDS * 1000);
      expect(
        await env.namespace.pushed(login.token, 'authenticated'),
      ).toMatchObject({
        local: true,
        withAck: true,
        payload: { user: ADA, accessToken: expect.any(String) },
      });
      await jest.advanceTimersByTimeAsync(0);
      // Acknowledged: taken, and the socket let go.
      expect(socket.disconnect).toHaveBeenCalledWith(true);
      expect(await env.logins.statusOf(login.token)).toBeUndefined();
    });

    it('says nothing once the last socket of the room has left', async () => {
      env = setup();
      const { login, secret } = await env.logins.create({});
      const first = await env.connect(login.token, secret);
      const second = await env.connect(login.token, secret);

      env.disconnect(first);
      env.disconnect(second);
      await jest.advanceTimersByTimeAsync(TTL_SECONDS * 1000);
      await env.gateway.onModuleDestroy();
      expect(env.namespace.emitted).toEqual([]);
    });

    it('keeps watching while one socket of the room is still there', async () => {
      env = setup();
      const { login, secret } = await env.logins.create({});
      const first = await env.connect(login.token, secret);
      await env.connect(login.token, secret);

      env.disconnect(first);
      await jest.advanceTimersByTimeAsync(TTL_SECONDS * 1000);
      const pushed = await env.namespace.pushed(login.token, 'expired');
      expect(pushed.local).toBe(true);
    });

    it('says nothing about expiry after the result was delivered', async () => {
      env = setup('off');
      const { login, secret } = await env.logins.create({});
      await env.connect(login.token, secret);
      await env.logins.scan(login.token, ADA, ADA.id);
      await env.namespace.pushed(login.token, 'authenticated');

      await jest.advanceTimersByTimeAsync(TTL_SECONDS * 1000);
      await env.gateway.onModuleDestroy();
      expect(env.namespace.statusesPushedTo(login.token)).toEqual([
        'authenticated',
      ]);
    });
  });
});
