/** Real-shaped Telegram updates for the webhook and for the fake Bot API's getUpdates. */

export interface TestUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TestChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  first_name?: string;
  username?: string;
}

export const DEFAULT_USER: TestUser = {
  id: 4242,
  is_bot: false,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
};

/** The user as the service reports it (no is_bot). */
export function asLoggedInUser(
  user: TestUser = DEFAULT_USER,
): Record<string, unknown> {
  const { id, first_name, last_name, username } = user;
  return {
    id,
    first_name,
    ...(last_name !== undefined && { last_name }),
    ...(username !== undefined && { username }),
  };
}

// Start above anything a test writes by hand; each process gets its own range.
let lastUpdateId = 100_000 + Math.floor(Math.random() * 1_000_000) * 10;
let lastMessageId = 1_000;
let lastCallbackId = 5_000_000;

export function nextUpdateId(): number {
  return ++lastUpdateId;
}

export function nextMessageId(): number {
  return ++lastMessageId;
}

export function privateChatOf(user: TestUser): TestChat {
  return {
    id: user.id,
    type: 'private',
    first_name: user.first_name,
    ...(user.username && { username: user.username }),
  };
}

/** A `message` update with any text. */
export function messageUpdate(
  text: string,
  user: TestUser = DEFAULT_USER,
  chat: TestChat = privateChatOf(user),
) {
  const entities = text.startsWith('/')
    ? [{ offset: 0, length: text.split(/\s/)[0].length, type: 'bot_command' }]
    : undefined;
  return {
    update_id: nextUpdateId(),
    message: {
      message_id: nextMessageId(),
      from: user,
      chat,
      date: Math.floor(Date.now() / 1000),
      text,
      ...(entities && { entities }),
    },
  };
}

/**
 * `/start <token>` as Telegram delivers it after the deep link; a text that
 * already starts with `/` is sent as it is (e.g. a bare "/start").
 */
export function startUpdate(
  textOrToken = '/start',
  user: TestUser = DEFAULT_USER,
  chat: TestChat = privateChatOf(user),
) {
  const text = textOrToken.startsWith('/')
    ? textOrToken
    : `/start ${textOrToken}`;
  return messageUpdate(text, user, chat);
}

/** A button press: `callback_query` on a message the bot sent in the private chat. */
export function callbackUpdate(
  data: string,
  user: TestUser = DEFAULT_USER,
  messageId = nextMessageId(),
) {
  return {
    update_id: nextUpdateId(),
    callback_query: {
      id: `${user.id}${++lastCallbackId}`,
      from: user,
      message: {
        message_id: messageId,
        from: {
          id: 123456789,
          is_bot: true,
          first_name: 'Test Login Bot',
          username: 'test_login_bot',
        },
        chat: {
          id: user.id,
          type: 'private' as const,
          first_name: user.first_name,
        },
        date: Math.floor(Date.now() / 1000),
        text: 'Log in?',
      },
      chat_instance: '-1234567890123456789',
      data,
    },
  };
}

/** The same `/start` sent by a user again after editing it: Telegram's `edited_message`. */
export function editedStartUpdate(
  token: string,
  user: TestUser = DEFAULT_USER,
) {
  const { message } = startUpdate(token, user);
  return {
    update_id: nextUpdateId(),
    edited_message: { ...message, edit_date: message.date + 1 },
  };
}

let lastUserId = 700_000;

/**
 * A person of their own, so that tests sharing an app do not share a chat (the
 * Bot API client spaces messages to one chat about a second apart).
 */
export function newUser(overrides: Partial<TestUser> = {}): TestUser {
  return { ...DEFAULT_USER, id: ++lastUserId, ...overrides };
}
