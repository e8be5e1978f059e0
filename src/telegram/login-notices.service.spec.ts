import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  CHROME_ON_WINDOWS,
  recordedReplies,
} from '../../test/support/bot-handlers.js';
import type { AuthSettings } from '../interfaces/settings.interface.js';
import type { SessionInfo } from '../sessions/interfaces/index.js';
import { generateSessionId } from '../sessions/refresh-tokens.js';
import { SessionEventsService } from '../sessions/session-events.service.js';
import type { LoginConfirmationMode } from '../telegram-qr-auth.constants.js';
import type { BotClientService } from './bot-client.service.js';
import { BotMessages } from './bot-messages.js';
import { createBotI18n } from './bot-i18n.js';
import { LoginNoticesService } from './login-notices.service.js';
import { newLoginKeyboard } from './sessions-list.js';
import { browserAndSystem } from '../http/user-agent.js';

Logger.overrideLogger(false);

const session = (): SessionInfo => ({
  sid: generateSessionId(),
  user: { id: 4242, first_name: 'Ada' },
  site: 'Acme Shop',
  ...browserAndSystem(CHROME_ON_WINDOWS),
  ip: '203.0.113.7',
  createdAt: Date.UTC(2026, 0, 1, 12, 0),
  lastUsedAt: Date.UTC(2026, 0, 1, 12, 0),
  expiresAt: Date.UTC(2026, 0, 2, 12, 0),
});

/** Resolves once timers queued so far (setImmediate) have run. */
const afterImmediates = () => new Promise((resolve) => setImmediate(resolve));

describe('LoginNoticesService', () => {
  const events = new SessionEventsService();
  let notices: LoginNoticesService | undefined;

  afterEach(() => notices?.onModuleDestroy());

  const start = (confirmation: LoginConfirmationMode) => {
    const replies = recordedReplies();
    notices = new LoginNoticesService(
      events,
      replies as unknown as BotClientService,
      { confirmation } as AuthSettings,
      createBotI18n(),
    );
    notices.onModuleInit();
    return replies;
  };

  it('tells the person of a new session in their chat, with site, browser, OS and IP, and a button to end it', async () => {
    const replies = start('off');
    const created = session();
    events.publishCreated(created);
    // Not within the login's own call: after it.
    expect(replies.sendMessage).not.toHaveBeenCalled();
    await afterImmediates();
    expect(replies.sendMessage).toHaveBeenCalledWith(
      4242,
      BotMessages.newLogin(created),
      newLoginKeyboard(created.sid),
    );
    expect(BotMessages.newLogin(created)).toMatch(
      /^🔔 New login to Acme Shop from Chrome 120 on Windows 10, 203\.0\.113\.7, at Jan 1, 2026, 12:00\sPM UTC\./,
    );
  });

  it('tells it in the language of the Telegram the person logged in with, kept by the session', async () => {
    const replies = start('off');
    events.publishCreated({ ...session(), language: 'ru-RU' });
    await afterImmediates();
    const [, text, keyboard] = replies.sendMessage.mock.calls[0];
    expect(text).toMatch(
      /^🔔 Новый вход в Acme Shop с Chrome 120 на Windows 10, 203\.0\.113\.7, 1 янв\. 2026 г\., 12:00 UTC\./,
    );
    expect(keyboard?.inline_keyboard[0][0].text).toBe(
      '❌ Завершить этот сеанс',
    );
  });

  it.each([['button'], ['code']] as const)(
    'says nothing with LOGIN_CONFIRMATION=%s: the person has just confirmed that login',
    async (mode) => {
      const replies = start(mode);
      events.publishCreated(session());
      await afterImmediates();
      expect(replies.sendMessage).not.toHaveBeenCalled();
    },
  );

  it('keeps a failure to send away from the login, and stops listening when the module ends', async () => {
    const replies = start('off');
    replies.sendMessage.mockImplementation(() => {
      throw new Error('not a promise');
    });
    const warn = jest.spyOn(Logger.prototype, 'warn');
    expect(() => events.publishCreated(session())).not.toThrow();
    await afterImmediates();
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not tell Telegram user 4242'),
    );
    warn.mockRestore();

    notices!.onModuleDestroy();
    replies.sendMessage.mockClear();
    events.publishCreated(session());
    await afterImmediates();
    expect(replies.sendMessage).not.toHaveBeenCalled();
  });

  it('names an unknown browser and IP as such', () => {
    const text = BotMessages.newLogin({
      ...session(),
      browser: undefined,
      os: undefined,
      ip: undefined,
    });
    expect(text).toContain('from an unknown browser, IP address unknown,');
  });
});
