// A QR encoder for the one shape the service draws: byte mode, error correction
// level M, the smallest version (1–40) that holds the text, and the mask that
// ISO/IEC 18004 asks for: the one of the 8 with the lowest penalty. It draws
// the same symbol and the same SVG as the `qrcode` package (the spec of this
// file checks both against it) at a fraction of the cost, because everything
// that does not depend on the text is computed once per version, the 8 masks
// are scored on lines packed into words (qr-penalty.ts), giving up on a mask
// as soon as it cannot win, and the SVG is written as bytes in one pass.

import {
  blocksAndBalancePoints,
  linesPoints,
  pack,
  packedLines,
  xorInto,
  type PackedLines,
} from './qr-penalty.js';

/** The symbol: `size` × `size` modules, row-major, 1 for dark. */
export interface QrMatrix {
  version: number;
  size: number;
  mask: number;
  modules: Uint8Array;
}

/** Error correction codewords at level M, per version (ISO/IEC 18004 table 9). */
const EC_CODEWORDS_M = [
  10, 16, 26, 36, 48, 64, 72, 88, 110, 130, 150, 176, 198, 216, 240, 280, 308,
  338, 364, 416, 442, 476, 504, 560, 588, 644, 700, 728, 784, 812, 868, 924,
  980, 1036, 1064, 1120, 1204, 1260, 1316, 1372,
];

/** Error correction blocks at level M, per version (ISO/IEC 18004 table 9). */
const EC_BLOCKS_M = [
  1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18,
  20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
];

/** Codewords in the symbol, per version (ISO/IEC 18004 table 1). */
const TOTAL_CODEWORDS = [
  26, 44, 70, 100, 134, 172, 196, 242, 292, 346, 404, 466, 532, 581, 655, 733,
  815, 901, 991, 1085, 1156, 1258, 1364, 1474, 1588, 1706, 1828, 1921, 2051,
  2185, 2323, 2465, 2611, 2761, 2876, 3034, 3196, 3362, 3532, 3706,
];

const MASKS = 8;
/** Format information's error correction level bits for M. */
const LEVEL_M_BITS = 0b00;

/** Everything about a version that does not depend on the text. */
interface VersionLayout {
  version: number;
  size: number;
  totalCodewords: number;
  dataCodewords: number;
  /** Function patterns and version information, with the format areas light. */
  template: Uint8Array;
  /** Module index of each data bit, in placement order. */
  placement: Int32Array;
  /** Per mask: what it flips, data modules and format information alike. */
  flips: Uint8Array[];
  /** The same, packed by rows and by columns for scoring. */
  packedFlips: { rows: PackedLines; columns: PackedLines }[];
  /**
   * Working space of one encoding, reused by the next: arrays of more than a
   * few dozen bytes live outside V8's heap, and allocating them per request
   * cost more in the service than in a micro-benchmark. Encoding is
   * synchronous, so no two encodings share it at once.
   */
  scratch: {
    unmasked: Uint8Array;
    unmaskedRows: PackedLines;
    unmaskedColumns: PackedLines;
    rows: PackedLines;
    columns: PackedLines;
  };
}

const layouts = new Map<number, VersionLayout>();

/** Encodes `text` (as UTF-8) into the QR symbol with the least penalty. */
export function encodeQr(text: string): QrMatrix {
  const bytes = Buffer.from(text, 'utf8');
  const layout = layoutFor(smallestVersionFor(bytes.length));
  const codewords = interleavedCodewords(layout, dataCodewords(layout, bytes));
  const unmasked = placeCodewords(layout, codewords);
  const { mask, modules } = leastPenaltyMask(layout, unmasked);
  return { version: layout.version, size: layout.size, mask, modules };
}

function symbolSize(version: number): number {
  return version * 4 + 17;
}

function characterCountBits(version: number): number {
  return version < 10 ? 8 : 16;
}

function totalCodewords(version: number): number {
  return TOTAL_CODEWORDS[version - 1];
}

