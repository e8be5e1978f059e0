import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { SessionService } from '../src/sessions/session.service.js';
import { startApp, type RunningApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { eventually, poll, postUpdate } from './support/http.js';
import {
  ADA,
  authorize,
  browse,
  CLIENT_SECRET,
  completeOnPage,
  CookieJar,
  exchange,
  finishInteraction,
  LogoutReceiver,
  openLoginPage,
  pageLogin,
  REDIRECT_URI,
  relyingParty,
  SHOP,
  type AuthorizationResult,
  type OidcApp,
} from './support/oidc.js';
import {
  connectTestRedis,
  deleteKeys,
  describeWithRedis,
  freePort,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from './support/redis.js';
import { newUser, startUpdate } from './support/telegram-updates.js';

const ADA_IN_TELEGRAM = newUser({
  id: 4242,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
});

/** The same URL on another instance: what a load balancer does with the next request. */
const on = (instance: RunningApp, url: string | URL) => {
  const moved = new URL(url);
  const target = new URL(instance.url);
  moved.host = target.host;
  return moved;
};

describeWithRedis('the OpenID Provider on two instances (real Redis)', () => {
  const prefix = uniqueKeyPrefix('oidc-e2e');
  let redis: Redis;
  let bot: FakeBotApi;
  let receiver: LogoutReceiver;
  let a: OidcApp;
  let b: OidcApp;
  let rpA: client.Configuration;
  let rpB: client.Configuration;

  beforeAll(async () => {
    redis = connectTestRedis();
    bot = await FakeBotApi.start();
    receiver = await LogoutReceiver.start();
    const [portA, portB] = [await freePort(), await freePort()];
    // One issuer for both: the public URL in front of them.
    const issuer = `http://127.0.0.1:${portA}`;
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      OIDC_ISSUER: issuer,
      OIDC_CLIENTS: JSON.stringify([
        {
          ...SHOP,
          backchannel_logout_uri: receiver.uriFor('/shop'),
          backchannel_logout_session_required: true,
        },
      ]),
      ...bot.env,
    };
    // Started together: each may generate a key set; the first stored in Redis is the one both use.
    const [runningA, runningB] = await Promise.all([
      startApp(env, { port: portA }),
      startApp(env, { port: portB }),
    ]);
    a = { ...runningA, issuer };
    b = { ...runningB, issuer };
    rpA = await relyingParty(issuer, SHOP);
    // The discovery document as JSON (serverMetadata() adds methods).
    const metadata = JSON.parse(
      JSON.stringify(rpA.serverMetadata()),
    ) as client.ServerMetadata;
    rpB = new client.Configuration(
      {
        ...metadata,
        token_endpoint: on(b, metadata.token_endpoint!).href,
        userinfo_endpoint: on(b, metadata.userinfo_endpoint!).href,
      },
      SHOP.client_id,
      undefined,
      client.ClientSecretBasic(CLIENT_SECRET),
    );
    client.allowInsecureRequests(rpB);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await bot?.close();
    await receiver?.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('signs with the same keys on every instance: the generated set is shared through Redis', async () => {
    const [jwksA, jwksB] = await Promise.all(
      [a, b].map(async (instance) =>
        (await fetch(`${instance.url}/jwks`)).json(),
      ),
    );
    expect(jwksA).toEqual(jwksB);
    expect((jwksA as { keys: unknown[] }).keys).toHaveLength(2);
    expect(await redis.exists(`${prefix}oidc:jwks`)).toBe(1);
  });

  it('authorizes on A, finishes the interaction on B, resumes on B, exchanges on A, refreshes on B', async () => {
    const codeVerifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const jar = new CookieJar();
    const start = await browse(
      client.buildAuthorizationUrl(rpA, {
        redirect_uri: REDIRECT_URI,
        scope: 'openid profile offline_access',
        prompt: 'consent',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        nonce,
        state,
      }),
      jar,
    );
    expect(start.status).toBe(303);
    const returnTo = await finishInteraction(b.app, jar, ADA);
    const resumed = await browse(on(b, returnTo), jar);
    expect(resumed.status).toBe(303);
    const callback = new URL(resumed.headers.get('location')!);

    const tokens = await exchange(rpA, {
      callback,
      codeVerifier,
      nonce,
      state,
      jar,
    });
    expect(tokens.claims()).toMatchObject({ sub: '4242', telegram_id: 4242 });
    const refreshed = await client.refreshTokenGrant(
      rpB,
      tokens.refresh_token!,
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(
      await client.fetchUserInfo(rpB, refreshed.access_token, '4242'),
    ).toMatchObject({ preferred_username: 'ada' });
    // The spent token is refused on A as well.
    await expect(
      client.refreshTokenGrant(rpA, tokens.refresh_token!),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  /** The code presented to A and B at the same moment: one exchange wins, the other is invalid_grant. */
  async function expectRedeemedOnceByAOrB(
    result: AuthorizationResult,
  ): Promise<void> {
    const outcomes = await Promise.allSettled([
      exchange(rpA, result),
      exchange(rpB, result),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual([
      'fulfilled',
      'rejected',
    ]);
    const lost = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(lost?.reason).toMatchObject({ error: 'invalid_grant' });
  }

  it('lets one of two instances redeem a code presented to both at once', async () => {
    const result = await authorize(a, rpA);
    await expectRedeemedOnceByAOrB(result);
  });

  /**
   * The real interaction as a browser and Telegram go through it: the
   * authorization and the page's login (token) on A, the `/start` webhook on
   * B, the page learning `continueTo` by polling A, and its completion on A.
   */
  async function logInThroughPage(
    rp: client.Configuration,
    parameters: Record<string, string> = {},
  ): Promise<AuthorizationResult> {
    const visit = await openLoginPage(a, rp, parameters);
    const page = await browse(visit.interaction, visit.jar);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Log in to Example Shop with Telegram');
    const ticket = await pageLogin(visit);
    await postUpdate(b.url, startUpdate(ticket.token, ADA_IN_TELEGRAM)).expect(
      200,
    );
    const { continueTo } = await eventually(async () => {
      const body = (await poll(a.url, ticket.token, ticket.secret).expect(200))
        .body as { status: string; continueTo?: string };
      expect(body.status).toBe('authenticated');
      return body as { status: string; continueTo: string };
    });
    expect(continueTo).toBe(`${visit.interaction.pathname}/complete`);
    const callback = await completeOnPage(a, visit, continueTo, ticket);
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    return { ...visit, callback };
  }

  it('the real interaction: page and token on A, /start on B, completion and exchange on A, refresh on B', async () => {
    const result = await logInThroughPage(rpA, {
      scope: 'openid profile offline_access',
      prompt: 'consent',
    });
    const tokens = await exchange(rpA, result);
    expect(tokens.claims()).toMatchObject({
      sub: '4242',
      telegram_id: 4242,
      name: 'Ada Lovelace',
      aud: 'shop',
      nonce: result.nonce,
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const refreshed = await client.refreshTokenGrant(
      rpB,
      tokens.refresh_token!,
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(
      await client.fetchUserInfo(rpB, refreshed.access_token, '4242'),
    ).toMatchObject({ sub: '4242', telegram_id: 4242, name: 'Ada Lovelace' });
    // B sent the bot's answer, naming the client.
    await bot.waitForCall(
      'sendMessage',
      (params) =>
        params.chat_id === ADA_IN_TELEGRAM.id &&
        String(params.text).includes('logged in to Example Shop'),
    );
  });

  it('accepts a code of the real interaction once when A and B redeem it at the same moment', async () => {
    const result = await logInThroughPage(rpA);
    await expectRedeemedOnceByAOrB(result);
    // A third try, on either, is refused as well.
    await expect(exchange(rpB, result)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('a session ended on B logs the site out on every instance: a verified logout token, its tokens refused on A', async () => {
    const result = await logInThroughPage(rpA, {
      scope: 'openid offline_access',
      prompt: 'consent',
    });
    const tokens = await exchange(rpA, result);
    const { sid } = tokens.claims()!;
    const sessionsOnB = b.app.get(SessionService);
    const session = (await sessionsOnB.list(ADA_IN_TELEGRAM.id)).find(
      (one) => one.oidc?.clientSid === sid,
    )!;
    expect(session).toMatchObject({ clientId: 'shop', site: 'Example Shop' });
    receiver.received.length = 0;

    await sessionsOnB.end(session.sid, 'ended-in-telegram');

    const [logoutToken] = await receiver.waitFor('/shop');
    const { payload } = await jwtVerify(
      logoutToken,
      createRemoteJWKSet(new URL(`${a.url}/jwks`)),
      { issuer: a.issuer, audience: 'shop' },
    );
    expect(payload).toMatchObject({
      sub: '4242',
      sid,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
    const userinfo = await fetch(`${a.url}/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(401);
    expect(
      (await client.tokenIntrospection(rpA, tokens.access_token)).active,
    ).toBe(false);
    await expect(
      client.refreshTokenGrant(rpA, tokens.refresh_token!),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    // The browser's provider session is gone on A too: the page asks for a scan.
    const again = await openLoginPage(a, rpA, {}, result.jar);
    expect((await browse(again.interaction, result.jar)).status).toBe(200);
  });

  it('RP-initiated logout on B ends the session that A started', async () => {
    const result = await logInThroughPage(rpA);
    const tokens = await exchange(rpA, result);
    const sessionsOnA = a.app.get(SessionService);
    const session = (await sessionsOnA.list(ADA_IN_TELEGRAM.id)).find(
      (one) => one.oidc?.clientSid === tokens.claims()!.sid,
    )!;
    const question = await browse(
      on(
        b,
        client.buildEndSessionUrl(rpA, { id_token_hint: tokens.id_token! }),
      ),
      result.jar,
    );
    const html = await question.text();
    const action =
      /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)![1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1];
    const confirmed = await fetch(on(b, action), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: result.jar.header,
      },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    expect(confirmed.status).toBe(303);
    expect(await sessionsOnA.find(session.sid)).toBeUndefined();
  });
});
