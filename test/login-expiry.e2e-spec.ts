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
import { createLogin, delay, me, poll, postUpdate } from './support/http.js';
import {
  closeSockets,
  connectAuthSocket,
  expectNoStatus,
  nextStatus,
  waitForStatus,
} from './support/socket.js';
import { newUser, startUpdate } from './support/telegram-updates.js';

const APP_NAME = 'Expiry Test';

describe('expiry (TOKEN_TTL_SECONDS=1)', () => {
  let fake: FakeBotApi;
  let running: RunningApp;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    running = await startApp({
      APP_NAME,
      ...fake.env,
      TOKEN_TTL_SECONDS: '1',
      JWT_TTL_SECONDS: '1',
    });
    url = running.url;
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await running?.close();
    await fake?.close();
  });

  const connect = async (auth: { token: string; secret: string }) => {
    const socket = await connectAuthSocket(url, auth);
    sockets.push(socket);
    return socket;
  };

  it('says so in the token response', async () => {
    const login = await createLogin(url);
    expect(login.expiresIn).toBe(1);
    expect(Date.parse(login.expiresAt) - Date.now()).toBeLessThanOrEqual(1000);
  });

  it('tells every waiting socket "expired" when the time is up, and nothing after', async () => {
    const login = await createLogin(url);
    const first = await connect(login);
    const second = await connect(login);
    expect(await nextStatus(first)).toEqual({ status: 'pending' });
    expect(await nextStatus(second)).toEqual({ status: 'pending' });

    expect(await nextStatus(first, 3000)).toEqual({ status: 'expired' });
    // Not before its time.
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(login.expiresAt));
    expect(await nextStatus(second, 1000)).toEqual({ status: 'expired' });

    await postUpdate(url, startUpdate(login.token)).expect(200);
    await expectNoStatus(first, 300);
  });

  it('answers a poll after the expiry with "expired", also to a socket that connects late', async () => {
    const login = await createLogin(url);
    await poll(url, login.token, login.secret).expect(200, {
      status: 'pending',
    });
    await delay(1100);
    await poll(url, login.token, login.secret).expect(200, {
      status: 'expired',
    });
    const late = await connect(login);
    expect(await nextStatus(late)).toEqual({ status: 'expired' });
  });

  it('does not log in with an expired token: the bot says it expired and the browser still sees "expired"', async () => {
    const login = await createLogin(url);
    const socket = await connect(login);
    await waitForStatus(socket, 'pending');
    await waitForStatus(socket, 'expired', 3000);

    const user = newUser();
    await postUpdate(url, startUpdate(login.token, user)).expect(200);
    const reply = await fake.waitForCall(
      'sendMessage',
      (params) => params.chat_id === user.id,
    );
    expect(reply.text).toBe(
      `⌛ This login link has expired. Go back to ${APP_NAME} in your browser and scan the new QR code (or reload the page to get one).`,
    );
    await poll(url, login.token, login.secret).expect(200, {
      status: 'expired',
    });
    await expectNoStatus(socket, 200);
  });

  it('still completes a login whose /start arrives in time', async () => {
    const login = await createLogin(url);
    const socket = await connect(login);
    await postUpdate(url, startUpdate(login.token)).expect(200);
    const result = await waitForStatus(socket, 'authenticated');
    await me(url, result.accessToken).expect(200);
    // The result was delivered; the expiry timer must not send "expired" afterwards.
    await expectNoStatus(socket, 1300);
  });

  it('ends the session when the access token expires (JWT_TTL_SECONDS=1)', async () => {
    const login = await createLogin(url);
    await postUpdate(url, startUpdate(login.token)).expect(200);
    const { accessToken } = (
      await poll(url, login.token, login.secret).expect(200)
    ).body;
    await me(url, accessToken).expect(200);
    await delay(2100);
    await me(url, accessToken).expect(401);
  });
});
