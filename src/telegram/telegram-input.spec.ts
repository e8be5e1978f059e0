import { describe, expect, it } from '@jest/globals';
import { parseCommand, parseStartCommand } from './telegram-input.js';

const BOT = 'test_login_bot';
const TOKEN = 'q3v8wXc2nN1YyF0k9pQzR7tLmA4sB6dE8gH1jK3lM5o';
const ADA = {
  id: 4242,
  is_bot: false,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
  language_code: 'en',
  is_premium: true,
};

function update(
  text: unknown,
  overrides: { from?: unknown; chat?: unknown; kind?: string } = {},
) {
  const message = {
    message_id: 7,
    from: 'from' in overrides ? overrides.from : ADA,
    chat:
      'chat' in overrides
        ? overrides.chat
        : { id: ADA.id, type: 'private', first_name: 'Ada' },
    date: 1767268800,
    text,
    entities: [{ offset: 0, length: 6, type: 'bot_command' }],
  };
  return { update_id: 1, [overrides.kind ?? 'message']: message };
}

describe('parseStartCommand', () => {
  it('reads the token, the chat and the user out of /start <token>', () => {
    expect(parseStartCommand(update(`/start ${TOKEN}`), BOT)).toEqual({
      chatId: 4242,
      user: {
        id: 4242,
        first_name: 'Ada',
        last_name: 'Lovelace',
        username: 'ada',
      },
      languageCode: 'en',
      payload: TOKEN,
    });
  });

  it.each([['pt-br'], ['en-US'], ['fa']])(
    'keeps the language_code %p apart from the user',
    (code) => {
      const command = parseStartCommand(
        update(`/start ${TOKEN}`, { from: { ...ADA, language_code: code } }),
        BOT,
      );
      expect(command?.languageCode).toBe(code);
      expect(command?.user).not.toHaveProperty('language_code');
    },
  );

  it.each([[''], ['x'.repeat(40)], ['en US'], [42], ['<b>ru</b>']])(
    'drops a language_code that is no language tag: %p',
    (code) => {
      const command = parseStartCommand(
        update(`/start ${TOKEN}`, { from: { ...ADA, language_code: code } }),
        BOT,
      );
      expect(command).toBeDefined();
      expect(command).not.toHaveProperty('languageCode');
    },
  );

  it('keeps only the user fields the service reports (no is_bot, language_code, ...)', () => {
    const command = parseStartCommand(update(`/start ${TOKEN}`), BOT);
    expect(Object.keys(command!.user).sort()).toEqual([
      'first_name',
      'id',
      'last_name',
      'username',
    ]);
  });

  it('leaves out last_name and username when Telegram does not send them', () => {
    const from = { id: 99, is_bot: false, first_name: 'Grace' };
    expect(
      parseStartCommand(
        update(`/start ${TOKEN}`, { from, chat: { id: 99, type: 'private' } }),
        BOT,
      )!.user,
    ).toEqual({ id: 99, first_name: 'Grace' });
  });

  it('gives an empty payload for a bare /start', () => {
    expect(parseStartCommand(update('/start'), BOT)).toMatchObject({
      payload: '',
    });
    expect(parseStartCommand(update('/start   '), BOT)).toMatchObject({
      payload: '',
    });
  });

  it('accepts /start@<our bot> <token>, which some clients send, in any case', () => {
    expect(
      parseStartCommand(update(`/start@test_login_bot ${TOKEN}`), BOT),
    ).toMatchObject({ payload: TOKEN });
    expect(
      parseStartCommand(update(`/start@Test_Login_BOT ${TOKEN}`), BOT),
    ).toMatchObject({ payload: TOKEN });
    expect(
      parseStartCommand(update('/start@test_login_bot'), BOT),
    ).toMatchObject({ payload: '' });
  });

  it.each([
    [`/start@other_login_bot ${TOKEN}`],
    ['/start@other_login_bot'],
    // A name that merely starts like ours is another bot's.
    [`/start@test_login_bot2 ${TOKEN}`],
    [`/start@test_login_bo ${TOKEN}`],
  ])('ignores %s: a command addressed to another bot', (text) => {
    expect(parseStartCommand(update(text), BOT)).toBeUndefined();
  });

  it('takes /start@<any name> when it knows no username of its own (demo mode)', () => {
    expect(
      parseStartCommand(update(`/start@some_bot ${TOKEN}`), undefined),
    ).toMatchObject({ payload: TOKEN });
  });

  it('trims whitespace around the token', () => {
    expect(
      parseStartCommand(update(`/start   ${TOKEN}  \n`), BOT),
    ).toMatchObject({
      payload: TOKEN,
    });
  });

  it('hands over a payload that is not a valid token as it is (the caller says "not valid")', () => {
    expect(parseStartCommand(update('/start hello'), BOT)).toMatchObject({
      payload: 'hello',
    });
  });

  it.each([
    [
      'a group chat',
      update(`/start ${TOKEN}`, {
        chat: { id: -100123, type: 'group', title: 'Friends' },
      }),
    ],
    [
      'a supergroup',
      update(`/start ${TOKEN}`, {
        chat: { id: -1001234567890, type: 'supergroup', title: 'Club' },
      }),
    ],
    [
      'a channel',
      update(`/start ${TOKEN}`, {
        chat: { id: -100999, type: 'channel', title: 'News' },
      }),
    ],
    ['a bot', update(`/start ${TOKEN}`, { from: { ...ADA, is_bot: true } })],
    [
      'a sender without is_bot',
      update(`/start ${TOKEN}`, { from: { id: 4242, first_name: 'Ada' } }),
    ],
    ['no sender', update(`/start ${TOKEN}`, { from: undefined })],
    [
      'a sender id that is a string',
      update(`/start ${TOKEN}`, { from: { ...ADA, id: '4242' } }),
    ],
    [
      'a sender id that is not an integer',
      update(`/start ${TOKEN}`, { from: { ...ADA, id: 42.5 } }),
    ],
    [
      'a sender without first name',
      update(`/start ${TOKEN}`, { from: { id: 4242, is_bot: false } }),
    ],
    [
      'a chat id that is a string',
      update(`/start ${TOKEN}`, { chat: { id: '4242', type: 'private' } }),
    ],
    ['no chat', update(`/start ${TOKEN}`, { chat: null })],
    [
      'an edited message',
      update(`/start ${TOKEN}`, { kind: 'edited_message' }),
    ],
    ['a channel post', update(`/start ${TOKEN}`, { kind: 'channel_post' })],
    ['text that is not a string', update(12345)],
    ['another command', update(`/help ${TOKEN}`)],
    ['a longer command', update(`/started ${TOKEN}`)],
    ['/start not at the beginning', update(`hello /start ${TOKEN}`)],
    ['the token alone', update(TOKEN)],
    ['no text (a sticker)', update(undefined)],
  ])('ignores %s', (_name, value) => {
    expect(parseStartCommand(value, BOT)).toBeUndefined();
  });

  it.each([
    [undefined],
    [null],
    [42],
    ['/start'],
    [[]],
    [{}],
    [{ message: [] }],
    [{ message: 'text' }],
    [{ callback_query: { data: 'x' } }],
  ])('ignores a value of any other shape (%j) without throwing', (value) => {
    expect(parseStartCommand(value, BOT)).toBeUndefined();
  });
});

