import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import {
  cookieKeysFrom,
  generateJwks,
  jwksProblems,
  publicJwks,
  signingKeyFor,
  withKids,
} from './oidc-keys.js';

describe('generateJwks', () => {
  it('makes a private RS256 key and a private ES256 key, each with a kid', () => {
    const { keys } = generateJwks();
    expect(keys).toEqual([
      expect.objectContaining({
        kty: 'RSA',
        alg: 'RS256',
        use: 'sig',
        d: expect.any(String),
      }),
      expect.objectContaining({
        kty: 'EC',
        crv: 'P-256',
        alg: 'ES256',
        use: 'sig',
        d: expect.any(String),
      }),
    ]);
    expect(keys[0].kid).not.toEqual(keys[1].kid);
    expect(jwksProblems({ keys })).toEqual([]);
  });
});

describe('jwksProblems', () => {
  const [rsa, ec] = generateJwks().keys;

  it('names what is wrong, by key, without quoting key material', () => {
    const { d: _private, ...publicRsa } = rsa;
    const small = generateKeyPairSync('rsa', {
      modulusLength: 1024,
    }).privateKey.export({ format: 'jwk' });
    const ed = generateKeyPairSync('ed25519').privateKey.export({
      format: 'jwk',
    });
    const text = jwksProblems({
      keys: [
        publicRsa,
        { ...ec, use: 'enc' },
        { ...small, kid: 'old' },
        ed,
        { kty: 'RSA', kid: 'broken', n: 'AQAB', e: 'AQAB', d: 'AAAA' },
        { ...ec, kid: rsa.kid },
      ],
    });
    expect(text).toEqual([
      expect.stringMatching(/^keys\[0\] \(kid ".+"\): must be a private key/),
      expect.stringMatching(/^keys\[1\] .*"use" must be "sig"/),
      'keys[2] (kid "old"): an RSA key must have at least 2048 bits',
      'keys[3]: only RSA keys (RS256, PS256) and EC P-256 keys (ES256) are supported',
      'keys[4] (kid "broken"): is not a valid RSA private key',
      expect.stringMatching(/^keys\[5\] .*duplicate "kid"/),
    ]);
    for (const secret of [rsa.d, ec.d, small.d, ed.d])
      expect(text.join('\n')).not.toContain(String(secret));
  });

  it('needs an RSA key: RS256 is what every client can verify', () => {
    expect(jwksProblems({ keys: [ec] })).toEqual([
      expect.stringContaining('must include an RSA key'),
    ]);
  });

  it('needs a JWK set', () => {
    expect(jwksProblems([rsa])).toEqual(['must be a JWK set: {"keys": [...]}']);
  });
});

describe('cookieKeysFrom', () => {
  it('derives one key per signing key, the same for the same keys, none of them the key itself', () => {
    const jwks = generateJwks();
    const keys = cookieKeysFrom(jwks);
    expect(keys).toHaveLength(2);
    expect(cookieKeysFrom(JSON.parse(JSON.stringify(jwks)))).toEqual(keys);
    expect(keys[0]).not.toEqual(keys[1]);
    expect(keys).not.toContain(jwks.keys[0].d);
    expect(cookieKeysFrom(generateJwks())[0]).not.toEqual(keys[0]);
  });
});

describe('signingKeyFor', () => {
  const [rsaOld, ecOld] = generateJwks().keys;
  const [rsaNew, ecNew] = generateJwks().keys;

  it('picks the first key of the type: a rotation moves the new key to the front', () => {
    const jwks = { keys: [rsaOld, ecNew, ecOld, rsaNew] };
    expect(signingKeyFor(jwks, 'ES256')).toBe(ecNew);
    expect(signingKeyFor(jwks, 'RS256')).toBe(rsaOld);
  });

  it("ranks a key that states alg and use before one that does not, as oidc-provider's KeyStore does", () => {
    const { alg: _alg, use: _use, ...bare } = ecOld;
    expect(signingKeyFor({ keys: [bare, ecNew] }, 'ES256')).toBe(ecNew);
  });

  it('skips keys for another alg, another use or without the sign operation', () => {
    const ps256 = { ...rsaOld, alg: 'PS256' };
    const verifyOnly = { ...rsaNew, key_ops: ['verify'] };
    expect(signingKeyFor({ keys: [ps256, verifyOnly] }, 'RS256')).toBe(
      undefined,
    );
    expect(signingKeyFor({ keys: [rsaOld] }, 'ES256')).toBeUndefined();
  });

  it('is asked of a configured set for the access tokens algorithm', () => {
    expect(
      jwksProblems({ keys: [rsaOld] }, { accessTokenAlgorithm: 'ES256' }),
    ).toEqual([
      'must include a key that signs ES256 (an EC P-256 key with "alg" ES256 or none): the access tokens are signed with it (jwt.algorithm; JWT_ALGORITHM)',
    ]);
    expect(
      jwksProblems({ keys: [rsaOld] }, { accessTokenAlgorithm: 'HS256' }),
    ).toEqual([]);
  });
});

describe('publicJwks and withKids', () => {
  it('publishes the public half of every key with its kid, alg and use, nothing private', () => {
    const jwks = generateJwks();
    const published = publicJwks(jwks);
    expect(published.keys.map((key) => key.kid)).toEqual(
      jwks.keys.map((key) => key.kid),
    );
    for (const key of published.keys)
      for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        expect(key).not.toHaveProperty(part);
    expect(published.keys[1]).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      use: 'sig',
    });
  });

  it('names a key without kid by its RFC 7638 thumbprint, as oidc-provider does', async () => {
    const { kid: _kid, ...bare } = generateJwks().keys[1];
    const [named] = (await withKids({ keys: [bare] })).keys;
    expect(named.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await withKids({ keys: [bare] })).keys[0].kid).toBe(named.kid);
  });
});

describe('npm run keys (scripts/generate-jwks.mjs)', () => {
  it('prints a set the service accepts, with a key for each algorithm', () => {
    const run = spawnSync(
      process.execPath,
      ['scripts/generate-jwks.mjs', '--one-line'],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    const jwks = JSON.parse(run.stdout);
    expect(jwksProblems(jwks, { accessTokenAlgorithm: 'ES256' })).toEqual([]);
    expect(signingKeyFor(jwks, 'RS256')).toBeDefined();
  });
});
