import { calculateJwkThumbprint, type JWK } from 'jose';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import type { RedisClient } from '../redis/redis-client.factory.js';
import { whenRedisAnswers } from '../redis/when-redis-answers.js';
import type { JwtAlgorithm } from '../telegram-qr-auth.constants.js';
import type { OidcJwks } from './interfaces/index.js';
import { OIDC_JWKS_REDIS_KEY } from './oidc.constants.js';

/** RSA keys shorter than this are refused (NIST SP 800-57: 2048 bits until 2030). */
const MIN_RSA_BITS = 2048;

/**
 * What is wrong with a private JWK set, one sentence per problem; empty when
 * nothing is. Names keys by index and kid, never quotes key material.
 */
export function jwksProblems(
  jwks: unknown,
  { accessTokenAlgorithm }: { accessTokenAlgorithm?: JwtAlgorithm } = {},
): string[] {
  if (
    typeof jwks !== 'object' ||
    jwks === null ||
    !Array.isArray((jwks as { keys?: unknown }).keys)
  )
    return ['must be a JWK set: {"keys": [...]}'];
  const keys = (jwks as { keys: unknown[] }).keys;
  const problems: string[] = [];
  const kids = new Set<string>();
  keys.forEach((key: unknown, index) => {
    if (typeof key !== 'object' || key === null || Array.isArray(key)) {
      problems.push(`keys[${index}] must be a JWK object`);
      return;
    }
    const jwk = key as Record<string, unknown>;
    const where =
      typeof jwk.kid === 'string'
        ? `keys[${index}] (kid ${JSON.stringify(jwk.kid)})`
        : `keys[${index}]`;
    if (typeof jwk.kid === 'string') {
      if (kids.has(jwk.kid)) problems.push(`${where}: duplicate "kid"`);
      kids.add(jwk.kid);
    }
    if (jwk.use !== undefined && jwk.use !== 'sig') {
      problems.push(`${where}: "use" must be "sig" (or absent)`);
      return;
    }
    if (jwk.kty !== 'RSA' && !(jwk.kty === 'EC' && jwk.crv === 'P-256')) {
      problems.push(
        `${where}: only RSA keys (RS256, PS256) and EC P-256 keys (ES256) are supported`,
      );
      return;
    }
    if (typeof jwk.d !== 'string') {
      problems.push(
        `${where}: must be a private key (with "d"): the provider signs with it`,
      );
      return;
    }
    try {
      const parsed = createPrivateKey({ key: jwk, format: 'jwk' });
      const bits = parsed.asymmetricKeyDetails?.modulusLength;
      if (jwk.kty === 'RSA' && (bits ?? 0) < MIN_RSA_BITS)
        problems.push(
          `${where}: an RSA key must have at least ${MIN_RSA_BITS} bits`,
        );
    } catch {
      problems.push(`${where}: is not a valid ${String(jwk.kty)} private key`);
    }
  });
  if (
    problems.length === 0 &&
    !keys.some((key) => (key as { kty?: unknown }).kty === 'RSA')
  )
    problems.push(
      'must include an RSA key: RS256 is the ID token algorithm every client can verify (OpenID Connect Core §15.1)',
    );
  if (
    problems.length === 0 &&
    (accessTokenAlgorithm === 'ES256' || accessTokenAlgorithm === 'RS256') &&
    !signingKeyFor(jwks as OidcJwks, accessTokenAlgorithm)
  )
    problems.push(
      `must include a key that signs ${accessTokenAlgorithm} (${accessTokenAlgorithm === 'ES256' ? 'an EC P-256 key' : 'an RSA key'} with "alg" ${accessTokenAlgorithm} or none): the access tokens are signed with it (jwt.algorithm; JWT_ALGORITHM)`,
    );
  return problems;
}

/** The key type and curve an algorithm signs with. */
const KEY_TYPE_OF: Record<'ES256' | 'RS256', { kty: string; crv?: string }> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  RS256: { kty: 'RSA' },
};

/**
 * The private key that signs `alg`: the first one that can, as oidc-provider
 * chooses for ID tokens (its KeyStore#selectForSign: keys that say their
 * `alg` and `use` rank first, otherwise the order of the set). So the first
 * key of each type signs and the others only verify: a rotation moves the
 * new key to the front.
 */
