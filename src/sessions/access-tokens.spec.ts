import { describe, expect, it } from '@jest/globals';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { createPrivateKey, createSecretKey } from 'node:crypto';
import type { OidcJwks } from '../oidc/interfaces/index.js';
import { generateJwks, publicJwks } from '../oidc/oidc-keys.js';
import {
  ACCESS_TOKEN_TYPE,
  AccessTokens,
  asymmetricAccessTokenKeys,
  hs256AccessTokenKeys,
} from './access-tokens.js';

const ISSUER = 'https://login.example.com';
const CLAIMS = { sub: '4242', first_name: 'Ada' };

const tokensWith = (
  jwks: OidcJwks,
  alg: 'ES256' | 'RS256' = 'ES256',
  issuer: string | null = ISSUER,
) => {
  const keys = asymmetricAccessTokenKeys(
    { jwks, public: publicJwks(jwks) },
    alg,
  );
  return new AccessTokens(async () => keys, {
    issuer: issuer ?? undefined,
    ttlSeconds: 60,
  });
};

const keyOf = (jwks: OidcJwks, kty: 'EC' | 'RSA') =>
  jwks.keys.find((key) => key.kty === kty)!;
const privateKey = (jwk: Record<string, unknown>) =>
  createPrivateKey({ key: jwk, format: 'jwk' });
const now = () => Math.floor(Date.now() / 1000);

/** A token signed by hand with a key of `jwks`, as its holder (or a forger with another key) could. */
const signedBy = (
  jwk: Record<string, unknown>,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
) =>
  new SignJWT({
    ...CLAIMS,
    iss: ISSUER,
    iat: now(),
    exp: now() + 60,
    ...claims,
  })
    .setProtectedHeader({
      alg: jwk.kty === 'EC' ? 'ES256' : 'RS256',
      kid: jwk.kid as string,
      typ: ACCESS_TOKEN_TYPE,
      ...header,
    })
    .sign(privateKey(jwk));

