import Bowser from 'bowser';
import { randomInt } from 'node:crypto';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { Login } from '../auth/interfaces/index.js';
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
  const lines = [
    `🔐 Log in to ${appName}?`,
    '',
    `A browser asked to log in to ${appName} with your Telegram account:`,
    `• Browser: ${describeBrowser(login.requester.userAgent)}`,
    `• IP address: ${login.requester.ip ?? 'unknown'}`,
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
      : codeChoices(login.matchCode).map((code) => ({
          text: code,
          callback_data: CallbackData.pick(login.token, code),
        }));
  return {
    text: lines.join('\n'),
    keyboard: { inline_keyboard: [firstRow, [deny]] },
  };
}

/** "Chrome 120 on Windows 10"; the raw header is not shown, it is long and easy to forge anyway. */
export function describeBrowser(userAgent: string | undefined): string {
  if (!userAgent) return 'unknown';
  const { browser, os } = Bowser.parse(userAgent);
  const name = [browser.name, browser.version?.split('.')[0]]
    .filter(Boolean)
    .join(' ');
  const system = [os.name, os.versionName ?? os.version]
    .filter(Boolean)
    .join(' ');
  if (!name) return system ? `unknown browser on ${system}` : 'unknown browser';
  return system ? `${name} on ${system}` : name;
}

/** The right code and two other two-digit codes, in random order. */
export function codeChoices(matchCode: string): string[] {
  const codes = new Set([matchCode]);
  while (codes.size < 3) codes.add(String(randomInt(10, 100)));
  const choices = [...codes];
  for (let i = choices.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [choices[i], choices[j]] = [choices[j], choices[i]];
  }
  return choices;
}