function smallestVersionFor(byteCount: number): number {
  for (let version = 1; version <= 40; version++) {
    const dataBits =
      (totalCodewords(version) - EC_CODEWORDS_M[version - 1]) * 8;
    if (4 + characterCountBits(version) + byteCount * 8 <= dataBits)
      return version;
  }
  throw new RangeError(`${byteCount} bytes do not fit in a QR code at level M`);
}

function layoutFor(version: number): VersionLayout {
  let layout = layouts.get(version);
  if (!layout) {
    layout = buildLayout(version);
    layouts.set(version, layout);
  }
  return layout;
}

function buildLayout(version: number): VersionLayout {
  const size = symbolSize(version);
  const template = new Uint8Array(size * size);
  const reserved = new Uint8Array(size * size);
  const set = (row: number, col: number, dark: boolean) => {
    template[row * size + col] = dark ? 1 : 0;
    reserved[row * size + col] = 1;
  };
  drawFinders(size, set);
  drawTiming(size, set);
  drawAlignments(version, set);
  // Format information depends on the mask: reserved light here, set by the flips.
  for (const [row, col] of formatPositions(size)) set(row, col, false);
  set(size - 8, 8, true); // the dark module, always dark
  if (version >= 7) drawVersionInformation(version, size, set);
  const placement = placementOrder(size, reserved);
  const total = totalCodewords(version);
  const flips = Array.from({ length: MASKS }, (_, mask) =>
    maskFlips(size, placement, mask),
  );
  return {
    version,
    size,
    totalCodewords: total,
    dataCodewords: total - EC_CODEWORDS_M[version - 1],
    template,
    placement,
    flips,
    packedFlips: flips.map((modules) => ({
      rows: pack(modules, size, false),
      columns: pack(modules, size, true),
    })),
    scratch: {
      unmasked: new Uint8Array(size * size),
      unmaskedRows: packedLines(size),
      unmaskedColumns: packedLines(size),
      rows: packedLines(size),
      columns: packedLines(size),
    },
  };
}

type SetModule = (row: number, col: number, dark: boolean) => void;

function drawFinders(size: number, set: SetModule): void {
  for (const [top, left] of [
    [0, 0],
    [size - 7, 0],
    [0, size - 7],
  ]) {
    for (let r = -1; r <= 7; r++) {
      if (top + r < 0 || top + r >= size) continue;
      for (let c = -1; c <= 7; c++) {
        if (left + c < 0 || left + c >= size) continue;
        const ring =
          (r >= 0 && r <= 6 && (c === 0 || c === 6)) ||
          (c >= 0 && c <= 6 && (r === 0 || r === 6));
        const centre = r >= 2 && r <= 4 && c >= 2 && c <= 4;
        set(top + r, left + c, ring || centre);
      }
    }
  }
}

function drawTiming(size: number, set: SetModule): void {
  for (let k = 8; k < size - 8; k++) {
    set(k, 6, k % 2 === 0);
    set(6, k, k % 2 === 0);
  }
}

/** Row and column coordinates of the alignment patterns' centres. */
function alignmentCentres(version: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const size = symbolSize(version);
  const step = size === 145 ? 26 : Math.ceil((size - 13) / (2 * count - 2)) * 2;
  const centres = [size - 7];
  for (let k = 1; k < count - 1; k++) centres.push(centres[k - 1] - step);
  centres.push(6);
  return centres.reverse();
}

function drawAlignments(version: number, set: SetModule): void {
  const centres = alignmentCentres(version);
  const last = centres.length - 1;
  for (let i = 0; i <= last; i++) {
    for (let j = 0; j <= last; j++) {
      // The three corners hold the finder patterns.
      if ((i === 0 && (j === 0 || j === last)) || (i === last && j === 0))
        continue;
      for (let r = -2; r <= 2; r++)
        for (let c = -2; c <= 2; c++) {
          const dark =
            r === -2 || r === 2 || c === -2 || c === 2 || (r === 0 && c === 0);
          set(centres[i] + r, centres[j] + c, dark);
        }
    }
  }
}

