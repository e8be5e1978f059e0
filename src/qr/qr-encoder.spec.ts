import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { decodeQrSvgs } from '../../test/support/qr-decode-batch.js';
import { encodeQr, qrSvg, type QrMatrix } from './qr-encoder.js';

// The reference: the `qrcode` package, which the service used before and which
// scores all 8 masks by ISO/IEC 18004's rules. Its penalty rules are internal
// modules without types; they read a matrix through `size`, `data` and `get`.
interface ReferenceMatrix {
  size: number;
  data: Uint8Array;
  get(row: number, col: number): number;
}
type PenaltyRule = (matrix: ReferenceMatrix) => number;
const rules = createRequire(import.meta.url)(
  'qrcode/lib/core/mask-pattern.js',
) as Record<
  'getPenaltyN1' | 'getPenaltyN2' | 'getPenaltyN3' | 'getPenaltyN4',
  PenaltyRule
>;

function referencePenalty(size: number, data: Uint8Array): number {
  const matrix = {
    size,
    data,
    get: (r: number, c: number) => data[r * size + c],
  };
  return (
    rules.getPenaltyN1(matrix) +
    rules.getPenaltyN2(matrix) +
    rules.getPenaltyN3(matrix) +
    rules.getPenaltyN4(matrix)
  );
}

function referenceSymbol(text: string) {
  return QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
  });
}

function referenceSvg(text: string): string {
  let svg = '';
  QRCode.toString(
    [{ data: Buffer.from(text, 'utf8'), mode: 'byte' }],
    { type: 'svg', errorCorrectionLevel: 'M', margin: 2 },
    (error, result) => {
      if (error) throw error;
      svg = result;
    },
  );
  return svg;
}

/** A seeded PRNG (mulberry32): the same 1,000 links on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKEN_ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const USERNAME_ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_';

/**
 * Deep links as the service makes them: a bot username of 5–32 characters
 * (Telegram's limits, ending in "bot") and a login token of 43 base64url
 * characters (32 random bytes, LOGIN_TOKEN_PATTERN).
 */
function randomDeepLinks(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pick = (alphabet: string, length: number) =>
    Array.from(
      { length },
      () => alphabet[Math.floor(random() * alphabet.length)],
    ).join('');
  return Array.from({ length: count }, () => {
    const username = `${pick(USERNAME_ALPHABET.slice(0, 52), 1)}${pick(USERNAME_ALPHABET, 1 + Math.floor(random() * 29))}bot`;
    return `https://t.me/${username}?start=${pick(TOKEN_ALPHABET, 43)}`;
  });
}

const LINKS = randomDeepLinks(1000, 18);

describe('encodeQr', () => {
  it('picks a mask scoring the lowest penalty, as qrcode does, for 1,000 random deep links', () => {
    const mismatches = LINKS.filter((link) => {
      const ours: QrMatrix = encodeQr(link);
      const reference = referenceSymbol(link);
      return (
        referencePenalty(ours.size, ours.modules) !==
        referencePenalty(reference.modules.size, reference.modules.data)
      );
    });
    expect(mismatches).toEqual([]);
  });

  it('draws the same SVG as qrcode for the 1,000 links, so the code looks as before', () => {
    const differing = LINKS.filter(
      (link) => qrSvg(encodeQr(link), 2) !== referenceSvg(link),
    );
    expect(differing).toEqual([]);
  });

  it('draws codes that read back as their link, for the 1,000 links', async () => {
    const texts = await decodeQrSvgs(
      LINKS.map((link) => qrSvg(encodeQr(link), 2)),
    );
    expect(LINKS.filter((link, k) => texts[k] !== link)).toEqual([]);
  });

  it('chooses the version qrcode chooses and draws the same SVG, versions 1 to 40', () => {
    const random = seededRandom(40);
    // From the capacity at level M of each version: the longest text it holds.
    const lengths = [
      0, 14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412,
      450, 504, 560, 624, 666, 711, 779, 857, 911, 997, 1059, 1125, 1190, 1264,
      1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331,
    ];
    for (let version = 1; version <= 40; version++) {
      const text = Array.from(
        { length: lengths[version] },
        () => TOKEN_ALPHABET[Math.floor(random() * 64)],
      ).join('');
      const ours = encodeQr(text);
      expect([text.length, ours.version]).toEqual([text.length, version]);
      expect(ours.version).toBe(referenceSymbol(text).version);
      expect(qrSvg(ours, 2)).toBe(referenceSvg(text));
      if (version < 40) expect(encodeQr(`${text}x`).version).toBe(version + 1);
    }
  });

  it('refuses a text longer than a version 40 code holds', () => {
    expect(() => encodeQr('x'.repeat(2332))).toThrow(RangeError);
  });
});
