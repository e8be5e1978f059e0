import { AccessTokens } from '../../src/auth/access-tokens.js';

/**
 * Access tokens made at once, for unit tests that are not about tokens and
 * run on fake timers: jose signs with WebCrypto, whose work on the thread
 * pool finishes in real time, and a test advancing fake time would race it.
 * The "token" carries the claims in the middle, as a JWT would.
 */
export class InstantAccessTokens extends AccessTokens {
  constructor() {
    super(() => Promise.reject(new Error('InstantAccessTokens has no keys')), {
      ttlSeconds: 60,
    });
  }

  override sign(claims: Record<string, unknown>): Promise<string> {
    return Promise.resolve(
      `unsigned.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.test`,
    );
  }

  override verify(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}