/** The two copies of the 15 format bits, bit k at the k-th pair of positions. */
function formatPositions(size: number): [number, number][] {
  const positions: [number, number][] = [];
  for (let k = 0; k < 15; k++) {
    positions.push(k < 6 ? [k, 8] : k < 8 ? [k + 1, 8] : [size - 15 + k, 8]);
    positions.push(
      k < 8 ? [8, size - k - 1] : k < 9 ? [8, 15 - k] : [8, 15 - k - 1],
    );
  }
  return positions;
}

/** BCH(15,5) format information for level M and a mask (ISO/IEC 18004 annex C). */
function formatBits(mask: number): number {
  const data = (LEVEL_M_BITS << 3) | mask;
  let remainder = data << 10;
  for (let bit = 14; bit >= 10; bit--)
    if ((remainder >>> bit) & 1) remainder ^= 0x537 << (bit - 10);
  return ((data << 10) | remainder) ^ 0x5412;
}

function drawFormatInformation(
  size: number,
  mask: number,
  set: SetModule,
): void {
  const bits = formatBits(mask);
  formatPositions(size).forEach(([row, col], index) =>
    set(row, col, ((bits >>> (index >> 1)) & 1) === 1),
  );
}

/** BCH(18,6) version information (ISO/IEC 18004 annex D). */
function versionBits(version: number): number {
  let remainder = version << 12;
  for (let bit = 17; bit >= 12; bit--)
    if ((remainder >>> bit) & 1) remainder ^= 0x1f25 << (bit - 12);
  return (version << 12) | remainder;
}

function drawVersionInformation(
  version: number,
  size: number,
  set: SetModule,
): void {
  const bits = versionBits(version);
  for (let k = 0; k < 18; k++) {
    const row = Math.floor(k / 3);
    const col = (k % 3) + size - 11;
    const dark = ((bits >>> k) & 1) === 1;
    set(row, col, dark);
    set(col, row, dark);
  }
}

/** The zigzag of two-module columns, bottom-right upwards, skipping the timing column. */
function placementOrder(size: number, reserved: Uint8Array): Int32Array {
  const order: number[] = [];
  let upwards = true;
  for (let right = size - 1; right > 0; right -= 2) {
    if (right === 6) right--;
    for (let step = 0; step < size; step++) {
      const row = upwards ? size - 1 - step : step;
      for (let c = 0; c < 2; c++) {
        const index = row * size + right - c;
        if (!reserved[index]) order.push(index);
      }
    }
    upwards = !upwards;
  }
  return Int32Array.from(order);
}

function masked(mask: number, row: number, col: number): boolean {
  switch (mask) {
    case 0:
      return (row + col) % 2 === 0;
    case 1:
      return row % 2 === 0;
    case 2:
      return col % 3 === 0;
    case 3:
      return (row + col) % 3 === 0;
    case 4:
      return (Math.floor(row / 2) + Math.floor(col / 3)) % 2 === 0;
    case 5:
      return ((row * col) % 2) + ((row * col) % 3) === 0;
    case 6:
      return (((row * col) % 2) + ((row * col) % 3)) % 2 === 0;
    default:
      return (((row * col) % 3) + ((row + col) % 2)) % 2 === 0;
  }
}

function maskFlips(size: number, placement: Int32Array, mask: number) {
  const flips = new Uint8Array(size * size);
  for (const index of placement)
    flips[index] = masked(mask, Math.floor(index / size), index % size) ? 1 : 0;
  drawFormatInformation(size, mask, (row, col, dark) => {
    flips[row * size + col] = dark ? 1 : 0;
  });
  return flips;
}

/** Mode, count, the bytes, terminator and padding: the data codewords. */
function dataCodewords(layout: VersionLayout, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(layout.dataCodewords);
  const countBits = characterCountBits(layout.version);
  // 0100 (byte mode), the count, then the bytes, each shifted by 4 bits.
  // The header is 12 or 20 bits, so the bytes are written 4 bits off the
  // byte grid and the last one leaves 4 bits: the terminator's 4 zero bits.
  const header = (0b0100 << countBits) | bytes.length;
  let k = 0;
  if (countBits === 16) out[k++] = header >>> 12;
  let carry = header & 0xfff; // the last 12 bits: one byte and a nibble
  out[k++] = carry >>> 4;
  carry &= 0xf;
  for (const byte of bytes) {
    out[k++] = (carry << 4) | (byte >>> 4);
    carry = byte & 0xf;
  }
  out[k++] = carry << 4;
  for (let pad = 0xec; k < out.length; pad ^= 0xec ^ 0x11) out[k++] = pad;
  return out;
}

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
for (let k = 0, x = 1; k < 255; k++) {
  EXP[k] = x;
  LOG[x] = k;
  x = (x << 1) ^ (x & 0x80 ? 0x11d : 0);
}
for (let k = 255; k < 512; k++) EXP[k] = EXP[k - 255];

