import { describeIp, shorten } from '../http/user-agent.js';
import type { SessionInfo } from '../sessions/interfaces/index.js';
import {
  botTime,
  createBotI18n,
  DEFAULT_BOT_LOCALE,
  type Translate,
  translatorFor,
} from './bot-i18n.js';

/** Telegram refuses a message longer than this (sendMessage, editMessageText). */
export const MAX_MESSAGE_LENGTH = 4096;

/** The longest site name the bot repeats; the service's APP_NAME is validated against it too. */
export const MAX_APP_NAME_LENGTH = 64;

/** A login policy's reason is the host's text, but one line of explanation is all it needs. */
const MAX_REASON_LENGTH = 300;

/**
 * Every piece of a message is bounded where it is put in; this is the last
 * resort that keeps Telegram from refusing a message whole.
 */
export const fitMessage = (text: string): string =>
  shorten(text, MAX_MESSAGE_LENGTH);

/** The site name as the bot shows it: never translated. */
export const siteName = (appName: string): string =>
  shorten(appName, MAX_APP_NAME_LENGTH);

/**
 * "Chrome 120 on Windows 10", as far as the browser is known; an unknown one
 * is named by `unknownBrowser`, a key whose words fit where the device is put
 * (after "from" in a sentence, by default).
 */
export function deviceOf(
  t: Translate,
  { browser, os }: Pick<SessionInfo, 'browser' | 'os'>,
  unknownBrowser = 'unknown-browser',
): string {
  const name = browser ?? t(unknownBrowser);
  return os ? t('browser-on-system', { browser: name, os }) : name;
}

/** An IP address as the bot shows it, or the locale's word for unknown. */
export function ipOf(t: Translate, ip: string | undefined): string {
  const described = describeIp(ip);
  return described === 'unknown' ? t('unknown-ip') : described;
}

/**
 * What the bot says, in the language of `t` (see locales/<locale>/bot.ftl).
 * Plain text (no parse_mode), so an APP_NAME with * or _ shows as written.
 */
export function botMessages(t: Translate) {
  const site = (appName: string) => ({ site: siteName(appName) });
  return {
    loggedIn: (appName: string) => t('logged-in', site(appName)),
    expired: (appName: string) => t('expired', site(appName)),
    unknown: (appName: string) => t('unknown-link', site(appName)),
    awaitingConfirmation: (appName: string) =>
      t('awaiting-confirmation', site(appName)),
    bareStart: (appName: string) => t('introduction', site(appName)),
    help: (appName: string) => t('introduction', site(appName)),
    refused: (appName: string, reason?: string) =>
      reason
        ? t('refused-because', {
            ...site(appName),
            reason: shorten(reason, MAX_REASON_LENGTH),
          })
        : t('refused', site(appName)),
    denied: (appName: string) => t('denied', site(appName)),
    wrongCode: (appName: string) => t('wrong-code', site(appName)),
    noSessions: t('no-sessions'),
    sessionEnded: (session: SessionInfo) =>
      t('session-ended', {
        ...site(session.site),
        device: deviceOf(t, session),
      }),
    sessionsEnded: (count: number) => t('sessions-ended', { count }),
    sessionGone: t('session-gone'),
    noSessionsToEnd: t('no-sessions-to-end'),
    noSessionsLeft: t('no-sessions-left'),
    newLogin: (session: SessionInfo) =>
      t('new-login', {
        ...site(session.site),
        device: deviceOf(t, session),
        ip:
          describeIp(session.ip) === 'unknown'
            ? t('new-login-unknown-ip')
            : describeIp(session.ip),
        time: botTime(session.createdAt),
      }),
  };
}

export type BotMessageTexts = ReturnType<typeof botMessages>;

/** Short answers shown as a toast when a button is pressed (answerCallbackQuery, at most 200 characters). */
export function buttonAnswers(t: Translate) {
  return {
    confirmed: t('answer-confirmed'),
    denied: t('answer-denied'),
    wrongCode: t('answer-wrong-code'),
    expired: t('answer-expired'),
    unknown: t('answer-unknown'),
    wrongUser: t('answer-wrong-user'),
    alreadyAuthenticated: t('answer-already-authenticated'),
    alreadyDenied: t('answer-already-denied'),
    sessionEnded: t('answer-session-ended'),
    sessionsEnded: (count: number) => t('answer-sessions-ended', { count }),
    noSessionsToEnd: t('answer-no-sessions-to-end'),
    sessionGone: t('answer-session-gone'),
    sessionsPage: (page: number, pages: number) =>
      t('answer-sessions-page', { page, pages }),
  };
}

/** The commands offered in the chat's menu (setMyCommands); descriptions at most 256 characters. */
export function botCommands(t: Translate) {
  return [
    { command: 'sessions', description: t('command-sessions') },
    { command: 'help', description: t('command-help') },
  ];
}

/**
 * The shipped English messages, without a host's: what the bot says to a
 * person whose language it does not speak, and what tests compare with.
 */
export const ENGLISH: Translate = translatorFor(
  createBotI18n(),
  DEFAULT_BOT_LOCALE,
);

/** {@link botMessages} in English. */
export const BotMessages = botMessages(ENGLISH);

/** {@link buttonAnswers} in English. */
export const ButtonAnswers = buttonAnswers(ENGLISH);

/** {@link botCommands} in English. */
export const BOT_COMMANDS = botCommands(ENGLISH);
