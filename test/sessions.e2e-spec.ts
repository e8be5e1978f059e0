import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import { decodeJwt } from 'jose';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { eventually, me } from './support/http.js';
import {
  deleteKeys,
  connectTestRedis,
  describeWithRedis,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from './support/redis.js';
import { logIn, refresh, withBearer } from './support/sessions.js';
import {
  closeSockets,
  connectSessionSocket,
  sessionEnded,
} from './support/socket.js';
import { newUser } from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'sessions-webhook-secret_0123456789';
const APP_NAME = 'Session Shop';
const FIREFOX_ON_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
const SAFARI_ON_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

describe('sessions: refresh, log out, list and end (one instance)', () => {
  let fake: FakeBotApi;
  let running: RunningApp;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    running = await startApp({ ...fake.env, APP_NAME, WEBHOOK_SECRET });
    url = running.url;
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await running?.close();
    await fake?.close();
  });

  const login = (options: Parameters<typeof logIn>[1] = {}) =>
    logIn(url, { webhookSecret: WEBHOOK_SECRET, ...options });
  const watch = async (accessToken: string) => {
    const socket = await connectSessionSocket(url, accessToken);
    sockets.push(socket);
    return socket;
  };
  const sessionsOf = (accessToken: string) =>
    withBearer(request(url).get('/auth/sessions'), accessToken);

  describe('POST /auth/refresh', () => {
    it('gives a new pair of the same session and spends the refresh token it was given', async () => {
      const session = await login();
      const first = await refresh(url, session.refreshToken).expect(200);
      expect(first.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
      });
      expect(first.headers['cache-control']).toBe('no-store');
      expect(first.body.refreshToken).not.toBe(session.refreshToken);
      expect(decodeJwt(first.body.accessToken).sid).toBe(session.sid);
      await me(url, first.body.accessToken).expect(200);

      const second = await refresh(url, first.body.refreshToken).expect(200);
      await me(url, second.body.accessToken).expect(200);
    });

    it('ends the whole session when a spent refresh token comes back, and tells its page why', async () => {
      const session = await login();
      const socket = await watch(session.accessToken);
      const next = (await refresh(url, session.refreshToken).expect(200)).body;

      const reuse = await refresh(url, session.refreshToken).expect(401);
      expect(reuse.body).toEqual({
        statusCode: 401,
        message: 'The refresh token is not valid, spent or expired',
        error: 'Unauthorized',
      });
      expect(await sessionEnded(socket)).toEqual({
        status: 'ended',
        reason: 'refresh-token-reused',
      });
      // The thief's newest pair is as dead as the original.
      await refresh(url, next.refreshToken).expect(401);
      await me(url, next.accessToken).expect(401);
      await me(url, session.accessToken).expect(401);
    });

    it('refuses a forged refresh token for a real session, and leaves that session alone', async () => {
      const session = await login();
      await refresh(url, `${session.sid}.0.${'A'.repeat(43)}`).expect(401);
      await refresh(url, `${session.sid}.5.${'A'.repeat(43)}`).expect(401);
      await me(url, session.accessToken).expect(200);
      await refresh(url, session.refreshToken).expect(200);
    });

    it.each([
      ['no refreshToken', JSON.stringify({}), 'application/json', 400],
      [
        'a number',
        JSON.stringify({ refreshToken: 5 }),
        'application/json',
        400,
      ],
      ['an array body', JSON.stringify(['x']), 'application/json', 400],
      ['JSON that is not', '{"refreshToken":', 'application/json', 400],
      ['a form', 'refreshToken=x', 'application/x-www-form-urlencoded', 415],
    ])(
      'answers %s with a clear error and changes nothing',
      async (_name, body, type, status) => {
        const session = await login();
        const response = await request(url)
          .post('/auth/refresh')
          .set('Content-Type', type)
          .send(body)
          .expect(status);
        expect(response.body).toMatchObject({
          statusCode: status,
          message: expect.any(String),
        });
        expect(JSON.stringify(response.body)).not.toMatch(/stack|at .*\.js/);
        await refresh(url, session.refreshToken).expect(200);
      },
    );

    it('answers 413 to a body over the limit', async () => {
      await request(url)
        .post('/auth/refresh')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ refreshToken: 'x'.repeat(5000) }))
        .expect(413);
    });
  });

  describe('POST /auth/logout', () => {
    it('ends the session: 204, its tokens refused, its page told', async () => {
      const session = await login();
      const socket = await watch(session.accessToken);
      await withBearer(
        request(url).post('/auth/logout'),
        session.accessToken,
      ).expect(204);

      expect(await sessionEnded(socket)).toEqual({
        status: 'ended',
        reason: 'logged-out',
      });
      await me(url, session.accessToken).expect(401);
      await refresh(url, session.refreshToken).expect(401);
      await withBearer(
        request(url).post('/auth/logout'),
        session.accessToken,
      ).expect(401);
      // A page that comes back with the old token is refused at the handshake.
      await expect(
        connectSessionSocket(url, session.accessToken),
      ).rejects.toThrow('Session not active');
    });

    it('answers 401 without a token, and ends nothing', async () => {
      const session = await login();
      await request(url).post('/auth/logout').expect(401);
      await me(url, session.accessToken).expect(200);
    });
  });

  describe('GET /auth/sessions and DELETE /auth/sessions/:sid', () => {
    it("lists the caller's sessions newest first, with site, browser, system, IP and times, the current one marked", async () => {
      const user = newUser();
      const before = Date.now();
      const onLinux = await login({ user, userAgent: FIREFOX_ON_LINUX });
      const onPhone = await login({ user, userAgent: SAFARI_ON_IPHONE });
      await login(); // someone else's

      const response = await sessionsOf(onLinux.accessToken).expect(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({
        sessions: [
          {
            sid: onPhone.sid,
            site: APP_NAME,
            browser: 'Safari 17',
            os: 'iOS 17.1',
            ip: '127.0.0.1',
            createdAt: expect.any(String),
            lastUsedAt: expect.any(String),
            expiresAt: expect.any(String),
            current: false,
          },
          {
            sid: onLinux.sid,
            site: APP_NAME,
            browser: 'Firefox 121',
            os: 'Linux',
            ip: '127.0.0.1',
            createdAt: expect.any(String),
            lastUsedAt: expect.any(String),
            expiresAt: expect.any(String),
            current: true,
          },
        ],
      });
      for (const session of response.body.sessions) {
        const created = Date.parse(session.createdAt);
        expect(session.createdAt).toBe(new Date(created).toISOString());
        expect(created).toBeGreaterThanOrEqual(before);
        expect(Date.parse(session.lastUsedAt)).toBeGreaterThanOrEqual(created);
        // SESSION_TTL_SECONDS: 14 days from the login.
        expect(Date.parse(session.expiresAt) - created).toBe(
          14 * 24 * 3600 * 1000,
        );
      }
    });

    it("ends another of the caller's sessions (204), whose page hears it ended from another session", async () => {
      const user = newUser();
      const here = await login({ user });
      const there = await login({ user });
      const socket = await watch(there.accessToken);

      await withBearer(
        request(url).delete(`/auth/sessions/${there.sid}`),
        here.accessToken,
      ).expect(204);
      expect(await sessionEnded(socket)).toEqual({
        status: 'ended',
        reason: 'ended-from-another-session',
      });
      await me(url, there.accessToken).expect(401);
      await me(url, here.accessToken).expect(200);
      expect(
        (await sessionsOf(here.accessToken).expect(200)).body.sessions.map(
          (s: { sid: string }) => s.sid,
        ),
      ).toEqual([here.sid]);
    });

    it("answers 404 alike for another person's session and an unknown one, and ends neither", async () => {
      const mine = await login();
      const theirs = await login();
      for (const sid of [
        theirs.sid,
        'AAAAAAAAAAAAAAAAAAAAAA',
        'not-a-session-id',
      ]) {
        const response = await withBearer(
          request(url).delete(`/auth/sessions/${sid}`),
          mine.accessToken,
        ).expect(404);
        expect(response.body).toEqual({
          statusCode: 404,
          message: 'Unknown session',
          error: 'Not Found',
        });
      }
      await me(url, theirs.accessToken).expect(200);
    });

    it('ends the current session too, when asked for it by id', async () => {
      const session = await login();
      await withBearer(
        request(url).delete(`/auth/sessions/${session.sid}`),
        session.accessToken,
      ).expect(204);
      await me(url, session.accessToken).expect(401);
    });
  });

  describe('the /sessions socket', () => {
    it.each([
      ['no token', undefined],
      ['garbage', 'not-a-jwt'],
    ])('refuses a handshake with %s', async (_name, token) => {
      await expect(connectSessionSocket(url, token)).rejects.toThrow(
        'Session not active',
      );
    });
  });
});

