import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import {
  FAILED_HANDSHAKES_PER_IP,
  FAILED_HANDSHAKES_WINDOW_MS,
  MAX_SOCKET_MESSAGE_BYTES,
  MAX_SOCKETS_PER_IP,
  MAX_SOCKETS_PER_LOGIN,
} from '../src/auth/auth.constants.js';
import { type RunningApp, startApp } from './support/app.js';
import {
  createLogin,
  poll,
  pollUntilSettled,
  postUpdate,
} from './support/http.js';
import {
  type ClientOptions,
  closeSockets,
  connectAuthSocket,
  disconnection,
  expectConnectError,
  waitForStatus,
} from './support/socket.js';
import { newUser, startUpdate } from './support/telegram-updates.js';

const ALLOWED = newUser({ first_name: 'Allowed' });

/** A socket from `ip`, as a trusted proxy (the default TRUST_PROXY, loopback) would report it. */
const from = (ip: string): ClientOptions => ({
  extraHeaders: { 'X-Forwarded-For': ip },
});

let addresses = 0;
/** A client address no other test uses, so that each test has its own counts. */
const newAddress = () => `198.51.100.${++addresses}`;

describe('Sockets on /auth: let go when the login is over, and limited', () => {
  let app: RunningApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    app = await startApp({ ALLOWED_TELEGRAM_IDS: String(ALLOWED.id) });
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await app?.close();
  });

  const connect = async (
    login: { token: string; secret: string },
    options: ClientOptions = {},
  ) => {
    const socket = await connectAuthSocket(app.url, login, options);
    sockets.push(socket);
    return socket;
  };

  describe('let go', () => {
    it('disconnects a socket once it has acknowledged the authenticated result', async () => {
      const login = await createLogin(app.url);
      const socket = await connect(login);
      await waitForStatus(socket, 'pending');

      await postUpdate(app.url, startUpdate(login.token, ALLOWED)).expect(200);
      await waitForStatus(socket, 'authenticated');
      await expect(disconnection(socket)).resolves.toBe('io server disconnect');
      await poll(app.url, login.token, login.secret).expect(404);
    });

    it('disconnects a socket after telling it "denied"', async () => {
      const login = await createLogin(app.url);
      const socket = await connect(login);
      await waitForStatus(socket, 'pending');

      await postUpdate(app.url, startUpdate(login.token, newUser())).expect(
        200,
      );
      await waitForStatus(socket, 'denied');
      await expect(disconnection(socket)).resolves.toBe('io server disconnect');
    });

    it('tells a socket that connects to a denied login so, and disconnects it', async () => {
      const login = await createLogin(app.url);
      await postUpdate(app.url, startUpdate(login.token, newUser())).expect(
        200,
      );

      const socket = await connect(login);
      await expect(waitForStatus(socket, 'denied')).resolves.toEqual({
        status: 'denied',
      });
      await expect(disconnection(socket)).resolves.toBe('io server disconnect');
    });
  });

  describe('limits', () => {
    it(`closes the connection of a socket that sends a message over ${MAX_SOCKET_MESSAGE_BYTES} bytes, and serves on`, async () => {
      const login = await createLogin(app.url);
      const socket = await connect(login);
      await waitForStatus(socket, 'pending');

      // 100 kB: far under Socket.IO's default of 1 MB, which would have held it in memory.
      socket.emit('status', 'x'.repeat(100_000));
      await expect(disconnection(socket)).resolves.toBe('transport close');

      // The login itself is unharmed: a new socket is let in and the result arrives.
      const again = await connect(login);
      await waitForStatus(again, 'pending');
      await postUpdate(app.url, startUpdate(login.token, ALLOWED)).expect(200);
      await waitForStatus(again, 'authenticated');
    });

    it(`lets ${MAX_SOCKETS_PER_LOGIN} sockets of one login in, refuses the rest with connect_error, and the ${MAX_SOCKETS_PER_LOGIN} get the result`, async () => {
      const login = await createLogin(app.url);
      const admitted: Socket[] = [];
      for (let i = 0; i < MAX_SOCKETS_PER_LOGIN; i++)
        admitted.push(await connect(login));
      await Promise.all(
        admitted.map((socket) => waitForStatus(socket, 'pending')),
      );

      // What used to exhaust the process's file descriptors: many more sockets for one token.
      const refusals = await Promise.all(
        Array.from({ length: 20 }, () => expectConnectError(app.url, login)),
      );
      expect(new Set(refusals.map((error) => error.message))).toEqual(
        new Set(['Too many connections for this login']),
      );
      await request(app.url).get('/').expect(200);

      await postUpdate(app.url, startUpdate(login.token, ALLOWED)).expect(200);
      const results = await Promise.all(
        admitted.map((socket) => waitForStatus(socket, 'authenticated')),
      );
      expect(results.every((result) => result.accessToken)).toBe(true);
    });

    it('takes a socket of a login again once one of its sockets has left', async () => {
      const login = await createLogin(app.url);
      const admitted: Socket[] = [];
      for (let i = 0; i < MAX_SOCKETS_PER_LOGIN; i++)
        admitted.push(await connect(login));
      await expectConnectError(app.url, login);

      const left = disconnection(admitted[0]);
      admitted[0].close();
      await left;
      await connect(login);
    });

    it(`refuses the socket past ${MAX_SOCKETS_PER_IP} from one client address, and not another address`, async () => {
      const address = newAddress();
      const logins = await Promise.all(
        Array.from(
          { length: Math.ceil(MAX_SOCKETS_PER_IP / MAX_SOCKETS_PER_LOGIN) + 1 },
          () => createLogin(app.url),
        ),
      );
      for (let i = 0; i < MAX_SOCKETS_PER_IP; i++)
        await connect(
          logins[Math.floor(i / MAX_SOCKETS_PER_LOGIN)],
          from(address),
        );

      const refusal = await expectConnectError(
        app.url,
        logins.at(-1)!,
        from(address),
      );
      expect(refusal.message).toBe('Too many connections from your address');
      await connect(logins.at(-1)!, from(newAddress()));
    });

    it(`refuses handshakes from an address after ${FAILED_HANDSHAKES_PER_IP} with a wrong secret, saying when to try again`, async () => {
      const address = newAddress();
      const login = await createLogin(app.url);
      const wrong = { token: login.token, secret: 'not-the-secret' };
      for (let i = 0; i < FAILED_HANDSHAKES_PER_IP; i++)
        expect(
          (await expectConnectError(app.url, wrong, from(address))).message,
        ).toBe('Unknown login');

      const refusal = (await expectConnectError(
        app.url,
        wrong,
        from(address),
      )) as Error & { data?: unknown };
      const seconds = FAILED_HANDSHAKES_WINDOW_MS / 1000;
      expect(refusal.message).toBe(
        `Too many failed attempts from your address. Try again in ${seconds} seconds.`,
      );
      expect(refusal.data).toEqual({ retryAfterSeconds: seconds });
      // For the rest of the window, the right secret from there too; other addresses are not affected.
      expect(
        (await expectConnectError(app.url, login, from(address))).message,
      ).toBe(refusal.message);
      await connect(login, from(newAddress()));
    });
  });
});

