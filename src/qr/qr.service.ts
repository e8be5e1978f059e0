import { Injectable } from '@nestjs/common';
import QRCode from 'qrcode';

/** Renders QR codes as SVG data URLs, which scale sharply and need no image endpoint. */
@Injectable()
export class QrService {
  async toSvgDataUrl(text: string): Promise<string> {
    // Error correction "M" (15%) survives a screen photographed at an angle while keeping the code small.
    const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  }
}
