import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const VALUE_BYTES = 32;
// 128 values per refill. Each randomBytes call is a synchronous job of its own (~6 µs, measured in
// bench/ as 5% of a token creation); Node's randomUUID pools its entropy the same way.
const POOL_BYTES = VALUE_BYTES * 128;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** The next unused bytes of the CSPRNG pool; a spent pool is replaced, never refilled in place, so no byte serves twice. */
function randomChunk(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const chunk = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return chunk;
}

/** 32 random bytes, base64url: 43 characters that Telegram's `?start=` accepts. */
export function generateLoginToken(): string {
  return randomChunk(VALUE_BYTES).toString('base64url');
}

export function generateLoginSecret(): string {
  return randomChunk(VALUE_BYTES).toString('base64url');
}

export function hashLoginSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time: how much of a guess matched must not show in the response time. */
export function loginSecretMatches(
  secretHash: string,
  candidate: unknown,
): boolean {
  if (typeof candidate !== 'string' || candidate.length === 0) return false;
  const expected = Buffer.from(secretHash, 'hex');
  const actual = createHash('sha256').update(candidate).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