const generators = new Map<number, Uint8Array>();

/** Reed–Solomon generator polynomial of a degree, highest coefficient first, leading 1 left out. */
function generator(degree: number): Uint8Array {
  let poly = generators.get(degree);
  if (!poly) {
    let coefficients = [1];
    for (let k = 0; k < degree; k++) {
      const next = new Array<number>(coefficients.length + 1).fill(0);
      coefficients.forEach((c, j) => {
        next[j] ^= c;
        next[j + 1] ^= c === 0 ? 0 : EXP[LOG[c] + k];
      });
      coefficients = next;
    }
    poly = Uint8Array.from(coefficients.slice(1));
    generators.set(degree, poly);
  }
  return poly;
}

function errorCorrection(data: Uint8Array, degree: number): Uint8Array {
  const poly = generator(degree);
  const remainder = new Uint8Array(degree);
  for (const byte of data) {
    const factor = byte ^ remainder[0];
    remainder.copyWithin(0, 1);
    remainder[degree - 1] = 0;
    if (factor === 0) continue;
    const logFactor = LOG[factor];
    for (let k = 0; k < degree; k++)
      if (poly[k] !== 0) remainder[k] ^= EXP[LOG[poly[k]] + logFactor];
  }
  return remainder;
}

/** The data split into blocks, each with its error correction, interleaved. */
function interleavedCodewords(
  layout: VersionLayout,
  data: Uint8Array,
): Uint8Array {
  const blocks = EC_BLOCKS_M[layout.version - 1];
  const ecPerBlock = EC_CODEWORDS_M[layout.version - 1] / blocks;
  const longBlocks = layout.totalCodewords % blocks;
  const shortData = Math.floor(layout.totalCodewords / blocks) - ecPerBlock;
  const dataBlocks: Uint8Array[] = [];
  let offset = 0;
  for (let b = 0; b < blocks; b++) {
    const length = shortData + (b >= blocks - longBlocks ? 1 : 0);
    dataBlocks.push(data.subarray(offset, offset + length));
    offset += length;
  }
  const out = new Uint8Array(layout.totalCodewords);
  let k = 0;
  for (let i = 0; i <= shortData; i++)
    for (const block of dataBlocks) if (i < block.length) out[k++] = block[i];
  const ecBlocks = dataBlocks.map((block) =>
    errorCorrection(block, ecPerBlock),
  );
  for (let i = 0; i < ecPerBlock; i++)
    for (const block of ecBlocks) out[k++] = block[i];
  return out;
}

/** The template with the codewords' bits in placement order; remainder bits stay light. */
function placeCodewords(
  layout: VersionLayout,
  codewords: Uint8Array,
): Uint8Array {
  const modules = layout.scratch.unmasked;
  modules.set(layout.template);
  const { placement } = layout;
  const bits = Math.min(placement.length, codewords.length * 8);
  for (let k = 0; k < bits; k++)
    modules[placement[k]] = (codewords[k >> 3] >>> (7 - (k & 7))) & 1;
  return modules;
}

/**
 * Tries the 8 masks and keeps the first with the lowest penalty, as `qrcode`
 * does. The penalties are non-negative sums, so a mask whose partial sum
 * already reaches the best is dropped without scoring the rest of it.
 */
