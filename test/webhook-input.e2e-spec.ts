import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import {
  createLogin,
  delay,
  poll,
  pollUntilSettled,
  postUpdate,
  type TokenResponse,
} from './support/http.js';
import {
  editedStartUpdate,
  messageUpdate,
  newUser,
  nextMessageId,
  nextUpdateId,
  startUpdate,
} from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'input-test-webhook-secret';

/** No 5xx, no stack trace, no file path: what a client must never see. */
function expectCleanError(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(
    /\bat [\w.<>]+ \(|node_modules|\.ts:\d|\.js:\d|stack/i,
  );
}

describe('what the webhook does with input that is not a login', () => {
  let fake: FakeBotApi;
  let running: RunningApp;
  let url: string;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    running = await startApp({
      ...fake.env,
      WEBHOOK_SECRET,
    });
    url = running.url;
  });

  afterAll(async () => {
    await running?.close();
    await fake?.close();
  });

  const webhook = () =>
    request(url)
      .post('/telegram/webhook')
      .set('X-Telegram-Bot-Api-Secret-Token', WEBHOOK_SECRET);

  /** The login is still waiting: nothing above completed it. */
  const expectStillPending = (login: TokenResponse) =>
    poll(url, login.token, login.secret).expect(200, { status: 'pending' });

  /** No message went to any of these chats (replies are sent right after the webhook answers). */
  const expectNothingSentTo = async (...chatIds: number[]) => {
    await delay(250);
    const sent = fake
      .callsTo('sendMessage')
      .filter((params) => chatIds.includes(Number(params.chat_id)));
    expect(sent).toEqual([]);
  };

  describe('bodies that are not an update', () => {
    it('answers malformed JSON with 400 and a JSON body, without a stack trace', async () => {
      const login = await createLogin(url);
      const response = await webhook()
        .set('Content-Type', 'application/json')
        .send(`{"update_id": 1, "message": {"text": "/start ${login.token}"`)
        .expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        statusCode: 400,
        message: expect.any(String),
      });
      expectCleanError(response.body);
      await expectStillPending(login);
    });

    it.each([['null'], ['42'], ['"text"']])(
      'answers the JSON scalar %s with 400 (an update is an object)',
      async (body) => {
        const response = await webhook()
          .set('Content-Type', 'application/json')
          .send(body);
        expect(response.status).toBe(400);
        expectCleanError(response.body);
      },
    );

    it('answers a body over 256 KiB with 413, without reading it as an update', async () => {
      const login = await createLogin(url);
      const user = newUser();
      const update = startUpdate(login.token, user) as Record<string, unknown>;
      update.padding = 'x'.repeat(300 * 1024);
      const response = await webhook()
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(update))
        .expect(413);
      expect(response.body).toEqual({
        statusCode: 413,
        message: expect.any(String),
      });
      expectCleanError(response.body);
      await expectStillPending(login);
      await expectNothingSentTo(user.id);
    });

    it('accepts a large update just under the limit', async () => {
      const user = newUser();
      const update = startUpdate('/start', user) as Record<string, unknown>;
      update.padding = 'y'.repeat(250 * 1000);
      await webhook()
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(update))
        .expect(200);
    });

    it.each([
      ['an empty object', {}],
      ['an empty array', []],
      ['an array of updates', [startUpdate('/start')]],
    ])('answers %s with 200 and ignores it', async (_name, body) => {
      await webhook()
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body))
        .expect(200, { ok: true, outcome: 'ignored' });
    });

    it('answers a body that is not JSON (text/plain) without 5xx and without acting on it', async () => {
      const login = await createLogin(url);
      const response = await webhook()
        .set('Content-Type', 'text/plain')
        .send(`/start ${login.token}`);
      expect(response.status).toBeLessThan(500);
      expectCleanError(response.body);
      await expectStillPending(login);
    });
  });

  describe('well-formed updates that are answered 200 and ignored', () => {
    const cases: [
      string,
      (token: string, user: ReturnType<typeof newUser>) => unknown,
    ][] = [
      [
        '/start <token> in a group chat',
        (token, user) =>
          startUpdate(token, user, {
            id: -100123,
            type: 'group',
            title: 'Friends',
          }),
      ],
      [
        '/start <token> in a supergroup',
        (token, user) =>
          startUpdate(token, user, {
            id: -1001234567890,
            type: 'supergroup',
            title: 'Club',
          }),
      ],
      [
        '/start <token> from a bot',
        (token, user) => startUpdate(token, { ...user, is_bot: true }),
      ],
      [
        '/start <token> as an edited message',
        (token, user) => editedStartUpdate(token, user),
      ],
      [
        '/start <token> as a channel post',
        (token) => ({
          update_id: nextUpdateId(),
          channel_post: {
            message_id: nextMessageId(),
            chat: { id: -100999, type: 'channel', title: 'News' },
            date: 1,
            text: `/start ${token}`,
          },
        }),
      ],
      [
        'an inline query with the token',
        (token, user) => ({
          update_id: nextUpdateId(),
          inline_query: { id: '1', from: user, query: token, offset: '' },
        }),
      ],
      [
        'my_chat_member (the person blocked the bot)',
        (_token, user) => ({
          update_id: nextUpdateId(),
          my_chat_member: {
            chat: { id: user.id, type: 'private' },
            from: user,
            date: 1,
            old_chat_member: {
              status: 'member',
              user: { id: 123456789, is_bot: true, first_name: 'Bot' },
            },
            new_chat_member: {
              status: 'kicked',
              until_date: 0,
              user: { id: 123456789, is_bot: true, first_name: 'Bot' },
            },
          },
        }),
      ],
      [
        'a photo whose caption is /start <token>',
        (token, user) => {
          const update = startUpdate(token, user);
          const { text, entities, ...message } = update.message as Record<
            string,
            unknown
          >;
          return {
            ...update,
            message: {
              ...message,
              photo: [
                { file_id: 'f', file_unique_id: 'u', width: 1, height: 1 },
              ],
              caption: text,
              caption_entities: entities,
            },
          };
        },
      ],
      [
        'another command with the token',
        (token, user) => startUpdate(`/help ${token}`, user),
      ],
      [
        'the token alone, without /start',
        (token, user) => messageUpdate(token, user),
      ],
      [
        '/startx <token>',
        (token, user) => startUpdate(`/startx ${token}`, user),
      ],
      [
        '/start@<another bot> <token> (a command for that bot, not this one)',
        (token, user) => startUpdate(`/start@other_login_bot ${token}`, user),
      ],
      [
        'a message without "from"',
        (token, user) => {
          const update = startUpdate(token, user);
          const { from: _from, ...message } = update.message as Record<
            string,
            unknown
          >;
          return { ...update, message };
        },
      ],
      [
        'a message with text of the wrong type',
        (_token, user) => {
          const update = startUpdate('/start', user);
          return { ...update, message: { ...update.message, text: 12345 } };
        },
      ],
      [
        'a message whose user id is a string',
        (token, user) => {
          const update = startUpdate(token, user);
          return {
            ...update,
            message: {
              ...update.message,
              from: { ...user, id: String(user.id) },
            },
          };
        },
      ],
      [
        'a message whose first name is missing',
        (token, user) => {
          const { first_name: _firstName, ...nameless } = user;
          return startUpdate(token, nameless as typeof user);
        },
      ],
      [
        'a message with a null chat',
        (token, user) => {
          const update = startUpdate(token, user);
          return { ...update, message: { ...update.message, chat: null } };
        },
      ],
      [
        'a message field that is an array',
        (_token, user) => ({
          update_id: nextUpdateId(),
          message: [startUpdate('/start', user).message],
        }),
      ],
    ];

    it.each(cases)('%s', async (_name, build) => {
      const login = await createLogin(url);
      const user = newUser();
      const response = await webhook()
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(build(login.token, user)))
        .expect(200);
      // No `method` field: Telegram takes nothing in this answer as a Bot API call.
      expect(response.body).toEqual({ ok: true, outcome: 'ignored' });
      await expectStillPending(login);
      await expectNothingSentTo(user.id, -100123, -1001234567890, -100999);
    });
  });

  it('keeps working for a real /start after all of the above', async () => {
    const login = await createLogin(url);
    await postUpdate(url, startUpdate(login.token), WEBHOOK_SECRET).expect(200);
    const result = await pollUntilSettled(url, login.token, login.secret);
    expect(result.body.status).toBe('authenticated');
  });

  it('logs in from /start@<this bot> <token>, whatever the case of the name', async () => {
    const login = await createLogin(url);
    const user = newUser();
    const command = `/start@${fake.username.toUpperCase()} ${login.token}`;
    await postUpdate(url, startUpdate(command, user), WEBHOOK_SECRET).expect(
      200,
      { ok: true, outcome: 'authenticated' },
    );
    const result = await pollUntilSettled(url, login.token, login.secret);
    expect(result.body.status).toBe('authenticated');
  });

  it('does not answer GET on the webhook with 5xx', async () => {
    const response = await request(url).get('/telegram/webhook');
    expect(response.status).toBe(404);
    expectCleanError(response.body);
  });
});
