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
// Expiry needs real time to pass. What must happen before it (creating,
// connecting, scanning) gets seconds of margin on a busy machine; what must
// happen after it waits for the login's own expiresAt, never a fixed delay.
const TOKEN_TTL_SECONDS = 3;
const JWT_TTL_SECONDS = 3;

/** Resolves once the clock has passed `epochMs` (plus a little, for timer granularity). */
const untilPast = (epochMs: number) =>
  delay(Math.max(0, epochMs - Date.now()) + 50);

/** When an access token expires (its `exp`, in epoch ms). */
const expiryOf = (accessToken: string) =>
  (
    JSON.parse(
      Buffer.from(accessToken.split('.')[1], 'base64url').toString(),
    ) as { exp: number }
  ).exp * 1000;

describe(`expiry (TOKEN_TTL_SECONDS=${TOKEN_TTL_SECONDS})`, () => {
  let fake: FakeBotApi;
  let running: RunningApp;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    running = await startApp({
      APP_NAME,
      ...fake.env,
      TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
      JWT_TTL_SECONDS: String(JWT_TTL_SECONDS),
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
    expect(login.expiresIn).toBe(TOKEN_TTL_SECONDS);
    expect(Date.parse(login.expiresAt) - Date.now()).toBeLessThanOrEqual(
      TOKEN_TTL_SECONDS * 1000,
    );
  });

  it('tells every waiting socket "expired" when the time is up, and nothing after', async () => {
    const login = await createLogin(url);
    const first = await connect(login);
    const second = await connect(login);
    expect(await nextStatus(first)).toEqual({ status: 'pending' });
    expect(await nextStatus(second)).toEqual({ status: 'pending' });

    expect(await nextStatus(first)).toEqual({ status: 'expired' });
    // Not before its time.
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(login.expiresAt));
    expect(await nextStatus(second)).toEqual({ status: 'expired' });

    await postUpdate(url, startUpdate(login.token)).expect(200);
    await expectNoStatus(first, 300);
  });

  it('answers a poll after the expiry with "expired", also to a socket that connects late', async () => {
    const login = await createLogin(url);
    await poll(url, login.token, login.secret).expect(200, {
      status: 'pending',
    });
    await untilPast(Date.parse(login.expiresAt));
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
    await waitForStatus(socket, 'expired');

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
    await expectNoStatus(
      socket,
      Date.parse(login.expiresAt) - Date.now() + 300,
    );
  });

  it(`ends the session when the access token expires (JWT_TTL_SECONDS=${JWT_TTL_SECONDS})`, async () => {
    const login = await createLogin(url);
    await postUpdate(url, startUpdate(login.token)).expect(200);
    const { accessToken } = (
      await poll(url, login.token, login.secret).expect(200)
    ).body;
    // JWT times are whole seconds: a token issued late in a second is good
    // for at least JWT_TTL_SECONDS - 1 seconds, margin enough for this call.
    await me(url, accessToken).expect(200);
    await untilPast(expiryOf(accessToken));
    await me(url, accessToken).expect(401);
  });
});
