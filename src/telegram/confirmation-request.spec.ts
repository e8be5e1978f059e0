import { describe, expect, it } from '@jest/globals';
import type { Login } from '../auth/interfaces/index.js';
import { generateLoginToken } from '../auth/login-secrets.js';
import { BotMessages, fitMessage, MAX_MESSAGE_LENGTH } from './bot-messages.js';
import { describeBrowser } from '../http/user-agent.js';
import { codeChoices, confirmationRequest } from './confirmation-request.js';

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
    // The locale's way, in UTC, said so.
    expect(request.text).toMatch(/Time: Nov 25, 2026, 1:45\sPM UTC/);
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

  describe('a User-Agent is the browser’s own claim', () => {
    const WINDOWS_CHROME = (version: string) =>
      `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version} Safari/537.36`;

    it.each([
      [
        'Official Telegram Security Check/1.0 (Verified device)',
        'unknown browser',
      ],
      ['Telegram/1.0', 'unknown browser'],
      ['Generic/1.0', 'unknown browser'],
      ['Evil/9 (Windows NT 10.0; Win64; x64)', 'unknown browser on Windows 10'],
      ['Mozilla/5.0 (X11; Linux x86_64) Fake/2.0', 'unknown browser on Linux'],
      [WINDOWS_CHROME('120.0.0.0'), 'Chrome 120 on Windows 10'],
      [
        'Mozilla/5.0 (Linux; Android 1111111111111111111111) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36',
        'Chrome 120 on Android',
      ],
    ])(
      'shows only what the parser recognizes: %p as %p',
      (userAgent, expected) => {
        expect(describeBrowser(userAgent)).toBe(expected);
      },
    );

    it.each([
      [
        'a 5,000-digit Chrome version',
        WINDOWS_CHROME(`${'9'.repeat(5000)}.0`),
        'Chrome on Windows 10',
      ],
      [
        'an iOS version of 42 numbers',
        `Mozilla/5.0 (iPhone; CPU iPhone OS 17_1${'_1'.repeat(40)} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1`,
        'Safari 17 on iOS 17.1',
      ],
    ])('shortens or leaves out %s', (_name, userAgent, expected) => {
      expect(describeBrowser(userAgent)).toBe(expected);
    });

    it('keeps a 5,000-digit version out of the message, which stays one short line', () => {
      const request = confirmationRequest(
        login({
          requester: {
            userAgent: WINDOWS_CHROME(`${'9'.repeat(5000)}.0`),
            ip: '203.0.113.7',
          },
        }),
        'Acme Shop',
      );
      const line = request.text
        .split('\n')
        .find((text) => text.includes('Browser:'));
      expect(line).toBe('• Browser: Chrome on Windows 10');
    });
  });

  describe('every piece of text has a bound, and so has the message', () => {
    const HUGE = 'x'.repeat(10_000);
    const hugeLogin = () =>
      login({
        matchCode: '47',
        requester: {
          userAgent: `${HUGE}/${'9'.repeat(5000)} (${HUGE})`,
          ip: `${'1'.repeat(5000)}.2.3.4`,
        },
      });

    it('fits a confirmation message with huge input under Telegram’s 4,096 characters', () => {
      const { text } = confirmationRequest(hugeLogin(), HUGE);
      expect(text.length).toBeLessThan(MAX_MESSAGE_LENGTH);
      expect(text).toContain('• Browser: unknown browser');
      expect(text).toContain('• IP address: unknown');
    });

    it('fits the repeated question (the "already scanned" preface plus the question) as well', () => {
      const { text } = confirmationRequest(hugeLogin(), HUGE);
      expect(
        `${BotMessages.awaitingConfirmation(HUGE)}\n\n${text}`.length,
      ).toBeLessThan(MAX_MESSAGE_LENGTH);
    });

    it('shortens a long site name to 64 characters with an ellipsis, in every message', () => {
      const name = 'N'.repeat(200);
      const shown = `${'N'.repeat(63)}…`;
      expect(confirmationRequest(login(), name).text).toContain(
        `Log in to ${shown}?`,
      );
      expect(confirmationRequest(login(), name).text).not.toContain(
        'N'.repeat(64),
      );
      for (const message of [
        BotMessages.loggedIn(name),
        BotMessages.expired(name),
        BotMessages.unknown(name),
        BotMessages.awaitingConfirmation(name),
        BotMessages.bareStart(name),
        BotMessages.refused(name),
        BotMessages.denied(name),
        BotMessages.wrongCode(name),
      ]) {
        expect(message).toContain(shown);
        expect(message).not.toContain('N'.repeat(64));
      }
    });

    it('shortens a long refusal reason of the login policy', () => {
      const message = BotMessages.refused('Acme Shop', HUGE);
      expect(message.length).toBeLessThan(1000);
      expect(message).toMatch(/x…/);
    });

    it('shows an IP address only when it is one, and at most 45 characters of it', () => {
      const ipLine = (ip: string | undefined) =>
        confirmationRequest(login({ requester: { ip } }), 'Acme Shop')
          .text.split('\n')
          .find((text) => text.includes('IP address:'));
      expect(ipLine('2001:db8::1')).toBe('• IP address: 2001:db8::1');
      expect(ipLine('::ffff:203.0.113.7')).toBe(
        '• IP address: ::ffff:203.0.113.7',
      );
      expect(ipLine('<script>')).toBe('• IP address: unknown');
      expect(ipLine(undefined)).toBe('• IP address: unknown');
    });

    it('cuts any message down to the limit as a last resort, without splitting a character', () => {
      const cut = fitMessage('😀'.repeat(3000));
      expect(cut.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      expect(cut.endsWith('😀…')).toBe(true);
      expect(fitMessage('short')).toBe('short');
    });
  });
});
