import type { TelegramUser } from '../auth/interfaces/index.js';

/** A `/start` that the bot should act on: sent by a person, in a private chat with the bot. */
export interface StartCommand {
  chatId: number;
  user: TelegramUser;
  /** The `language_code` of the person's Telegram, when it looks like one: not part of the user the service reports. */
  languageCode?: string;
  /** What followed `/start`, trimmed; empty for a bare `/start`. */
  payload: string;
}

/** A command without arguments (`/sessions`, `/help`) that the bot should act on, as {@link parseCommand} reads it. */
export interface BareCommand {
  chatId: number;
  user: TelegramUser;
}

/** A button press under one of the bot's messages in a private chat. */
export interface ButtonPress {
  queryId: string;
  user: TelegramUser;
  /** The message that carried the button; absent when Telegram no longer has it. */
  message?: { chatId: number; messageId: number };
  data: string;
  /** As in {@link StartCommand}. */
  languageCode?: string;
}

const START = /^\/start(?:@([A-Za-z0-9_]+))?(?:\s+(\S*))?\s*$/;
const COMMAND = /^\/([a-z]+)(?:@([A-Za-z0-9_]+))?\s*$/;

/**
 * Reads a `/start` command out of an update of any shape. Anything else (other
 * update kinds, other text, groups, bots, malformed fields, a command addressed
 * to another bot) gives undefined.
 *
 * `/start@name` is meant for the bot called `name` only: like Telegram's own
 * bots we ignore it when `name` is not `botUsername` (usernames are
 * case-insensitive), so that a link or command for another bot never scans one
 * of our logins. Without a username (demo mode: no bot, updates come from
 * `npm run simulate` or tests) there is no other bot to tell apart, and any
 * name is taken.
 */
export function parseStartCommand(
  update: unknown,
  botUsername: string | undefined,
): StartCommand | undefined {
  const message = field(update, 'message');
  const from = field(message, 'from');
  const chat = field(message, 'chat');
  const text = field(message, 'text');
  if (typeof text !== 'string' || !isPrivateChat(chat)) return undefined;
  const match = START.exec(text);
  const user = telegramUser(from);
  if (!match || !user) return undefined;
  const [, addressee, payload] = match;
  if (!isForUs(addressee, botUsername)) return undefined;
  const command: StartCommand = {
    chatId: chat.id as number,
    user,
    payload: payload ?? '',
  };
  const languageCode = languageCodeOf(from);
  if (languageCode) command.languageCode = languageCode;
  return command;
}

/**
 * Reads `/<name>` (or `/<name>@<our bot>`) with nothing after it out of an
 * update of any shape, on the same terms as {@link parseStartCommand}: a
 * person, a private chat, and not a command addressed to another bot.
 * Anything else, words after the command included, gives undefined.
 */
export function parseCommand(
  update: unknown,
  name: string,
  botUsername: string | undefined,
): BareCommand | undefined {
  const message = field(update, 'message');
  const chat = field(message, 'chat');
  const text = field(message, 'text');
  if (typeof text !== 'string' || !isPrivateChat(chat)) return undefined;
  const match = COMMAND.exec(text);
  const user = telegramUser(field(message, 'from'));
  if (!match || match[1] !== name || !user) return undefined;
  if (!isForUs(match[2], botUsername)) return undefined;
  return { chatId: chat.id as number, user };
}

/** Usernames are case-insensitive; without one of our own (demo mode) any addressee is taken. */
function isForUs(
  addressee: string | undefined,
  botUsername: string | undefined,
): boolean {
  return (
    addressee === undefined ||
    botUsername === undefined ||
    addressee.toLowerCase() === botUsername.toLowerCase()
  );
}

/** Reads a `callback_query` out of an update of any shape; undefined for anything else. */
export function parseButtonPress(update: unknown): ButtonPress | undefined {
  const query = field(update, 'callback_query');
  const id = field(query, 'id');
  const data = field(query, 'data');
  const user = telegramUser(field(query, 'from'));
  if (typeof id !== 'string' || typeof data !== 'string' || !user)
    return undefined;
  const message = field(query, 'message');
  const chat = field(message, 'chat');
  const messageId = field(message, 'message_id');
  const press: ButtonPress = { queryId: id, user, data };
  const languageCode = languageCodeOf(field(query, 'from'));
  if (languageCode) press.languageCode = languageCode;
  if (isPrivateChat(chat) && Number.isSafeInteger(messageId)) {
    press.message = {
      chatId: chat.id as number,
      messageId: messageId as number,
    };
  }
  return press;
}

function telegramUser(from: unknown): TelegramUser | undefined {
  if (!isRecord(from) || from.is_bot !== false) return undefined;
  if (!Number.isSafeInteger(from.id) || typeof from.first_name !== 'string')
    return undefined;
  const user: TelegramUser = {
    id: from.id as number,
    first_name: from.first_name,
  };
  if (typeof from.last_name === 'string') user.last_name = from.last_name;
  if (typeof from.username === 'string') user.username = from.username;
  return user;
}

/** Kept only when it looks like the IETF tag Telegram sends: it is stored with the session. */
function languageCodeOf(from: unknown): string | undefined {
  const code = field(from, 'language_code');
  return typeof code === 'string' &&
    code.length <= 35 &&
    /^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/.test(code)
    ? code
    : undefined;
}

function isPrivateChat(chat: unknown): chat is Record<string, unknown> {
  return (
    isRecord(chat) && chat.type === 'private' && Number.isSafeInteger(chat.id)
  );
}

function field(value: unknown, name: string): unknown {
  return isRecord(value) ? value[name] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