describe('Sockets on /auth behind no trusted proxy (TRUST_PROXY=false)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ TRUST_PROXY: 'false' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('counts failed handshakes by the connecting address, whatever X-Forwarded-For claims', async () => {
    const login = await createLogin(app.url);
    const wrong = { token: login.token, secret: 'not-the-secret' };
    for (let i = 0; i < FAILED_HANDSHAKES_PER_IP; i++)
      await expectConnectError(app.url, wrong, from(newAddress()));

    const refusal = await expectConnectError(
      app.url,
      wrong,
      from(newAddress()),
    );
    expect(refusal.message).toMatch(/^Too many failed attempts/);
  });
});

describe('Sockets on /auth at expiry (TOKEN_TTL_SECONDS=3)', () => {
  let app: RunningApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    app = await startApp({ TOKEN_TTL_SECONDS: '3' });
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await app?.close();
  });

  it('disconnects a waiting socket after telling it "expired"', async () => {
    const login = await createLogin(app.url);
    const socket = await connectAuthSocket(app.url, login);
    sockets.push(socket);
    await waitForStatus(socket, 'pending');

    await waitForStatus(socket, 'expired');
    await expect(disconnection(socket)).resolves.toBe('io server disconnect');
  });

  it('disconnects at expiry a socket that never acknowledged its result; a poll still gets it', async () => {
    const login = await createLogin(app.url);
    const socket = await connectAuthSocket(app.url, login, {
      acknowledge: false,
    });
    sockets.push(socket);
    await waitForStatus(socket, 'pending');
    await postUpdate(app.url, startUpdate(login.token, newUser())).expect(200);
    await waitForStatus(socket, 'authenticated');

    await expect(disconnection(socket)).resolves.toBe('io server disconnect');
    const response = await pollUntilSettled(app.url, login.token, login.secret);
    expect(response.body).toMatchObject({ status: 'authenticated' });
  });
});
