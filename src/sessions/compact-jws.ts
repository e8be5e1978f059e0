import { createHmac, type KeyObject, sign } from 'node:crypto';
import { promisify } from 'node:util';

/** crypto.sign with a callback: the signature is computed on libuv's thread pool, not on the event loop. */
const signOffThread = promisify(sign);

/** The algorithms this module signs its tokens with. */
export type SigningAlgorithm = 'ES256' | 'RS256' | 'HS256';

/**
 * A JWT in the JWS compact serialization (RFC 7515 §7.1, RFC 7519 §7.1),
 * signed with node:crypto. jose signs through WebCrypto, whose job and
 * promises cost about 130 µs of CPU per ES256 token on the bench's machine
 * against 27 µs for `crypto.sign` in a loop, and every login signs one (see
 * the README's Benchmarks). Inside the service a signature still takes about
 * 75 µs (its curve tables are out of the CPU's caches by then), so the
 * asymmetric ones are made on the thread pool, leaving the event loop free.
 * Only the signing is ours: jose verifies every token.
 */
export async function signCompactJwt(
  header: Record<string, unknown> & { alg: SigningAlgorithm },
  payload: Record<string, unknown>,
  key: KeyObject,
): Promise<string> {
  const input = `${base64urlJson(header)}.${base64urlJson(payload)}`;
  const signature = await signatureOf(header.alg, key, input);
  return `${input}.${signature.toString('base64url')}`;
}

function base64urlJson(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function signatureOf(
  alg: SigningAlgorithm,
  key: KeyObject,
  input: string,
): Buffer | Promise<Buffer> {
  switch (alg) {
    case 'HS256':
      // A few µs: not worth a trip to the thread pool.
      return createHmac('sha256', key).update(input).digest();
    case 'RS256':
      // RSASSA-PKCS1-v1_5 (RFC 7518 §3.3), node:crypto's default padding for an RSA key.
      return signOffThread('sha256', Buffer.from(input), key);
    case 'ES256':
      // JWS wants R || S (RFC 7518 §3.4), not the DER that crypto.sign gives by default.
      return signOffThread('sha256', Buffer.from(input), {
        key,
        dsaEncoding: 'ieee-p1363',
      });
  }
}
