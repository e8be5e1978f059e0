import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { MAX_SOCKETS_PER_LOGIN } from '../src/auth/auth.constants.js';
import { createLogin, postUpdate } from './support/http.js';
import {
  buildService,
  type ServiceProcess,
  spawnService,
} from './support/service-process.js';
import {
  closeSockets,
  connectAuthSocket,
  waitForStatus,
} from './support/socket.js';
import { newUser, startUpdate } from './support/telegram-updates.js';

/** The service's file descriptors: sockets, files, Redis and everything else alike. */
const MAX_OPEN_FILES = 1024;
/** More sockets than the service could hold open, for one login. */
const FLOOD = 1_100;
/**
 * The client holds on to everything it opens but sends its sockets in waves,
 * as a hostile client would, so that the kernel's accept queue is not what
 * refuses them: each wave finds out what the service does with the last.
 */
const WAVE = 100;
/** 'connected', or the message of the `connect_error` it got. */
type Outcome = string;

/**
 * A client that speaks Socket.IO's wire protocol by hand (engine.io v4 over a
 * WebSocket) and, unlike socket.io-client, never closes a connection by
 * itself, whatever the answer: what a hostile client keeps.
 */
function hostileSocket(url: string, login: { token: string; secret: string }) {
  const socket = new WebSocket(
    `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`,
  );
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => resolve()),
  );
  const outcome = new Promise<Outcome>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('message', (data: Buffer) => {
      const packet = data.toString();
      // engine.io "open": connect to the namespace with the login's pair.
      if (packet.startsWith('0'))
        socket.send(`40/auth,${JSON.stringify(login)}`);
      else if (packet.startsWith('40/auth,')) resolve('connected');
      else if (packet.startsWith('44/auth,'))
        resolve(
          (JSON.parse(packet.slice('44/auth,'.length)) as { message: string })
            .message,
        );
    });
  });
  return { socket, outcome, closed };
}

describe(`${FLOOD} sockets for one login, against a service limited to ${MAX_OPEN_FILES} open files`, () => {
  let service: ServiceProcess;
  const sockets: Socket[] = [];
  const hostile: WebSocket[] = [];

  beforeAll(async () => {
    await buildService();
    service = await spawnService(
      { LOG_LEVEL: 'warn' },
      { maxOpenFiles: MAX_OPEN_FILES },
    );
  }, 120_000);

  afterAll(async () => {
    closeSockets(...sockets.splice(0));
    for (const socket of hostile.splice(0)) socket.terminate();
    await service?.kill();
  });

  it(`lets ${MAX_SOCKETS_PER_LOGIN} in, refuses and closes the rest, and everyone else is served as usual`, async () => {
    const login = await createLogin(service.url);
    const flood: ReturnType<typeof hostileSocket>[] = [];
    const outcomes: Outcome[] = [];
    for (let sent = 0; sent < FLOOD; sent += WAVE) {
      const wave = Array.from({ length: WAVE }, () =>
        hostileSocket(service.url, login),
      );
      flood.push(...wave);
      hostile.push(...wave.map(({ socket }) => socket));
      outcomes.push(...(await Promise.all(wave.map(({ outcome }) => outcome))));
    }

    expect(outcomes.filter((outcome) => outcome === 'connected')).toHaveLength(
      MAX_SOCKETS_PER_LOGIN,
    );
    expect(outcomes.filter((outcome) => outcome !== 'connected')).toEqual(
      Array(FLOOD - MAX_SOCKETS_PER_LOGIN).fill(
        'Too many connections for this login',
      ),
    );
    // The service closed every refused connection itself (the client kept them all).
    await Promise.all(
      flood
        .filter((_, i) => outcomes[i] !== 'connected')
        .map(({ closed }) => closed),
    );

    // While the client still holds its sockets: the page, a token, and another person's login.
    expect((await fetch(`${service.url}/`)).status).toBe(200);
    const other = await createLogin(service.url);
    const socket = await connectAuthSocket(service.url, other);
    sockets.push(socket);
    await waitForStatus(socket, 'pending');
    await postUpdate(service.url, startUpdate(other.token, newUser())).expect(
      200,
    );
    await waitForStatus(socket, 'authenticated');
  }, 120_000);
});
