import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type RunningApp, startApp } from './support/app.js';
import { CHROME_ON_WINDOWS } from './support/bot-handlers.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { pollUntilSettled, postUpdate } from './support/http.js';
import {
  callbackUpdate,
  messageUpdate,
  newUser,
  startUpdate,
  type TestUser,
} from './support/telegram-updates.js';

const APP_NAME = 'Acme Shop';
const WEBHOOK_SECRET = 'bot-languages-webhook-secret_0123456789';

interface InlineButton {
  text: string;
  callback_data: string;
}

/** What a person of each language reads, word for word (the site's name is never translated). */
interface Expected {
  loggedIn: string;
  introduction: string;
  confirmTitle: string;
  /** The confirmation's time line: the locale's date, in UTC, saying so. */
  time: RegExp;
  confirm: string;
  deny: string;
  confirmedToast: string;
  wrongCodeEdit: string;
  sessionsHeading: string;
  endButton: string;
  endedToast: string;
  endedEdit: string;
  noneLeft: string;
  newLogin: string;
  endThisButton: string;
}

const ENGLISH: Expected = {
  loggedIn:
    '✅ You are logged in to Acme Shop; you can go back to your browser.',
  introduction: '👋 I log you in to Acme Shop.',
  confirmTitle: '🔐 Log in to Acme Shop?',
  time: /\n• Time: [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d\s[AP]M UTC\n/,
  confirm: '✅ Confirm',
  deny: '❌ Deny',
  confirmedToast: 'Logged in. You can go back to your browser.',
  wrongCodeEdit: '🚫 That was not the number shown on the Acme Shop login page',
  sessionsHeading: '🔑 Your active sessions (1), newest first:',
  endButton: '❌ End 1: Acme Shop',
  endedToast: 'Session ended: that browser is logged out.',
  endedEdit:
    '✅ Ended the session of Acme Shop from Chrome 120 on Windows 10. That browser is logged out.',
  noneLeft: 'You have no active sessions left.',
  newLogin: '🔔 New login to Acme Shop from Chrome 120 on Windows 10, ',
  endThisButton: '❌ End this session',
};

const EXPECTED: Record<string, Expected> = {
  ru: {
    loggedIn: '✅ Вы вошли в Acme Shop; можно вернуться в браузер.',
    introduction: '👋 Я помогаю войти в Acme Shop.',
    confirmTitle: '🔐 Войти в Acme Shop?',
    time: /\n• Время: \d{1,2} [а-я]+\.? \d{4} г\., \d\d:\d\d UTC\n/,
    confirm: '✅ Подтвердить',
    deny: '❌ Отклонить',
    confirmedToast: 'Вход выполнен. Можно вернуться в браузер.',
    wrongCodeEdit:
      '🚫 Это не то число, что показано на странице входа Acme Shop',
    sessionsHeading: '🔑 Ваши активные сеансы (1), сначала новые:',
    endButton: '❌ Завершить 1: Acme Shop',
    endedToast: 'Сеанс завершён: этот браузер вышел из аккаунта.',
    endedEdit:
      '✅ Сеанс Acme Shop с Chrome 120 на Windows 10 завершён. Этот браузер вышел из аккаунта.',
    noneLeft: 'Активных сеансов больше нет.',
    newLogin: '🔔 Новый вход в Acme Shop с Chrome 120 на Windows 10, ',
    endThisButton: '❌ Завершить этот сеанс',
  },
  fa: {
    loggedIn: '✅ وارد Acme Shop شدید؛ می‌توانید به مرورگر برگردید.',
    introduction: '👋 من شما را وارد Acme Shop می‌کنم.',
    confirmTitle: '🔐 ورود به Acme Shop؟',
    // The Persian calendar and digits.
    time: /\n• زمان: [۰-۹]{1,2} [^\s]+ [۰-۹]{4}، [۰-۹]{1,2}:[۰-۹]{2} \(UTC\)\n/,
    confirm: '✅ تأیید',
    deny: '❌ رد',
    confirmedToast: 'وارد شدید. می‌توانید به مرورگر برگردید.',
    wrongCodeEdit: '🚫 این عددی نبود که صفحهٔ ورود Acme Shop نشان می‌دهد',
    sessionsHeading: '🔑 نشست‌های فعال شما (۱)، از جدیدترین:',
    endButton: '❌ پایان ۱: Acme Shop',
    endedToast: 'نشست پایان یافت: آن مرورگر خارج شد.',
    endedEdit:
      '✅ نشست Acme Shop از Chrome 120 روی Windows 10 پایان یافت. آن مرورگر خارج شد.',
    noneLeft: 'دیگر هیچ نشست فعالی ندارید.',
    newLogin: '🔔 ورود تازه به Acme Shop از Chrome 120 روی Windows 10، ',
    endThisButton: '❌ پایان این نشست',
  },
  // A language the bot does not speak: English.
  xx: ENGLISH,
};

/**
 * Persian messages wrap each name in Unicode isolation marks (FSI … PDI), so
 * that a Latin name keeps its place in right-to-left text; they are invisible
 * and left out of the comparisons.
 */
const plain = (text: string): string => text.replace(/[\u2068\u2069]/g, '');

const buttonsOf = (params: Record<string, any>): InlineButton[] =>
  (params.reply_markup?.inline_keyboard ?? []).flat();

describe('Bot languages: the bot speaks the language of the person’s Telegram', () => {
  let telegram: FakeBotApi;
  let running: RunningApp;
  let url: string;

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

  const speaker = (language_code: string): TestUser =>
    newUser({ language_code });

  /** A login asked for by Chrome on Windows. */
  const newLogin = async () =>
    (
      await request(url)
        .post('/auth/token')
        .set('User-Agent', CHROME_ON_WINDOWS)
        .expect(201)
    ).body as { token: string; secret: string; matchCode?: string };

  /** The `nth` message the bot sent the user (from 1), once it is sent. */
  const nthMessageTo = async (user: TestUser, nth: number) => {
    const toUser = () =>
      telegram
        .callsTo('sendMessage')
        .filter((params) => Number(params.chat_id) === user.id);
    await telegram.waitForCall('sendMessage', () => toUser().length >= nth);
    return toUser()[nth - 1];
  };

  let lastMessageId = 70_000;

  /** Presses a button under a message of the user's chat: the toast and the message's edit. */
  const press = async (user: TestUser, data: string) => {
    const messageId = ++lastMessageId;
    const update = callbackUpdate(data, user, messageId);
    await webhook(update);
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
    return {
      toast: plain(answer.text as string),
      edit: plain(edit.text as string),
    };
  };

  const languages = Object.keys(EXPECTED).map((code) => [code]);

  describe('LOGIN_CONFIRMATION off', () => {
    beforeAll(() => boot());
    afterAll(shutDown);

    it.each(languages)(
      '%s: the scan logs in, and the new-login notice and its button are in that language',
      async (code) => {
        const expected = EXPECTED[code];
        const user = speaker(code);
        const login = await newLogin();
        await webhook(startUpdate(login.token, user));
        expect(plain((await nthMessageTo(user, 1)).text)).toBe(
          expected.loggedIn,
        );
        const notice = await nthMessageTo(user, 2);
        expect(plain(notice.text)).toContain(expected.newLogin);
        expect(buttonsOf(notice).map((button) => plain(button.text))).toEqual([
          expected.endThisButton,
        ]);
        const { body } = await pollUntilSettled(url, login.token, login.secret);
        expect(body.status).toBe('authenticated');
      },
    );

    it.each(languages)(
      '%s: a bare /start and /help say what the bot is for',
      async (code) => {
        const user = speaker(code);
        await webhook(startUpdate('/start', user));
        await webhook(messageUpdate('/help', user));
        for (const nth of [1, 2])
          expect(plain((await nthMessageTo(user, nth)).text)).toMatch(
            new RegExp(
              `^${EXPECTED[code].introduction.replace(/[.?]/g, '\\$&')}`,
            ),
          );
      },
    );

    it.each(languages)(
      '%s: /sessions lists the session, and End ends it, toast and edit in that language',
      async (code) => {
        const expected = EXPECTED[code];
        const user = speaker(code);
        const login = await newLogin();
        await webhook(startUpdate(login.token, user));
        await pollUntilSettled(url, login.token, login.secret);
        await nthMessageTo(user, 2); // "logged in", then the notice
        await webhook(messageUpdate('/sessions', user));
        const list = await nthMessageTo(user, 3);
        expect(plain(list.text)).toMatch(
          new RegExp(`^${expected.sessionsHeading.replace(/[()]/g, '\\$&')}`),
        );
        const [end] = buttonsOf(list);
        expect(plain(end.text)).toBe(expected.endButton);
        const { toast, edit } = await press(user, end.callback_data);
        expect(toast).toBe(expected.endedToast);
        expect(edit).toBe(`${expected.endedEdit}\n\n${expected.noneLeft}`);
      },
    );
  });

  describe('LOGIN_CONFIRMATION=button', () => {
    beforeAll(() => boot({ LOGIN_CONFIRMATION: 'button' }));
    afterAll(shutDown);

    it.each(languages)(
      '%s: asks with the site, browser and time in that language, and Confirm answers in it',
      async (code) => {
        const expected = EXPECTED[code];
        const user = speaker(code);
        const login = await newLogin();
        await webhook(startUpdate(login.token, user));
        const question = await nthMessageTo(user, 1);
        const text = plain(question.text);
        expect(text.startsWith(`${expected.confirmTitle}\n`)).toBe(true);
        expect(text).toContain('Chrome 120');
        expect(text).toMatch(expected.time);
        const buttons = buttonsOf(question);
        expect(buttons.map((button) => plain(button.text))).toEqual([
          expected.confirm,
          expected.deny,
        ]);
        const { toast, edit } = await press(user, buttons[0].callback_data);
        expect(toast).toBe(expected.confirmedToast);
        expect(edit).toBe(expected.loggedIn);
        const { body } = await pollUntilSettled(url, login.token, login.secret);
        expect(body.status).toBe('authenticated');
      },
    );
  });

  describe('LOGIN_CONFIRMATION=code', () => {
    beforeAll(() => boot({ LOGIN_CONFIRMATION: 'code' }));
    afterAll(shutDown);

    it.each(languages)(
      '%s: the numbers to pick and Deny, and a wrong number refused in that language',
      async (code) => {
        const expected = EXPECTED[code];
        const user = speaker(code);
        const login = await newLogin();
        await webhook(startUpdate(login.token, user));
        const question = await nthMessageTo(user, 1);
        expect(plain(question.text).startsWith(expected.confirmTitle)).toBe(
          true,
        );
        const buttons = buttonsOf(question);
        // The numbers are the page's: never localized, so that they match what the page shows.
        expect(buttons.slice(0, 3).map((button) => button.text)).toContain(
          login.matchCode,
        );
        expect(plain(buttons[3].text)).toBe(expected.deny);
        const wrong = buttons
          .slice(0, 3)
          .find((button) => button.text !== login.matchCode)!;
        const { edit } = await press(user, wrong.callback_data);
        expect(edit.startsWith(expected.wrongCodeEdit)).toBe(true);
        const { body } = await pollUntilSettled(url, login.token, login.secret);
        expect(body.status).toBe('denied');
      },
    );
  });
});
