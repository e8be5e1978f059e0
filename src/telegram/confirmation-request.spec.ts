import { describe, expect, it } from '@jest/globals';
import type { Login } from '../auth/interfaces/index.js';
import { generateLoginToken } from '../auth/login-secrets.js';
import {
  codeChoices,
  confirmationRequest,
  describeBrowser,
} from './confirmation-request.js';

const login = (overrides: Partial<Login> = {}): Login => ({
  token: generateLoginToken(),
  secretHash: 'x',
  status: 'scanned',
  createdAt: Date.UTC(2026, 10, 25, 13, 45, 30),
  expiresAt: Date.UTC(2026, 10, 25, 13, 50, 30),
  requester: {
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
    ip: '203.0.113.7',
  },
  ...overrides,
});

describe('confirmation request', () => {
  it('names the site, the browser, the IP and the time, with Confirm and Deny', () => {
    const request = confirmationRequest(login(), 'Acme Shop');
    expect(request.text).toContain('Log in to Acme Shop?');
    expect(request.text).toContain('Browser: Safari 17 on macOS');
    expect(request.text).toContain('IP address: 203.0.113.7');
    expect(request.text).toContain('Time: 2026-11-25 13:45 UTC');
    expect(
      request.keyboard.inline_keyboard.flat().map((button) => button.text),
    ).toEqual(['✅ Confirm', '❌ Deny']);
  });

  it('offers three distinct codes, one of them right, in code mode', () => {
    const request = confirmationRequest(
      login({ matchCode: '47' }),
      'Acme Shop',
    );
    const [codes, [deny]] = request.keyboard.inline_keyboard;
    expect(codes.map((button) => button.text)).toContain('47');
    expect(new Set(codes.map((button) => button.text)).size).toBe(3);
    expect(deny.text).toBe('❌ Deny');
    expect(request.text).toMatch(/Tap the number shown on the login page/);
  });

  it('offers the same codes in the same order each time it is asked for one login', () => {
    const waiting = login({ matchCode: '47', secretHash: 'a'.repeat(64) });
    const codes = () =>
      confirmationRequest(waiting, 'Acme Shop').keyboard.inline_keyboard[0].map(
        (button) => button.text,
      );
    expect(codes()).toEqual(codes());
  });

  it('picks the decoys from the browser secret, not from the token alone', () => {
    const token = generateLoginToken();
    const decoys = Array.from({ length: 20 }, (_, n) =>
      confirmationRequest(
        login({ token, matchCode: '47', secretHash: String(n).repeat(64) }),
        'Acme Shop',
      )
        .keyboard.inline_keyboard[0].map((button) => button.text)
        .join(),
    );
    expect(new Set(decoys).size).toBeGreaterThan(1);
  });

  it('puts the right code in every position over many draws', () => {
    const positions = new Set(
      Array.from({ length: 200 }, () => codeChoices('47').indexOf('47')),
    );
    expect(positions).toEqual(new Set([0, 1, 2]));
  });

  it.each([
    [undefined, 'unknown'],
    ['curl/8.4.0', 'unknown browser'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
      'Safari 17 on iOS 17.1',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
      'Firefox 120 on Linux',
    ],
  ])('describes %p as %p', (userAgent, expected) => {
    expect(describeBrowser(userAgent)).toBe(expected);
  });
});
