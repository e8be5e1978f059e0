// The ISO/IEC 18004 mask penalty, scored as `qrcode` scores it, on lines packed
// into 32-bit words (module 0 in the top bit): masking a line is a word XOR,
// N2 and N4 are bit counts, and N1 and N3 read 4 modules per table lookup. On
// random data that is several times cheaper than a branch per module.

/** A symbol's rows (or columns) packed into `words` words per line. */
export interface PackedLines {
  size: number;
  words: number;
  bits: Uint32Array;
}

export function packedLines(size: number): PackedLines {
  const words = Math.ceil(size / 32);
  return { size, words, bits: new Uint32Array(size * words) };
}

/** Packs row-major modules by rows, or by columns when `byColumns`, into `lines`. */
export function pack(
  modules: Uint8Array,
  size: number,
  byColumns: boolean,
  lines = packedLines(size),
): PackedLines {
  const { words, bits } = lines;
  bits.fill(0);
  // Line and position of module (row, col): (row, col) by rows, (col, row) by columns.
  const lineStep = byColumns ? words : 0;
  const rowStep = byColumns ? 0 : words;
  for (let row = 0, k = 0; row < size; row++) {
    const position = byColumns ? row : 0;
    for (let col = 0; col < size; col++, k++) {
      if (!modules[k]) continue;
      const at = byColumns ? position : col;
      bits[row * rowStep + col * lineStep + (at >>> 5)] |=
        0x80000000 >>> (at & 31);
    }
  }
  return lines;
}

export function xorInto(
  a: PackedLines,
  b: PackedLines,
  out: PackedLines,
): void {
  for (let k = 0; k < out.bits.length; k++) out.bits[k] = a.bits[k] ^ b.bits[k];
}

/**
 * Points of a line's module just read, from the last 11 modules (the newest
 * in bit 0): N3's 40 for a finder-like 1011101 with 4 light modules before or
 * after it, and N1's rule (a run of n ≥ 5 scores n − 2) counted as 1 for each
 * uniform window of 5 and 2 more where the run began.
 */
const WINDOW_POINTS = Uint8Array.from({ length: 2048 }, (_, w) => {
  const low5 = w & 0x1f;
  const uniform5 = low5 === 0 || low5 === 0x1f;
  const runBegan = uniform5 && ((w >>> 5) & 1) !== (w & 1);
  const finderLike = w === 0x5d0 || w === 0x05d;
  return (finderLike ? 40 : 0) + (uniform5 ? 1 : 0) + (runBegan ? 2 : 0);
});

/** Points of a line's module at `index`: near the start a window holds fewer modules. */
function windowPoints(window: number, index: number): number {
  if (index >= 10) return WINDOW_POINTS[window];
  if (index >= 5) return WINDOW_POINTS[window & 0x3f];
  // The 5th module: a uniform start is a run that began at the line's start.
  const low5 = window & 0x1f;
  return index === 4 && (low5 === 0 || low5 === 0x1f) ? 3 : 0;
}

/** Points of a line's first 10 modules, from those 10 (module 0 in bit 9). */
const START_POINTS = Uint8Array.from({ length: 1024 }, (_, first10) => {
  let points = 0;
  for (let index = 0; index < 10; index++)
    points += windowPoints(first10 >>> (9 - index), index);
  return points;
});

/** Points of 4 modules from 14 (10 before them, then the 4; oldest in bit 13). */
const FOUR_POINTS = Uint8Array.from({ length: 16384 }, (_, modules14) => {
  let points = 0;
  for (let k = 0; k < 4; k++)
    points += WINDOW_POINTS[(modules14 >>> (3 - k)) & 0x7ff];
  return points;
});

/** `count` (≤ 14) modules of a line from `start`, the first in the top bit of the result. */
function modulesAt(
  bits: Uint32Array,
  lineStart: number,
  start: number,
  count: number,
): number {
  const word = lineStart + (start >>> 5);
  const shift = start & 31;
  let value = bits[word] << shift;
  if (shift + count > 32) value |= bits[word + 1] >>> (32 - shift);
  return value >>> (32 - count);
}

/** N1 and N3 along each line, or as far as they reach `limit`. */
export function linesPoints(lines: PackedLines, limit: number): number {
  const { size, words, bits } = lines;
  let points = 0;
  for (let line = 0; line < size; line++) {
    const lineStart = line * words;
    points += START_POINTS[modulesAt(bits, lineStart, 0, 10)];
    let index = 10;
    for (; index + 4 <= size; index += 4)
      points += FOUR_POINTS[modulesAt(bits, lineStart, index - 10, 14)];
    for (; index < size; index++)
      points += WINDOW_POINTS[modulesAt(bits, lineStart, index - 10, 11)];
    if (points >= limit) return points;
  }
  return points;
}

function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * N2 (3 for each 2×2 block of one colour) and N4 (10 for each 5% the dark
 * modules are off half, rounded as `qrcode` does) from the rows.
 */
export function blocksAndBalancePoints(rows: PackedLines): number {
  const { size, words, bits } = rows;
  let blocks = 0;
  let dark = 0;
  for (let row = 0; row < size; row++) {
    const top = row * words;
    for (let w = 0; w < words; w++) {
      dark += bitCount(bits[top + w]);
      if (row === size - 1) continue;
      const a = bits[top + w];
      const b = bits[top + words + w];
      const aNext = w + 1 < words ? bits[top + w + 1] : 0;
      const bNext = w + 1 < words ? bits[top + words + w + 1] : 0;
      // Bit c of each: module c against module c + 1 (the next word's top bit at the end).
      const aShifted = (a << 1) | (aNext >>> 31);
      const bShifted = (b << 1) | (bNext >>> 31);
      const uniform = ~(a ^ b) & ~(aShifted ^ bShifted) & ~(a ^ aShifted);
      blocks += bitCount(uniform & blockColumns(size, w));
    }
  }
  const balance =
    Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10) * 10;
  return blocks * 3 + balance;
}

/** The bits of word `w` whose column c has a column c + 1 beside it. */
function blockColumns(size: number, w: number): number {
  const first = w * 32;
  const count = Math.min(32, Math.max(0, size - 1 - first));
  return count === 32 ? 0xffffffff : ~(0xffffffff >>> count);
}
