import type { TelegramUser } from '../auth/interfaces/index.js';

/** A `/start` that the bot should act on: sent by a person, in a private chat with the bot. */
export interface StartCommand {
  chatId: number;
  user: TelegramUser;
  /** What followed `/start`, trimmed; empty for a bare `/start`. */
  payload: string;
}

const START = /^\/start(?:@[A-Za-z0-9_]+)?(?:\s+(\S*))?\s*$/;

/**
 * Reads a `/start` command out of an update of any shape. Anything else (other
 * update kinds, other text, groups, bots, malformed fields) gives undefined.
 */
export function parseStartCommand(update: unknown): StartCommand | undefined {
  const message = field(update, 'message');
  const from = field(message, 'from');
  const chat = field(message, 'chat');
  const text = field(message, 'text');
  if (typeof text !== 'string' || !isRecord(from) || !isRecord(chat)) return undefined;
  if (chat.type !== 'private' || !Number.isSafeInteger(chat.id) || from.is_bot !== false) return undefined;
  const match = START.exec(text);
  const user = telegramUser(from);
  if (!match || !user) return undefined;
  return { chatId: chat.id as number, user, payload: match[1] ?? '' };
}

function telegramUser(from: Record<string, unknown>): TelegramUser | undefined {
  if (!Number.isSafeInteger(from.id) || typeof from.first_name !== 'string') return undefined;
  const user: TelegramUser = { id: from.id as number, first_name: from.first_name };
  if (typeof from.last_name === 'string') user.last_name = from.last_name;
  if (typeof from.username === 'string') user.username = from.username;
  return user;
}

function field(value: unknown, name: string): unknown {
  return isRecord(value) ? value[name] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
