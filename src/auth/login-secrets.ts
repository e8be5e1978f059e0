import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters that Telegram's `?start=` accepts. */
export function generateLoginToken(): string {
  return randomBytes(32).toString('base64url');
}

export function generateLoginSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashLoginSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time: how much of a guess matched must not show in the response time. */
export function loginSecretMatches(secretHash: string, candidate: unknown): boolean {
  if (typeof candidate !== 'string' || candidate.length === 0) return false;
  const expected = Buffer.from(secretHash, 'hex');
  const actual = createHash('sha256').update(candidate).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
