import { describe, expect, it } from '@jest/globals';
import { decodeQrDataUrl } from '../../test/support/qr-decode.js';
import { QrService } from './qr.service.js';

const PREFIX = 'data:image/svg+xml;base64,';

describe('QrService', () => {
  const qr = new QrService();

  it('renders an SVG data URL in base64', async () => {
    const url = await qr.toSvgDataUrl('https://t.me/test_login_bot?start=abc');
    expect(url.startsWith(PREFIX)).toBe(true);
    const svg = Buffer.from(url.slice(PREFIX.length), 'base64').toString(
      'utf8',
    );
    expect(svg).toMatch(
      /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 \d+ \d+"/,
    );
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });

  it.each([
    [
      'a deep link with a 43-character token',
      'https://t.me/test_login_bot?start=q3v8wXc2nN1YyF0k9pQzR7tLmA4sB6dE8gH1jK3lM5o',
    ],
    [
      'a deep link with the longest start parameter Telegram allows',
      `https://t.me/a_very_long_bot_username_for_tests_bot?start=${'Z_-9'.repeat(16)}`,
    ],
    ['a short text', 'hi'],
    ['text with characters outside ASCII', 'Grüße, Ada ✅'],
  ])(
    'encodes %s so that a QR reader gets the same text back',
    async (_name, text) => {
      const url = await qr.toSvgDataUrl(text);
      expect(decodeQrDataUrl(url)).toBe(text);
    },
  );

  it('draws different codes for different texts', async () => {
    const [one, two] = await Promise.all([
      qr.toSvgDataUrl(
        'https://t.me/bot?start=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ),
      qr.toSvgDataUrl(
        'https://t.me/bot?start=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB',
      ),
    ]);
    expect(one).not.toBe(two);
    expect(decodeQrDataUrl(one)).not.toBe(decodeQrDataUrl(two));
  });

  it('keeps a quiet zone around the code, which readers need to find it', async () => {
    const url = await qr.toSvgDataUrl('https://t.me/test_login_bot?start=abc');
    const svg = Buffer.from(url.slice(PREFIX.length), 'base64').toString(
      'utf8',
    );
    const path =
      /stroke="[^"]*"[^>]*\bd="M(\d+) (\d+(?:\.\d+)?)/.exec(svg) ??
      /\bd="M(\d+) (\d+(?:\.\d+)?)[^"]*"[^>]*stroke=/.exec(svg);
    expect(path).not.toBeNull();
    // The first dark module is at least two modules in from the edge.
    expect(Number(path![1])).toBeGreaterThanOrEqual(2);
    expect(Math.floor(Number(path![2]))).toBeGreaterThanOrEqual(2);
  });
});
