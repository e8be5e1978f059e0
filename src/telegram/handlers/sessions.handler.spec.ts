import { beforeEach, describe, expect, it } from '@jest/globals';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { TelegramUser } from '../../auth/interfaces/index.js';
import {
  botUnderTest,
  type BotUnderTest,
  commandUpdate,
  FIREFOX_ON_LINUX,
} from '../../../test/support/bot-handlers.js';
import { formatBotTime } from '../bot-i18n.js';
import { BotMessages } from '../bot-messages.js';
import { CallbackData } from '../callback-data.js';

const ADA: TelegramUser = { id: 4242, first_name: 'Ada' };
const GRACE: TelegramUser = { id: 4343, first_name: 'Grace' };

const buttonsOf = (keyboard: InlineKeyboardMarkup | undefined) =>
  (keyboard?.inline_keyboard ?? [])
    .flat()
    .map((button) => [
      button.text,
      'callback_data' in button ? button.callback_data : undefined,
    ]);

describe('/sessions', () => {
  let t: BotUnderTest;

  beforeEach(() => {
    t = botUnderTest();
  });

  const sent = () => {
    const [[chatId, text, keyboard]] = t.replies.sendMessage.mock.calls;
    return { chatId, text, keyboard };
  };

  it('lists the person’s own sessions, newest first, with site, browser and OS, IP and times, an End button each, and End all', async () => {
    const older = await t.login(ADA, { agoMs: 3_600_000 });
    const newer = await t.login(ADA, {
      site: 'Blog',
      userAgent: FIREFOX_ON_LINUX,
      ip: '198.51.100.4',
    });
    await t.login(GRACE);

    await expect(
      t.bot.handleUpdate(commandUpdate('/sessions', ADA), 1, 1),
    ).resolves.toBe('sessions-listed');

    const { chatId, text, keyboard } = sent();
    expect(chatId).toBe(ADA.id);
    expect(text).toContain('Your active sessions (2)');
    expect(text).toContain(
      `1. Blog\nFirefox 125 on Linux, IP 198.51.100.4\nLogged in ${formatBotTime(newer.createdAt, 'en')}, last used ${formatBotTime(newer.lastUsedAt, 'en')}`,
    );
    expect(text).toContain(
      `2. Acme Shop\nChrome 120 on Windows 10, IP 203.0.113.7\nLogged in ${formatBotTime(older.createdAt, 'en')}`,
    );
    expect(buttonsOf(keyboard)).toEqual([
      ['❌ End 1: Blog', CallbackData.endSession(newer.sid, 0)],
      ['❌ End 2: Acme Shop', CallbackData.endSession(older.sid, 0)],
      ['🚪 End all 2 sessions', CallbackData.endAllSessions()],
    ]);
  });

  it('says so when the person has no sessions, with no buttons', async () => {
    await t.login(GRACE);
    await expect(
      t.bot.handleUpdate(commandUpdate('/sessions', ADA), 1, 1),
    ).resolves.toBe('sessions-listed');
    expect(t.replies.sendMessage).toHaveBeenCalledWith(
      ADA.id,
      BotMessages.noSessions,
      undefined,
    );
  });

  it('shows the first page of a long list, with ▶ to the next', async () => {
    for (let i = 0; i < 12; i++) await t.login(ADA, { agoMs: i * 1000 });
    await t.bot.handleUpdate(commandUpdate('/sessions', ADA), 1, 1);
    const { text, keyboard } = sent();
    expect(text).toContain(
      'Your active sessions (12), newest first, page 1 of 3',
    );
    expect(
      buttonsOf(keyboard).filter(([label]) => label?.startsWith('❌')),
    ).toHaveLength(5);
    expect(buttonsOf(keyboard)).toContainEqual([
      'Older ▶',
      CallbackData.sessionsPage(1),
    ]);
  });

  it('takes /sessions@<our bot>', async () => {
    await expect(
      t.bot.handleUpdate(commandUpdate('/sessions@Acme_Login_Bot', ADA), 1, 1),
    ).resolves.toBe('sessions-listed');
  });

  it.each([['/sessions@other_login_bot'], ['/sessions all'], ['/session']])(
    'ignores %s',
    async (text) => {
      await t.login(ADA);
      await expect(
        t.bot.handleUpdate(commandUpdate(text, ADA), 1, 1),
      ).resolves.toBe('ignored');
      expect(t.replies.sendMessage).not.toHaveBeenCalled();
    },
  );

  it('is not answered by a bot made without sessions', async () => {
    const withoutSessions = botUnderTest({ sessions: undefined });
    await expect(
      withoutSessions.bot.handleUpdate(commandUpdate('/sessions', ADA), 1, 1),
    ).resolves.toBe('ignored');
  });
});
