// Real-shaped Telegram updates (a trimmed copy of test/support/telegram-updates.ts,
// without Jest types): what Telegram posts to the webhook after a deep link.
import { randomBytes } from 'node:crypto';

// Far above the ids the tests use, and different for every bench process.
let lastUpdateId = 900_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
let lastUserId = 800_000_000;

export function nextUpdateId() {
  return ++lastUpdateId;
}

/** A 43-character token of the right shape that no login has. */
export function unknownToken() {
  return randomBytes(32).toString('base64url');
}

/** `/start <token>` from a person in their private chat with the bot; each call is a new update and a new person. */
export function startUpdate(token) {
  const id = ++lastUserId;
  const text = `/start ${token}`;
  return {
    update_id: nextUpdateId(),
    message: {
      message_id: 1,
      from: {
        id,
        is_bot: false,
        first_name: 'Ada',
        last_name: 'Lovelace',
        username: 'ada',
        language_code: 'en',
      },
      chat: { id, type: 'private', first_name: 'Ada', username: 'ada' },
      date: Math.floor(Date.now() / 1000),
      text,
      entities: [{ offset: 0, length: 6, type: 'bot_command' }],
    },
  };
}

let lastClient = Math.floor(Math.random() * 2 ** 23);

/**
 * A new client address per request, sent as X-Forwarded-For. The service trusts
 * that header from loopback (a reverse proxy in front of it), so every bench
 * request counts as a different browser, as in production: the per-IP rate
 * limits stay at their defaults and are never hit, yet run on every request.
 */
export function nextClientIp() {
  const n = ++lastClient & 0xffffff;
  return `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`;
}