describe('parseCommand', () => {
  it('reads the chat and the user out of /sessions', () => {
    expect(parseCommand(update('/sessions'), 'sessions', BOT)).toEqual({
      chatId: 4242,
      user: {
        id: 4242,
        first_name: 'Ada',
        last_name: 'Lovelace',
        username: 'ada',
      },
    });
  });

  it('takes /sessions@<our bot> in any case, and trailing whitespace', () => {
    for (const text of [
      '/sessions@test_login_bot',
      '/sessions@Test_Login_BOT',
      '/sessions  \n',
    ])
      expect(parseCommand(update(text), 'sessions', BOT)).toMatchObject({
        chatId: 4242,
      });
  });

  it('takes /help@<any name> when it knows no username of its own (demo mode)', () => {
    expect(
      parseCommand(update('/help@some_bot'), 'help', undefined),
    ).toMatchObject({ chatId: 4242 });
  });

  it.each([
    ['a command for another bot', update('/sessions@other_login_bot')],
    [
      'a name that merely starts like ours',
      update('/sessions@test_login_bot2'),
    ],
    ['another command', update('/help')],
    ['a longer command', update('/sessionsx')],
    ['words after the command', update('/sessions all')],
    ['the command not at the beginning', update('show /sessions')],
    ['another case', update('/Sessions')],
    [
      'a group chat',
      update('/sessions', { chat: { id: -100123, type: 'group' } }),
    ],
    ['a bot', update('/sessions', { from: { ...ADA, is_bot: true } })],
    ['an edited message', update('/sessions', { kind: 'edited_message' })],
    ['text that is not a string', update(42)],
    ['a value of another shape', { message: [] }],
  ])('ignores %s', (_name, value) => {
    expect(parseCommand(value, 'sessions', BOT)).toBeUndefined();
  });
});
