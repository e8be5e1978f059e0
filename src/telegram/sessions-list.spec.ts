import { describe, expect, it } from '@jest/globals';
import type { InlineKeyboardButton } from 'grammy/types';
import type { SessionInfo } from '../sessions/interfaces/index.js';
import { generateSessionId } from '../sessions/refresh-tokens.js';
import { formatBotTime } from './bot-i18n.js';
import { BotMessages, MAX_MESSAGE_LENGTH } from './bot-messages.js';
import { CallbackData, parseSessionAction } from './callback-data.js';
import {
  newLoginKeyboard,
  sessionsList,
  SESSIONS_PER_PAGE,
} from './sessions-list.js';

const CREATED = Date.UTC(2026, 0, 1, 12, 0);

function session(n: number, overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    sid: generateSessionId(),
    user: { id: 4242, first_name: 'Ada' },
    site: `Site ${n}`,
    browser: 'Chrome 120',
    os: 'Windows 10',
    ip: '203.0.113.7',
    createdAt: CREATED - n * 60_000,
    lastUsedAt: CREATED + 30 * 60_000,
    expiresAt: CREATED + 86_400_000,
    ...overrides,
  };
}

const buttonsOf = (list: ReturnType<typeof sessionsList>) =>
  (
    list.keyboard?.inline_keyboard ?? []
  ).flat() as InlineKeyboardButton.CallbackButton[];

describe('sessionsList', () => {
  it('says so when there are no sessions, with nothing to press', () => {
    expect(sessionsList([], 0)).toEqual({
      text: BotMessages.noSessions,
      count: 0,
      page: 0,
      pages: 1,
    });
  });

  it('names each session’s site, browser and system, IP, and times in UTC, with an End button each and End all', () => {
    const sessions = [
      session(1),
      session(2, { browser: undefined, os: undefined, ip: undefined }),
    ];
    const list = sessionsList(sessions, 0);
    expect(list.text).toContain('Your active sessions (2)');
    expect(list.text).toContain(
      [
        '1. Site 1',
        'Chrome 120 on Windows 10, IP 203.0.113.7',
        `Logged in ${formatBotTime(sessions[0].createdAt, 'en')}, last used ${formatBotTime(CREATED + 30 * 60_000, 'en')}`,
      ].join('\n'),
    );
    expect(list.text).toContain('2. Site 2\nAn unknown browser, IP unknown');
    expect(buttonsOf(list)).toEqual([
      {
        text: '❌ End 1: Site 1',
        callback_data: CallbackData.endSession(sessions[0].sid, 0),
      },
      {
        text: '❌ End 2: Site 2',
        callback_data: CallbackData.endSession(sessions[1].sid, 0),
      },
      {
        text: '🚪 End all 2 sessions',
        callback_data: CallbackData.endAllSessions(),
      },
    ]);
  });

  it('has no End all for a single session: its End does that', () => {
    expect(buttonsOf(sessionsList([session(1)], 0)).map((b) => b.text)).toEqual(
      ['❌ End 1: Site 1'],
    );
  });

  it(`shows ${SESSIONS_PER_PAGE} a page, numbered on across pages, with ◀/▶ to the pages around`, () => {
    const sessions = Array.from({ length: 12 }, (_, i) => session(i + 1));
    const [first, middle, last] = [0, 1, 2].map((page) =>
      sessionsList(sessions, page),
    );
    expect(first.text).toContain('page 1 of 3');
    expect(first.text).toContain('5. Site 5');
    expect(first.text).not.toContain('6. Site 6');
    expect(middle.text).toContain('6. Site 6');
    expect(middle.text).toContain('10. Site 10');
    expect(last.text).toContain('12. Site 12');
    const paging = (list: typeof first) =>
      buttonsOf(list)
        .filter(
          (button) =>
            parseSessionAction(button.callback_data)?.kind === 'sessions-page',
        )
        .map((button) => [button.text, button.callback_data]);
    expect(paging(first)).toEqual([['Older ▶', 'sp:1']]);
    expect(paging(middle)).toEqual([
      ['◀ Newer', 'sp:0'],
      ['Older ▶', 'sp:2'],
    ]);
    expect(paging(last)).toEqual([['◀ Newer', 'sp:1']]);
    // An End button brings its own page back after the press.
    expect(buttonsOf(middle)[0].callback_data).toBe(
      CallbackData.endSession(sessions[5].sid, 1),
    );
    expect(buttonsOf(last).at(-1)?.text).toBe('🚪 End all 12 sessions');
  });

  it('shows the last page when the one asked for is past the end (the list got shorter)', () => {
    const sessions = Array.from({ length: 6 }, (_, i) => session(i + 1));
    expect(sessionsList(sessions, 7)).toMatchObject({ page: 1, pages: 2 });
    expect(sessionsList(sessions.slice(0, 5), 1)).toMatchObject({
      page: 0,
      pages: 1,
    });
  });

  it('fits a page of the longest sessions under Telegram’s limits (4,096 characters, 64-byte callback data)', () => {
    const huge = Array.from({ length: SESSIONS_PER_PAGE * 2 }, (_, i) =>
      session(i, {
        site: '🔐'.repeat(500),
        browser: 'B'.repeat(100),
        os: 'O'.repeat(100),
        ip: 'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255',
      }),
    );
    const list = sessionsList(huge, 1);
    expect(list.text.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    for (const button of buttonsOf(list)) {
      expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
      expect(button.text.length).toBeLessThanOrEqual(40);
    }
    const ended = `${BotMessages.sessionEnded(huge[0])}\n\n${list.text}`;
    expect(ended.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
  });
});

describe('newLoginKeyboard', () => {
  it('is the End button of the list, for that one session', () => {
    const sid = generateSessionId();
    expect(newLoginKeyboard(sid)).toEqual({
      inline_keyboard: [
        [{ text: '❌ End this session', callback_data: `se:${sid}:0` }],
      ],
    });
  });
});
