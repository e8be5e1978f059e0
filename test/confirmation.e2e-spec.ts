import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { eventually, PHOTO_URL } from './support/http.js';
import {
  closeSockets,
  connectAuthSocket,
  expectNoStatus,
  waitForStatus,
} from './support/socket.js';
import {
  callbackUpdate,
  DEFAULT_USER,
  startUpdate,
  type TestUser,
} from './support/telegram-updates.js';

const CHROME_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const MALLORY: TestUser = { id: 666, is_bot: false, first_name: 'Mallory' };

interface InlineButton {
  text: string;
  callback_data: string;
}

describe('Confirmation on the phone', () => {
  let telegram: FakeBotApi;
  let service: RunningApp;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    telegram = await FakeBotApi.start();
  });

  afterEach(async () => {
    closeSockets(...sockets.splice(0));
    await service?.close();
    await telegram.close();
  });

  const boot = async (
    mode: 'button' | 'code',
    env: Record<string, string> = {},
  ) => {
    service = await startApp({
      ...telegram.env,
      APP_NAME: 'Acme Shop',
      LOGIN_CONFIRMATION: mode,
      ...env,
    });
  };

  const createLogin = async () => {
    const response = await request(service.url)
      .post('/auth/token')
      .set('User-Agent', CHROME_ON_WINDOWS)
      .expect(201);
    const login = response.body as {
      token: string;
      secret: string;
      matchCode?: string;
    };
    const socket = await connectAuthSocket(service.url, {
      token: login.token,
      secret: login.secret,
    });
    sockets.push(socket);
    await waitForStatus(socket, 'pending');
    return { ...login, socket };
  };

  const webhook = (update: object) =>
    request(service.url).post('/telegram/webhook').send(update).expect(200);

  const poll = (token: string, secret: string) =>
    request(service.url)
      .get(`/auth/poll/${token}`)
      .set('X-Login-Secret', secret)
      .expect(200);

  /** Sends `/start <token>` and returns the confirmation message the bot sent, with its buttons. */
  const scan = async (token: string, user: TestUser = DEFAULT_USER) => {
    await webhook(startUpdate(token, user));
    const sent = await telegram.waitForCall('sendMessage', (params) =>
      JSON.stringify(params).includes(token),
    );
    const buttons = (
      sent.reply_markup?.inline_keyboard ?? []
    ).flat() as InlineButton[];
    // The press below names the message it came from; the bot must edit that one.
    return {
      sent,
      buttons,
      messageId: 9000 + telegram.callsTo('sendMessage').length,
    };
  };

  /** The `nth` message the bot sent that names the token (on its buttons). */
  const nthMessageAbout = (token: string, nth: number) =>
    telegram
      .waitForCall(
        'sendMessage',
        () =>
          telegram
            .callsTo('sendMessage')
            .filter((params) => JSON.stringify(params).includes(token))
            .length >= nth,
      )
      .then(
        () =>
          telegram
            .callsTo('sendMessage')
            .filter((params) => JSON.stringify(params).includes(token))[
            nth - 1
          ],
      );

  const press = (
    data: string,
    messageId: number,
    user: TestUser = DEFAULT_USER,
  ) => webhook(callbackUpdate(data, user, messageId));

  /** Replies to one chat are spaced 1 s apart (Telegram's limit), so "nothing else was sent" needs that long. */
  const afterChatThrottle = () =>
    new Promise((resolve) => setTimeout(resolve, 1100));

  const callbackAnswer = (nth: number) =>
    telegram.waitForCall(
      'answerCallbackQuery',
      () => telegram.callsTo('answerCallbackQuery').length >= nth,
    );

  describe('LOGIN_CONFIRMATION=button', () => {
    beforeEach(() => boot('button'));

    it('asks in Telegram with the site, browser, IP and time, and logs in on Confirm', async () => {
      const { token, socket } = await createLogin();
      const { sent, buttons, messageId } = await scan(token);

      const scanned = await waitForStatus(socket, 'scanned');
      expect(scanned).toEqual({
        status: 'scanned',
        firstName: 'Ada',
        photoUrl: expect.stringMatching(PHOTO_URL),
      });
      expect(sent.chat_id).toBe(DEFAULT_USER.id);
      expect(sent.text).toContain('Acme Shop');
      expect(sent.text).toContain('Chrome 120 on Windows 10');
      expect(sent.text).toContain('127.0.0.1');
      expect(sent.text).toMatch(
        /[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M UTC/,
      );
      expect(buttons.map((button) => button.callback_data)).toEqual([
        `confirm:${token}`,
        `deny:${token}`,
      ]);
      for (const button of buttons)
        expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);

      await press(`confirm:${token}`, messageId);
      const result = await waitForStatus(socket, 'authenticated');
      expect(result.user).toEqual({
        id: 4242,
        first_name: 'Ada',
        last_name: 'Lovelace',
        username: 'ada',
      });
      await request(service.url)
        .get('/auth/me')
        .set('Authorization', `Bearer ${result.accessToken}`)
        .expect(200);

      const answer = await callbackAnswer(1);
      expect(answer.text).toMatch(/Logged in/);
      const edit = await telegram.waitForCall('editMessageText');
      expect(edit).toMatchObject({
        chat_id: DEFAULT_USER.id,
        message_id: messageId,
      });
      expect(edit.text).toContain('You are logged in to Acme Shop');
    });

    it('shows "scanned" to a polling browser too, then the result once', async () => {
      const { token, secret, socket } = await createLogin();
      const { messageId } = await scan(token);
      expect((await poll(token, secret)).body).toEqual({
        status: 'scanned',
        firstName: 'Ada',
        photoUrl: expect.stringMatching(PHOTO_URL),
      });

      await press(`confirm:${token}`, messageId);
      // The socket of createLogin gets it; a poll meanwhile hears "pending" (the push holds the
      // result) and, once the socket has acknowledged it, 404: it is handed out once.
      await waitForStatus(socket, 'authenticated');
      await eventually(async () => {
        const response = await request(service.url)
          .get(`/auth/poll/${token}`)
          .set('X-Login-Secret', secret);
        if (response.status === 200)
          expect(response.body).toEqual({ status: 'pending' });
        expect(response.status).toBe(404);
      });
    });

    it('Deny pushes "denied", edits the message, and a later Confirm changes nothing', async () => {
      const { token, secret, socket } = await createLogin();
      const { messageId } = await scan(token);

      await press(`deny:${token}`, messageId);
      expect(await waitForStatus(socket, 'denied')).toEqual({
        status: 'denied',
      });
      expect((await callbackAnswer(1)).text).toBe('Login denied.');
      expect((await telegram.waitForCall('editMessageText')).text).toContain(
        'denied',
      );

      await press(`confirm:${token}`, messageId);
      expect((await callbackAnswer(2)).text).toMatch(/already denied/);
      expect((await poll(token, secret)).body).toEqual({ status: 'denied' });
      await afterChatThrottle();
      expect(telegram.callsTo('editMessageText')).toHaveLength(1);
    });

    it('a press by someone other than the person who scanned changes nothing and says why', async () => {
      const { token, secret, socket } = await createLogin();
      const { messageId } = await scan(token);

      await press(`confirm:${token}`, messageId, MALLORY);
      expect((await callbackAnswer(1)).text).toMatch(
        /Only the person who scanned/,
      );
      expect((await poll(token, secret)).body).toEqual({
        status: 'scanned',
        firstName: 'Ada',
        photoUrl: expect.stringMatching(PHOTO_URL),
      });
      await afterChatThrottle();
      expect(telegram.callsTo('editMessageText')).toHaveLength(0);

      await press(`confirm:${token}`, messageId);
      expect((await waitForStatus(socket, 'authenticated')).user?.id).toBe(
        DEFAULT_USER.id,
      );
    });

    it('a second Confirm is answered but logs nobody in again', async () => {
      const { token, socket } = await createLogin();
      const { messageId } = await scan(token);
      await press(`confirm:${token}`, messageId);
      await waitForStatus(socket, 'authenticated');
      await telegram.waitForCall('editMessageText');

      await press(`confirm:${token}`, messageId);
      expect((await callbackAnswer(2)).text).toMatch(
        /already confirmed|no longer waiting/,
      );
      await afterChatThrottle();
      expect(telegram.callsTo('editMessageText')).toHaveLength(1);
      await expectNoStatus(socket);
    });

    it('a press after expiry changes nothing and says the login expired', async () => {
      await service.close();
      // Seconds of margin for the scan to land before the expiry.
      await boot('button', { TOKEN_TTL_SECONDS: '3' });
      const { token, secret, socket } = await createLogin();
      const { messageId } = await scan(token);
      await waitForStatus(socket, 'expired');

      await press(`confirm:${token}`, messageId);
      expect((await callbackAnswer(1)).text).toMatch(/expired/);
      expect((await telegram.waitForCall('editMessageText')).text).toMatch(
        /expired/,
      );
      expect((await poll(token, secret)).body).toEqual({ status: 'expired' });
    });

    it('a second /start from the person who scanned asks again with the same buttons, and Confirm still logs in', async () => {
      const { token, socket } = await createLogin();
      const first = await scan(token);
      await waitForStatus(socket, 'scanned');

      expect((await webhook(startUpdate(token))).body).toEqual({
        ok: true,
        outcome: 'awaiting-confirmation',
      });
      const again = await nthMessageAbout(token, 2);
      expect(again.chat_id).toBe(DEFAULT_USER.id);
      expect(again.text).toMatch(
        /^⏳ You have scanned this QR code already: the login to Acme Shop is waiting for your answer\. Use the buttons below/,
      );
      expect(again.text).toContain(first.sent.text);
      expect(again.reply_markup).toEqual(first.sent.reply_markup);

      const messageId = 9100;
      expect((await press(`confirm:${token}`, messageId)).body).toEqual({
        ok: true,
        outcome: 'authenticated',
      });
      expect((await waitForStatus(socket, 'authenticated')).user?.id).toBe(
        DEFAULT_USER.id,
      );
      expect(await telegram.waitForCall('editMessageText')).toMatchObject({
        message_id: messageId,
      });
    });

    it('a second /start of a scanned token from someone else is refused, without buttons', async () => {
      const { token, secret } = await createLogin();
      await scan(token);
      expect((await webhook(startUpdate(token, MALLORY))).body).toEqual({
        ok: true,
        outcome: 'unknown',
      });
      const reply = await telegram.waitForCall(
        'sendMessage',
        (params) => params.chat_id === MALLORY.id,
      );
      expect(reply.text).toMatch(/not valid or has already been used/);
      expect(reply.reply_markup).toBeUndefined();
      expect((await poll(token, secret)).body).toEqual({
        status: 'scanned',
        firstName: 'Ada',
        photoUrl: expect.stringMatching(PHOTO_URL),
      });
    });

    it('ignores buttons it did not make', async () => {
      const { token, secret } = await createLogin();
      await scan(token);
      await press('something-else', 1);
      expect((await callbackAnswer(1)).text).toMatch(/no longer waiting/);
      expect((await poll(token, secret)).body.status).toBe('scanned');
    });
  });

  describe('LOGIN_CONFIRMATION=code', () => {
    beforeEach(() => boot('code'));

    it('shows a two-digit code on the page and three choices in Telegram; the right one logs in', async () => {
      const { token, matchCode, socket } = await createLogin();
      expect(matchCode).toMatch(/^[1-9]\d$/);
      const { buttons, messageId } = await scan(token);

      const codes = buttons
        .filter((button) => button.callback_data.startsWith('pick:'))
        .map((button) => button.text);
      expect(codes).toHaveLength(3);
      expect(new Set(codes).size).toBe(3);
      expect(codes).toContain(matchCode);
      expect(buttons.map((button) => button.callback_data)).toContain(
        `deny:${token}`,
      );
      for (const button of buttons)
        expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);

      await press(`pick:${matchCode}:${token}`, messageId);
      expect(
        (await waitForStatus(socket, 'authenticated')).user?.first_name,
      ).toBe('Ada');
    });

    it('a second /start offers the same three numbers in the same order, and the right one logs in', async () => {
      const { token, matchCode, socket } = await createLogin();
      const first = await scan(token);
      await webhook(startUpdate(token));
      const again = await nthMessageAbout(token, 2);
      expect(again.text).toMatch(/waiting for your answer/);
      expect(again.reply_markup).toEqual(first.sent.reply_markup);

      await press(`pick:${matchCode}:${token}`, 9100);
      expect(
        (await waitForStatus(socket, 'authenticated')).user?.first_name,
      ).toBe('Ada');
    });

    it('a wrong pick denies the login', async () => {
      const { token, matchCode, socket } = await createLogin();
      const { buttons, messageId } = await scan(token);
      const wrong = buttons.find(
        (button) =>
          button.callback_data.startsWith('pick:') && button.text !== matchCode,
      )!;

      await press(wrong.callback_data, messageId);
      expect(await waitForStatus(socket, 'denied')).toEqual({
        status: 'denied',
      });
      expect((await callbackAnswer(1)).text).toMatch(/Wrong number/);
      expect((await telegram.waitForCall('editMessageText')).text).toMatch(
        /not the number shown/,
      );
    });

    it('a Confirm without a code (a forged button) does not log in', async () => {
      const { token, socket } = await createLogin();
      const { messageId } = await scan(token);
      await press(`confirm:${token}`, messageId);
      await waitForStatus(socket, 'denied');
    });
  });

  it('LOGIN_CONFIRMATION=off has no matchCode and logs in on /start', async () => {
    await boot('button');
    await service.close();
    service = await startApp({ ...telegram.env });
    const response = await request(service.url).post('/auth/token').expect(201);
    expect(response.body).not.toHaveProperty('matchCode');
    const socket = await connectAuthSocket(service.url, {
      token: response.body.token,
      secret: response.body.secret,
    });
    sockets.push(socket);
    await webhook(startUpdate(response.body.token));
    await waitForStatus(socket, 'authenticated');
  });
});
