import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { shorten } from '../http/user-agent.js';
import type { SessionInfo } from '../sessions/interfaces/index.js';
import { botTime, type Translate } from './bot-i18n.js';
import { deviceOf, ENGLISH, ipOf, siteName } from './bot-messages.js';
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
 * would leave that one out and say "End all other sessions". In the
 * language of `t`.
 */
export function sessionsList(
  sessions: readonly SessionInfo[],
  page: number,
  t: Translate = ENGLISH,
): SessionsList {
  if (sessions.length === 0)
    return { text: t('no-sessions'), count: 0, page: 0, pages: 1 };
  const pages = Math.min(
    Math.ceil(sessions.length / SESSIONS_PER_PAGE),
    MAX_SESSIONS_PAGE + 1,
  );
  const shown = Math.min(Math.max(page, 0), pages - 1);
  const first = shown * SESSIONS_PER_PAGE;
  const onPage = sessions.slice(first, first + SESSIONS_PER_PAGE);
  const count = sessions.length;
  const heading =
    pages === 1
      ? t('sessions-heading', { count })
      : t('sessions-heading-paged', { count, page: shown + 1, pages });
  const entries = onPage.map((session, i) =>
    describeSession(t, session, first + i + 1),
  );
  const rows: InlineKeyboardButton[][] = onPage.map((session, i) => [
    {
      text: t('button-end-session', {
        n: first + i + 1,
        site: shorten(siteName(session.site), MAX_BUTTON_SITE_LENGTH),
      }),
      callback_data: CallbackData.endSession(session.sid, shown),
    },
  ]);
  const paging: InlineKeyboardButton[] = [];
  if (shown > 0)
    paging.push({
      text: t('button-newer'),
      callback_data: CallbackData.sessionsPage(shown - 1),
    });
  if (shown < pages - 1)
    paging.push({
      text: t('button-older'),
      callback_data: CallbackData.sessionsPage(shown + 1),
    });
  if (paging.length) rows.push(paging);
  if (count > 1)
    rows.push([
      {
        text: t('button-end-all', { count }),
        callback_data: CallbackData.endAllSessions(),
      },
    ]);
  return {
    text: [heading, ...entries, t('sessions-footer')].join('\n\n'),
    keyboard: { inline_keyboard: rows },
    count: sessions.length,
    page: shown,
    pages,
  };
}

function describeSession(
  t: Translate,
  session: SessionInfo,
  n: number,
): string {
  return [
    t('session-entry', {
      n,
      site: siteName(session.site),
      device: deviceOf(t, session, 'listed-unknown-browser'),
      ip: ipOf(t, session.ip),
    }),
    t('session-times', {
      createdAt: botTime(session.createdAt),
      lastUsedAt: botTime(session.lastUsedAt),
    }),
  ].join('\n');
}

/** Under a new-login notice: the same End button as in the list, for the session the notice is about. */
export function newLoginKeyboard(
  sid: string,
  t: Translate = ENGLISH,
): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [
        {
          text: t('button-end-this-session'),
          callback_data: CallbackData.endSession(sid, 0),
        },
      ],
    ],
  };
}
