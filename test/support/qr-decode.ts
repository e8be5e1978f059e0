import jsQRModule from 'jsqr';

// jsqr is CommonJS: under nodenext its default import is module.exports, whose `default` is the function.
const jsQR = jsQRModule.default;

/** Pixels per QR module when rasterising; jsQR reads 4+ reliably. */
const SCALE = 6;

/**
 * Reads the text of a QR code drawn by `qrcode`'s SVG renderer, as a phone
 * would: the SVG's dark path is rasterised into pixels and decoded with jsQR.
 * Supports the path commands that renderer emits (M, m, h, H, v, V; strokes of
 * one module drawn through the middle of a row).
 */
export function decodeQrSvg(svg: string): string | undefined {
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  if (!viewBox) throw new Error('the SVG has no viewBox "0 0 w h"');
  const [width, height] = [Number(viewBox[1]), Number(viewBox[2])];
  const dark = Array.from({ length: height }, () =>
    new Array<boolean>(width).fill(false),
  );

  for (const path of svg.matchAll(/<path\b([^>]*)\/?>/g)) {
    const attributes = path[1];
    if (!/\bstroke="/.test(attributes)) continue; // the filled path is the light background
    const d = /\bd="([^"]*)"/.exec(attributes)?.[1] ?? '';
    paintStrokes(d, dark);
  }

  const pixelsWide = width * SCALE;
  const pixelsHigh = height * SCALE;
  const rgba = new Uint8ClampedArray(pixelsWide * pixelsHigh * 4).fill(255);
  for (let y = 0; y < pixelsHigh; y++) {
    for (let x = 0; x < pixelsWide; x++) {
      if (!dark[Math.floor(y / SCALE)][Math.floor(x / SCALE)]) continue;
      const offset = (y * pixelsWide + x) * 4;
      rgba[offset] = rgba[offset + 1] = rgba[offset + 2] = 0;
    }
  }
  return jsQR(rgba, pixelsWide, pixelsHigh)?.data;
}

/** Decodes `data:image/svg+xml;base64,...` and reads the QR in it. */
export function decodeQrDataUrl(dataUrl: string): string | undefined {
  const prefix = 'data:image/svg+xml;base64,';
  if (!dataUrl.startsWith(prefix))
    throw new Error('not an SVG data URL in base64');
  return decodeQrSvg(
    Buffer.from(dataUrl.slice(prefix.length), 'base64').toString('utf8'),
  );
}

function paintStrokes(d: string, dark: boolean[][]): void {
  let x = 0;
  let y = 0;
  const tokens = d.match(/[MmHhVvZz]|-?\d*\.?\d+/g) ?? [];
  let i = 0;
  const number = () => Number(tokens[i++]);
  while (i < tokens.length) {
    const command = tokens[i++];
    switch (command) {
      case 'M':
        x = number();
        y = number();
        break;
      case 'm':
        x += number();
        y += number();
        break;
      case 'h':
      case 'H': {
        const to = command === 'h' ? x + number() : number();
        fill(
          dark,
          Math.min(x, to),
          Math.max(x, to),
          Math.floor(y),
          Math.floor(y) + 1,
        );
        x = to;
        break;
      }
      case 'v':
      case 'V': {
        const to = command === 'v' ? y + number() : number();
        fill(
          dark,
          Math.floor(x),
          Math.floor(x) + 1,
          Math.min(y, to),
          Math.max(y, to),
        );
        y = to;
        break;
      }
      case 'Z':
      case 'z':
        break;
      default:
        throw new Error(`unsupported SVG path command ${command}`);
    }
  }
}

function fill(
  dark: boolean[][],
  x0: number,
  x1: number,
  y0: number,
  y1: number,
): void {
  for (let row = Math.floor(y0); row < Math.ceil(y1); row++) {
    for (let column = Math.floor(x0); column < Math.ceil(x1); column++) {
      if (dark[row]?.[column] !== undefined) dark[row][column] = true;
    }
  }
}
