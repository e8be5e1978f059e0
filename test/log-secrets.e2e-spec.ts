import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import request from 'supertest';
import { generateJwks } from '../src/oidc/oidc-keys.js';
import { CapturingLogger, type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import {
  createLogin,
  delay,
  eventually,
  me,
  poll,
  postUpdate,
} from './support/http.js';
import {
  browse,
  completeOnPage,
  openLoginPage,
  pageLogin,
  POST_LOGOUT_URI,
  relyingParty,
  SHOP,
} from './support/oidc.js';
import {
  closeSockets,
  connectAuthSocket,
  expectConnectError,
  waitForStatus,
} from './support/socket.js';
import { freePort } from './support/redis.js';
import {
  buildService,
  type ServiceProcess,
  spawnService,
} from './support/service-process.js';
import { newUser, startUpdate } from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'never-log-this-webhook-secret';
const JWKS = generateJwks();
/** Every private part of the signing keys. */
const PRIVATE_KEY_PARTS = JWKS.keys.flatMap((key) =>
  ['d', 'p', 'q', 'dp', 'dq', 'qi']
    .map((part) => key[part])
    .filter((value): value is string => typeof value === 'string'),
);

describe('secrets never reach the logs', () => {
  let fake: FakeBotApi;
  let running: RunningApp;
  const logger = new CapturingLogger();
  const written: string[] = [];
  let restoreWrites: () => void;

  beforeAll(async () => {
    // Whatever bypasses Nest's logger and writes to stdout/stderr directly is caught too.
    const stdout = process.stdout.write.bind(process.stdout);
    const stderr = process.stderr.write.bind(process.stderr);
    process.stdout.write = (chunk: unknown, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (stdout as (...args: unknown[]) => boolean)(chunk, ...rest);
    };
    process.stderr.write = (chunk: unknown, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (stderr as (...args: unknown[]) => boolean)(chunk, ...rest);
    };
    restoreWrites = () => {
      process.stdout.write = stdout;
      process.stderr.write = stderr;
    };

    fake = await FakeBotApi.start();
    running = await startApp(
      {
        ...fake.env,
        WEBHOOK_SECRET,
        OIDC_JWKS: JSON.stringify(JWKS),
        LOG_LEVEL: 'trace',
      },
      { logger },
    );
  });

  afterAll(async () => {
    restoreWrites?.();
    await running?.close();
    await fake?.close();
  });

  it('through a login, failed Bot API calls, bad requests and shutdown', async () => {
    const login = await createLogin(running.url);
    const socket = await connectAuthSocket(running.url, login);
    const user = newUser();

    // A refused webhook call, a wrong login secret, a bad access token.
    await postUpdate(
      running.url,
      startUpdate(login.token, user),
      'wrong-secret',
    ).expect(401);
    await poll(running.url, login.token, 'wrong-login-secret').expect(404);
    await expectConnectError(running.url, {
      token: login.token,
      secret: 'wrong-login-secret',
    });
    await me(running.url, 'not-a-jwt').expect(401);

    // Telegram refuses the reply: the failure is logged.
    fake.failNext('sendMessage', {
      status: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    await postUpdate(
      running.url,
      startUpdate(login.token, user),
      WEBHOOK_SECRET,
    ).expect(200);
    const result = await waitForStatus(socket, 'authenticated');
    closeSockets(socket);
    await fake.waitForCall(
      'sendMessage',
      (params) => params.chat_id === user.id,
    );
    await me(running.url, result.accessToken).expect(200);

    // Malformed JSON and a bare /start.
    await postUpdate(
      running.url,
      startUpdate('/start', newUser()),
      WEBHOOK_SECRET,
    ).expect(200);
    await request(running.url)
      .post('/telegram/webhook')
      .set('X-Telegram-Bot-Api-Secret-Token', WEBHOOK_SECRET)
      .set('Content-Type', 'application/json')
      .send(`{"token": "${fake.token}"`)
      .expect(400);
    await delay(300);
    await running.close();

    const everything = `${logger.text}\n${written.join('')}`;
    // The test can only catch a leak if the app does log: the failed reply must be in there.
    expect(logger.text).toMatch(/sendMessage/);
    expect(logger.text).toMatch(/Forbidden|403|blocked/);

    for (const secret of [
      fake.token,
      fake.token.split(':')[1],
      WEBHOOK_SECRET,
      ...PRIVATE_KEY_PARTS,
      login.secret,
      result.accessToken!,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe("nor do the OpenID Provider's codes, tokens and client secrets", () => {
  let fake: FakeBotApi;
  let service: ServiceProcess;
  let issuer: string;

  beforeAll(async () => {
    await buildService();
    fake = await FakeBotApi.start();
    // The built service as a child: its request log is the JSON it writes to stdout.
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    service = await spawnService(
      {
        ...fake.env,
        OIDC_ISSUER: issuer,
        OIDC_CLIENTS: JSON.stringify([SHOP]),
        LOG_LEVEL: 'trace',
      },
      { port },
    );
  }, 120_000);

  afterAll(async () => {
    await service?.kill();
    await fake?.close();
  });

  it('through a login, a refresh, userinfo, introspection, revocation and logout', async () => {
    const instance = { url: service.url };
    const rp = await relyingParty(issuer, SHOP);
    const visit = await openLoginPage(instance, rp, {
      scope: 'openid profile offline_access',
      prompt: 'consent',
    });
    const ticket = await pageLogin(visit);
    await postUpdate(service.url, startUpdate(ticket.token, newUser())).expect(
      200,
    );
    const { continueTo } = await eventually(async () => {
      const body = (
        await poll(service.url, ticket.token, ticket.secret).expect(200)
      ).body as { continueTo?: string };
      expect(body.continueTo).toBeDefined();
      return body as { continueTo: string };
    });
    const callback = await completeOnPage(instance, visit, continueTo, ticket);
    const code = callback.searchParams.get('code')!;
    const tokens = await oidc.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: visit.codeVerifier,
      expectedState: visit.state,
      expectedNonce: visit.nonce,
    });
    const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    await oidc.fetchUserInfo(rp, refreshed.access_token, tokens.claims()!.sub);
    await oidc.tokenIntrospection(rp, refreshed.access_token);
    // The ID token travels in a GET's query at logout: the request log must not keep it.
    const logout = await browse(
      oidc.buildEndSessionUrl(rp, {
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: POST_LOGOUT_URI,
      }),
      visit.jar,
    );
    expect(logout.status).toBe(200);
    await oidc.tokenRevocation(rp, refreshed.refresh_token!);
    // The request log line follows the response.
    await service.waitForLine((line) => line.includes('/token/revocation'));

    const everything = [...service.stdout, ...service.stderr].join('\n');
    // The test can only catch a leak if requests are logged: the logout's is, and the token endpoint's.
    expect(everything).toMatch(/"url":"\/logout\?id_token_hint=%5Bredacted%5D/);
    expect(everything).toMatch(/"url":"\/token"/);
    for (const secret of [
      SHOP.client_secret!,
      code,
      ticket.secret,
      tokens.access_token,
      tokens.refresh_token!,
      tokens.id_token!,
      refreshed.access_token,
      refreshed.refresh_token!,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});
