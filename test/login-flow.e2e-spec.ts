import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import { SignJWT } from 'jose';
import { createPrivateKey } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { generateJwks } from '../src/oidc/oidc-keys.js';
import { type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import {
  createLogin,
  delay,
  me,
  PHOTO_URL,
  poll,
  pollUntilSettled,
  postUpdate,
} from './support/http.js';
import { decodeQrDataUrl } from './support/qr-decode.js';
import {
  closeSockets,
  connectAuthSocket,
  disconnection,
  expectConnectError,
  expectNoStatus,
  nextStatus,
  waitForStatus,
} from './support/socket.js';
import {
  asLoggedInUser,
  newUser,
  startUpdate,
} from './support/telegram-updates.js';

const APP_NAME = 'QR Test Shop';
const WEBHOOK_SECRET = 'flow-webhook-secret_0123456789';
/** Its signing keys, given so that the tests can sign what only the service should (and another key can). */
const JWKS = generateJwks();
const ISSUER = 'https://login.flow.example';
const JWKS_OF_ANOTHER_SERVICE = generateJwks();

describe('QR login, end to end (LOGIN_CONFIRMATION off)', () => {
  let fake: FakeBotApi;
  let running: RunningApp;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    running = await startApp({
      APP_NAME,
      ...fake.env,
      WEBHOOK_SECRET,
      OIDC_JWKS: JSON.stringify(JWKS),
      OIDC_ISSUER: ISSUER,
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

  const sendStart = (tokenOrText: string, user = newUser()) =>
    postUpdate(url, startUpdate(tokenOrText, user), WEBHOOK_SECRET).expect(200);

  const replyTo = (chatId: number) =>
    fake.waitForCall('sendMessage', (params) => params.chat_id === chatId);

  describe('POST /auth/token', () => {
    it('answers 201 with a 43-character token, a secret, the deep link, its QR code and the expiry', async () => {
      const before = Date.now();
      const response = await request(url).post('/auth/token').expect(201);
      const body = response.body;

      expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(typeof body.secret).toBe('string');
      expect(body.secret.length).toBeGreaterThanOrEqual(32);
      expect(body.secret).not.toBe(body.token);
      expect(body.deepLink).toBe(
        `https://t.me/${fake.username}?start=${body.token}`,
      );
      expect(body.qr).toMatch(/^data:image\/svg\+xml;base64,[A-Za-z0-9+/]+=*$/);
      expect(decodeQrDataUrl(body.qr)).toBe(body.deepLink);
      expect(body.expiresIn).toBe(300);
      const expiresAt = Date.parse(body.expiresAt);
      expect(body.expiresAt).toBe(new Date(expiresAt).toISOString());
      expect(expiresAt).toBeGreaterThanOrEqual(before + 299_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 301_000);
      expect(body).not.toHaveProperty('matchCode');
      expect(body).not.toHaveProperty('demo');
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('never hands out the same token or secret twice', async () => {
      const logins = await Promise.all(
        Array.from({ length: 10 }, () => createLogin(url)),
      );
      expect(new Set(logins.map((login) => login.token)).size).toBe(10);
      expect(new Set(logins.map((login) => login.secret)).size).toBe(10);
    });
  });

  describe('over Socket.IO', () => {
    it('tells a waiting socket "pending", then "authenticated" with the user and an access token as soon as /start arrives', async () => {
      const login = await createLogin(url);
      const socket = await connect(login);
      expect(await nextStatus(socket)).toEqual({ status: 'pending' });

      const user = newUser();
      await sendStart(login.token, user);

      const result = await nextStatus(socket);
      expect(result).toEqual({
        status: 'authenticated',
        user: asLoggedInUser(user),
        photoUrl: expect.stringMatching(PHOTO_URL),
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
      });
      const session = await me(url, result.accessToken).expect(200);
      expect(session.body).toEqual(asLoggedInUser(user));
      expect(session.headers['cache-control']).toBe('no-store');

      const reply = await replyTo(user.id);
      expect(reply.text).toBe(
        `✅ You are logged in to ${APP_NAME}; you can go back to your browser.`,
      );
    });

    it('reports only the fields Telegram sent: a user without last name and username', async () => {
      const login = await createLogin(url);
      const socket = await connect(login);
      const user = newUser({
        first_name: 'Grace',
        last_name: undefined,
        username: undefined,
      });
      delete user.last_name;
      delete user.username;
      await sendStart(login.token, user);

      const result = await waitForStatus(socket, 'authenticated');
      expect(result.user).toEqual({ id: user.id, first_name: 'Grace' });
      expect((await me(url, result.accessToken).expect(200)).body).toEqual({
        id: user.id,
        first_name: 'Grace',
      });
    });

    it('delivers the result to every socket waiting for the same login, with the same access token', async () => {
      const login = await createLogin(url);
      const [first, second, third] = await Promise.all([
        connect(login),
        connect(login),
        connect(login),
      ]);
      for (const socket of [first, second, third])
        await waitForStatus(socket, 'pending');

      const user = newUser();
      await sendStart(login.token, user);

      const results = await Promise.all(
        [first, second, third].map((socket) =>
          waitForStatus(socket, 'authenticated'),
        ),
      );
      for (const result of results)
        expect(result.user).toEqual(asLoggedInUser(user));
      expect(new Set(results.map((result) => result.accessToken)).size).toBe(1);
    });

    it('does not tell a socket of another login anything', async () => {
      const mine = await createLogin(url);
      const other = await createLogin(url);
      const bystander = await connect(other);
      await waitForStatus(bystander, 'pending');
      const socket = await connect(mine);

      await sendStart(mine.token);
      await waitForStatus(socket, 'authenticated');
      await expectNoStatus(bystander, 300);
    });

    it('gives the result to a socket that connects after the login completed', async () => {
      const login = await createLogin(url);
      const user = newUser();
      await sendStart(login.token, user);
      await replyTo(user.id);

      const late = await connect(login);
      const result = await nextStatus(late);
      expect(result).toEqual({
        status: 'authenticated',
        user: asLoggedInUser(user),
        photoUrl: expect.stringMatching(PHOTO_URL),
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
      });
      await me(url, result.accessToken).expect(200);
    });

    it('hands the result out once: afterwards the login is gone for sockets and polls alike', async () => {
      const login = await createLogin(url);
      const socket = await connect(login);
      await sendStart(login.token);
      await waitForStatus(socket, 'authenticated');
      // Let go once the acknowledgement has taken the result.
      await disconnection(socket);

      await poll(url, login.token, login.secret).expect(404);
      await expectConnectError(url, login);
    });

    it('refuses the handshake of a socket with the wrong secret, a missing secret or an unknown token', async () => {
      const login = await createLogin(url);
      const other = await createLogin(url);
      for (const auth of [
        { token: login.token, secret: other.secret },
        { token: login.token, secret: '' },
        { token: login.token },
        { token: 'A'.repeat(43), secret: login.secret },
        { token: 42, secret: login.secret },
        {},
      ]) {
        const error = await expectConnectError(url, auth);
        expect(error.message).toBe('Unknown login');
      }
    });

    it('works with the polling transport of socket.io too (what a browser falls back to behind some proxies)', async () => {
      const login = await createLogin(url);
      const socket = await connectAuthSocket(url, login, {
        transports: ['polling'],
      });
      sockets.push(socket);
      await waitForStatus(socket, 'pending');
      const user = newUser();
      await sendStart(login.token, user);
      expect((await waitForStatus(socket, 'authenticated')).user).toEqual(
        asLoggedInUser(user),
      );
    });
  });

  describe('over HTTP polling', () => {
    it('answers "pending" until /start arrives, then "authenticated" once, then 404', async () => {
      const login = await createLogin(url);
      const pending = await poll(url, login.token, login.secret).expect(200);
      expect(pending.body).toEqual({ status: 'pending' });
      expect(pending.headers['cache-control']).toBe('no-store');

      const user = newUser();
      await sendStart(login.token, user);

      const result = await pollUntilSettled(url, login.token, login.secret);
      expect(result.body).toEqual({
        status: 'authenticated',
        user: asLoggedInUser(user),
        photoUrl: expect.stringMatching(PHOTO_URL),
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
      });
      expect(result.headers['cache-control']).toBe('no-store');
      expect((await me(url, result.body.accessToken).expect(200)).body).toEqual(
        asLoggedInUser(user),
      );

      await poll(url, login.token, login.secret).expect(404);
    });

    it('answers a wrong or missing secret exactly like an unknown token: 404 and nothing about the login', async () => {
      const login = await createLogin(url);
      const other = await createLogin(url);
      const unknown = await poll(url, 'B'.repeat(43), login.secret).expect(404);
      const wrong = await poll(url, login.token, other.secret).expect(404);
      const missing = await poll(url, login.token).expect(404);
      const malformed = await poll(url, 'not-a-token', login.secret).expect(
        404,
      );
      expect(wrong.body).toEqual(unknown.body);
      expect(missing.body).toEqual(unknown.body);
      expect(malformed.body).toEqual(unknown.body);
      expect(JSON.stringify(wrong.body)).not.toMatch(
        /pending|authenticated|expired/,
      );

      // The login itself is untouched by the attempts.
      await poll(url, login.token, login.secret).expect(200, {
        status: 'pending',
      });
    });

    it('does not give the result to a caller with the wrong secret, and keeps it for the browser that holds it', async () => {
      const login = await createLogin(url);
      const intruder = await createLogin(url);
      const user = newUser();
      await sendStart(login.token, user);

      await poll(url, login.token, intruder.secret).expect(404);
      await expectConnectError(url, {
        token: login.token,
        secret: intruder.secret,
      });
      const result = await poll(url, login.token, login.secret).expect(200);
      expect(result.body.user).toEqual(asLoggedInUser(user));
    });
  });

  describe('single use', () => {
    it('tells a second /start with a used token that it is not valid, and the browser keeps the first user', async () => {
      const login = await createLogin(url);
      const ada = newUser();
      const mallory = newUser({ first_name: 'Mallory', username: 'mallory' });
      await sendStart(login.token, ada);
      await replyTo(ada.id);

      await sendStart(login.token, mallory);
      const reply = await replyTo(mallory.id);
      expect(reply.text).toBe(
        `⚠️ This login link is not valid or has already been used. Open the ${APP_NAME} login page in your browser and scan the QR code shown there.`,
      );

      const result = await poll(url, login.token, login.secret).expect(200);
      expect(result.body.user).toEqual(asLoggedInUser(ada));
    });

    it('treats /start with a token whose result was delivered like an unknown token', async () => {
      const login = await createLogin(url);
      const socket = await connect(login);
      const user = newUser();
      await sendStart(login.token, user);
      await waitForStatus(socket, 'authenticated');
      await replyTo(user.id);

      const again = newUser();
      await sendStart(login.token, again);
      expect((await replyTo(again.id)).text).toMatch(
        /not valid or has already been used/,
      );
      await expectNoStatus(socket, 300);
    });
  });

  describe('the bot', () => {
    it('explains itself on a bare /start, and nothing logs in', async () => {
      const login = await createLogin(url);
      const user = newUser();
      await sendStart('/start', user);
      const reply = await replyTo(user.id);
      expect(reply.text).toBe(
        `👋 I log you in to ${APP_NAME}. Open its login page in your browser and scan the QR code with your phone's camera, or tap "Open in Telegram" if you are on the phone already.\n\nSend /sessions to see where you are logged in with your Telegram account, and to log browsers out.`,
      );
      await poll(url, login.token, login.secret).expect(200, {
        status: 'pending',
      });
    });

    it('says a token it does not know is not valid (well-formed and malformed alike)', async () => {
      for (const payload of ['C'.repeat(43), 'short', 'x'.repeat(64)]) {
        const user = newUser();
        await sendStart(payload, user);
        expect((await replyTo(user.id)).text).toMatch(
          /^⚠️ This login link is not valid or has already been used\./,
        );
      }
    });

    it('answers /start@<bot> <token> from a client that adds the bot name', async () => {
      const login = await createLogin(url);
      const user = newUser();
      await sendStart(`/start@${fake.username} ${login.token}`, user);
      expect(
        (await poll(url, login.token, login.secret).expect(200)).body.user,
      ).toEqual(asLoggedInUser(user));
    });

    it('replies in the chat the /start came from, without a link preview', async () => {
      const login = await createLogin(url);
      const user = newUser();
      await sendStart(login.token, user);
      const reply = await replyTo(user.id);
      expect(reply.chat_id).toBe(user.id);
      expect(reply.link_preview_options).toEqual({ is_disabled: true });
    });

    it('answers the webhook before Telegram has confirmed the reply (a slow Bot API does not hold up the login)', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      fake.respondTo('sendMessage', async (params) => {
        await held;
        return {
          message_id: 1,
          date: 0,
          chat: { id: params.chat_id, type: 'private' },
          text: params.text,
        };
      });
      try {
        const login = await createLogin(url);
        const socket = await connect(login);
        await sendStart(login.token);
        await waitForStatus(socket, 'authenticated');
      } finally {
        release();
        await delay(50);
        fake.respondTo('sendMessage');
      }
    });
  });

  describe('GET /auth/me', () => {
    const EC = JWKS.keys.find((key) => key.kty === 'EC')!;
    /** A session that goes on, for tokens signed by hand to belong to. */
    let liveSid: string;
    beforeAll(async () => {
      const login = await createLogin(url);
      await sendStart(login.token, newUser());
      const { accessToken } = (
        await pollUntilSettled(url, login.token, login.secret)
      ).body;
      liveSid = JSON.parse(
        Buffer.from(accessToken.split('.')[1], 'base64url').toString(),
      ).sid;
    });
    /** Exactly these claims (the issuer and a live session's sid unless given) signed by hand with a key, as its holder could. */
    const signed = (
      claims: Record<string, unknown>,
      jwk: Record<string, unknown> = EC,
    ) =>
      new SignJWT({ iss: ISSUER, sid: liveSid, ...claims })
        .setProtectedHeader({
          alg: 'ES256',
          kid: jwk.kid as string,
          typ: 'at+jwt',
        })
        .sign(createPrivateKey({ key: jwk, format: 'jwk' }));
    const now = () => Math.floor(Date.now() / 1000);

    it('issues an ES256 JWT, naming its key and the issuer, whose subject is the Telegram id and whose claims are the user', async () => {
      const login = await createLogin(url);
      const user = newUser();
      await sendStart(login.token, user);
      const { accessToken } = (
        await poll(url, login.token, login.secret).expect(200)
      ).body;
      const [header, payload] = accessToken.split('.');
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
        alg: 'ES256',
        kid: EC.kid,
        typ: 'at+jwt',
      });
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      expect(claims).toMatchObject({
        iss: ISSUER,
        sub: String(user.id),
        first_name: user.first_name,
        last_name: user.last_name,
        username: user.username,
      });
      expect(claims.exp - claims.iat).toBe(600);
      expect(claims.sid).toMatch(/^[A-Za-z0-9_-]{22}$/);
    });

    it('accepts a token this service signed', async () => {
      const token = await signed({
        sub: '77',
        first_name: 'Signed',
        iat: now(),
        exp: now() + 60,
      });
      await me(url, token).expect(200, { id: 77, first_name: 'Signed' });
    });

    it('answers 401 to a token signed with the key whose session does not exist, or that names none', async () => {
      const claims = {
        sub: '77',
        first_name: 'Signed',
        iat: now(),
        exp: now() + 60,
      };
      await me(
        url,
        await signed({ ...claims, sid: 'AAAAAAAAAAAAAAAAAAAAAA' }),
      ).expect(401);
      await me(url, await signed({ ...claims, sid: undefined })).expect(401);
    });

    it.each([
      ['no Authorization header', undefined],
      ['garbage', 'not-a-jwt'],
      ['an empty bearer', ''],
    ])('answers 401 to %s', async (_name, token) => {
      const response = await me(url, token).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401 });
      expect(JSON.stringify(response.body)).not.toMatch(/stack|at .*\.js/);
    });

    it('answers 401 to a token signed with another key, an expired one, and an unsigned (alg none) one', async () => {
      await me(
        url,
        await signed(
          { sub: '77', first_name: 'Eve', iat: now(), exp: now() + 60 },
          JWKS_OF_ANOTHER_SERVICE.keys.find((key) => key.kty === 'EC'),
        ),
      ).expect(401);
      await me(
        url,
        await signed({
          sub: '77',
          first_name: 'Old',
          iat: now() - 120,
          exp: now() - 60,
        }),
      ).expect(401);
      const encode = (part: unknown) =>
        Buffer.from(JSON.stringify(part)).toString('base64url');
      await me(
        url,
        `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: '77', first_name: 'None', exp: now() + 60 })}.`,
      ).expect(401);
    });

    it('answers 401 to a token signed with the key but without exp or iat', async () => {
      await me(url, await signed({ sub: '77', first_name: 'Forever' })).expect(
        401,
      );
      await me(
        url,
        await signed({ sub: '77', first_name: 'Forever', iat: now() }),
      ).expect(401);
      await me(
        url,
        await signed({ sub: '77', first_name: 'Forever', exp: now() + 60 }),
      ).expect(401);
    });

    it.each([[''], [' '], ['0x10'], ['1e3'], ['-5'], ['016']])(
      'answers 401 to a signed token whose subject %p is no Telegram id',
      async (sub) => {
        await me(
          url,
          await signed({ sub, first_name: 'Odd', iat: now(), exp: now() + 60 }),
        ).expect(401);
      },
    );

    it('takes exactly one token after "Bearer " (any case), nothing more', async () => {
      const token = await signed({
        sub: '77',
        first_name: 'Header',
        iat: now(),
        exp: now() + 60,
      });
      const authorize = (value: string) =>
        request(url).get('/auth/me').set('Authorization', value);
      await authorize(`bearer ${token}`).expect(200);
      await authorize(`BEARER ${token}`).expect(200);
      // (Node's parser trims spaces around a header value: those cannot be told apart.)
      for (const value of [
        `Bearer ${token} extra`,
        `Bearer ${token} ${token}`,
        `Bearer ${token},${token}`,
        `Bearer  ${token}`,
        `Bearer\t${token}`,
        `Bearer`,
      ])
        await authorize(value)
          .expect(401)
          .catch((error: Error) => {
            throw new Error(`${JSON.stringify(value)}: ${error.message}`);
          });
    });

    it('answers 401 to a token that is not Bearer', async () => {
      const token = await signed({
        sub: '77',
        first_name: 'Basic',
        iat: now(),
        exp: now() + 60,
      });
      await request(url)
        .get('/auth/me')
        .set('Authorization', `Basic ${token}`)
        .expect(401);
    });
  });
});
