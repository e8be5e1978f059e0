import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { cookieKeysFrom, generateJwks, jwksProblems } from './oidc-keys.js';

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
