import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  expect,
  it,
} from '@jest/globals';
import type { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { FakeBotApi } from './support/fake-bot-api.js';
import {
  createLogin,
  me,
  poll,
  pollUntilSettled,
  postUpdate,
} from './support/http.js';
import {
  connectTestRedis,
  deleteKeys,
  describeWithRedis,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from './support/redis.js';
import {
  buildService,
  type ServiceProcess,
  spawnService,
} from './support/service-process.js';
import {
  closeSockets,
  connectAuthSocket,
  disconnection,
  waitForStatus,
} from './support/socket.js';
import {
  asLoggedInUser,
  newUser,
  startUpdate,
  type TestUser,
} from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'crash-webhook-secret';
const APP_NAME = 'Crash Shop';
const LOGGED_IN = `✅ You are logged in to ${APP_NAME}; you can go back to your browser.`;

/**
 * Two instances of one deployment (the built service, as child processes) on
 * one Redis. A is killed with SIGKILL: no shutdown hook runs, its sockets and
 * its Redis connections just vanish, as when a machine or a container dies.
 */
describeWithRedis('kill -9 of an instance loses no login', () => {
  const prefix = uniqueKeyPrefix('crash');
  let fake: FakeBotApi;
  let redis: Redis;
  let a: ServiceProcess | undefined;
  let b: ServiceProcess | undefined;
  const sockets: Socket[] = [];

  const spawn = () =>
    spawnService({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      APP_NAME,
      ...fake.env,
      WEBHOOK_SECRET,
      LOG_LEVEL: 'warn',
    });

  beforeAll(async () => {
    await buildService();
    fake = await FakeBotApi.start();
    redis = connectTestRedis();
  }, 120_000);

  beforeEach(async () => {
    [a, b] = await Promise.all([spawn(), spawn()]);
  }, 60_000);

  afterEach(async () => {
    closeSockets(...sockets.splice(0));
    await Promise.all([a?.kill(), b?.kill()]);
    a = b = undefined;
  });

  afterAll(async () => {
    await fake?.close();
    await deleteKeys(redis, prefix);
    await redis?.quit();
  });

  const connect = async (
    service: ServiceProcess,
    login: { token: string; secret: string },
    options: Parameters<typeof connectAuthSocket>[2] = {},
  ) => {
    const socket = await connectAuthSocket(service.url, login, options);
    sockets.push(socket);
    return socket;
  };

  /** The bot has told the person they are logged in: from their side, the login is done. */
  const toldLoggedIn = (user: TestUser) =>
    fake.waitForCall(
      'sendMessage',
      (params) =>
        Number(params.chat_id) === user.id && params.text === LOGGED_IN,
    );

  /** The browser's socket reconnects (through the load balancer) to B and gets the result there, once. */
  const expectResultOnReconnectToB = async (
    login: { token: string; secret: string },
    user: TestUser,
  ) => {
    const again = await connect(b!, login);
    const result = await waitForStatus(again, 'authenticated');
    expect(result.user).toEqual(asLoggedInUser(user));
    await me(b!.url, result.accessToken).expect(200, asLoggedInUser(user));
    // Acknowledged: now it is gone, and the server lets the socket go.
    await expect(disconnection(again)).resolves.toBe('io server disconnect');
    await poll(b!.url, login.token, login.secret).expect(404);
  };

  it('killed before /start: /start reaches B before the socket is back, and the reconnecting socket gets the result on B', async () => {
    const login = await createLogin(a!.url);
    const socket = await connect(a!, login);
    await waitForStatus(socket, 'pending');

    await a!.kill();
    const user = newUser({ first_name: 'Grace' });
    await postUpdate(
      b!.url,
      startUpdate(login.token, user),
      WEBHOOK_SECRET,
    ).expect(200);
    await toldLoggedIn(user);

    await expectResultOnReconnectToB(login, user);
  });

  it('killed before /start: a browser that polls B instead gets the result', async () => {
    const login = await createLogin(a!.url);
    const socket = await connect(a!, login);
    await waitForStatus(socket, 'pending');

    await a!.kill();
    const user = newUser();
    await postUpdate(
      b!.url,
      startUpdate(login.token, user),
      WEBHOOK_SECRET,
    ).expect(200);
    await toldLoggedIn(user);

    const response = await pollUntilSettled(b!.url, login.token, login.secret);
    expect(response.body).toMatchObject({
      status: 'authenticated',
      user: asLoggedInUser(user),
    });
    await poll(b!.url, login.token, login.secret).expect(404);
  });

  it('killed after /start, while the push to its socket is under way: the reconnecting socket gets the result on B', async () => {
    const login = await createLogin(a!.url);
    const socket = await connect(a!, login);
    await waitForStatus(socket, 'pending');

    // Frozen first, so that B's push is on its way to A's socket when A dies.
    a!.child.kill('SIGSTOP');
    const user = newUser();
    await postUpdate(
      b!.url,
      startUpdate(login.token, user),
      WEBHOOK_SECRET,
    ).expect(200);
    await toldLoggedIn(user);
    await a!.kill();

    await expectResultOnReconnectToB(login, user);
  });

  it('killed after its socket got the result but before the browser acknowledged it: the reconnecting socket gets it again on B', async () => {
    const login = await createLogin(a!.url);
    // A browser that received the result and died (or lost the connection) before it could answer.
    const socket = await connect(a!, login, { acknowledge: false });
    await waitForStatus(socket, 'pending');

    const user = newUser();
    await postUpdate(
      a!.url,
      startUpdate(login.token, user),
      WEBHOOK_SECRET,
    ).expect(200);
    await waitForStatus(socket, 'authenticated');
    await a!.kill();

    await expectResultOnReconnectToB(login, user);
  });
});