describe('AccessTokens (ES256 / RS256)', () => {
  const jwks = generateJwks();
  const tokens = tokensWith(jwks);

  it("signs ES256 with the set's EC key, naming it, with iss, iat and exp = iat + ttl", async () => {
    const token = await tokens.sign(CLAIMS);
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'ES256',
      kid: keyOf(jwks, 'EC').kid,
      typ: ACCESS_TOKEN_TYPE,
    });
    const claims = await tokens.verify(token);
    expect(claims).toMatchObject({ ...CLAIMS, iss: ISSUER });
    expect(claims!.exp! - claims!.iat!).toBe(60);
  });

  it('is verified by a third party with the public JWKS alone', async () => {
    const token = await tokens.sign(CLAIMS);
    const published = publicJwks(jwks);
    for (const key of published.keys) expect(key).not.toHaveProperty('d');
    const { payload } = await jwtVerify(token, createLocalJWKSet(published), {
      issuer: ISSUER,
      algorithms: ['ES256'],
    });
    expect(payload).toMatchObject(CLAIMS);
  });

  it('signs RS256 with the RSA key when asked', async () => {
    const token = await tokensWith(jwks, 'RS256').sign(CLAIMS);
    expect(decodeProtectedHeader(token)).toMatchObject({
      alg: 'RS256',
      kid: keyOf(jwks, 'RSA').kid,
    });
    // Switching the algorithm keeps the other's tokens valid.
    expect(await tokens.verify(token)).toMatchObject(CLAIMS);
  });

  it('rotates: the first key of a type signs, the others verify, a retired key verifies nothing', async () => {
    const oldToken = await tokens.sign(CLAIMS);
    const next = keyOf(generateJwks(), 'EC');
    const rotated = tokensWith({ keys: [next, ...jwks.keys] });
    const newToken = await rotated.sign(CLAIMS);
    expect(decodeProtectedHeader(newToken).kid).toBe(next.kid);
    expect(await rotated.verify(oldToken)).toMatchObject(CLAIMS);
    const retired = tokensWith({ keys: [next, keyOf(jwks, 'RSA')] });
    expect(await retired.verify(newToken)).toMatchObject(CLAIMS);
    expect(await retired.verify(oldToken)).toBeUndefined();
  });

  it('accepts what its own key signed by hand (the refusals below are for one reason each)', async () => {
    expect(
      await tokens.verify(await signedBy(keyOf(jwks, 'EC'))),
    ).toMatchObject(CLAIMS);
  });

  it.each([
    ['an expired token', { exp: now() - 1 }, {}],
    ['a token without exp', { exp: undefined }, {}],
    ['a token without iat', { iat: undefined }, {}],
    ['another issuer', { iss: 'https://evil.example' }, {}],
    ['no issuer', { iss: undefined }, {}],
    ['no kid', {}, { kid: undefined }],
    ['an unknown kid', {}, { kid: 'somebody-else' }],
    ["an ID token's typ", {}, { typ: 'JWT' }],
    ['no typ', {}, { typ: undefined }],
  ])('refuses %s', async (_name, claims, header) => {
    const token = await signedBy(keyOf(jwks, 'EC'), claims, header);
    expect(await tokens.verify(token)).toBeUndefined();
  });

  it('refuses a token signed by a key that is not in the set, even under a known kid', async () => {
    const stranger = {
      ...keyOf(generateJwks(), 'EC'),
      kid: keyOf(jwks, 'EC').kid,
    };
    expect(await tokens.verify(await signedBy(stranger))).toBeUndefined();
  });

  it('refuses alg "none"', async () => {
    const token = new UnsecuredJWT({
      ...CLAIMS,
      iss: ISSUER,
      iat: now(),
      exp: now() + 60,
    }).encode();
    expect(await tokens.verify(token)).toBeUndefined();
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const rsa = publicJwks(jwks).keys.find((key) => key.kty === 'RSA')!;
    const secret = createSecretKey(Buffer.from(JSON.stringify(rsa)));
    const token = await new SignJWT({ ...CLAIMS, iss: ISSUER })
      .setProtectedHeader({
        alg: 'HS256',
        kid: rsa.kid,
        typ: ACCESS_TOKEN_TYPE,
      })
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(secret);
    expect(await tokens.verify(token)).toBeUndefined();
  });

  it('leaves iss out and does not ask for it when no issuer is configured', async () => {
    const anonymous = tokensWith(jwks, 'ES256', null);
    const claims = await anonymous.verify(await anonymous.sign(CLAIMS));
    expect(claims).toMatchObject(CLAIMS);
    expect(claims).not.toHaveProperty('iss');
  });

  it('refuses to start on a set without a key for the algorithm', () => {
    expect(() => tokensWith({ keys: [keyOf(jwks, 'RSA')] }, 'ES256')).toThrow(
      /no key that signs ES256/,
    );
  });
});

describe('AccessTokens (the HS256 opt-in)', () => {
  const secret = 's'.repeat(32);
  const tokens = new AccessTokens(async () => hs256AccessTokenKeys(secret), {
    issuer: ISSUER,
    ttlSeconds: 60,
  });

  it('signs and verifies HS256 with the shared secret, as a host that holds it would', async () => {
    const token = await tokens.sign(CLAIMS);
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'HS256',
      typ: ACCESS_TOKEN_TYPE,
    });
    const { payload } = await jwtVerify(
      token,
      createSecretKey(Buffer.from(secret)),
      { algorithms: ['HS256'], issuer: ISSUER },
    );
    expect(payload).toMatchObject(CLAIMS);
    expect(await tokens.verify(token)).toMatchObject(CLAIMS);
  });

  it('refuses an ES256 token and one signed with another secret', async () => {
    expect(
      await tokens.verify(await signedBy(keyOf(generateJwks(), 'EC'))),
    ).toBeUndefined();
    const other = new AccessTokens(
      async () => hs256AccessTokenKeys('o'.repeat(32)),
      { issuer: ISSUER, ttlSeconds: 60 },
    );
    expect(await tokens.verify(await other.sign(CLAIMS))).toBeUndefined();
  });
});
