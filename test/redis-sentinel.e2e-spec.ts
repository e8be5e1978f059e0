import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import type { Socket } from 'socket.io-client';
import {
  RESULT_ACK_TIMEOUT_MS,
  RESULT_HOLD_MS,
} from '../src/auth/auth.constants.js';
import { PATIENCE_MS } from './support/patience.js';
import { startApp, type RunningApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { logInAcrossInstances } from './support/cross-instance-login.js';
import {
  createLogin,
  me,
  poll,
  pollUntilSettled,
  postUpdate,
} from './support/http.js';
import { uniqueKeyPrefix } from './support/redis.js';
import { ask, until } from './support/redis-processes.js';
import { SENTINEL_NAME, TestRedisSentinel } from './support/redis-sentinel.js';
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

const WEBHOOK_SECRET = 'sentinel-webhook-secret';
const APP_NAME = 'Sentinel Shop';
const LOGGED_IN = `✅ You are logged in to ${APP_NAME}; you can go back to your browser.`;

/**
 * Two instances on Redis with Sentinel of the test's own (a primary, 2
 * replicas, 3 Sentinels), and the primary killed under them.
 */
describe('Two instances on Redis with Sentinel', () => {
  const prefix = uniqueKeyPrefix('sentinel');
  let setup: TestRedisSentinel;
  let fake: FakeBotApi;
  let a: RunningApp;
  let b: RunningApp;
  const sockets: Socket[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    setup = await TestRedisSentinel.start();
    fake = await FakeBotApi.start();
    env = {
      REDIS_SENTINELS: setup.sentinelsVariable,
      REDIS_SENTINEL_NAME: SENTINEL_NAME,
      // Both replicas: whichever the Sentinels promote has every step that was answered.
      REDIS_WAIT_REPLICAS: '2',
      REDIS_KEY_PREFIX: prefix,
      APP_NAME,
      ...fake.env,
      WEBHOOK_SECRET,
    };
    [a, b] = await Promise.all([startApp(env), startApp(env)]);
  }, 60_000);

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    await setup?.stop();
  });

  const loggedInMessages = (chatId: number) =>
    fake
      .callsTo('sendMessage')
      .filter(
        (params) =>
          Number(params.chat_id) === chatId && params.text === LOGGED_IN,
      );

  it('token from A, webhook on B, the socket on A', async () => {
    const { result, user } = await logInAcrossInstances(
      a,
      b,
      WEBHOOK_SECRET,
      sockets,
    );
    await me(b.url, result.accessToken).expect(200, asLoggedInUser(user));
  });

  it('an instance that closes leaves no connection to the Sentinels behind', async () => {
    // Each client listens for failovers (+switch-master) on connections of its own to the Sentinels.
    const subscribed = async () =>
      (
        await Promise.all(
          setup.sentinelPorts.map(
            async (port) =>
              String(await ask(port, 'CLIENT', 'LIST'))
                .split('\n')
                .filter((line) => /\bsub=[1-9]/.test(line)).length,
          ),
        )
      ).reduce((sum, count) => sum + count, 0);
    const before = await subscribed();
    const c = await startApp(env);
    await until(
      async () => (await subscribed()) > before,
      'the new instance to listen for failovers',
    );
    await c.close();
    await until(
      async () => (await subscribed()) === before,
      'its connections to the Sentinels to be closed',
    );
  });

  it('the primary killed with logins in flight: 503 for a few seconds, never a crash, then the same logins served again; a step the webhook could not record is handled once when re-sent', async () => {
    const logins = await Promise.all(
      Array.from({ length: 20 }, () => createLogin(a.url)),
    );
    const [scanned, waiting] = [logins.slice(0, 10), logins.slice(10)];
    const scanners = scanned.map(() => newUser());
    for (const [i, login] of scanned.entries())
      await postUpdate(
        b.url,
        startUpdate(login.token, scanners[i]),
        WEBHOOK_SECRET,
      ).expect(200);
    const killed = await setup.killPrimary();
    const killedAt = Date.now();
    // Telegram's delivery while the primary is gone: refused (5xx), to be re-sent.
    const late = waiting[0];
    const lateUser = newUser();
    const lateUpdate = startUpdate(late.token, lateUser);
    const duringOutage = await postUpdate(a.url, lateUpdate, WEBHOOK_SECRET);
    const statuses = new Set<number>();
    await until(
      async () => {
        const answer = await poll(b.url, waiting[1].token, waiting[1].secret);
        statuses.add(answer.status);
        return answer.status === 200;
      },
      'the login to be served again',
      20_000,
    );
    const outage = Date.now() - killedAt;
    expect([...statuses].filter((status) => status !== 200)).toEqual(
      statuses.size > 1 ? [503] : [],
    );
    expect(outage).toBeLessThan(10_000);
    expect(await setup.waitForFailover(killed)).not.toBe(killed);

    // Telegram re-sends what was refused, to either instance, until a 200.
    if (duringOutage.status !== 200) {
      expect(duringOutage.status).toBeGreaterThanOrEqual(500);
      await until(
        async () =>
          (await postUpdate(b.url, lateUpdate, WEBHOOK_SECRET)).status === 200,
        'the re-sent update to be taken',
      );
    }
    await postUpdate(a.url, lateUpdate, WEBHOOK_SECRET).expect(200, {
      ok: true,
      outcome: 'duplicate',
    });
    await fake.waitForCall(
      'sendMessage',
      (params) =>
        Number(params.chat_id) === lateUser.id && params.text === LOGGED_IN,
    );
    expect(loggedInMessages(lateUser.id)).toHaveLength(1);

    // Nothing lost: the pending ones still pending, the scanned ones hand out their result once.
    for (const login of waiting.slice(1))
      await poll(a.url, login.token, login.secret).expect(200, {
        status: 'pending',
      });
    // A push cut off by the crash leaves its hold on the result (a poll
    // answers "pending" meanwhile) until the hold's time is up: the page's
    // next polls get it.
    for (const login of [...scanned, late]) {
      const answer = await pollUntilSettled(
        b.url,
        login.token,
        login.secret,
        RESULT_HOLD_MS + PATIENCE_MS,
      );
      expect(answer.body.status).toBe('authenticated');
    }

    // And a new login end to end on the new primary, without a restart.
    const login = await createLogin(b.url);
    const socket = await connectAuthSocket(b.url, login);
    sockets.push(socket);
    await waitForStatus(socket, 'pending');
    await postUpdate(
      a.url,
      startUpdate(login.token, newUser()),
      WEBHOOK_SECRET,
    ).expect(200);
    await waitForStatus(socket, 'authenticated');
  }, 60_000);

  it('the primary frozen (SIGSTOP, a hung machine): once the Sentinels promote a replica, both instances serve from it while the old one still hangs', async () => {
    const login = await createLogin(a.url);
    const frozen = await setup.pausePrimary();
    try {
      expect(await setup.waitForFailover(frozen)).not.toBe(frozen);
      // Their connections to the frozen primary never break: they must hear of the failover.
      for (const instance of [a, b])
        await until(
          async () =>
            (await poll(instance.url, login.token, login.secret)).status ===
            200,
          'the login to be served from the new primary',
          PATIENCE_MS,
        );
      await poll(b.url, login.token, login.secret).expect(200, {
        status: 'pending',
      });
      // Each instance's Socket.IO connections leave the hung primary on their own +switch-master
      // (ending a connection to a frozen peer takes ioredis's 2 s disconnect timeout): a push sent
      // before the pushing instance's publisher has moved cannot learn how many instances there
      // are, so it waits out its acknowledgement timeout before it is sent again (seen once in
      // CI; README, "Failover").
      const { result, user } = await logInAcrossInstances(
        a,
        b,
        WEBHOOK_SECRET,
        sockets,
        RESULT_ACK_TIMEOUT_MS + PATIENCE_MS,
      );
      await me(b.url, result.accessToken).expect(200, asLoggedInUser(user));
    } finally {
      setup.resume(frozen);
    }
  }, 60_000);
});
