import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { FAILED_HANDSHAKES_PER_IP } from '../src/auth/auth.constants.js';
import { type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import {
  createLogin,
  me,
  PHOTO_URL,
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
  closeSockets,
  connectAuthSocket,
  disconnection,
  expectConnectError,
  expectNoStatus,
  waitForStatus,
} from './support/socket.js';
import {
  asLoggedInUser,
  callbackUpdate,
  newUser,
  startUpdate,
} from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'scale-out-webhook-secret';
const APP_NAME = 'Scale Shop';
const LOGGED_IN = `✅ You are logged in to ${APP_NAME}; you can go back to your browser.`;

/** Two instances of one deployment on one Redis, as behind a load balancer. */
async function startPair(
  fake: FakeBotApi,
  prefix: string,
  env: Record<string, string> = {},
): Promise<[RunningApp, RunningApp]> {
  const shared = {
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    APP_NAME,
    ...fake.env,
    WEBHOOK_SECRET,
    ...env,
  };
  return [await startApp(shared), await startApp(shared)];
}

describeWithRedis('Two instances sharing Redis', () => {
  const prefix = uniqueKeyPrefix('scale');
  let fake: FakeBotApi;
  let a: RunningApp;
  let b: RunningApp;
  let redis: Redis;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    [a, b] = await startPair(fake, prefix);
    redis = connectTestRedis();
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  const connect = async (
    app: RunningApp,
    login: { token: string; secret: string },
  ) => {
    const socket = await connectAuthSocket(app.url, login);
    sockets.push(socket);
    await waitForStatus(socket, 'pending');
    return socket;
  };

  const repliesTo = (chatId: number) =>
    fake
      .callsTo('sendMessage')
      .filter((params) => Number(params.chat_id) === chatId);

  it('keeps logins in Redis under the configured prefix', async () => {
    const login = await createLogin(a.url);
    expect(await redis.exists(`${prefix}login:${login.token}`)).toBe(1);
    await poll(b.url, login.token, login.secret).expect(200, {
      status: 'pending',
    });
  });

  it('token from A, webhook to B: the socket on A gets the result, and the access token works on B', async () => {
    const login = await createLogin(a.url);
    const socket = await connect(a, login);
    const user = newUser({ first_name: 'Grace' });

    await postUpdate(
      b.url,
      startUpdate(login.token, user),
      WEBHOOK_SECRET,
    ).expect(200);

    const result = await waitForStatus(socket, 'authenticated');
    expect(result.user).toEqual(asLoggedInUser(user));
    await me(b.url, result.accessToken).expect(200, asLoggedInUser(user));
    // Handed out once: neither instance knows the login any more (once the acknowledgement took it).
    await disconnection(socket);
    await poll(a.url, login.token, login.secret).expect(404);
    await poll(b.url, login.token, login.secret).expect(404);
    await fake.waitForCall(
      'sendMessage',
      (params) =>
        Number(params.chat_id) === user.id && params.text === LOGGED_IN,
    );
  });

  it('delivers to sockets on both instances at once', async () => {
    const login = await createLogin(b.url);
    const onA = await connect(a, login);
    const onB = await connect(b, login);

    await postUpdate(
      a.url,
      startUpdate(login.token, newUser()),
      WEBHOOK_SECRET,
    ).expect(200);

    const [fromA, fromB] = await Promise.all([
      waitForStatus(onA, 'authenticated'),
      waitForStatus(onB, 'authenticated'),
    ]);
    expect(fromA.accessToken).toBe(fromB.accessToken);
  });

  it('a poller on B takes a result completed on A, once', async () => {
    const login = await createLogin(a.url);
    const user = newUser();
    await postUpdate(
      a.url,
      startUpdate(login.token, user),
      WEBHOOK_SECRET,
    ).expect(200);

    const response = await pollUntilSettled(b.url, login.token, login.secret);
    expect(response.body).toMatchObject({
      status: 'authenticated',
      user: asLoggedInUser(user),
    });
    await poll(a.url, login.token, login.secret).expect(404);
  });

  it('a race of the same /start on both instances logs in once', async () => {
    const login = await createLogin(a.url);
    const onA = await connect(a, login);
    const onB = await connect(b, login);
    const user = newUser();

    // Two copies Telegram could deliver (distinct update ids), one to each instance at the same moment.
    const [first, second] = await Promise.all([
      postUpdate(a.url, startUpdate(login.token, user), WEBHOOK_SECRET),
      postUpdate(b.url, startUpdate(login.token, user), WEBHOOK_SECRET),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);

    await waitForStatus(onA, 'authenticated');
    await waitForStatus(onB, 'authenticated');
    await expectNoStatus(onA, 300);
    await expectNoStatus(onB, 0);
    await fake.waitForCall(
      'sendMessage',
      (params) =>
        Number(params.chat_id) === user.id && params.text !== LOGGED_IN,
    );
    const texts = repliesTo(user.id).map((params) => params.text);
    expect(texts.filter((text) => text === LOGGED_IN)).toHaveLength(1);
    expect(texts).toHaveLength(2);
  });

  it('a retried update (same update_id) that lands on both instances is handled once', async () => {
    const login = await createLogin(a.url);
    const user = newUser();
    const update = startUpdate(login.token, user);

    const answers = await Promise.all([
      postUpdate(a.url, update, WEBHOOK_SECRET),
      postUpdate(b.url, update, WEBHOOK_SECRET),
    ]);
    // One instance handles it; the other finds it done (200) or still being handled (503: Telegram
    // re-sends it, and by then it is done).
    const handled = answers.filter(
      (answer) =>
        answer.status === 200 && answer.body.outcome === 'authenticated',
    );
    expect(handled).toHaveLength(1);
    const other = answers.find((answer) => !handled.includes(answer))!;
    expect([200, 503]).toContain(other.status);
    if (other.status === 200) expect(other.body.outcome).toBe('duplicate');
    await postUpdate(b.url, update, WEBHOOK_SECRET).expect(200, {
      ok: true,
      outcome: 'duplicate',
    });

    await fake.waitForCall(
      'sendMessage',
      (params) => Number(params.chat_id) === user.id,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(repliesTo(user.id).map((params) => params.text)).toEqual([
      LOGGED_IN,
    ]);
  });
});

describeWithRedis(
  'Two instances sharing Redis: expiry and confirmation',
  () => {
    const prefix = uniqueKeyPrefix('scale-expiry');
    let fake: FakeBotApi;
    let a: RunningApp;
    let b: RunningApp;
    let redis: Redis;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      fake = await FakeBotApi.start();
      [a, b] = await startPair(fake, prefix, {
        // Seconds of margin for both sockets to connect before the expiry.
        TOKEN_TTL_SECONDS: '4',
        LOGIN_CONFIRMATION: 'button',
      });
      redis = connectTestRedis();
    });

    afterEach(() => closeSockets(...sockets.splice(0)));

    afterAll(async () => {
      await a?.close();
      await b?.close();
      await fake?.close();
      await deleteKeys(redis, prefix);
      await redis.quit();
    });

    it('tells a socket on B that a token from A expired, and sockets on both', async () => {
      const login = await createLogin(a.url);
      const onB = await connectAuthSocket(b.url, login);
      const onA = await connectAuthSocket(a.url, login);
      sockets.push(onA, onB);

      await expect(waitForStatus(onB, 'expired')).resolves.toEqual({
        status: 'expired',
      });
      await expect(waitForStatus(onA, 'expired')).resolves.toEqual({
        status: 'expired',
      });
      await poll(b.url, login.token, login.secret).expect(200, {
        status: 'expired',
      });
    });

    it('scanned on B, confirmed through A: the socket on the other instance follows every step', async () => {
      const login = await createLogin(a.url);
      const onB = await connectAuthSocket(b.url, login);
      sockets.push(onB);
      await waitForStatus(onB, 'pending');
      const user = newUser({ first_name: 'Linus' });

      await postUpdate(
        b.url,
        startUpdate(login.token, user),
        WEBHOOK_SECRET,
      ).expect(200);
      await expect(waitForStatus(onB, 'scanned')).resolves.toEqual({
        status: 'scanned',
        firstName: 'Linus',
        photoUrl: expect.stringMatching(PHOTO_URL),
      });
      const question = await fake.waitForCall(
        'sendMessage',
        (params) => Number(params.chat_id) === user.id,
      );
      const keyboard =
        typeof question.reply_markup === 'string'
          ? JSON.parse(question.reply_markup)
          : question.reply_markup;
      const confirm = (
        keyboard.inline_keyboard.flat() as { callback_data: string }[]
      ).find((button) => button.callback_data.startsWith('confirm:'))!;

      await postUpdate(
        a.url,
        callbackUpdate(confirm.callback_data, user),
        WEBHOOK_SECRET,
      ).expect(200);

      const result = await waitForStatus(onB, 'authenticated');
      expect(result.user).toEqual(asLoggedInUser(user));
      await request(a.url)
        .get('/auth/me')
        .set('Authorization', `Bearer ${result.accessToken}`)
        .expect(200);
    });
  },
);

describeWithRedis('Two instances sharing Redis: rate limits', () => {
  const prefix = uniqueKeyPrefix('scale-limits');
  let fake: FakeBotApi;
  let a: RunningApp;
  let b: RunningApp;
  let redis: Redis;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    [a, b] = await startPair(fake, prefix, {
      RATE_LIMIT_TOKEN: '3',
      RATE_LIMIT_TTL_SECONDS: '30',
    });
    redis = connectTestRedis();
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('counts a client across instances', async () => {
    const client = '198.51.100.23';
    const create = (app: RunningApp) =>
      request(app.url).post('/auth/token').set('X-Forwarded-For', client);
    await create(a).expect(201);
    await create(b).expect(201);
    await create(a).expect(201);

    const refused = await create(b).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(30);
    await create(a).expect(429);
    // Another address is counted on its own.
    await request(b.url)
      .post('/auth/token')
      .set('X-Forwarded-For', '198.51.100.24')
      .expect(201);
    expect((await redis.keys(`${prefix}throttle:*`)).length).toBeGreaterThan(0);
  });

  it('counts failed socket handshakes of a client across instances', async () => {
    const from = { extraHeaders: { 'X-Forwarded-For': '198.51.100.42' } };
    const login = await createLogin(a.url);
    const wrong = { token: login.token, secret: 'not-the-secret' };
    for (let i = 0; i < FAILED_HANDSHAKES_PER_IP; i++)
      expect(
        (await expectConnectError(i % 2 ? b.url : a.url, wrong, from)).message,
      ).toBe('Unknown login');

    for (const app of [a, b])
      expect((await expectConnectError(app.url, wrong, from)).message).toMatch(
        /^Too many failed attempts from your address/,
      );
  });
});
