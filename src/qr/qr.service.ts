import { Injectable } from '@nestjs/common';
import { encodeQr, qrSvgBase64 } from './qr-encoder.js';

/** Quiet zone in modules; readers need a light border to find the code. */
const MARGIN = 2;
const DATA_URL_PREFIX = 'data:image/svg+xml;base64,';

/** Renders QR codes as SVG data URLs, which scale sharply and need no image endpoint. */
@Injectable()
export class QrService {
  // Error correction "M" (15%) survives a screen photographed at an angle while keeping the code small;
  // one byte-mode segment, since a URL with lower-case letters is byte mode anyway. The encoder is
  // our own (qr-encoder.ts): it draws what `qrcode` draws, mask choice included, at a quarter of
  // the cost, which was half of a token creation's CPU (README, "What bounds the missed targets").
  async toSvgDataUrl(text: string): Promise<string> {
    return DATA_URL_PREFIX + qrSvgBase64(encodeQr(text), MARGIN);
  }
}
