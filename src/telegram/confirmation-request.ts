import Bowser from 'bowser';
import { createHash, randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { Login } from '../auth/interfaces/index.js';
import { shorten, siteName } from './bot-messages.js';
import { CallbackData } from './callback-data.js';

export interface ConfirmationRequest {
  text: string;
  keyboard: InlineKeyboardMarkup;
}

/**
 * The message that asks the person to confirm a login, with the context that
 * lets them notice a login they did not start (QR phishing): which site, which
 * browser, from where and when.
 */
export function confirmationRequest(
  login: Login,
  appName: string,
): ConfirmationRequest {
  const site = siteName(appName);
  const lines = [
    `🔐 Log in to ${site}?`,
    '',
    `A browser asked to log in to ${site} with your Telegram account:`,
    `• Browser: ${describeBrowser(login.requester.userAgent)}`,
    `• IP address: ${describeIp(login.requester.ip)}`,
    `• Time: ${new Date(login.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    login.matchCode === undefined
      ? 'Confirm only if this is you, in front of that screen now.'
      : 'Tap the number shown on the login page. If you see no number there, or this was not you, tap Deny.',
  ];
  const deny: InlineKeyboardButton = {
    text: '❌ Deny',
    callback_data: CallbackData.deny(login.token),
  };
  const firstRow: InlineKeyboardButton[] =
    login.matchCode === undefined
      ? [
          {
            text: '✅ Confirm',
            callback_data: CallbackData.confirm(login.token),
          },
        ]
      : codeChoices(login.matchCode, seededDraws(login.secretHash)).map(
          (code) => ({
            text: code,
            callback_data: CallbackData.pick(login.token, code),
          }),
        );
  return {
    text: lines.join('\n'),
    keyboard: { inline_keyboard: [firstRow, [deny]] },
  };
}

/**
 * Names bowser gives only to browsers it recognizes. Its catch-all takes
 * whatever the User-Agent calls itself before the first slash, so that
 * "Official Telegram Security Check/1.0" would be shown as a browser.
 * (`Generic` is one of bowser's names, but it stands for no browser.)
 */
const KNOWN_BROWSERS: ReadonlySet<string> = new Set(
  Object.values(Bowser.BROWSER_MAP).filter((name) => name !== 'Generic'),
);
const KNOWN_SYSTEMS: ReadonlySet<string> = new Set(
  Object.values(Bowser.OS_MAP),
);

/** Longer than any description made of bowser's names and short versions; a bound all the same. */
const MAX_BROWSER_LENGTH = 100;
/** The longest textual IPv6 address (with an IPv4 tail). */
const MAX_IP_LENGTH = 45;

/**
 * "Chrome 120 on Windows 10": only names the parser knows and versions of a
 * few short numbers (the User-Agent is the browser's own claim, easy to
 * forge, and its raw text could be any length). Otherwise "unknown browser".
 */
export function describeBrowser(userAgent: string | undefined): string {
  if (!userAgent) return 'unknown';
  const { browser, os } = Bowser.parse(userAgent);
  const name =
    browser.name && KNOWN_BROWSERS.has(browser.name)
      ? [browser.name, shortVersion(browser.version, 1)]
          .filter(Boolean)
          .join(' ')
      : '';
  // versionName comes from bowser's own tables (Windows "10", macOS "Sonoma"), not from the header.
  const system =
    os.name && KNOWN_SYSTEMS.has(os.name)
      ? [os.name, os.versionName ?? shortVersion(os.version, 2)]
          .filter(Boolean)
          .join(' ')
      : '';
  const description = system
    ? `${name || 'unknown browser'} on ${system}`
    : name || 'unknown browser';
  return shorten(description, MAX_BROWSER_LENGTH);
}

/**
 * The first `parts` numbers of a version made of dot-separated numbers of at
 * most four digits ("17.1.2" → "17.1"); undefined for anything else.
 */
function shortVersion(
  version: string | undefined,
  parts: number,
): string | undefined {
  if (!version || !/^\d{1,4}(?:\.\d{1,4})*$/.test(version)) return undefined;
  return version.split('.').slice(0, parts).join('.');
}

/** The address Express read (from X-Forwarded-For behind a trusted proxy, so any text a proxy passed on). */
function describeIp(ip: string | undefined): string {
  return ip && isIP(ip) ? shorten(ip, MAX_IP_LENGTH) : 'unknown';
}

/** Gives a whole number from 0 up to (not including) `max`. */
export type Draw = (max: number) => number;

/**
 * The right code and two other two-digit codes, in an order and with decoys
 * picked by `draw`.
 */
export function codeChoices(
  matchCode: string,
  draw: Draw = (max) => randomInt(max),
): string[] {
  const codes = new Set([matchCode]);
  while (codes.size < 3) codes.add(String(10 + draw(90)));
  const choices = [...codes];
  for (let i = choices.length - 1; i > 0; i--) {
    const j = draw(i + 1);
    [choices[i], choices[j]] = [choices[j], choices[i]];
  }
  return choices;
}

/**
 * Draws that are the same every time for one seed. A login's buttons are sent
 * again on a second `/start`; fresh random decoys each time would let the person
 * find the right code by comparing two messages instead of looking at the page.
 * Seeded with the hash of the browser's secret, which never reaches Telegram, so
 * the person who sees the buttons cannot work the decoys out from the token.
 */
export function seededDraws(seed: string): Draw {
  let counter = 0;
  return (max) => {
    const digest = createHash('sha256')
      .update(`code-choices:${seed}:${counter++}`)
      .digest();
    // 48 bits modulo a range under 100: the bias (below 2^-41) is far too small to show.
    return digest.readUIntBE(0, 6) % max;
  };
}
