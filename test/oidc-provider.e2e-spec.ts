import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as client from 'openid-client';
import { TelegramQrAuthModule } from '../src/index.js';
import type { OidcClientMetadata } from '../src/oidc/interfaces/index.js';
import { startApp, type RunningApp } from './support/app.js';
import {
  ADA,
  authorize,
  basicAuth,
  browse,
  CLIENT_SECRET,
  CookieJar,
  exchange,
  jwtHeader,
  POST_LOGOUT_URI,
  postForm,
  REDIRECT_URI,
  relyingParty,
  SHOP,
  SPA,
  startOidcApp,
  type OidcApp,
} from './support/oidc.js';
import { freePort } from './support/redis.js';

/** A client that registered ES256 for its ID tokens. */
const ES_SHOP: OidcClientMetadata = {
  ...SHOP,
  client_id: 'es-shop',
  id_token_signed_response_alg: 'ES256',
};

/** What a stack trace or an internal error message would look like in an answer. */
const LEAKS = /\bat \S+ \(|node_modules|Error:|\.ts:\d+/;

/** The RFC 6749 error a request got through openid-client. */
async function oauthError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return (error as { error?: unknown }).error;
  }
  throw new Error('expected the request to be refused');
}

describe('the OpenID Provider', () => {
  let app: OidcApp;
  let rp: client.Configuration;

  beforeAll(async () => {
    app = await startOidcApp([SHOP, SPA, ES_SHOP]);
    rp = await relyingParty(app.issuer, SHOP);
  });

  afterAll(async () => app?.close());

  it('publishes discovery under the issuer, with every endpoint under it, S256 and the scopes', async () => {
    const response = await fetch(
      `${app.issuer}/.well-known/openid-configuration`,
    );
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: app.issuer,
      authorization_endpoint: `${app.issuer}/authorize`,
      token_endpoint: `${app.issuer}/token`,
      userinfo_endpoint: `${app.issuer}/userinfo`,
      jwks_uri: `${app.issuer}/jwks`,
      revocation_endpoint: `${app.issuer}/token/revocation`,
      introspection_endpoint: `${app.issuer}/token/introspection`,
      end_session_endpoint: `${app.issuer}/logout`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'none',
      ],
      id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
    expect(metadata.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'profile', 'offline_access']),
    );
    expect(metadata.claims_supported).toEqual(
      expect.arrayContaining([
        'sub',
        'telegram_id',
        'name',
        'given_name',
        'family_name',
        'preferred_username',
        'picture',
      ]),
    );
    // The endpoints are under the issuer however the request reached the service.
    const viaLocalhost = await fetch(
      `${app.url.replace('127.0.0.1', 'localhost')}/.well-known/openid-configuration`,
    );
    expect(
      ((await viaLocalhost.json()) as { token_endpoint: string })
        .token_endpoint,
    ).toBe(`${app.issuer}/token`);
  });

  it('publishes an RS256 and an ES256 key at the JWKS endpoint, public parts only', async () => {
    const response = await fetch(`${app.issuer}/jwks`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as {
      keys: Record<string, unknown>[];
    };
    expect(keys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig' }),
        expect.objectContaining({
          kty: 'EC',
          crv: 'P-256',
          alg: 'ES256',
          use: 'sig',
        }),
      ]),
    );
    for (const key of keys) {
      expect(key.kid).toEqual(expect.any(String));
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        expect(key).not.toHaveProperty(secret);
    }
  });

  it('logs in with code and PKCE: an ID token that verifies against the JWKS, with iss, aud, nonce, exp and the claims', async () => {
    const verifying = await relyingParty(app.issuer, SHOP);
    client.enableNonRepudiationChecks(verifying);
    const result = await authorize(app, verifying);
    expect(result.callback.origin + result.callback.pathname).toBe(
      REDIRECT_URI,
    );
    expect(result.callback.searchParams.get('iss')).toBe(app.issuer);
    const tokens = await exchange(verifying, result);
    expect(jwtHeader(tokens.id_token!).alg).toBe('RS256');
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: app.issuer,
      aud: 'shop',
      nonce: result.nonce,
      sub: '4242',
      telegram_id: 4242,
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      preferred_username: 'ada',
    });
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
    expect(tokens.refresh_token).toBeUndefined();

    const userinfo = await client.fetchUserInfo(
      verifying,
      tokens.access_token,
      '4242',
    );
    expect(userinfo).toEqual({
      sub: '4242',
      telegram_id: 4242,
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      preferred_username: 'ada',
    });
  });

  it('gives openid alone sub and telegram_id, and no profile', async () => {
    const tokens = await exchange(
      rp,
      await authorize(app, rp, ADA, { scope: 'openid' }),
    );
    const { sub, telegram_id, name } = tokens.claims()!;
    expect({ sub, telegram_id, name }).toEqual({
      sub: '4242',
      telegram_id: 4242,
      name: undefined,
    });
  });

  it('signs ID tokens with the algorithm a client registered', async () => {
    const es = await relyingParty(app.issuer, ES_SHOP);
    client.enableNonRepudiationChecks(es);
    const tokens = await exchange(es, await authorize(app, es));
    expect(jwtHeader(tokens.id_token!).alg).toBe('ES256');
    expect(tokens.claims()!.aud).toBe('es-shop');
  });

  it('rotates refresh tokens, and a spent one presented again revokes the whole grant', async () => {
    const tokens = await exchange(
      rp,
      await authorize(app, rp, ADA, {
        scope: 'openid offline_access',
        prompt: 'consent',
      }),
    );
    const first = tokens.refresh_token!;
    expect(first).toEqual(expect.any(String));

    const refreshed = await client.refreshTokenGrant(rp, first);
    const second = refreshed.refresh_token!;
    expect(second).toEqual(expect.any(String));
    expect(second).not.toBe(first);
    expect(refreshed.claims()).toMatchObject({
      sub: '4242',
      telegram_id: 4242,
    });

    expect(await oauthError(client.refreshTokenGrant(rp, first))).toBe(
      'invalid_grant',
    );
    // Reuse detection: the token that replaced it is revoked with the grant, and its access token too.
    expect(await oauthError(client.refreshTokenGrant(rp, second))).toBe(
      'invalid_grant',
    );
    expect(
      (await client.tokenIntrospection(rp, refreshed.access_token)).active,
    ).toBe(false);
  });

  it('introspects (RFC 7662) and revokes (RFC 7009) tokens', async () => {
    const offline = { scope: 'openid offline_access', prompt: 'consent' };
    const tokens = await exchange(rp, await authorize(app, rp, ADA, offline));
    expect(
      await client.tokenIntrospection(rp, tokens.access_token),
    ).toMatchObject({
      active: true,
      sub: '4242',
      client_id: 'shop',
      scope: 'openid offline_access',
    });
    // Another client learns nothing of this client's tokens, and cannot revoke them.
    const other = await relyingParty(app.issuer, ES_SHOP);
    expect(
      (await client.tokenIntrospection(other, tokens.access_token)).active,
    ).toBe(false);
    expect(
      await oauthError(client.tokenRevocation(other, tokens.access_token)),
    ).toBe('invalid_request');
    expect(
      (await client.tokenIntrospection(rp, tokens.access_token)).active,
    ).toBe(true);

    // Revoking the refresh token ends the grant: its access token too.
    await client.tokenRevocation(rp, tokens.refresh_token!);
    for (const token of [tokens.refresh_token!, tokens.access_token])
      expect((await client.tokenIntrospection(rp, token)).active).toBe(false);
    expect(
      await oauthError(client.refreshTokenGrant(rp, tokens.refresh_token!)),
    ).toBe('invalid_grant');

    // Revoking an access token ends it (and, as RFC 7009 allows, its grant's refresh token).
    const more = await exchange(rp, await authorize(app, rp, ADA, offline));
    await client.tokenRevocation(rp, more.access_token);
    expect(
      (await client.tokenIntrospection(rp, more.access_token)).active,
    ).toBe(false);
    await expect(
      client.fetchUserInfo(rp, more.access_token, '4242'),
    ).rejects.toThrow();
  });

  it('refuses a code a second time, and revokes what the first redemption got', async () => {
    const result = await authorize(app, rp);
    const tokens = await exchange(rp, result);
    expect(await oauthError(exchange(rp, result))).toBe('invalid_grant');
    expect(
      (await client.tokenIntrospection(rp, tokens.access_token)).active,
    ).toBe(false);
  });

  it('lets only one of two simultaneous redemptions of a code through, and revokes its tokens too', async () => {
    const result = await authorize(app, rp);
    const outcomes = await Promise.allSettled([
      exchange(rp, result),
      exchange(rp, result),
    ]);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect((lost[0].reason as { error: string }).error).toBe('invalid_grant');
    expect(
      (await client.tokenIntrospection(rp, won[0].value.access_token)).active,
    ).toBe(false);
  });

  it('refuses a PKCE mismatch, and a public client without PKCE', async () => {
    const result = await authorize(app, rp);
    expect(
      await oauthError(
        exchange(rp, {
          ...result,
          codeVerifier: client.randomPKCECodeVerifier(),
        }),
      ),
    ).toBe('invalid_grant');

    const spa = await relyingParty(app.issuer, SPA);
    const url = client.buildAuthorizationUrl(spa, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      state: 'x',
    });
    const refused = await browse(url, new CookieJar());
    expect(refused.status).toBe(303);
    const back = new URL(refused.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(REDIRECT_URI);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(back.searchParams.has('code')).toBe(false);

    // With PKCE the public client logs in, without a secret.
    const tokens = await exchange(spa, await authorize(app, spa));
    expect(tokens.claims()).toMatchObject({ aud: 'spa', sub: '4242' });
  });

  it('answers token endpoint errors as RFC 6749 JSON, without a stack', async () => {
    const token = `${app.issuer}/token`;
    const grant = {
      grant_type: 'authorization_code',
      code: 'x',
      redirect_uri: REDIRECT_URI,
    };
    for (const response of [
      await postForm(token, grant, {
        authorization: basicAuth('nobody', CLIENT_SECRET),
      }),
      await postForm(token, grant, {
        authorization: basicAuth('shop', `${CLIENT_SECRET}-wrong`),
      }),
      await postForm(token, {
        ...grant,
        client_id: 'shop',
        client_secret: 'wrong',
      }),
    ]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(
        /^application\/json/,
      );
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        error: 'invalid_client',
        error_description: 'client authentication failed',
      });
      expect(text).not.toMatch(LEAKS);
    }
    const unknownCode = await postForm(token, grant, {
      authorization: basicAuth('shop', CLIENT_SECRET),
    });
    expect(unknownCode.status).toBe(400);
    expect(await unknownCode.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'grant request is invalid',
    });
  });

  it('reads token requests larger than the 1 KiB other routes take', async () => {
    const response = await postForm(
      `${app.issuer}/token`,
      { grant_type: 'refresh_token', refresh_token: 'x'.repeat(4096) },
      { authorization: basicAuth('shop', CLIENT_SECRET) },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe(
      'invalid_grant',
    );
  });

  it('refuses an authorization for an unknown client or a wrong redirect_uri without redirecting', async () => {
    const base = {
      response_type: 'code',
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(
        client.randomPKCECodeVerifier(),
      ),
      code_challenge_method: 'S256',
    };
    for (const [params, error] of [
      [
        { ...base, client_id: 'nobody', redirect_uri: REDIRECT_URI },
        'invalid_client',
      ],
      [
        {
          ...base,
          client_id: 'shop',
          redirect_uri: 'https://attacker.example/cb',
        },
        'invalid_redirect_uri',
      ],
      [
        { ...base, client_id: 'shop', redirect_uri: `${REDIRECT_URI}/` },
        'invalid_redirect_uri',
      ],
    ] as const) {
      const url = `${app.issuer}/authorize?${new URLSearchParams(params).toString()}`;
      const page = await browse(url, new CookieJar());
      expect(page.status).toBe(400);
      expect(page.headers.get('location')).toBeNull();
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain(error);
      expect(html).not.toMatch(LEAKS);
      expect(page.headers.get('content-security-policy')).toContain(
        "default-src 'none'",
      );
    }
  });

  it('logs out on request of a client (RP-initiated), after asking, back to its post_logout_redirect_uri', async () => {
    const result = await authorize(app, rp);
    const tokens = await exchange(rp, result);
    const url = client.buildEndSessionUrl(rp, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: 'bye',
    });
    const question = await browse(url, result.jar);
    expect(question.status).toBe(200);
    const html = await question.text();
    expect(html).toContain('Example Shop asks to log you out');
    const action =
      /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)![1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1];
    expect(question.headers.get('content-security-policy')).toContain(
      "form-action 'self' http://127.0.0.1",
    );

    const confirmed = await postForm(
      action,
      { xsrf, logout: 'yes' },
      { cookie: result.jar.header },
    );
    expect(confirmed.status).toBe(303);
    const back = new URL(confirmed.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(POST_LOGOUT_URI);
    expect(back.searchParams.get('state')).toBe('bye');
  });

  it("sends the browser to our interaction page, the login page headed with the client's name", async () => {
    const jar = new CookieJar();
    const start = await browse(
      client.buildAuthorizationUrl(rp, {
        redirect_uri: REDIRECT_URI,
        scope: 'openid',
        code_challenge: await client.calculatePKCECodeChallenge(
          client.randomPKCECodeVerifier(),
        ),
        code_challenge_method: 'S256',
      }),
      jar,
    );
    const page = await browse(
      new URL(start.headers.get('location')!, app.url),
      jar,
    );
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(
      '<h1 id="title">Log in to Example Shop with Telegram</h1>',
    );
  });
});

