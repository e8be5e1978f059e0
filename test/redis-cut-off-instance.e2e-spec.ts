import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { AUTH_NAMESPACE } from '../src/auth/auth.constants.js';
import { type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { createLogin, eventually, postUpdate } from './support/http.js';
import { PATIENCE_MS } from './support/patience.js';
import { RedisReplyStallingProxy } from './support/redis-proxy.js';
import {
  connectTestRedis,
  deleteKeys,
  describeWithRedis,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from './support/redis.js';
import {
  closeSockets,
  connectAuthSocket,
  waitForStatus,
} from './support/socket.js';
import {
  asLoggedInUser,
  newUser,
  startUpdate,
} from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'cut-off-webhook-secret';

/**
 * The longest a push waits before it is tried again is 8 s (after 1, 2 and 4):
 * the browser hears of its login within that of its instance's return.
 */
const RETRY_WITHIN_MS = 8_000;

/**
 * Two instances on one Redis; B reaches it through a proxy that can cut it
 * off, as a network fault or a failover does. While B is off, Redis counts
 * only A among the instances that listen for pushes, so a push from A finds
 * nobody in the room: the browser's socket on B must get the login all the same.
 */
describeWithRedis('An instance cut off from Redis for a while', () => {
  const prefix = uniqueKeyPrefix('cut-off');
  let fake: FakeBotApi;
  let proxy: RedisReplyStallingProxy;
  let a: RunningApp;
  let b: RunningApp;
  let redis: Redis;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    const target = new URL(TEST_REDIS_URL);
    proxy = await RedisReplyStallingProxy.start({
      host: target.hostname,
      port: Number(target.port),
    });
    const env = {
      REDIS_KEY_PREFIX: prefix,
      ...fake.env,
      WEBHOOK_SECRET,
    };
    a = await startApp({ ...env, REDIS_URL: TEST_REDIS_URL });
    b = await startApp({ ...env, REDIS_URL: proxy.url });
    redis = connectTestRedis();
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await proxy?.close();
    await fake?.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  /** The instances that Redis counts as listening for pushes (what the adapter asks before it waits for answers). */
  const listeningInstances = async () => {
    const [, count] = (await redis.pubsub(
      'NUMSUB',
      `${prefix}socket.io-request#${AUTH_NAMESPACE}#`,
    )) as [string, number];
    return Number(count);
  };

  it('a login scanned on A meanwhile reaches the socket on B once B is back', async () => {
    const login = await createLogin(b.url);
    const socket = await connectAuthSocket(b.url, login);
    sockets.push(socket);
    await waitForStatus(socket, 'pending');
    await eventually(async () => expect(await listeningInstances()).toBe(2));

    const reconnect = proxy.cutOff();
    await eventually(async () => expect(await listeningInstances()).toBe(1));
    const user = newUser();
    await postUpdate(
      a.url,
      startUpdate(login.token, user),
      WEBHOOK_SECRET,
    ).expect(200, { ok: true, outcome: 'authenticated' });
    // Pushed into a room where Redis knew of no socket; B's socket stays connected, waiting.
    expect(socket.connected).toBe(true);

    const authenticated = waitForStatus(
      socket,
      'authenticated',
      PATIENCE_MS + RETRY_WITHIN_MS,
    );
    reconnect();
    expect(await authenticated).toMatchObject({
      status: 'authenticated',
      user: asLoggedInUser(user),
      accessToken: expect.any(String),
    });
  });
});
