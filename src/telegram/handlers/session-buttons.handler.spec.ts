import { beforeEach, describe, expect, it } from '@jest/globals';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { TelegramUser } from '../../auth/interfaces/index.js';
import type { SessionInfo } from '../../sessions/interfaces/index.js';
import { generateSessionId } from '../../sessions/refresh-tokens.js';
import {
  botUnderTest,
  type BotUnderTest,
  FIREFOX_ON_LINUX,
  pressUpdate,
} from '../../../test/support/bot-handlers.js';
import { BotMessages, ButtonAnswers } from '../bot-messages.js';
import { CallbackData } from '../callback-data.js';

const ADA: TelegramUser = { id: 4242, first_name: 'Ada' };
const MALLORY: TelegramUser = { id: 666, first_name: 'Mallory' };

const endButtonsOf = (keyboard: InlineKeyboardMarkup | undefined) =>
  (keyboard?.inline_keyboard ?? [])
    .flat()
    .map((button) => ('callback_data' in button ? button.callback_data : ''))
    .filter((data) => data.startsWith('se:'));

describe('the buttons under /sessions', () => {
  let t: BotUnderTest;
  let chrome: SessionInfo;
  let firefox: SessionInfo;

  beforeEach(async () => {
    t = botUnderTest();
    chrome = await t.login(ADA, { agoMs: 60_000 });
    firefox = await t.login(ADA, {
      site: 'Blog',
      userAgent: FIREFOX_ON_LINUX,
    });
  });

  const press = (data: string, user = ADA, messageId: number | null = 77) =>
    t.bot.handleUpdate(pressUpdate(data, user, messageId), 1, 1);

  /** The one edit of message 77 in the presser's chat: its text and buttons. */
  const edited = (user = ADA) => {
    expect(t.replies.editMessageText).toHaveBeenCalledTimes(1);
    const [[chatId, messageId, text, keyboard]] =
      t.replies.editMessageText.mock.calls;
    expect([chatId, messageId]).toEqual([user.id, 77]);
    return { text, keyboard };
  };

  const toast = () => {
    expect(t.replies.answerCallbackQuery).toHaveBeenCalledTimes(1);
    return t.replies.answerCallbackQuery.mock.calls[0][1];
  };

  const sidsOf = async (user: TelegramUser) =>
    (await t.sessions.list(user.id)).map((session) => session.sid);

  it('End ends that session, says which, and shows the ones left', async () => {
    await expect(press(CallbackData.endSession(chrome.sid))).resolves.toBe(
      'session-ended',
    );
    expect(await sidsOf(ADA)).toEqual([firefox.sid]);
    expect(toast()).toBe(ButtonAnswers.sessionEnded);
    const { text, keyboard } = edited();
    expect(text).toMatch(
      /^✅ Ended the session of Acme Shop from Chrome 120 on Windows 10\. .*\n\n🔑 Your active sessions \(1\)/,
    );
    expect(text).toContain('1. Blog\nFirefox 125 on Linux');
    expect(endButtonsOf(keyboard)).toEqual([
      CallbackData.endSession(firefox.sid, 0),
    ]);
  });

  it('ends it with the reason "ended-in-telegram", for its page to be told', async () => {
    const reasons: string[] = [];
    t.events.ended.subscribe(({ reason }) => reasons.push(reason));
    await press(CallbackData.endSession(chrome.sid));
    expect(reasons).toEqual(['ended-in-telegram']);
  });

  it('End on the last session says no sessions are left, and leaves nothing to press', async () => {
    await press(CallbackData.endSession(chrome.sid));
    t.replies.editMessageText.mockClear();
    t.replies.answerCallbackQuery.mockClear();
    await expect(press(CallbackData.endSession(firefox.sid))).resolves.toBe(
      'session-ended',
    );
    expect(edited()).toEqual({
      text: `${BotMessages.sessionEnded(firefox)}\n\n${BotMessages.noSessionsLeft}`,
      keyboard: undefined,
    });
  });

  it('End on a session that has ended already changes nothing and says why, with the list as it is now', async () => {
    await t.sessions.end(chrome.sid, 'logged-out');
    await expect(press(CallbackData.endSession(chrome.sid))).resolves.toBe(
      'session-gone',
    );
    expect(await sidsOf(ADA)).toEqual([firefox.sid]);
    expect(toast()).toBe(ButtonAnswers.sessionGone);
    const { text, keyboard } = edited();
    expect(text).toMatch(
      new RegExp(
        `^${BotMessages.sessionGone}\n\n🔑 Your active sessions \\(1\\)`,
      ),
    );
    expect(endButtonsOf(keyboard)).toEqual([
      CallbackData.endSession(firefox.sid, 0),
    ]);
  });

  it('End on another person’s session (forged data) changes nothing, and tells them no more than of an ended one', async () => {
    await expect(
      press(CallbackData.endSession(chrome.sid), MALLORY),
    ).resolves.toBe('session-gone');
    expect(await sidsOf(ADA)).toEqual([firefox.sid, chrome.sid]);
    expect(toast()).toBe(ButtonAnswers.sessionGone);
    // Mallory's own message, with Mallory's own (empty) list: nothing of Ada's.
    expect(edited(MALLORY)).toEqual({
      text: `${BotMessages.sessionGone}\n\n${BotMessages.noSessionsLeft}`,
      keyboard: undefined,
    });
  });

  it('End on a well-formed sid that never was changes nothing', async () => {
    await expect(
      press(CallbackData.endSession(generateSessionId())),
    ).resolves.toBe('session-gone');
    expect(await sidsOf(ADA)).toHaveLength(2);
  });

  it('End all ends every session of the person’s, and only theirs', async () => {
    const mallorys = await t.login(MALLORY);
    const reasons: string[] = [];
    t.events.ended.subscribe(({ reason }) => reasons.push(reason));
    await expect(press(CallbackData.endAllSessions())).resolves.toBe(
      'sessions-ended',
    );
    expect(reasons).toEqual(['ended-in-telegram', 'ended-in-telegram']);
    expect(await sidsOf(ADA)).toEqual([]);
    expect(await sidsOf(MALLORY)).toEqual([mallorys.sid]);
    expect(toast()).toBe('Ended 2 sessions.');
    expect(edited()).toEqual({
      text: `${BotMessages.sessionsEnded(2)}\n\n${BotMessages.noSessionsLeft}`,
      keyboard: undefined,
    });
  });

  it('End all with nothing left to end says so', async () => {
    await t.sessions.endAll(ADA.id, 'logged-out');
    await expect(press(CallbackData.endAllSessions())).resolves.toBe(
      'sessions-ended',
    );
    expect(toast()).toBe(ButtonAnswers.noSessionsToEnd);
    expect(edited().text).toBe(
      `${BotMessages.noSessionsToEnd}\n\n${BotMessages.noSessionsLeft}`,
    );
  });

  describe('with more than a page of sessions', () => {
    beforeEach(async () => {
      // 2 + 5 = 7 sessions: pages of 5 and 2.
      for (let i = 0; i < 5; i++)
        await t.login(ADA, { site: `Old ${i}`, agoMs: 3_600_000 + i });
    });

    it('▶ shows the next page, ◀ the one before, and the toast says which', async () => {
      await expect(press(CallbackData.sessionsPage(1))).resolves.toBe(
        'sessions-paged',
      );
      expect(toast()).toBe('Page 2 of 2');
      const { text, keyboard } = edited();
      expect(text).toMatch(
        /^🔑 Your active sessions \(7\), newest first, page 2 of 2/,
      );
      expect(text).toContain('6. Old 3');
      expect(text).toContain('7. Old 4');
      expect(endButtonsOf(keyboard)).toHaveLength(2);
      expect(keyboard?.inline_keyboard.flat().map((b) => b.text)).toContain(
        '◀ Newer',
      );
    });

    it('End on page 2 shows page 2 again, or page 1 when page 2 is gone', async () => {
      const sessions = await t.sessions.list(ADA.id);
      await press(CallbackData.endSession(sessions[6].sid, 1));
      expect(edited().text).toContain('page 2 of 2');
      t.replies.editMessageText.mockClear();
      await press(CallbackData.endSession(sessions[5].sid, 1));
      const { text } = edited();
      expect(text).toContain('Your active sessions (5), newest first:');
      expect(text).toContain('5. Old 2');
    });
  });

  it('answers a press whose message Telegram no longer has, and edits nothing', async () => {
    await expect(
      press(CallbackData.endSession(chrome.sid), ADA, null),
    ).resolves.toBe('session-ended');
    expect(toast()).toBe(ButtonAnswers.sessionEnded);
    expect(t.replies.editMessageText).not.toHaveBeenCalled();
  });

  it.each([
    [`se:${'x'.repeat(21)}:0`],
    ['se:'],
    ['sa:1'],
    ['sp:01'],
    ['sp:-1'],
  ])(
    'answers %s, which it did not make, as an unknown button and ends nothing',
    async (data) => {
      await expect(press(data)).resolves.toBe('ignored');
      expect(toast()).toBe(ButtonAnswers.unknown);
      expect(t.replies.editMessageText).not.toHaveBeenCalled();
      expect(await sidsOf(ADA)).toHaveLength(2);
    },
  );

  it('answers End as an unknown button in a bot made without sessions', async () => {
    const withoutSessions = botUnderTest({ sessions: undefined });
    await expect(
      withoutSessions.bot.handleUpdate(
        pressUpdate(CallbackData.endSession(chrome.sid), ADA),
        1,
        1,
      ),
    ).resolves.toBe('ignored');
    expect(withoutSessions.replies.answerCallbackQuery).toHaveBeenCalledWith(
      expect.any(String),
      ButtonAnswers.unknown,
    );
    expect(await sidsOf(ADA)).toHaveLength(2);
  });
});
