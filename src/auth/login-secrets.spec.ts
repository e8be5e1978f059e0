import { describe, expect, it } from '@jest/globals';
import {
  generateLoginSecret,
  generateLoginToken,
  hashLoginSecret,
  loginSecretMatches,
} from './login-secrets.js';
import { LOGIN_TOKEN_PATTERN } from './auth.constants.js';

describe('login secrets', () => {
  it('makes tokens Telegram accepts in ?start= (43 base64url characters), never the same twice', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateLoginToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(token).toMatch(LOGIN_TOKEN_PATTERN);
  });

  it('never hands out the same random bytes twice, across refills of the pool and between tokens and secrets', () => {
    const values = Array.from({ length: 1000 }, (_, index) =>
      index % 2 ? generateLoginSecret() : generateLoginToken(),
    );
    const chunks = values.flatMap((value) => {
      const bytes = Buffer.from(value, 'base64url');
      return Array.from({ length: 4 }, (_, quarter) =>
        bytes.subarray(quarter * 8, quarter * 8 + 8).toString('hex'),
      );
    });
    expect(new Set(chunks).size).toBe(chunks.length);
  });

  it('accepts the right secret and rejects others, including missing and non-string ones', () => {
    const secret = generateLoginSecret();
    const hash = hashLoginSecret(secret);
    expect(loginSecretMatches(hash, secret)).toBe(true);
    expect(loginSecretMatches(hash, generateLoginSecret())).toBe(false);
    expect(loginSecretMatches(hash, secret.slice(1))).toBe(false);
    expect(loginSecretMatches(hash, '')).toBe(false);
    expect(loginSecretMatches(hash, undefined)).toBe(false);
    expect(loginSecretMatches(hash, ['x'])).toBe(false);
  });

  it('never stores the secret itself', () => {
    const secret = generateLoginSecret();
    expect(hashLoginSecret(secret)).not.toContain(secret);
  });
});
