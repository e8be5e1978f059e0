import { createHash, randomInt } from 'node:crypto';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { Login } from '../auth/interfaces/index.js';
import { botTime, type Translate } from './bot-i18n.js';
import { deviceOf, ENGLISH, ipOf, siteName } from './bot-messages.js';
import { CallbackData } from './callback-data.js';
import { browserAndSystem } from '../http/user-agent.js';

export interface ConfirmationRequest {
  text: string;
  keyboard: InlineKeyboardMarkup;
}

/**
 * The message that asks the person to confirm a login, with the context that
 * lets them notice a login they did not start (QR phishing): which site, which
 * browser, from where and when; in the language of `t`.
 */
export function confirmationRequest(
  login: Login,
  appName: string,
  t: Translate = ENGLISH,
): ConfirmationRequest {
  const site = siteName(appName);
  const { browser, os } = browserAndSystem(login.requester.userAgent);
  const lines = [
    t('confirm-title', { site }),
    '',
    t('confirm-asked', { site }),
    t('confirm-browser', {
      browser: deviceOf(t, { browser, os }, 'confirm-unknown-browser'),
    }),
    t('confirm-ip', { ip: ipOf(t, login.requester.ip) }),
    t('confirm-time', { time: botTime(login.createdAt) }),
    '',
    login.matchCode === undefined
      ? t('confirm-hint-button')
      : t('confirm-hint-code'),
  ];
  const deny: InlineKeyboardButton = {
    text: t('button-deny'),
    callback_data: CallbackData.deny(login.token),
  };
  const firstRow: InlineKeyboardButton[] =
    login.matchCode === undefined
      ? [
          {
            text: t('button-confirm'),
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