describe("the OpenID Provider beside the app's CORS (CORS_ORIGINS)", () => {
  let app: OidcApp;

  beforeAll(async () => {
    app = await startOidcApp([SHOP, SPA], {
      CORS_ORIGINS: 'https://elsewhere.example',
    });
  });

  afterAll(async () => app?.close());

  it("leaves CORS on its endpoints to the provider: per client, not the app's list", async () => {
    // The app's list lets this origin call the API; a confidential client's token endpoint it does not.
    const refused = await postForm(
      `${app.issuer}/token`,
      { grant_type: 'refresh_token', refresh_token: 'x' },
      {
        authorization: basicAuth('shop', CLIENT_SECRET),
        origin: 'https://elsewhere.example',
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(
      ((await refused.json()) as { error_description: string })
        .error_description,
    ).toBe('origin https://elsewhere.example not allowed for client: shop');

    // A public client's page, at its redirect URI's origin, may.
    const allowed = await postForm(
      `${app.issuer}/token`,
      {
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: REDIRECT_URI,
        code_verifier: client.randomPKCECodeVerifier(),
        client_id: 'spa',
      },
      { origin: 'http://127.0.0.1:9' },
    );
    expect(allowed.headers.get('access-control-allow-origin')).toBe(
      'http://127.0.0.1:9',
    );
    expect(((await allowed.json()) as { error: string }).error).toBe(
      'invalid_grant',
    );

    // The app's own routes keep the app's list.
    const api = await fetch(`${app.url}/auth/token`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://elsewhere.example',
        'access-control-request-method': 'POST',
      },
    });
    expect(api.headers.get('access-control-allow-origin')).toBe(
      'https://elsewhere.example',
    );
  });
});

