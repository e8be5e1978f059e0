import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import * as client from 'openid-client';
import { startApp, type RunningApp } from './support/app.js';
import {
  ADA,
  authorize,
  browse,
  CLIENT_SECRET,
  CookieJar,
  exchange,
  finishInteraction,
  REDIRECT_URI,
  relyingParty,
  SHOP,
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
  let a: OidcApp;
  let b: OidcApp;
  let rpA: client.Configuration;
  let rpB: client.Configuration;

  beforeAll(async () => {
    redis = connectTestRedis();
    const [portA, portB] = [await freePort(), await freePort()];
    // One issuer for both: the public URL in front of them.
    const issuer = `http://127.0.0.1:${portA}`;
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      OIDC_ISSUER: issuer,
      OIDC_CLIENTS: JSON.stringify([SHOP]),
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

  it('lets one of two instances redeem a code presented to both at once', async () => {
    const result = await authorize(a, rpA);
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
  });
});
