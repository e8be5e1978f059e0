import { jest } from '@jest/globals';
import type { TelegramUser } from '../../src/auth/interfaces/index.js';
import type { AuthSettings } from '../../src/interfaces/settings.interface.js';
import type { SessionInfo } from '../../src/sessions/interfaces/index.js';
import { AccessTokenService } from '../../src/sessions/access-token.service.js';
import { SessionEventsService } from '../../src/sessions/session-events.service.js';
import { SessionService } from '../../src/sessions/session.service.js';
import { MemorySessionStore } from '../../src/sessions/stores/memory-session.store.js';
import { createBotI18n } from '../../src/telegram/bot-i18n.js';
import type { HandlerDeps } from '../../src/telegram/handlers/bot-context.js';
import { TelegramBot } from '../../src/telegram/telegram-bot.js';
import { InstantAccessTokens } from './access-tokens.js';

export const CHROME_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
export const FIREFOX_ON_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';

/** The replies a handler sends, recorded (BotClientService's methods, resolving true). */
export function recordedReplies() {
  return {
    sendMessage: jest
      .fn<HandlerDeps['replies']['sendMessage']>()
      .mockResolvedValue(true),
    editMessageText: jest
      .fn<HandlerDeps['replies']['editMessageText']>()
      .mockResolvedValue(true),
    answerCallbackQuery: jest
      .fn<HandlerDeps['replies']['answerCallbackQuery']>()
      .mockResolvedValue(true),
  };
}

export interface BotUnderTest {
  bot: TelegramBot;
  replies: ReturnType<typeof recordedReplies>;
  /** A real SessionService on a memory store. */
  sessions: SessionService;
  /** What `sessions` tells of the sessions it starts and ends. */
  events: SessionEventsService;
  /**
   * Starts a session of `user`, as a completed login would, `agoMs` before
   * the bot under test was made (one moment for all, so that the order of the
   * sessions is the one the test gives, however slowly it runs).
   */
  login(
    user: TelegramUser,
    options?: {
      site?: string;
      userAgent?: string;
      ip?: string;
      agoMs?: number;
    },
  ): Promise<SessionInfo>;
}

/**
 * The bot's handlers (TelegramBot, fed updates with handleUpdate) with real
 * sessions and recorded replies, for the unit tests of the handlers.
 */
export function botUnderTest(
  overrides: Partial<HandlerDeps> = {},
): BotUnderTest {
  const replies = recordedReplies();
  const events = new SessionEventsService();
  const sessions = new SessionService(
    new MemorySessionStore(),
    { sessionTtlSeconds: 86_400 } as AuthSettings,
    new AccessTokenService(new InstantAccessTokens()),
    events,
  );
  const madeAt = Date.now();
  const bot = new TelegramBot(
    {
      logins: {
        scan: jest.fn<HandlerDeps['logins']['scan']>(),
        decideFor: jest.fn<HandlerDeps['logins']['decideFor']>(),
      },
      replies,
      sessions,
      i18n: createBotI18n(),
      appName: 'Acme Shop',
      botUsername: 'acme_login_bot',
      log: () => undefined,
      ...overrides,
    },
    // A token of the real shape: nothing may reach Telegram with it.
    '123456:not-a-real-token',
  );
  return {
    bot,
    replies,
    sessions,
    events,
    login: async (user, options = {}) => {
      const session = await sessions.start(
        {
          user,
          site: options.site ?? 'Acme Shop',
          requester: {
            userAgent: options.userAgent ?? CHROME_ON_WINDOWS,
            ip: options.ip ?? '203.0.113.7',
          },
        },
        madeAt - (options.agoMs ?? 0),
      );
      return (await sessions.find(session.sid))!;
    },
  };
}

let nextId = 1;

/** A message from `user` in their private chat with the bot, with its bot_command entity. */
export function commandUpdate(text: string, user: TelegramUser) {
  return {
    update_id: nextId++,
    message: {
      message_id: nextId++,
      from: { ...user, is_bot: false },
      chat: { id: user.id, type: 'private' },
      date: 1,
      text,
      entities: [
        { offset: 0, length: text.split(/\s/)[0].length, type: 'bot_command' },
      ],
    },
  };
}

/** A press by `user` of a button under message `messageId` of their chat; `null`: Telegram no longer has the message. */
export function pressUpdate(
  data: string,
  user: TelegramUser,
  messageId: number | null = 77,
) {
  return {
    update_id: nextId++,
    callback_query: {
      id: `query-${nextId++}`,
      from: { ...user, is_bot: false },
      ...(messageId !== null && {
        message: {
          message_id: messageId,
          chat: { id: user.id, type: 'private' },
          date: 1,
        },
      }),
      chat_instance: '1',
      data,
    },
  };
}
