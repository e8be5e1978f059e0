import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { BotError } from 'grammy';
import type { TelegramUser } from '../auth/interfaces/index.js';
import { generateLoginToken } from '../auth/login-secrets.js';
import { BotMessages, ButtonAnswers } from './bot-messages.js';
import { CallbackData } from './callback-data.js';
import type { HandlerDeps } from './handlers/bot-context.js';
import { createBotI18n } from './bot-i18n.js';
import { noDirectCalls, TelegramBot } from './telegram-bot.js';

const APP = 'Acme Shop';
const ADA: TelegramUser = { id: 4242, first_name: 'Ada', username: 'ada' };

/** A `/start` as Telegram sends it, with its bot_command entity. */
function command(text: string) {
  return {
    update_id: 1,
    message: {
      message_id: 1,
      from: { ...ADA, is_bot: false },
      chat: { id: ADA.id, type: 'private' },
      date: 1,
      text,
      entities: [
        { offset: 0, length: text.split(/\s/)[0].length, type: 'bot_command' },
      ],
    },
  };
}

function press(data: string) {
  return {
    update_id: 2,
    callback_query: {
      id: 'query-1',
      from: { ...ADA, is_bot: false },
      message: {
        message_id: 77,
        chat: { id: ADA.id, type: 'private' },
        date: 1,
      },
      chat_instance: '1',
      data,
    },
  };
}

describe('TelegramBot', () => {
  const logins = {
    scan: jest.fn<HandlerDeps['logins']['scan']>(),
    decideFor: jest.fn<HandlerDeps['logins']['decideFor']>(),
  };
  const replies = {
    sendMessage: jest.fn<HandlerDeps['replies']['sendMessage']>(),
    editMessageText: jest.fn<HandlerDeps['replies']['editMessageText']>(),
    answerCallbackQuery:
      jest.fn<HandlerDeps['replies']['answerCallbackQuery']>(),
  };
  const i18n = createBotI18n();
  const deps = (botUsername: string | undefined): HandlerDeps => ({
    logins,
    replies,
    i18n,
    appName: APP,
    botUsername,
    log: () => undefined,
  });
  let bot: TelegramBot;

  beforeEach(() => {
    jest.resetAllMocks();
    logins.scan.mockResolvedValue({ result: 'authenticated' });
    // A token of the real shape: nothing may reach Telegram with it, getMe included.
    bot = new TelegramBot(deps('acme_login_bot'), '123456:not-a-real-token');
  });

  it('takes /start@<our bot>, in any case', async () => {
    const token = generateLoginToken();
    for (const name of ['acme_login_bot', 'Acme_Login_BOT'])
      await expect(
        bot.handleUpdate(command(`/start@${name} ${token}`), 1, 1),
      ).resolves.toBe('authenticated');
    await expect(
      bot.handleUpdate(command('/start@acme_login_bot'), 1, 1),
    ).resolves.toBe('bare-start');
  });

  it.each([
    ['/start@other_login_bot'],
    ['/start@acme_login_bot2'],
    ['/start@acme_login_bo'],
  ])('ignores %s <token>: a command for another bot', async (start) => {
    await expect(
      bot.handleUpdate(command(`${start} ${generateLoginToken()}`), 1, 1),
    ).resolves.toBe('ignored');
    await expect(bot.handleUpdate(command(start), 1, 1)).resolves.toBe(
      'ignored',
    );
    expect(logins.scan).not.toHaveBeenCalled();
    expect(replies.sendMessage).not.toHaveBeenCalled();
  });

  it('takes /start@<any name> in demo mode, where it knows no username of its own', async () => {
    const demo = new TelegramBot(deps(undefined), undefined);
    await expect(
      demo.handleUpdate(
        command(`/start@some_bot ${generateLoginToken()}`),
        1,
        1,
      ),
    ).resolves.toBe('authenticated');
  });

  it('ignores /start followed by more than one word, as before', async () => {
    await expect(
      bot.handleUpdate(command(`/start ${generateLoginToken()} more`), 1, 1),
    ).resolves.toBe('ignored');
    expect(replies.sendMessage).not.toHaveBeenCalled();
  });

  it('passes the time received and the update id on to the login service', async () => {
    const token = generateLoginToken();
    await bot.handleUpdate(command(`/start ${token}`), 1234, 99);
    expect(logins.scan).toHaveBeenCalledWith(
      token,
      ADA,
      ADA.id,
      1234,
      99,
      undefined,
    );
  });

  it('answers a Confirm button whose token is malformed as an unknown button', async () => {
    await expect(
      bot.handleUpdate(press(CallbackData.confirm('too-short')), 1, 2),
    ).resolves.toBe('ignored');
    expect(logins.decideFor).not.toHaveBeenCalled();
    expect(replies.answerCallbackQuery).toHaveBeenCalledWith(
      'query-1',
      ButtonAnswers.unknown,
    );
  });

  it('answers nothing for a press by a bot', async () => {
    const update = press(CallbackData.confirm(generateLoginToken()));
    update.callback_query.from.is_bot = true;
    await expect(bot.handleUpdate(update, 1, 2)).resolves.toBe('ignored');
    expect(replies.answerCallbackQuery).not.toHaveBeenCalled();
  });

  it("rejects with the handler's own error, not grammY's BotError around it", async () => {
    const failure = new Error('store down');
    logins.scan.mockRejectedValue(failure);
    const handling = bot.handleUpdate(
      command(`/start ${generateLoginToken()}`),
      1,
      1,
    );
    await expect(handling).rejects.toBe(failure);
    await expect(handling).rejects.not.toBeInstanceOf(BotError);
  });

  it('keeps the outcomes of concurrent handlings of the same update apart', async () => {
    const update = command('/start');
    const other = command(`/start ${generateLoginToken()}`);
    await expect(
      Promise.all([
        bot.handleUpdate(update, 1, undefined),
        bot.handleUpdate(other, 1, undefined),
        bot.handleUpdate(update, 1, undefined),
      ]),
    ).resolves.toEqual(['bare-start', 'authenticated', 'bare-start']);
    expect(replies.sendMessage).toHaveBeenCalledWith(
      ADA.id,
      BotMessages.bareStart(APP),
    );
  });

  it.each([[null], [42], ['text'], [[]]])(
    'ignores a body that is not an object (%j)',
    async (value) => {
      await expect(bot.handleUpdate(value, 1, undefined)).resolves.toBe(
        'ignored',
      );
    },
  );

  it("refuses Bot API calls through ctx.api, which would bypass BotClientService's throttling and deadlines", async () => {
    const prev = jest.fn<Parameters<typeof noDirectCalls>[0]>();
    await expect(
      noDirectCalls(prev, 'sendMessage', { chat_id: 1, text: 'hi' }),
    ).rejects.toThrow('BotClientService');
    expect(prev).not.toHaveBeenCalled();
  });
});
