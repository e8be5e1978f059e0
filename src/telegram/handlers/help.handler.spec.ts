import { beforeEach, describe, expect, it } from '@jest/globals';
import type { TelegramUser } from '../../auth/interfaces/index.js';
import {
  botUnderTest,
  type BotUnderTest,
  commandUpdate,
} from '../../../test/support/bot-handlers.js';
import { BotMessages } from '../bot-messages.js';

const ADA: TelegramUser = { id: 4242, first_name: 'Ada' };

describe('/help', () => {
  let t: BotUnderTest;

  beforeEach(() => {
    t = botUnderTest();
  });

  it.each([['/help'], ['/help@acme_login_bot']])(
    'answers %s with what the bot is for and its /sessions',
    async (text) => {
      await expect(
        t.bot.handleUpdate(commandUpdate(text, ADA), 1, 1),
      ).resolves.toBe('help');
      expect(t.replies.sendMessage).toHaveBeenCalledWith(
        ADA.id,
        BotMessages.help('Acme Shop'),
      );
      expect(BotMessages.help('Acme Shop')).toContain('/sessions');
    },
  );

  it('says the same of /sessions after a bare /start', async () => {
    await expect(
      t.bot.handleUpdate(commandUpdate('/start', ADA), 1, 1),
    ).resolves.toBe('bare-start');
    expect(t.replies.sendMessage).toHaveBeenCalledWith(
      ADA.id,
      expect.stringContaining('Send /sessions to see where you are logged in'),
    );
  });

  it.each([['/help@other_login_bot'], ['/help me']])(
    'ignores %s',
    async (text) => {
      await expect(
        t.bot.handleUpdate(commandUpdate(text, ADA), 1, 1),
      ).resolves.toBe('ignored');
      expect(t.replies.sendMessage).not.toHaveBeenCalled();
    },
  );
});
