import { describe, expect, it } from '@jest/globals';
import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { generateJwks, publicJwks } from '../oidc/oidc-keys.js';
import {
  ACCESS_TOKEN_TYPE,
  AccessTokens,
  asymmetricAccessTokenKeys,
} from './access-tokens.js';
import { AccessTokenService } from './access-token.service.js';

const ADA = {
  id: 4242,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
};

const JWKS = generateJwks();
const SID = 'c2Vzc2lvbi1pZC0xMjM0NQ';

/** An AccessTokenService signing ES256 with the EC key of `jwks`. */
function sessionsWith(jwks = JWKS): AccessTokenService {
  const keys = asymmetricAccessTokenKeys(
    { jwks, public: publicJwks(jwks) },
    'ES256',
  );
  return new AccessTokenService(
    new AccessTokens(async () => keys, { ttlSeconds: 60 }),
  );
}

describe('AccessTokenService', () => {
  const sessions = sessionsWith();
  const ec = JWKS.keys.find((key) => key.kty === 'EC')!;
  /** Signs exactly these claims with the service's key, by hand, as someone holding the key could. */
  const forged = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({
        alg: 'ES256',
        kid: ec.kid as string,
        typ: ACCESS_TOKEN_TYPE,
      })
      .sign(createPrivateKey({ key: ec, format: 'jwk' }));
  const now = () => Math.floor(Date.now() / 1000);
  const valid = () => ({
    sub: '4242',
    first_name: 'Ada',
    sid: SID,
    iat: now(),
    exp: now() + 60,
  });

  it('signs the Telegram id as subject and the user as claims by default', async () => {
    const session = await sessions.verify(await sessions.issue(ADA, SID));
    expect(session?.user).toEqual(ADA);
    expect(session?.sid).toBe(SID);
    expect(session?.claims).toMatchObject({
      sid: SID,
      sub: '4242',
      first_name: 'Ada',
      last_name: 'Lovelace',
      username: 'ada',
    });
    expect(session?.claims).not.toHaveProperty('telegram_id');
  });

  it("uses the policy's subject and claims, keeping the Telegram user readable", async () => {
    const token = await sessions.issue(ADA, SID, {
      subject: 'acct_7',
      claims: { role: 'admin' },
    });
    const session = await sessions.verify(token);
    expect(session?.user).toEqual(ADA);
    expect(session?.claims).toMatchObject({
      sub: 'acct_7',
      telegram_id: 4242,
      role: 'admin',
    });
  });

  it('never lets extra claims override its own or the JWT’s', async () => {
    const token = await sessions.issue(ADA, SID, {
      claims: { sub: 'root', first_name: 'Eve', exp: 1, telegram_id: 1 },
    });
    const session = await sessions.verify(token);
    expect(session?.user).toEqual(ADA);
    expect(session?.claims.sub).toBe('4242');
    expect(session?.claims.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('rejects tokens it did not sign', async () => {
    const other = sessionsWith(generateJwks());
    expect(await sessions.verify(await other.issue(ADA, SID))).toBeUndefined();
    expect(await sessions.verify('not.a.jwt')).toBeUndefined();
  });

  it('accepts a well-formed token signed with its key', async () => {
    expect((await sessions.verify(await forged(valid())))?.user).toEqual({
      id: 4242,
      first_name: 'Ada',
    });
  });

  it.each([
    ['without exp', { exp: undefined }],
    ['without iat', { iat: undefined }],
    ['with a non-numeric exp', { exp: String(now() + 60) }],
    ['with a non-numeric iat', { iat: 'yesterday' }],
    // Every token this module signs names its session: one that does not was made before sessions, or by hand.
    ['without a session id (sid)', { sid: undefined }],
    ['with a numeric sid', { sid: 42 }],
  ])('rejects a token %s', async (_name, change) => {
    const claims: Record<string, unknown> = { ...valid(), ...change };
    for (const name of Object.keys(change))
      if (claims[name] === undefined) delete claims[name];
    expect(await sessions.verify(await forged(claims))).toBeUndefined();
  });

  it.each([
    [''],
    [' '],
    ['0'],
    ['0x10'],
    ['1e3'],
    ['-5'],
    ['+5'],
    ['05'],
    [' 5'],
    ['5 '],
    ['5.0'],
    ['9007199254740993'],
    ['Infinity'],
  ])('rejects the subject %p as a Telegram id', async (sub) => {
    expect(
      await sessions.verify(await forged({ ...valid(), sub })),
    ).toBeUndefined();
  });

  it.each([[0], [-5], [1.5], ['42'], [2 ** 53]])(
    'rejects the telegram_id %p',
    async (telegramId) => {
      expect(
        await sessions.verify(
          await forged({ ...valid(), sub: 'acct_7', telegram_id: telegramId }),
        ),
      ).toBeUndefined();
    },
  );

  it('reads the largest safe id', async () => {
    const sub = String(Number.MAX_SAFE_INTEGER);
    expect(
      (await sessions.verify(await forged({ ...valid(), sub })))?.user.id,
    ).toBe(Number.MAX_SAFE_INTEGER);
  });
});
