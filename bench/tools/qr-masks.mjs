#!/usr/bin/env node
// Diagnosis for the "token creation with the QR" figure: what the QR of a deep link costs
// with qrcode's mask choice (all 8 patterns scored, as ISO/IEC 18004 asks), with a fixed
// mask, and with a plain-JavaScript scorer of the same penalty rules (checked to pick the
// same mask as qrcode), and with the encoder the service ships (src/qr/qr-encoder.ts, from
// dist/: run `npm run build` first). Not part of `npm run bench`.
//
//   node bench/tools/qr-masks.mjs [links]
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { encodeQr, qrSvg } from '../../dist/qr/qr-encoder.js';

const links = Number(process.argv[2] ?? 3000);
const deepLink = () =>
  `https://t.me/TelegramQrAuthBot?start=${randomBytes(32).toString('base64url')}`;
const segments = (text) => [{ data: Buffer.from(text), mode: 'byte' }];
const options = { errorCorrectionLevel: 'M' };

/** Penalty rules N1 (runs of 5+) and N3 (finder-like patterns) along the rows of m, as qrcode scores them. */
function linePenalty(m, size) {
  let points = 0;
  for (let row = 0; row < size; row++) {
    const start = row * size;
    let last = m[start];
    let run = 1;
    let bits = last;
    for (let col = 1; col < size; col++) {
      const module = m[start + col];
      if (module === last) run++;
      else {
        if (run >= 5) points += run - 2;
        last = module;
        run = 1;
      }
      bits = ((bits << 1) & 0x7ff) | module;
      if (col >= 10 && (bits === 0x5d0 || bits === 0x05d)) points += 40;
    }
    if (run >= 5) points += run - 2;
  }
  return points;
}

/** N2 (2×2 blocks of one colour) and N4 (balance of dark modules). */
function blockAndBalancePenalty(m, size) {
  let blocks = 0;
  let dark = 0;
  for (let k = 0; k < size * size; k++) dark += m[k];
  for (let row = 0; row < size - 1; row++) {
    const start = row * size;
    let left = m[start] + m[start + size];
    for (let col = 1; col < size; col++) {
      const right = m[start + col] + m[start + size + col];
      if (left + right === 0 || left + right === 4) blocks++;
      left = right;
    }
  }
  return (
    blocks * 3 + Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10) * 10
  );
}

function transpose(source, target, size) {
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++)
      target[col * size + row] = source[row * size + col];
}

// Per version: what turning mask 0 into mask p flips (data modules and format bits alike), found by
// rendering one byte with each mask; it does not depend on the data.
const flipsByVersion = new Map();
function flipsFor(version, size) {
  if (!flipsByVersion.has(version)) {
    const masked = Array.from(
      { length: 8 },
      (_, mask) =>
        QRCode.create(segments('x'), { ...options, version, maskPattern: mask })
          .modules.data,
    );
    const rows = masked.map((data) =>
      data.map((value, k) => value ^ masked[0][k]),
    );
    const cols = rows.map((flips) => {
      const transposed = new Uint8Array(flips.length);
      transpose(flips, transposed, size);
      return transposed;
    });
    flipsByVersion.set(version, { rows, cols });
  }
  return flipsByVersion.get(version);
}

function fastBestMask(text) {
  const { version, modules } = QRCode.create(segments(text), {
    ...options,
    maskPattern: 0,
  });
  const { size, data } = modules;
  const flips = flipsFor(version, size);
  const dataT = new Uint8Array(size * size);
  transpose(data, dataT, size);
  const m = new Uint8Array(size * size);
  const mT = new Uint8Array(size * size);
  let best = 0;
  let lowest = Infinity;
  for (let mask = 0; mask < 8; mask++) {
    const rows = flips.rows[mask];
    const cols = flips.cols[mask];
    for (let k = 0; k < m.length; k++) {
      m[k] = data[k] ^ rows[k];
      mT[k] = dataT[k] ^ cols[k];
    }
    const penalty =
      linePenalty(m, size) +
      linePenalty(mT, size) +
      blockAndBalancePenalty(m, size);
    if (penalty < lowest) {
      lowest = penalty;
      best = mask;
    }
  }
  return best;
}

const svg = (text, extra = {}) => {
  let out;
  QRCode.toString(
    segments(text),
    { type: 'svg', margin: 2, ...options, ...extra },
    (error, result) => {
      if (error) throw error;
      out = result;
    },
  );
  return out;
};

let agree = 0;
for (let i = 0; i < 1000; i++) {
  const text = deepLink();
  if (fastBestMask(text) === QRCode.create(segments(text), options).maskPattern)
    agree++;
}
console.log(`our scorer picks qrcode's mask for ${agree} of 1000 links`);
let same = 0;
for (let i = 0; i < 1000; i++) {
  const text = deepLink();
  if (qrSvg(encodeQr(text), 2) === svg(text)) same++;
}
console.log(`our encoder draws qrcode's SVG for ${same} of 1000 links`);

function time(name, render) {
  const texts = Array.from({ length: links + 300 }, deepLink);
  for (const text of texts.slice(0, 300)) render(text);
  const started = process.hrtime.bigint();
  for (const text of texts.slice(300)) render(text);
  console.log(
    `${name.padEnd(44)} ${(Number(process.hrtime.bigint() - started) / 1000 / links).toFixed(1)} µs`,
  );
}
time('SVG, qrcode scoring 8 masks (what we shipped)', (text) => svg(text));
time('SVG, fixed mask 0', (text) => svg(text, { maskPattern: 0 }));
time('our scorer alone (8 masks, plus one encode)', fastBestMask);
time('SVG with our scorer picking the mask', (text) =>
  svg(text, { maskPattern: fastBestMask(text) }),
);
time('SVG, our encoder (what we ship now)', (text) => qrSvg(encodeQr(text), 2));
time('our encoder, the matrix alone', encodeQr);