describeWithRedis('sessions across two instances on one Redis', () => {
  const prefix = uniqueKeyPrefix('sessions-e2e');
  let fake: FakeBotApi;
  let a: RunningApp;
  let b: RunningApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    const env = {
      ...fake.env,
      WEBHOOK_SECRET,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
    };
    a = await startApp(env);
    b = await startApp(env);
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    const redis = connectTestRedis();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it("ends a session on one instance: the other's socket of it hears so, and the other refuses its token once its check (cached SESSION_CHECK_CACHE_MS) runs out", async () => {
    const session = await logIn(a.url, { webhookSecret: WEBHOOK_SECRET });
    await me(b.url, session.accessToken).expect(200);
    const socket = await connectSessionSocket(b.url, session.accessToken);
    sockets.push(socket);

    await withBearer(
      request(a.url).post('/auth/logout'),
      session.accessToken,
    ).expect(204);
    expect(await sessionEnded(socket)).toEqual({
      status: 'ended',
      reason: 'logged-out',
    });
    await me(a.url, session.accessToken).expect(401);
    await eventually(() =>
      me(b.url, session.accessToken)
        .expect(401)
        .then(() => undefined),
    );
  });

  it('refreshes on either instance, and detects reuse across them', async () => {
    const session = await logIn(a.url, { webhookSecret: WEBHOOK_SECRET });
    const next = (await refresh(b.url, session.refreshToken).expect(200)).body;
    await refresh(a.url, session.refreshToken).expect(401);
    await refresh(b.url, next.refreshToken).expect(401);
  });

  it('lists on one instance the sessions made on both', async () => {
    const user = newUser();
    const first = await logIn(a.url, { user, webhookSecret: WEBHOOK_SECRET });
    const second = await logIn(b.url, { user, webhookSecret: WEBHOOK_SECRET });
    const { body } = await withBearer(
      request(a.url).get('/auth/sessions'),
      first.accessToken,
    ).expect(200);
    expect(body.sessions.map((s: { sid: string }) => s.sid)).toEqual([
      second.sid,
      first.sid,
    ]);
  });
});
