import { describeIp, shorten } from '../http/user-agent.js';
import type { SessionInfo } from '../sessions/interfaces/index.js';

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

/** The site name as the bot shows it. */
export const siteName = (appName: string): string =>
  shorten(appName, MAX_APP_NAME_LENGTH);

/** A moment as the bot shows it: to the minute, in UTC ("2026-01-01 12:00 UTC"). */
export const utcMinute = (epochMs: number): string =>
  `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** "Chrome 120 on Windows 10", as far as the session's browser is known. */
export function deviceOf({
  browser,
  os,
}: Pick<SessionInfo, 'browser' | 'os'>): string {
  return `${browser ?? 'an unknown browser'}${os ? ` on ${os}` : ''}`;
}

const introduction = (appName: string) =>
  `👋 I log you in to ${siteName(appName)}. Open its login page in your browser and scan the QR code with your phone's camera, or tap "Open in Telegram" if you are on the phone already.

Send /sessions to see where you are logged in with your Telegram account, and to log browsers out.`;

/** What the bot says. Plain text (no parse_mode), so an APP_NAME with * or _ shows as written. */
export const BotMessages = {
  loggedIn: (appName: string) =>
    `✅ You are logged in to ${siteName(appName)}; you can go back to your browser.`,
  expired: (appName: string) =>
    `⌛ This login link has expired. Go back to ${siteName(appName)} in your browser and scan the new QR code (or reload the page to get one).`,
  unknown: (appName: string) =>
    `⚠️ This login link is not valid or has already been used. Open the ${siteName(appName)} login page in your browser and scan the QR code shown there.`,
  awaitingConfirmation: (appName: string) =>
    `⏳ You have scanned this QR code already: the login to ${siteName(appName)} is waiting for your answer. Use the buttons below (the ones under the first message work too).`,
  bareStart: introduction,
  help: introduction,
  refused: (appName: string, reason?: string) =>
    `🚫 You cannot log in to ${siteName(appName)} with this Telegram account.${reason ? ` ${shorten(reason, MAX_REASON_LENGTH)}` : ''} Nobody was logged in.`,
  denied: (appName: string) =>
    `🚫 Login to ${siteName(appName)} denied. Nobody was logged in with your account.`,
  wrongCode: (appName: string) =>
    `🚫 That was not the number shown on the ${siteName(appName)} login page, so nobody was logged in. If you did not start this login yourself, someone may have shown you their QR code: ignore it.`,
  noSessions:
    '🔑 You have no active sessions: no browser is logged in with your Telegram account.',
  sessionEnded: (session: SessionInfo) =>
    `✅ Ended the session of ${siteName(session.site)} from ${deviceOf(session)}. That browser is logged out.`,
  sessionsEnded: (count: number) =>
    count === 1
      ? '✅ Ended 1 session. That browser is logged out.'
      : `✅ Ended ${count} sessions. Those browsers are logged out.`,
  sessionGone:
    'ℹ️ That session had already ended, or is not one of yours: nothing was changed.',
  noSessionsToEnd:
    'ℹ️ There were no sessions left to end: nothing was changed.',
  noSessionsLeft: 'You have no active sessions left.',
  newLogin: (session: SessionInfo) =>
    `🔔 New login to ${siteName(session.site)} from ${deviceOf(session)}, ${ipOf(session)}, at ${utcMinute(session.createdAt)}.

If this was not you, tap End to log that browser out at once. /sessions lists all your sessions.`,
} as const;

function ipOf(session: SessionInfo): string {
  const ip = describeIp(session.ip);
  return ip === 'unknown' ? 'IP address unknown' : ip;
}

/** The commands offered in the chat's menu (setMyCommands); descriptions at most 256 characters. */
export const BOT_COMMANDS = [
  {
    command: 'sessions',
    description: 'Where you are logged in; log browsers out',
  },
  { command: 'help', description: 'What this bot does' },
] as const;

/** Short answers shown as a toast when a button is pressed (answerCallbackQuery, at most 200 characters). */
export const ButtonAnswers = {
  confirmed: 'Logged in. You can go back to your browser.',
  denied: 'Login denied.',
  wrongCode: 'Wrong number: login denied.',
  expired: 'This login has expired. Scan the new QR code in your browser.',
  unknown: 'This login is no longer waiting for an answer.',
  wrongUser: 'Only the person who scanned the QR code can answer this login.',
  alreadyAuthenticated: 'This login was already confirmed.',
  alreadyDenied: 'This login was already denied.',
  sessionEnded: 'Session ended: that browser is logged out.',
  sessionsEnded: (count: number) =>
    count === 1 ? 'Ended 1 session.' : `Ended ${count} sessions.`,
  noSessionsToEnd: 'There were no sessions left to end.',
  sessionGone: 'That session has already ended, or is not yours.',
  sessionsPage: (page: number, pages: number) => `Page ${page} of ${pages}`,
} as const;
