import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { describeIp, shorten } from '../http/user-agent.js';
import type { SessionInfo } from '../sessions/interfaces/index.js';
import { BotMessages, deviceOf, siteName, utcMinute } from './bot-messages.js';
import { CallbackData, MAX_SESSIONS_PAGE } from './callback-data.js';

/**
 * Sessions per message: each takes three lines and its own End button, so
 * five keep the message readable on a phone and its keyboard short, and the
 * longest page (five sessions with the longest site, browser and IP the bot
 * shows) stays far below Telegram's 4,096 characters.
 */
export const SESSIONS_PER_PAGE = 5;

/** The longest site name on an End button; the message above it names the site in full. */
const MAX_BUTTON_SITE_LENGTH = 24;

export interface SessionsList {
  text: string;
  /** Absent when there is nothing to press (no sessions). */
  keyboard?: InlineKeyboardMarkup;
  /** How many sessions there are, on every page. */
  count: number;
  /** The page shown (from 0): the one asked for, or the last one if the list has become shorter. */
  page: number;
  pages: number;
}

/**
 * One page of the person's sessions (newest first, as SessionService lists
 * them) with an End button under each, ◀/▶ to the pages around it, and
 * "End all" under them when there is more than one.
 *
 * The chat is never one of the sessions (a session is a browser's), so the
 * last button ends them all; a list shown inside a session (the page's own)
 * would leave that one out and say "End all other sessions".
 */
export function sessionsList(
  sessions: readonly SessionInfo[],
  page: number,
): SessionsList {
  if (sessions.length === 0)
    return { text: BotMessages.noSessions, count: 0, page: 0, pages: 1 };
  const pages = Math.min(
    Math.ceil(sessions.length / SESSIONS_PER_PAGE),
    MAX_SESSIONS_PAGE + 1,
  );
  const shown = Math.min(Math.max(page, 0), pages - 1);
  const first = shown * SESSIONS_PER_PAGE;
  const onPage = sessions.slice(first, first + SESSIONS_PER_PAGE);
  const heading =
    pages === 1
      ? `🔑 Your active sessions (${sessions.length}), newest first:`
      : `🔑 Your active sessions (${sessions.length}), newest first, page ${shown + 1} of ${pages}:`;
  const entries = onPage.map((session, i) =>
    describeSession(session, first + i + 1),
  );
  const rows: InlineKeyboardButton[][] = onPage.map((session, i) => [
    {
      text: `❌ End ${first + i + 1}: ${shorten(siteName(session.site), MAX_BUTTON_SITE_LENGTH)}`,
      callback_data: CallbackData.endSession(session.sid, shown),
    },
  ]);
  const paging: InlineKeyboardButton[] = [];
  if (shown > 0)
    paging.push({
      text: '◀ Newer',
      callback_data: CallbackData.sessionsPage(shown - 1),
    });
  if (shown < pages - 1)
    paging.push({
      text: 'Older ▶',
      callback_data: CallbackData.sessionsPage(shown + 1),
    });
  if (paging.length) rows.push(paging);
  if (sessions.length > 1)
    rows.push([
      {
        text: `🚪 End all ${sessions.length} sessions`,
        callback_data: CallbackData.endAllSessions(),
      },
    ]);
  return {
    text: [heading, ...entries, 'Tap End to log that browser out.'].join(
      '\n\n',
    ),
    keyboard: { inline_keyboard: rows },
    count: sessions.length,
    page: shown,
    pages,
  };
}

function describeSession(session: SessionInfo, n: number): string {
  return [
    `${n}. ${siteName(session.site)}`,
    `${capitalized(deviceOf(session))}, IP ${describeIp(session.ip)}`,
    `Logged in ${utcMinute(session.createdAt)}, last used ${utcMinute(session.lastUsedAt)}`,
  ].join('\n');
}

const capitalized = (text: string) => text[0].toUpperCase() + text.slice(1);

/** Under a new-login notice: the same End button as in the list, for the session the notice is about. */
export function newLoginKeyboard(sid: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [
        {
          text: '❌ End this session',
          callback_data: CallbackData.endSession(sid, 0),
        },
      ],
    ],
  };
}
