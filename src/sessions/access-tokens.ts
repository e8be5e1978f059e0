import { createPrivateKey, createSecretKey, type KeyObject } from 'node:crypto';
import {
  createLocalJWKSet,
  errors,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { type SigningAlgorithm, signCompactJwt } from './compact-jws.js';
import { signingKeyFor } from '../oidc/oidc-keys.js';
import type { SigningKeys } from '../oidc/signing-keys.service.js';

/**
 * The `typ` of every access token (RFC 9068 §2.1): ID tokens are signed with
 * the same keys, and this is what tells the two apart, so that an ID token
 * given to a site is not a key to `/auth/me` or a host's guarded routes.
 */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** What signs and verifies, resolved from the settings and the signing keys. */
export interface AccessTokenKeys {
  /** New tokens are signed with this key, `kid` (if any) in their header. */
  signing: { alg: SigningAlgorithm; kid?: string; key: KeyObject };
  /** The key (HS256) or the key set (by `kid`) a token is verified with. */
  verifying: KeyObject | JWTVerifyGetKey;
  /** The only `alg` values accepted: never `none`, never HS256 beside public keys. */
  algorithms: string[];
}

/** Asymmetric algorithms an access token may have been signed with; switching between them keeps earlier tokens valid. */
const ASYMMETRIC_ALGORITHMS = ['ES256', 'RS256'] as const;

/**
 * Signs with the first key of `alg` in the set and verifies with the public
 * half of every key: a key published beside the signing one keeps its tokens
 * valid (a rotation), a key left out of the set ends them.
 */
export function asymmetricAccessTokenKeys(
  keys: SigningKeys,
  alg: 'ES256' | 'RS256',
): AccessTokenKeys {
  const jwk = signingKeyFor(keys.jwks, alg);
  if (!jwk)
    throw new Error(
      `TelegramQrAuthModule: the signing keys (oidc.jwks; OIDC_JWKS) have no key that signs ${alg}, the access tokens' algorithm (jwt.algorithm; JWT_ALGORITHM)`,
    );
  const byKid = createLocalJWKSet(keys.public);
  return {
    signing: {
      alg,
      kid: jwk.kid as string,
      key: createPrivateKey({ key: jwk, format: 'jwk' }),
    },
    // Every token this module signs names its key; one that does not is not ours.
    verifying: (header, token) => {
      if (typeof header.kid !== 'string')
        throw new errors.JWKSNoMatchingKey('the token names no key (kid)');
      return byKid(header, token);
    },
    algorithms: [...ASYMMETRIC_ALGORITHMS],
  };
}

/** HS256 with a shared secret: the opt-in for hosts that already verify that. */
export function hs256AccessTokenKeys(secret: string): AccessTokenKeys {
  // A KeyObject, made once: the secret is not parsed again for every token.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return {
    signing: { alg: 'HS256', key },
    verifying: key,
    algorithms: ['HS256'],
  };
}

export interface AccessTokenOptions {
  /** The `iss` of every token, checked on the way in; unset: none (no issuer is configured). */
  issuer?: string;
  ttlSeconds: number;
  /**
   * The header's `typ`, required on the way in: another kind of token signed with the same keys
   * (a photo ticket) gets a `typ` of its own, so that neither can pass for the other.
   * @default ACCESS_TOKEN_TYPE
   */
  type?: string;
}

/** Signs (see signCompactJwt) and verifies (with jose) access tokens, or with another `type` tokens of that kind. */
export class AccessTokens {
  constructor(
    private readonly keys: () => Promise<AccessTokenKeys>,
    private readonly options: AccessTokenOptions,
  ) {}

  private get type(): string {
    return this.options.type ?? ACCESS_TOKEN_TYPE;
  }

  /**
   * `claims` signed with `iat`, `exp` and `iss` (which override any of `claims`); `exp` is
   * `ttlSeconds` (by default the configured lifetime) from now.
   */
  async sign(
    claims: Record<string, unknown>,
    ttlSeconds = this.options.ttlSeconds,
  ): Promise<string> {
    const { signing } = await this.keys();
    // One clock reading: exp is exactly iat + ttl.
    const now = Math.floor(Date.now() / 1000);
    return signCompactJwt(
      {
        alg: signing.alg,
        typ: this.type,
        ...(signing.kid === undefined ? {} : { kid: signing.kid }),
      },
      {
        ...claims,
        iat: now,
        exp: now + ttlSeconds,
        ...(this.options.issuer ? { iss: this.options.issuer } : {}),
      },
      signing.key,
    );
  }

  /**
   * The claims of a token this module signed, unexpired, with `exp` and
   * `iat`; undefined for anything else. Rejects only when the keys cannot be
   * read (Redis down): that is not the token's fault.
   */
  async verify(token: string): Promise<JWTPayload | undefined> {
    const { verifying, algorithms } = await this.keys();
    const options = {
      algorithms,
      typ: this.type,
      requiredClaims: ['exp', 'iat'],
      ...(this.options.issuer ? { issuer: this.options.issuer } : {}),
    };
    try {
      const { payload } =
        typeof verifying === 'function'
          ? await jwtVerify(token, verifying, options)
          : await jwtVerify(token, verifying, options);
      return payload;
    } catch {
      return undefined;
    }
  }
}
