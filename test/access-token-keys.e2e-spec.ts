import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
  jwtVerify,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import type { Redis } from 'ioredis';
import { createPrivateKey, createSecretKey } from 'node:crypto';
import request from 'supertest';
import type { OidcJwks } from '../src/oidc/interfaces/index.js';
import { generateJwks } from '../src/oidc/oidc-keys.js';
import { type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import {
  createLogin,
  eventually,
  me,
  poll,
  postUpdate,
} from './support/http.js';
import {
  type OidcApp,
  relyingParty,
  authorize,
  exchange,
  SHOP,
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

const WEBHOOK_SECRET = 'keys-webhook-secret_0123456789';
const now = () => Math.floor(Date.now() / 1000);

/** A whole native login on `app`: the QR's token, the scan, the browser's poll; its access token. */
async function nativeAccessToken(
  app: { url: string },
  user = newUser(),
): Promise<string> {
  const login = await createLogin(app.url);
  await postUpdate(
    app.url,
    startUpdate(login.token, user),
    WEBHOOK_SECRET,
  ).expect(200);
  // The webhook may answer before the login's new state is stored (Redis): the browser polls until it is.
  return eventually(async () => {
    const { body } = await poll(app.url, login.token, login.secret).expect(200);
    expect(body.status).toBe('authenticated');
    return body.accessToken as string;
  });
}

const keyOf = (jwks: OidcJwks, kty: 'EC' | 'RSA') =>
  jwks.keys.find((key) => key.kty === kty)!;

/** The JWKS a third party reads, over HTTP. */
async function fetchJwks(url: string): Promise<JSONWebKeySet> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(
    /^application\/jwk-set\+json/,
  );
  return (await response.json()) as JSONWebKeySet;
}

describe('access tokens signed with the published keys (ES256 by default)', () => {
  const jwks = generateJwks();
  let fake: FakeBotApi;
  let app: RunningApp;
  let issuer: string;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    // No OIDC clients: the provider is off, the keys are published all the same.
    app = await startApp(
      {
        ...fake.env,
        WEBHOOK_SECRET,
        OIDC_ISSUER: issuer,
        OIDC_JWKS: JSON.stringify(jwks),
      },
      { port },
    );
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  /** A session that goes on, which the tokens signed by hand belong to. */
  let sid: string;
  beforeAll(async () => {
    sid = decodeJwt(await nativeAccessToken(app)).sid as string;
  });

  /** Signed by hand with a key, as its holder could: each refusal below differs from a valid token in one thing. */
  const signed = (
    claims: Record<string, unknown> = {},
    header: Record<string, unknown> = {},
    jwk: Record<string, unknown> = keyOf(jwks, 'EC'),
  ) =>
    new SignJWT({
      sub: '77',
      first_name: 'Signed',
      iss: issuer,
      iat: now(),
      exp: now() + 60,
      sid,
      ...claims,
    })
      .setProtectedHeader({
        alg: jwk.kty === 'EC' ? 'ES256' : 'RS256',
        kid: jwk.kid as string,
        typ: 'at+jwt',
        ...header,
      })
      .sign(createPrivateKey({ key: jwk, format: 'jwk' }));

  it('gives the browser an ES256 token that a backend verifies with the JWKS at <issuer>/jwks alone', async () => {
    const user = newUser();
    const accessToken = await nativeAccessToken(app, user);
    expect(decodeProtectedHeader(accessToken)).toEqual({
      alg: 'ES256',
      kid: keyOf(jwks, 'EC').kid,
      typ: 'at+jwt',
    });
    // As a third-party backend would: the issuer configured, the keys fetched from it.
    const { payload } = await jwtVerify(
      accessToken,
      createRemoteJWKSet(new URL(`${issuer}/jwks`)),
      { issuer, algorithms: ['ES256', 'RS256'] },
    );
    expect(payload).toMatchObject({
      sub: String(user.id),
      first_name: user.first_name,
      last_name: user.last_name,
      username: user.username,
      iss: issuer,
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    await me(app.url, accessToken).expect(200, {
      id: user.id,
      first_name: user.first_name,
      last_name: user.last_name,
      username: user.username,
    });
  });

  it('publishes public keys only, every key of the set, readable from any origin', async () => {
    const response = await fetch(`${issuer}/jwks`);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const published = (await response.json()) as JSONWebKeySet;
    expect(published.keys.map((key) => key.kid)).toEqual(
      jwks.keys.map((key) => key.kid),
    );
    for (const key of published.keys) {
      expect(key).not.toHaveProperty('d');
      expect(key).toMatchObject({ use: 'sig' });
    }
    // The provider is off: no discovery, only the keys.
    await request(app.url).get('/.well-known/openid-configuration').expect(404);
  });

  it('accepts a token signed with its key by hand (the refusals below differ from it in one thing each)', async () => {
    await me(app.url, await signed()).expect(200, {
      id: 77,
      first_name: 'Signed',
    });
  });

  it.each([
    ['an expired one', { exp: now() - 1, iat: now() - 61 }, {}],
    ['one without exp', { exp: undefined }, {}],
    ['one without iat', { iat: undefined }, {}],
    ['one of another issuer', { iss: 'https://evil.example' }, {}],
    ['one without kid', {}, { kid: undefined }],
    ["an ID token's (typ JWT, with aud)", { aud: 'shop' }, { typ: 'JWT' }],
    ['a subject that is no Telegram id', { sub: '0x10' }, {}],
  ])('answers 401 to %s', async (_name, claims, header) => {
    await me(
      app.url,
      await signed(
        claims as Record<string, unknown>,
        header as Record<string, unknown>,
      ),
    ).expect(401);
  });

  it('answers 401 to a token of another key, even one that claims a published kid', async () => {
    const stranger = {
      ...keyOf(generateJwks(), 'EC'),
      kid: keyOf(jwks, 'EC').kid,
    };
    await me(app.url, await signed({}, {}, stranger)).expect(401);
    await me(
      app.url,
      await signed({}, { kid: 'unknown' }, keyOf(generateJwks(), 'EC')),
    ).expect(401);
  });

  it('answers 401 to alg none, to HS256 with a guessed secret, and to HS256 keyed with a published public key (algorithm confusion)', async () => {
    const claims = {
      sub: '77',
      first_name: 'Forged',
      iss: issuer,
      iat: now(),
      exp: now() + 60,
    };
    await me(app.url, new UnsecuredJWT(claims).encode()).expect(401);
    const published = await fetchJwks(`${issuer}/jwks`);
    for (const secret of [
      Buffer.from('x'.repeat(32)),
      ...published.keys.map((key) => Buffer.from(JSON.stringify(key))),
      ...published.keys.map((key) =>
        Buffer.from(String(key.n ?? key.x), 'base64url'),
      ),
    ])
      await me(
        app.url,
        await new SignJWT(claims)
          .setProtectedHeader({
            alg: 'HS256',
            kid: published.keys[0].kid,
            typ: 'at+jwt',
          })
          .sign(createSecretKey(secret)),
      ).expect(401);
  });
});

describe('key rotation: publish the new key, sign with it, retire the old one', () => {
  const first = generateJwks();
  const second = generateJwks();
  let fake: FakeBotApi;
  let port: number;
  const apps: OidcApp[] = [];
  // Sessions outlive the restarts in Redis, as in a deployment: a restart alone ends none.
  const prefix = uniqueKeyPrefix('rotation');
  let redis: Redis;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    port = await freePort();
    redis = connectTestRedis();
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  afterAll(async () => {
    await fake?.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  /** The deployment restarted with another key set: same port, same issuer. */
  const start = async (keys: OidcJwks['keys']) => {
    const issuer = `http://127.0.0.1:${port}`;
    const running = await startApp(
      {
        ...fake.env,
        WEBHOOK_SECRET,
        OIDC_ISSUER: issuer,
        OIDC_CLIENTS: JSON.stringify([SHOP]),
        OIDC_JWKS: JSON.stringify({ keys }),
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
      },
      { port },
    );
    const app = { ...running, issuer };
    apps.push(app);
    return app;
  };

  /** An ID token of a whole code flow, and the key set discovery points to. */
  const idTokenOf = async (app: OidcApp) => {
    const rp = await relyingParty(app.issuer, SHOP);
    const tokens = await exchange(rp, await authorize(app, rp));
    return tokens.id_token!;
  };
  const publishedBy = async (app: OidcApp) => {
    const discovery = (await (
      await fetch(`${app.issuer}/.well-known/openid-configuration`)
    ).json()) as { jwks_uri: string };
    // Discovery names the same place the keys are published without clients.
    expect(discovery.jwks_uri).toBe(`${app.issuer}/jwks`);
    return fetchJwks(discovery.jwks_uri);
  };
  const verifies = async (token: string, app: OidcApp) => {
    const keys = createLocalJWKSet(await publishedBy(app));
    return jwtVerify(token, keys, { algorithms: ['ES256', 'RS256'] }).then(
      () => true,
      () => false,
    );
  };

  it("keeps the old key's tokens valid while it is published, and refuses them once it is retired", async () => {
    const [ec1, rsa1] = [keyOf(first, 'EC'), keyOf(first, 'RSA')];
    const [ec2, rsa2] = [keyOf(second, 'EC'), keyOf(second, 'RSA')];

    const before = await start([rsa1, ec1]);
    const oldAccess = await nativeAccessToken(before);
    const oldId = await idTokenOf(before);
    expect(decodeProtectedHeader(oldAccess).kid).toBe(ec1.kid);
    expect(decodeProtectedHeader(oldId).kid).toBe(rsa1.kid);
    await before.close();

    // Published and signing: the new keys first (the first key of each type signs), the old ones still verify.
    const rotated = await start([rsa2, ec2, rsa1, ec1]);
    const newAccess = await nativeAccessToken(rotated);
    const newId = await idTokenOf(rotated);
    expect(decodeProtectedHeader(newAccess).kid).toBe(ec2.kid);
    expect(decodeProtectedHeader(newId).kid).toBe(rsa2.kid);
    await me(rotated.url, oldAccess).expect(200);
    await me(rotated.url, newAccess).expect(200);
    expect(await verifies(oldId, rotated)).toBe(true);
    expect(await verifies(oldAccess, rotated)).toBe(true);
    await rotated.close();

    // Retired: the old keys are gone from the set, and so is every token they signed.
    const retired = await start([rsa2, ec2]);
    await me(retired.url, oldAccess).expect(401);
    await me(retired.url, newAccess).expect(200);
    expect(await verifies(oldId, retired)).toBe(false);
    expect(await verifies(newId, retired)).toBe(true);
  });
});

describe('JWT_ALGORITHM', () => {
  let fake: FakeBotApi;
  let app: RunningApp | undefined;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('RS256 signs with the RSA key, verifiable with the JWKS', async () => {
    app = await startApp({
      ...fake.env,
      WEBHOOK_SECRET,
      JWT_ALGORITHM: 'RS256',
    });
    const accessToken = await nativeAccessToken(app);
    expect(decodeProtectedHeader(accessToken).alg).toBe('RS256');
    // No issuer configured: the keys are at the origin's /jwks, and the token has no iss.
    await jwtVerify(
      accessToken,
      createLocalJWKSet(await fetchJwks(`${app.url}/jwks`)),
    );
    await me(app.url, accessToken).expect(200);
  });

  it('HS256 (the opt-in) signs with JWT_SECRET, as a host that verifies with the shared secret expects; no keys are published', async () => {
    const secret = 'hs256-opt-in-secret-0123456789abcdefgh';
    app = await startApp({
      ...fake.env,
      WEBHOOK_SECRET,
      JWT_ALGORITHM: 'HS256',
      JWT_SECRET: secret,
    });
    const user = newUser();
    const accessToken = await nativeAccessToken(app, user);
    expect(decodeProtectedHeader(accessToken).alg).toBe('HS256');
    const { payload } = await jwtVerify(
      accessToken,
      createSecretKey(Buffer.from(secret)),
      { algorithms: ['HS256'] },
    );
    expect(payload.sub).toBe(String(user.id));
    await me(app.url, accessToken).expect(200);
    // An ES256 token, whoever signed it, is not one of this service's now.
    const ec = keyOf(generateJwks(), 'EC');
    const es256 = await new SignJWT({
      sub: '77',
      first_name: 'Eve',
      iat: now(),
      exp: now() + 60,
    })
      .setProtectedHeader({
        alg: 'ES256',
        kid: ec.kid as string,
        typ: 'at+jwt',
      })
      .sign(createPrivateKey({ key: ec, format: 'jwk' }));
    await me(app.url, es256).expect(401);
    await request(app.url).get('/jwks').expect(404);
  });

  it('starts with zero configuration (demo mode), its keys generated and published', async () => {
    app = await startApp({});
    await request(app.url).post('/auth/token').expect(201);
    const published = await fetchJwks(`${app.url}/jwks`);
    expect(published.keys.map((key) => key.kty).sort()).toEqual(['EC', 'RSA']);
  });
});

describeWithRedis('two instances on one Redis, keys generated once', () => {
  const prefix = uniqueKeyPrefix('keys');
  let fake: FakeBotApi;
  let a: RunningApp;
  let b: RunningApp;
  let redis: Redis;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    const shared = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      ...fake.env,
      WEBHOOK_SECRET,
    };
    [a, b] = [await startApp(shared), await startApp(shared)];
    redis = connectTestRedis();
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it("publish the same keys and verify each other's tokens", async () => {
    expect(await fetchJwks(`${a.url}/jwks`)).toEqual(
      await fetchJwks(`${b.url}/jwks`),
    );
    const fromA = await nativeAccessToken(a);
    const fromB = await nativeAccessToken(b);
    await me(b.url, fromA).expect(200);
    await me(a.url, fromB).expect(200);
    await jwtVerify(fromA, createLocalJWKSet(await fetchJwks(`${b.url}/jwks`)));
  });
});
