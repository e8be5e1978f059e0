import { describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import {
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { type SigningAlgorithm, signCompactJwt } from './compact-jws.js';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const secret = createSecretKey(
  Buffer.from('a shared secret of 32+ bytes ....'),
);

const keys: Record<SigningAlgorithm, [KeyObject, KeyObject]> = {
  ES256: [ec.privateKey, ec.publicKey],
  RS256: [rsa.privateKey, rsa.publicKey],
  HS256: [secret, secret],
};

describe('signCompactJwt', () => {
  it.each(Object.keys(keys) as SigningAlgorithm[])(
    'signs %s as jose verifies it, header and claims as given',
    async (alg) => {
      const [signing, verifying] = keys[alg];
      const token = await signCompactJwt(
        { alg, typ: 'at+jwt', kid: 'k1' },
        { sub: '42', first_name: 'Ада', iat: 1, exp: 4_000_000_000 },
        signing,
      );
      expect(decodeProtectedHeader(token)).toEqual({
        alg,
        typ: 'at+jwt',
        kid: 'k1',
      });
      const { payload } = await jwtVerify(token, verifying, {
        algorithms: [alg],
        typ: 'at+jwt',
      });
      expect(payload).toEqual({
        sub: '42',
        first_name: 'Ада',
        iat: 1,
        exp: 4_000_000_000,
      });
    },
  );

  it('writes an ES256 signature as R || S (64 bytes), not DER', async () => {
    const token = await signCompactJwt(
      { alg: 'ES256' },
      { sub: '1' },
      ec.privateKey,
    );
    expect(Buffer.from(token.split('.')[2], 'base64url')).toHaveLength(64);
  });

  it('is refused by jose under another key', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await signCompactJwt(
      { alg: 'ES256' },
      { sub: '1' },
      ec.privateKey,
    );
    await expect(
      jwtVerify(token, createPublicKey(other.privateKey)),
    ).rejects.toThrow('signature verification failed');
  });
});
