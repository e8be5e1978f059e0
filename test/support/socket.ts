import {
  io,
  type ManagerOptions,
  type Socket,
  type SocketOptions,
} from 'socket.io-client';
import { PATIENCE_MS } from './patience.js';

export interface LoginStatusEvent {
  status: 'pending' | 'scanned' | 'authenticated' | 'denied' | 'expired';
  firstName?: string;
  photoUrl?: string;
  user?: {
    id: number;
    first_name: string;
    last_name?: string;
    username?: string;
  };
  accessToken?: string;
}

export type ClientOptions = Partial<ManagerOptions & SocketOptions> & {
  /**
   * Acknowledge every `status` event on arrival, as the page does (default). With false the
   * socket receives results but never confirms them, like a browser gone before it could answer.
   */
  acknowledge?: boolean;
};

/**
 * A real socket.io-client on the `/auth` namespace, the way the page connects.
 * Every `status` event is buffered from the start, so none is missed between
 * connecting and the test asking for it.
 */
export function openAuthSocket(
  baseUrl: string,
  auth: { token?: unknown; secret?: unknown },
  options: ClientOptions = {},
): Socket {
  const { acknowledge = true, ...ioOptions } = options;
  const socket = io(`${baseUrl}/auth`, {
    auth: auth as Record<string, unknown>,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 3000,
    ...ioOptions,
  });
  const buffer: LoginStatusEvent[] = [];
  const listeners: ((event: LoginStatusEvent) => void)[] = [];
  socket.on('status', (event: LoginStatusEvent, ack?: () => void) => {
    if (acknowledge) ack?.();
    const listener = listeners.shift();
    if (listener) listener(event);
    else buffer.push(event);
  });
  statusQueues.set(socket, { buffer, listeners });
  // Recorded from the start: a server that sends a final status and disconnects does both before a test awaits anything.
  disconnections.set(
    socket,
    new Promise((resolve) =>
      socket.once('disconnect', (reason) => resolve(reason)),
    ),
  );
  return socket;
}

const disconnections = new WeakMap<Socket, Promise<Socket.DisconnectReason>>();

const statusQueues = new WeakMap<
  Socket,
  {
    buffer: LoginStatusEvent[];
    listeners: ((event: LoginStatusEvent) => void)[];
  }
>();

/** Connects and resolves once the handshake is accepted; rejects on connect_error. */
export async function connectAuthSocket(
  baseUrl: string,
  auth: { token?: unknown; secret?: unknown },
  options: ClientOptions = {},
): Promise<Socket> {
  const socket = openAuthSocket(baseUrl, auth, options);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
  return socket;
}

/** The next `status` event this socket receives (buffered ones first). */
export function nextStatus(
  socket: Socket,
  timeoutMs = PATIENCE_MS,
): Promise<LoginStatusEvent> {
  const queue = statusQueues.get(socket);
  if (!queue)
    throw new Error(
      'nextStatus needs a socket opened with openAuthSocket/connectAuthSocket',
    );
  const buffered = queue.buffer.shift();
  if (buffered) return Promise.resolve(buffered);
  return new Promise((resolve, reject) => {
    const listener = (event: LoginStatusEvent) => {
      clearTimeout(timer);
      resolve(event);
    };
    const timer = setTimeout(() => {
      const index = queue.listeners.indexOf(listener);
      if (index >= 0) queue.listeners.splice(index, 1);
      reject(new Error(`no "status" event within ${timeoutMs} ms`));
    }, timeoutMs);
    queue.listeners.push(listener);
  });
}

/** The first `status` event with the given status, skipping others (e.g. an initial `pending`). */
export async function waitForStatus(
  socket: Socket,
  status: LoginStatusEvent['status'],
  timeoutMs = PATIENCE_MS,
): Promise<LoginStatusEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0)
      throw new Error(`no "status: ${status}" event within ${timeoutMs} ms`);
    const event = await nextStatus(socket, remaining);
    if (event.status === status) return event;
  }
}

/** Resolves with no events if none arrives within `ms`, and fails with the event if one does. */
export async function expectNoStatus(socket: Socket, ms = 300): Promise<void> {
  const event = await nextStatus(socket, ms).catch(() => undefined);
  if (event)
    throw new Error(`expected no "status" event, got ${JSON.stringify(event)}`);
}

/** Statuses received and not yet read by nextStatus/waitForStatus. */
export function bufferedStatuses(socket: Socket): LoginStatusEvent[] {
  return [...(statusQueues.get(socket)?.buffer ?? [])];
}

/** The error of a handshake the server refuses; fails if the socket connects instead. */
export function expectConnectError(
  baseUrl: string,
  auth: { token?: unknown; secret?: unknown },
  options: ClientOptions = {},
): Promise<Error> {
  const socket = openAuthSocket(baseUrl, auth, options);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('expected connect_error, but the socket connected'));
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error);
    });
  });
}

/**
 * The reason of the socket's disconnect, once it has happened (or at once if it has);
 * "io server disconnect" means the server ended it. Rejects after `timeoutMs` without one.
 */
export function disconnection(
  socket: Socket,
  timeoutMs = PATIENCE_MS,
): Promise<Socket.DisconnectReason> {
  const disconnected = disconnections.get(socket);
  if (!disconnected)
    throw new Error(
      'disconnection needs a socket opened with openAuthSocket/connectAuthSocket',
    );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`still connected after ${timeoutMs} ms`)),
      timeoutMs,
    );
    void disconnected.then((reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Closes sockets a test opened; safe on sockets already closed. */
export function closeSockets(...sockets: (Socket | undefined)[]): void {
  for (const socket of sockets) socket?.close();
}

/** What a session's page hears on `/sessions` when its session ends. */
export interface SessionEndedEvent {
  status: 'ended';
  reason: string;
}

const sessionEndings = new WeakMap<Socket, Promise<SessionEndedEvent>>();

/**
 * A real socket.io-client on the `/sessions` namespace, connected with an
 * access token as a logged-in page is; resolves once the handshake is
 * accepted. Its `session` event is recorded from the start (see {@link sessionEnded}).
 */
export async function connectSessionSocket(
  baseUrl: string,
  accessToken: unknown,
): Promise<Socket> {
  const socket = io(`${baseUrl}/sessions`, {
    auth: { accessToken },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 3000,
  });
  sessionEndings.set(
    socket,
    new Promise((resolve) =>
      socket.once('session', (event: SessionEndedEvent) => resolve(event)),
    ),
  );
  disconnections.set(
    socket,
    new Promise((resolve) =>
      socket.once('disconnect', (reason) => resolve(reason)),
    ),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
  return socket;
}

/** The `session` event of a socket opened with {@link connectSessionSocket}; rejects after `timeoutMs` without one. */
export function sessionEnded(
  socket: Socket,
  timeoutMs = PATIENCE_MS,
): Promise<SessionEndedEvent> {
  const ended = sessionEndings.get(socket);
  if (!ended)
    throw new Error(
      'sessionEnded needs a socket opened with connectSessionSocket',
    );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "session" event within ${timeoutMs} ms`)),
      timeoutMs,
    );
    void ended.then((event) => {
      clearTimeout(timer);
      resolve(event);
    });
  });
}