export function signingKeyFor(
  jwks: OidcJwks,
  alg: 'ES256' | 'RS256',
): Record<string, unknown> | undefined {
  const { kty, crv } = KEY_TYPE_OF[alg];
  const score = (key: Record<string, unknown>) =>
    (key.alg === undefined ? 0 : 1) + (key.use === undefined ? 0 : 1);
  return jwks.keys
    .filter(
      (key) =>
        key.kty === kty &&
        (crv === undefined || key.crv === crv) &&
        (key.alg === undefined || key.alg === alg) &&
        (key.use === undefined || key.use === 'sig') &&
        (!Array.isArray(key.key_ops) || key.key_ops.includes('sign')),
    )
    .sort((first, second) => score(second) - score(first))[0];
}

/**
 * The set with a `kid` on every key: a missing one becomes the key's RFC
 * 7638 thumbprint, as oidc-provider would make it, so that the access
 * tokens and the provider name a key alike.
 */
export async function withKids(jwks: OidcJwks): Promise<OidcJwks> {
  return {
    keys: await Promise.all(
      jwks.keys.map(async (key) =>
        typeof key.kid === 'string'
          ? key
          : { ...key, kid: await calculateJwkThumbprint(key as JWK) },
      ),
    ),
  };
}

/** The public half of each key, with its `kid`, `alg` and `use`: what the JWKS endpoint publishes. */
export function publicJwks(jwks: OidcJwks): { keys: JWK[] } {
  return {
    keys: jwks.keys.map((key) => {
      const { kid, alg, use } = key as JWK;
      const publicKey = createPublicKey(
        createPrivateKey({ key: key, format: 'jwk' }),
      ).export({ format: 'jwk' }) as JWK;
      return Object.fromEntries(
        Object.entries({ ...publicKey, kid, alg, use }).filter(
          ([, value]) => value !== undefined,
        ),
      );
    }),
  };
}

/** A fresh RSA-2048 (RS256) and EC P-256 (ES256) private key set, for development. */
export function generateJwks(): OidcJwks {
  const stamp = new Date().toISOString().slice(0, 10);
  const rsa = generateKeyPairSync('rsa', { modulusLength: MIN_RSA_BITS });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    keys: [
      {
        ...rsa.privateKey.export({ format: 'jwk' }),
        kid: `rs256-${stamp}-${randomBytes(4).toString('hex')}`,
        alg: 'RS256',
        use: 'sig',
      },
      {
        ...ec.privateKey.export({ format: 'jwk' }),
        kid: `es256-${stamp}-${randomBytes(4).toString('hex')}`,
        alg: 'ES256',
        use: 'sig',
      },
    ],
  };
}

/**
 * The generated key set every instance on this Redis signs with: the first
 * instance's set wins (SET NX), and every instance reads back the winner.
 * Kept without expiry: tokens signed with it outlive any one process.
 */
export async function sharedGeneratedJwks(
  redis: RedisClient,
  keyPrefix: string,
): Promise<OidcJwks> {
  const key = `${keyPrefix}${OIDC_JWKS_REDIS_KEY}`;
  const stored = await whenRedisAnswers(() => redis.get(key));
  if (stored) return JSON.parse(stored) as OidcJwks;
  await whenRedisAnswers(() =>
    redis.set(key, JSON.stringify(generateJwks()), 'NX'),
  );
  const winner = await whenRedisAnswers(() => redis.get(key));
  if (!winner)
    throw new Error('The OIDC signing keys vanished from Redis right away');
  return JSON.parse(winner) as OidcJwks;
}

/**
 * The keys that sign the provider's cookies: one per signing key, in order,
 * derived with HKDF (so a cookie key reveals nothing of the signing key).
 * Every instance that shares the signing keys shares these without another
 * secret to configure; and as keygrip signs with the first and accepts all,
 * rotating the JWKS keeps cookies set before the rotation valid.
 */
export function cookieKeysFrom(jwks: OidcJwks): string[] {
  return jwks.keys.map((key) =>
    Buffer.from(
      hkdfSync(
        'sha256',
        Buffer.from(String(key.d), 'base64url'),
        Buffer.alloc(0),
        'telegram-qr-auth oidc-provider cookies v1',
        32,
      ),
    ).toString('base64url'),
  );
}