describe('the OpenID Provider is off without clients', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ PUBLIC_URL: 'http://127.0.0.1:1' });
  });

  afterAll(async () => app?.close());

  it.each([
    ['GET', '/.well-known/openid-configuration'],
    ['GET', '/authorize'],
    ['POST', '/token'],
    ['GET', '/oidc/interaction/abc'],
  ])('answers %s %s with 404', async (method, path) => {
    const response = await fetch(`${app.url}${path}`, { method });
    expect(response.status).toBe(404);
  });

  it('still publishes its keys at <issuer>/jwks: they sign the access tokens', async () => {
    const response = await fetch(`${app.url}/jwks`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: { kty: string }[] };
    expect(keys.map((key) => key.kty).sort()).toEqual(['EC', 'RSA']);
  });
});

describe('a bad OpenID configuration stops the start', () => {
  async function startFailure(env: Record<string, string>): Promise<string> {
    try {
      const app = await startApp(env);
      await app.close();
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected the service not to start');
  }

  it('names the client and the field', async () => {
    const message = await startFailure({
      OIDC_ISSUER: 'http://127.0.0.1:1',
      OIDC_CLIENTS: JSON.stringify([
        { ...SHOP, redirect_uris: ['http://127.0.0.1:9/cb#fragment'] },
        SHOP,
      ]),
    });
    expect(message).toContain(
      '"OIDC_CLIENTS": client "shop": redirect_uris[0] ("http://127.0.0.1:9/cb#fragment") must not have a fragment',
    );
    expect(message).toContain('client "shop": duplicate "client_id"');
  });

  it('names a client whose metadata oidc-provider refuses', async () => {
    const message = await startFailure({
      OIDC_ISSUER: 'http://127.0.0.1:1',
      OIDC_CLIENTS: JSON.stringify([
        { ...SHOP, id_token_signed_response_alg: 'ES512' },
      ]),
    });
    expect(message).toContain(
      'oidc.clients: client "shop": id_token_signed_response_alg must be',
    );
  });

  it('refuses http: redirect URIs and generated keys in production', async () => {
    const message = await startFailure({
      NODE_ENV: 'production',
      BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0',
      BOT_USERNAME: 'shop_login_bot',
      WEBHOOK_SECRET: 'production-webhook-secret',
      OIDC_ISSUER: 'https://login.example.com',
      OIDC_CLIENTS: JSON.stringify([
        { ...SHOP, redirect_uris: ['http://shop.example/cb'] },
      ]),
    });
    expect(message).toContain(
      '"OIDC_CLIENTS": client "shop": redirect_uris[0] ("http://shop.example/cb") must use https:',
    );
    expect(message).toContain('"OIDC_JWKS" (or OIDC_JWKS_FILE) is required');
  });
});

describe('the OpenID Provider in a host app, under an issuer path', () => {
  let host: OidcApp | undefined;
  const warnings: unknown[] = [];

  afterEach(async () => {
    jest.restoreAllMocks();
    await host?.close();
  });

  it("mounts at the issuer's path beside the host's routes, with the host's body parser on", async () => {
    // oidc-provider warns once that the host parsed the body before it; it must ask for nothing else.
    for (const level of ['warn', 'info'] as const)
      jest
        .spyOn(console, level)
        .mockImplementation((...args) => void warnings.push(args));
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}/oidc`;
    @Module({
      imports: [
        TelegramQrAuthModule.forRoot({
          routePrefix: 'login',
          serveLoginPage: false,
          oidc: { issuer, clients: [SHOP] },
        }),
      ],
    })
    class HostModule {}
    const app = await NestFactory.create(HostModule, {
      logger: false,
      abortOnError: false,
    });
    await app.listen(port, '127.0.0.1');
    host = {
      app: app as never,
      url: `http://127.0.0.1:${port}`,
      issuer,
      close: () => app.close(),
    };

    const metadata = (await (
      await fetch(`${issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.token_endpoint).toBe(`${issuer}/token`);
    // Outside the issuer's path the provider answers nothing.
    expect(
      (await fetch(`${host.url}/.well-known/openid-configuration`)).status,
    ).toBe(404);

    const hostRp = await relyingParty(issuer, SHOP);
    const result = await authorize(host, hostRp);
    const tokens = await exchange(hostRp, result);
    expect(tokens.claims()).toMatchObject({ iss: issuer, sub: '4242' });
    expect(
      await client.fetchUserInfo(hostRp, tokens.access_token, '4242'),
    ).toMatchObject({ telegram_id: 4242 });
    expect(JSON.stringify(warnings)).not.toMatch(
      /MUST|SHOULD|development-only/,
    );
  });
});
