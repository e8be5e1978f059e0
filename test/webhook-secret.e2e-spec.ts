import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import type { Socket } from 'socket.io-client';
import { type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import {
  createLogin,
  delay,
  poll,
  pollUntilSettled,
  postUpdate,
} from './support/http.js';
import {
  closeSockets,
  connectAuthSocket,
  expectNoStatus,
  waitForStatus,
} from './support/socket.js';
import {
  asLoggedInUser,
  newUser,
  startUpdate,
} from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'the-right-webhook-secret_42';

describe('webhook secret (X-Telegram-Bot-Api-Secret-Token)', () => {
  let fake: FakeBotApi;
  let running: RunningApp;
  let socket: Socket | undefined;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    running = await startApp({
      ...fake.env,
      WEBHOOK_SECRET,
    });
  });

  afterEach(() => closeSockets(socket));

  afterAll(async () => {
    await running?.close();
    await fake?.close();
  });

  it.each([
    ['a wrong secret', 'the-wrong-webhook-secret_42'],
    ['the right secret with one character more', `${WEBHOOK_SECRET}x`],
    ['a prefix of the right secret', WEBHOOK_SECRET.slice(0, -1)],
    ['an empty header', ''],
    ['no header', undefined],
  ])(
    'answers 401 to an update with %s, and nothing changes',
    async (_name, header) => {
      const login = await createLogin(running.url);
      socket = await connectAuthSocket(running.url, login);
      await waitForStatus(socket, 'pending');
      const user = newUser();

      const response = await postUpdate(
        running.url,
        startUpdate(login.token, user),
        header,
      ).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401 });
      expect(JSON.stringify(response.body)).not.toContain(WEBHOOK_SECRET);

      await expectNoStatus(socket, 200);
      await poll(running.url, login.token, login.secret).expect(200, {
        status: 'pending',
      });
      await delay(100);
      expect(
        fake
          .callsTo('sendMessage')
          .filter((params) => params.chat_id === user.id),
      ).toEqual([]);
    },
  );

  it('lets the same update through with the right secret', async () => {
    const login = await createLogin(running.url);
    const user = newUser();
    await postUpdate(
      running.url,
      startUpdate(login.token, user),
      'wrong',
    ).expect(401);
    await postUpdate(
      running.url,
      startUpdate(login.token, user),
      WEBHOOK_SECRET,
    ).expect(200);
    expect(
      (await poll(running.url, login.token, login.secret).expect(200)).body
        .user,
    ).toEqual(asLoggedInUser(user));
  });
});

describe('without WEBHOOK_SECRET (development, demo mode)', () => {
  let fake: FakeBotApi;
  let running: RunningApp;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    // No BOT_TOKEN: demo mode. TELEGRAM_API_ROOT still points at the fake, to prove nothing is sent.
    running = await startApp({ TELEGRAM_API_ROOT: fake.url });
  });

  afterAll(async () => {
    await running?.close();
    await fake?.close();
  });

  it('accepts updates without the header and completes the login, without calling Telegram', async () => {
    const login = await createLogin(running.url);
    expect(login.deepLink).toBe(`https://demo.invalid/?start=${login.token}`);
    const user = newUser();
    await postUpdate(running.url, startUpdate(login.token, user)).expect(200);
    expect(
      (await pollUntilSettled(running.url, login.token, login.secret)).body,
    ).toEqual({
      status: 'authenticated',
      user: asLoggedInUser(user),
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    });
    await delay(200);
    expect(fake.calls).toEqual([]);
    expect(fake.unauthorizedRequests).toEqual([]);
  });
});
