import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { SessionService } from '../src/sessions/session.service.js';
import { type RunningApp, startApp } from './support/app.js';
import { CHROME_ON_WINDOWS, FIREFOX_ON_LINUX } from './support/bot-handlers.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { me, pollUntilSettled, postUpdate } from './support/http.js';
import {
  closeSockets,
  connectSessionSocket,
  sessionEnded,
} from './support/socket.js';
import {
  callbackUpdate,
  messageUpdate,
  newUser,
  startUpdate,
  type TestUser,
} from './support/telegram-updates.js';

const APP_NAME = 'Acme Shop';
const WEBHOOK_SECRET = 'bot-sessions-webhook-secret_0123456789';

interface InlineButton {
  text: string;
  callback_data: string;
}

/** A logged-in browser: its session and the tokens its page holds. */
interface Browser {
  sid: string;
  accessToken: string;
}

const buttonsOf = (params: Record<string, any>): InlineButton[] =>
  (params.reply_markup?.inline_keyboard ?? []).flat();

/** The sid an access token carries (its `sid` claim). */
const sidOf = (accessToken: string): string =>
  JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString())
    .sid;

describe('The bot as the security console', () => {
  let telegram: FakeBotApi;
  let running: RunningApp;
  let url: string;
  const sockets: Socket[] = [];

  afterEach(() => closeSockets(...sockets.splice(0)));

  const boot = async (env: Record<string, string> = {}) => {
    telegram = await FakeBotApi.start();
    running = await startApp({
      ...telegram.env,
      APP_NAME,
      WEBHOOK_SECRET,
      ...env,
    });
    url = running.url;
  };

  const shutDown = async () => {
    await running?.close();
    await telegram?.close();
  };

  const webhook = (update: object) =>
    postUpdate(url, update, WEBHOOK_SECRET).expect(200);

  /** What the webhook says the update amounted to. */
  const outcomeOf = async (update: object) =>
    ((await webhook(update)).body as { outcome: string }).outcome;

  /** `/start <token>` of a login that a browser with `userAgent` asked for, logged in without confirmation. */
  const logIn = async (user: TestUser, userAgent: string): Promise<Browser> => {
    const { body: login } = await request(url)
      .post('/auth/token')
      .set('User-Agent', userAgent)
      .expect(201);
    await webhook(startUpdate(login.token, user));
    const { body } = await pollUntilSettled(url, login.token, login.secret);
    expect(body.status).toBe('authenticated');
    return { sid: sidOf(body.accessToken), accessToken: body.accessToken };
  };

  const watch = async (browser: Browser) => {
    const socket = await connectSessionSocket(url, browser.accessToken);
    sockets.push(socket);
    return socket;
  };

  const toChat = (user: TestUser) => (params: Record<string, any>) =>
    Number(params.chat_id) === user.id;

  /** The messages the bot sent `user` so far whose text matches. */
  const sentTo = (user: TestUser, text: RegExp) =>
    telegram
      .callsTo('sendMessage')
      .filter(toChat(user))
      .filter((params) => text.test(params.text));

  /** Sends `/sessions` and returns the list the bot answers with (the `nth` list it sent the user). */
  const listSessions = async (user: TestUser) => {
    const nth = sentTo(user, /active sessions/).length + 1;
    expect(await outcomeOf(messageUpdate('/sessions', user))).toBe(
      'sessions-listed',
    );
    await telegram.waitForCall(
      'sendMessage',
      () => sentTo(user, /active sessions/).length >= nth,
    );
    return sentTo(user, /active sessions/)[nth - 1];
  };

  let nextMessageId = 50_000;

  /**
   * Presses a button under a message of the user's chat: what the webhook said
   * it amounted to, the toast and the message's edit.
   */
  const press = async (user: TestUser, data: string) => {
    const messageId = ++nextMessageId;
    const update = callbackUpdate(data, user, messageId);
    const outcome = await outcomeOf(update);
    const [answer, edit] = await Promise.all([
      telegram.waitForCall(
        'answerCallbackQuery',
        (params) => params.callback_query_id === update.callback_query.id,
      ),
      telegram.waitForCall(
        'editMessageText',
        (params) => Number(params.message_id) === messageId,
      ),
    ]);
    expect(Number(edit.chat_id)).toBe(user.id);
    return { outcome, toast: answer.text as string, edit };
  };

  const endButton = (params: Record<string, any>, sid: string) =>
    buttonsOf(params).find((button) =>
      button.callback_data.startsWith(`se:${sid}:`),
    );

  describe('LOGIN_CONFIRMATION off', () => {
    beforeAll(() => boot());
    afterAll(shutDown);

    it('offers /sessions and /help in the chat’s menu, set at start', async () => {
      const call = await telegram.waitForCall('setMyCommands');
      expect(
        (call.commands as { command: string }[]).map(({ command }) => command),
      ).toEqual(['sessions', 'help']);
    });

    it('lists both browsers’ sessions on /sessions, and End logs that one out at once', async () => {
      const ada = newUser();
      const chrome = await logIn(ada, CHROME_ON_WINDOWS);
      const firefox = await logIn(ada, FIREFOX_ON_LINUX);
      const chromeSocket = await watch(chrome);
      const firefoxSocket = await watch(firefox);
      const { body: listed } = await request(url)
        .get('/auth/sessions')
        .set('Authorization', `Bearer ${firefox.accessToken}`)
        .expect(200);
      const ip = listed.sessions[0].ip as string;

      const list = await listSessions(ada);
      expect(list.text).toContain('Your active sessions (2), newest first:');
      // Newest first: Firefox logged in last.
      expect(list.text).toMatch(
        new RegExp(
          `1\\. ${APP_NAME}\\nFirefox 125 on Linux, IP ${ip.replace(/\./g, '\\.')}\\nLogged in [A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{1,2}:\\d\\d\\s[AP]M UTC, last used [A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{1,2}:\\d\\d\\s[AP]M UTC\\n\\n2\\. ${APP_NAME}\\nChrome 120 on Windows 10, IP`,
        ),
      );
      expect(buttonsOf(list).map((button) => button.callback_data)).toEqual([
        `se:${firefox.sid}:0`,
        `se:${chrome.sid}:0`,
        'sa',
      ]);

      const { outcome, toast, edit } = await press(
        ada,
        endButton(list, chrome.sid)!.callback_data,
      );
      expect(outcome).toBe('session-ended');
      expect(toast).toBe('Session ended: that browser is logged out.');
      expect(edit.text).toMatch(
        new RegExp(
          `^✅ Ended the session of ${APP_NAME} from Chrome 120 on Windows 10\\..*\\n\\n🔑 Your active sessions \\(1\\)`,
        ),
      );
      expect(buttonsOf(edit).map((button) => button.callback_data)).toEqual([
        `se:${firefox.sid}:0`,
      ]);

      expect(await sessionEnded(chromeSocket)).toEqual({
        status: 'ended',
        reason: 'ended-in-telegram',
      });
      await me(url, chrome.accessToken).expect(401);
      await me(url, firefox.accessToken).expect(200);
      expect(firefoxSocket.connected).toBe(true);
    });

    it('End all logs every browser of the person out, and nobody else’s', async () => {
      const ada = newUser();
      const grace = newUser({ first_name: 'Grace' });
      const browsers = [
        await logIn(ada, CHROME_ON_WINDOWS),
        await logIn(ada, FIREFOX_ON_LINUX),
      ];
      const graces = await logIn(grace, CHROME_ON_WINDOWS);
      const watched = await Promise.all(browsers.map(watch));

      const { outcome, toast, edit } = await press(ada, 'sa');
      expect(outcome).toBe('sessions-ended');
      expect(toast).toBe('Ended 2 sessions.');
      expect(edit.text).toBe(
        '✅ Ended 2 sessions. Those browsers are logged out.\n\nYou have no active sessions left.',
      );
      expect(edit.reply_markup).toBeUndefined();
      for (const socket of watched)
        expect(await sessionEnded(socket)).toEqual({
          status: 'ended',
          reason: 'ended-in-telegram',
        });
      for (const browser of browsers)
        await me(url, browser.accessToken).expect(401);
      await me(url, graces.accessToken).expect(200);
    });

    it('a press on a session already ended, or on another person’s, changes nothing and says why', async () => {
      const ada = newUser();
      const mallory = newUser({ first_name: 'Mallory' });
      const chrome = await logIn(ada, CHROME_ON_WINDOWS);
      const firefox = await logIn(ada, FIREFOX_ON_LINUX);
      const socket = await watch(chrome);
      const gone =
        'ℹ️ That session had already ended, or is not one of yours: nothing was changed.';

      // Mallory forges Ada's button: her own chat, her own (empty) list, Ada's session untouched.
      const forged = await press(mallory, `se:${chrome.sid}:0`);
      expect(forged.outcome).toBe('session-gone');
      expect(forged.toast).toBe(
        'That session has already ended, or is not yours.',
      );
      expect(forged.edit.text).toBe(
        `${gone}\n\nYou have no active sessions left.`,
      );
      await me(url, chrome.accessToken).expect(200);

      expect((await press(ada, `se:${chrome.sid}:0`)).outcome).toBe(
        'session-ended',
      );
      await sessionEnded(socket);
      // The same button again: the session is over, the list as it is now.
      const stale = await press(ada, `se:${chrome.sid}:0`);
      expect(stale.outcome).toBe('session-gone');
      expect(stale.toast).toBe(
        'That session has already ended, or is not yours.',
      );
      expect(stale.edit.text).toMatch(
        new RegExp(`^${gone}\\n\\n🔑 Your active sessions \\(1\\)`),
      );
      expect(buttonsOf(stale.edit).map((b) => b.callback_data)).toEqual([
        `se:${firefox.sid}:0`,
      ]);
      await me(url, firefox.accessToken).expect(200);
    });

    it('answers a malformed sessions button as an unknown one, ending nothing', async () => {
      const ada = newUser();
      const chrome = await logIn(ada, CHROME_ON_WINDOWS);
      const update = callbackUpdate(`se:${chrome.sid.slice(1)}:0`, ada);
      expect(await outcomeOf(update)).toBe('ignored');
      const answer = await telegram.waitForCall(
        'answerCallbackQuery',
        (params) => params.callback_query_id === update.callback_query.id,
      );
      expect(answer.text).toBe(
        'This login is no longer waiting for an answer.',
      );
      await me(url, chrome.accessToken).expect(200);
    });

    it('pages a long list within Telegram’s limits, with ◀/▶', async () => {
      const ada = newUser();
      const sessions = running.app.get(SessionService, { strict: false });
      // Started the way a login starts them (without the notices, which would take the chat's 1 s each).
      const now = Date.now();
      for (let i = 0; i < 7; i++)
        await sessions.start(
          {
            user: ada,
            site: `Site ${i}`,
            requester: { userAgent: CHROME_ON_WINDOWS, ip: '203.0.113.7' },
          },
          now - i * 1000,
        );

      const list = await listSessions(ada);
      expect(list.text).toContain(
        'Your active sessions (7), newest first, page 1 of 2:',
      );
      expect(list.text).toContain('5. Site 4');
      expect(list.text).not.toContain('Site 5');
      const buttons = buttonsOf(list);
      expect(
        buttons.filter((b) => b.callback_data.startsWith('se:')),
      ).toHaveLength(5);
      expect(buttons.map((b) => b.text)).toContain('Older ▶');
      expect(buttons.map((b) => b.text)).not.toContain('◀ Newer');
      for (const button of buttons)
        expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
      expect(list.text.length).toBeLessThanOrEqual(4096);

      const next = buttons.find((b) => b.text === 'Older ▶')!.callback_data;
      const { outcome, toast, edit } = await press(ada, next);
      expect(outcome).toBe('sessions-paged');
      expect(toast).toBe('Page 2 of 2');
      expect(edit.text).toContain('page 2 of 2');
      expect(edit.text).toContain('6. Site 5\n');
      expect(edit.text).toContain('7. Site 6\n');
      const second = buttonsOf(edit);
      expect(
        second.filter((b) => b.callback_data.startsWith('se:')),
      ).toHaveLength(2);
      expect(second.find((b) => b.text === '◀ Newer')?.callback_data).toBe(
        'sp:0',
      );
      expect(second.at(-1)?.text).toBe('🚪 End all 7 sessions');
    });

    it('tells the person of each new login, with the site, browser, OS and IP, and its End logs that browser out', async () => {
      const ada = newUser();
      const chrome = await logIn(ada, CHROME_ON_WINDOWS);
      const notice = await telegram.waitForCall(
        'sendMessage',
        (params) => toChat(ada)(params) && /^🔔/.test(params.text),
      );
      expect(notice.text).toMatch(
        new RegExp(
          `^🔔 New login to ${APP_NAME} from Chrome 120 on Windows 10, [0-9a-f.:]+, at [A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{1,2}:\\d\\d\\s[AP]M UTC\\.`,
        ),
      );
      expect(buttonsOf(notice)).toEqual([
        { text: '❌ End this session', callback_data: `se:${chrome.sid}:0` },
      ]);
      // After the reply to the /start that logged in, and only once: /help is answered after both.
      expect(await outcomeOf(messageUpdate('/help', ada))).toBe('help');
      await telegram.waitForCall(
        'sendMessage',
        (params) => toChat(ada)(params) && /^👋/.test(params.text),
      );
      expect(
        telegram
          .callsTo('sendMessage')
          .filter(toChat(ada))
          .map((params) => Array.from(params.text as string)[0]),
      ).toEqual(['✅', '🔔', '👋']);

      const socket = await watch(chrome);
      const { outcome, edit } = await press(ada, `se:${chrome.sid}:0`);
      expect(outcome).toBe('session-ended');
      expect(edit.text).toMatch(/^✅ Ended the session of/);
      expect((await sessionEnded(socket)).reason).toBe('ended-in-telegram');
      await me(url, chrome.accessToken).expect(401);
    });

    it('ignores /sessions@<another bot>, and takes /sessions@<this bot>', async () => {
      const ada = newUser();
      expect(
        await outcomeOf(messageUpdate('/sessions@other_login_bot', ada)),
      ).toBe('ignored');
      // A reply to it would have been queued for the chat before the answer to this /help.
      expect(await outcomeOf(messageUpdate('/help', ada))).toBe('help');
      const help = await telegram.waitForCall('sendMessage', toChat(ada));
      expect(help.text).toContain(
        'Send /sessions to see where you are logged in',
      );
      expect(
        await outcomeOf(messageUpdate(`/sessions@${telegram.username}`, ada)),
      ).toBe('sessions-listed');
      await telegram.waitForCall(
        'sendMessage',
        () => telegram.callsTo('sendMessage').filter(toChat(ada)).length === 2,
      );
      expect(
        telegram
          .callsTo('sendMessage')
          .filter(toChat(ada))
          .map((params) => params.text),
      ).toEqual([
        help.text,
        '🔑 You have no active sessions: no browser is logged in with your Telegram account.',
      ]);
    });
  });

  describe('LOGIN_CONFIRMATION=button', () => {
    beforeAll(() => boot({ LOGIN_CONFIRMATION: 'button' }));
    afterAll(shutDown);

    it('sends no new-login notice: the person has just confirmed that login', async () => {
      const ada = newUser();
      const { body: login } = await request(url)
        .post('/auth/token')
        .set('User-Agent', CHROME_ON_WINDOWS)
        .expect(201);
      expect(await outcomeOf(startUpdate(login.token, ada))).toBe('scanned');
      expect(
        await outcomeOf(callbackUpdate(`confirm:${login.token}`, ada)),
      ).toBe('authenticated');
      const { body } = await pollUntilSettled(url, login.token, login.secret);
      expect(body.status).toBe('authenticated');

      // A notice would have been queued for the chat before the answer to this /help.
      expect(await outcomeOf(messageUpdate('/help', ada))).toBe('help');
      await telegram.waitForCall(
        'sendMessage',
        (params) => toChat(ada)(params) && /^👋/.test(params.text),
      );
      expect(sentTo(ada, /^🔔/)).toEqual([]);
      // The session is there all the same.
      const list = await listSessions(ada);
      expect(endButton(list, sidOf(body.accessToken))).toBeDefined();
    });
  });
});