function leastPenaltyMask(
  layout: VersionLayout,
  unmasked: Uint8Array,
): { mask: number; modules: Uint8Array } {
  const { size } = layout;
  const { rows, columns } = layout.scratch;
  const unmaskedRows = pack(unmasked, size, false, layout.scratch.unmaskedRows);
  const unmaskedColumns = pack(
    unmasked,
    size,
    true,
    layout.scratch.unmaskedColumns,
  );
  let bestMask = 0;
  let lowest = Infinity;
  for (let mask = 0; mask < MASKS; mask++) {
    xorInto(unmaskedRows, layout.packedFlips[mask].rows, rows);
    let points = blocksAndBalancePoints(rows);
    if (points >= lowest) continue;
    points += linesPoints(rows, lowest - points);
    if (points >= lowest) continue;
    xorInto(unmaskedColumns, layout.packedFlips[mask].columns, columns);
    points += linesPoints(columns, lowest - points);
    if (points < lowest) {
      lowest = points;
      bestMask = mask;
    }
  }
  const flips = layout.flips[bestMask];
  const modules = new Uint8Array(unmasked.length);
  for (let k = 0; k < modules.length; k++) modules[k] = unmasked[k] ^ flips[k];
  return { mask: bestMask, modules };
}

/**
 * The SVG `qrcode` draws for this symbol with a quiet zone of `margin`
 * modules, byte for byte: a white square, then one black stroke path of
 * horizontal runs through the middle of each row.
 */
export function qrSvg(matrix: QrMatrix, margin: number): string {
  const length = writeSvg(matrix, margin); // first: it may replace svgBuffer
  return svgBuffer.toString('latin1', 0, length);
}

/** qrSvg in base64, for a data URL. */
export function qrSvgBase64(matrix: QrMatrix, margin: number): string {
  const length = writeSvg(matrix, margin); // first: it may replace svgBuffer
  return svgBuffer.toString('base64', 0, length);
}

/** Where writeSvg writes, reused and grown as needed (see VersionLayout's scratch). */
let svgBuffer = Buffer.alloc(0);

/**
 * Writes qrSvg's ASCII into svgBuffer and returns its length: the path has a
 * few hundred pieces, and building it as a string cost more than the masks.
 */
function writeSvg(matrix: QrMatrix, margin: number): number {
  const { size, modules } = matrix;
  const width = size + margin * 2;
  const head = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${width}" shape-rendering="crispEdges"><path fill="#ffffff" d="M0 0h${width}v${width}H0z"/><path stroke="#000000" d="`;
  const tail = '"/></svg>\n';
  // A run and the gap before it take at most 12 bytes ("m176 0h176"), a row's first "M180 180.5h176".
  const bound =
    head.length + tail.length + size * (16 + 12 * Math.ceil(size / 2));
  if (svgBuffer.length < bound) svgBuffer = Buffer.allocUnsafe(bound);
  const out = svgBuffer;
  let at = out.write(head, 0, 'latin1');
  for (let row = 0; row < size; row++) {
    const start = row * size;
    let newRow = true;
    let gap = 0;
    for (let col = 0; col < size; col++) {
      if (!modules[start + col]) {
        gap++;
        continue;
      }
      let end = col + 1;
      while (end < size && modules[start + end]) end++;
      if (newRow) {
        out[at++] = 0x4d; // M
        at = writeNumber(out, at, col + margin);
        out[at++] = 0x20;
        at = writeNumber(out, at, row + margin);
        out[at++] = 0x2e; // .5: through the middle of the row
        out[at++] = 0x35;
      } else {
        out[at++] = 0x6d; // m
        at = writeNumber(out, at, gap);
        out[at++] = 0x20;
        out[at++] = 0x30;
      }
      out[at++] = 0x68; // h
      at = writeNumber(out, at, end - col);
      newRow = false;
      gap = 0;
      col = end - 1;
    }
  }
  return at + out.write(tail, at, 'latin1');
}

/** Writes a non-negative integer below 1000 in decimal; returns the next offset. */
function writeNumber(out: Buffer, at: number, value: number): number {
  if (value >= 100) out[at++] = 0x30 + Math.floor(value / 100);
  if (value >= 10) out[at++] = 0x30 + (Math.floor(value / 10) % 10);
  out[at++] = 0x30 + (value % 10);
  return at;
}
