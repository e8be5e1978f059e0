import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { UPDATE_CLAIM_TTL_MS } from '../src/telegram/telegram.constants.js';
import { CapturingLogger, type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import {
  createLogin,
  delay,
  eventually,
  poll,
  pollUntilSettled,
  postUpdate,
  type TokenResponse,
} from './support/http.js';
import { PATIENCE_MS } from './support/patience.js';
import { RedisReplyStallingProxy } from './support/redis-proxy.js';
import { OwnRedisServer, uniqueKeyPrefix } from './support/redis.js';
import {
  closeSockets,
  connectAuthSocket,
  expectNoStatus,
  waitForStatus,
} from './support/socket.js';
import { newUser, startUpdate } from './support/telegram-updates.js';

/** Logins in flight when Redis stalls; each from a chat of its own. */
const LOGINS = 20;

/**
 * A claim that Redis ran after the client stopped waiting holds copies off
 * for UPDATE_CLAIM_TTL_MS at most; the rest is the usual patience.
 */
const RECOVERY_MS = UPDATE_CLAIM_TTL_MS + PATIENCE_MS;

type Update = ReturnType<typeof startUpdate>;

/**
 * Re-sends an update the way Telegram does until it is answered 2xx, and
 * returns the outcome of that answer. Anything but 503 (come back later) or
 * 200 fails the test.
 */
async function resendUntilAccepted(
  url: string,
  update: Update,
): Promise<string> {
  const deadline = Date.now() + RECOVERY_MS;
  for (;;) {
    const response = await postUpdate(url, update);
    if (response.status === 200) return response.body.outcome as string;
    expect(response.status).toBe(503);
    if (Date.now() > deadline)
      throw new Error(
        `update ${update.update_id} still answered 503 after ${RECOVERY_MS} ms`,
      );
    await delay(500);
  }
}

// A Redis that stops answering for longer than the 1 s command timeout: the
// client gives up on commands that Redis still runs once it resumes.
describe('Updates that arrive while Redis stalls (SIGSTOP) are handled once it is back', () => {
  let redisServer: OwnRedisServer;
  let telegram: FakeBotApi;
  let service: RunningApp | undefined;

  beforeEach(async () => {
    redisServer = await OwnRedisServer.start();
    telegram = await FakeBotApi.start({ longPollCapMs: 300 });
  });

  afterEach(async () => {
    redisServer.resume();
    await service?.close();
    service = undefined;
    await telegram.close();
    await redisServer.stop();
  });

  const boot = (env: Record<string, string> = {}, logger?: CapturingLogger) =>
    startApp(
      {
        ...telegram.env,
        REDIS_URL: redisServer.url,
        REDIS_KEY_PREFIX: uniqueKeyPrefix('stall'),
        ...env,
      },
      { logger },
    );

  /** Each chat got exactly one message, the "logged in" one (a copy handled twice would say more). */
  const expectOneLoggedInReplyPerChat = async (chatIds: number[]) => {
    await Promise.all(
      chatIds.map((chatId) =>
        telegram.waitForCall(
          'sendMessage',
          (params) => Number(params.chat_id) === chatId,
        ),
      ),
    );
    // Replies are fired after the answer; one more per chat would come within the throttler's second,
    // or the one after if the login's notice (LOGIN_CONFIRMATION is off) takes the chat's next slot.
    await delay(2100);
    for (const chatId of chatIds) {
      const texts = telegram
        .callsTo('sendMessage')
        .filter((params) => Number(params.chat_id) === chatId)
        .map((params) => params.text as string)
        .filter((text) => !text.startsWith('🔔 New login to'));
      expect(texts).toEqual([expect.stringContaining('You are logged in')]);
    }
  };

  it('webhook: answers 503 during the stall, then logs in every browser from the copies Telegram re-sends', async () => {
    service = await boot();
    const url = service.url;
    const logins: TokenResponse[] = [];
    for (let i = 0; i < LOGINS; i++) logins.push(await createLogin(url));
    const users = logins.map(() => newUser());
    const updates = logins.map((login, i) =>
      startUpdate(login.token, users[i]),
    );

    redisServer.pause();
    let duringStall: number[];
    try {
      const answers = await Promise.all(
        updates.map((update) => postUpdate(url, update)),
      );
      duringStall = answers.map((answer) => answer.status);
    } finally {
      // Redis now runs what it was sent while stopped, the claims of these updates included.
      redisServer.resume();
    }
    expect(duringStall).toEqual(updates.map(() => 503));

    const outcomes = await Promise.all(
      updates.map((update) => resendUntilAccepted(url, update)),
    );
    expect(outcomes).toEqual(updates.map(() => 'authenticated'));

    for (const login of logins) {
      const { body } = await pollUntilSettled(url, login.token, login.secret);
      expect(body.status).toBe('authenticated');
    }
    await expectOneLoggedInReplyPerChat(users.map((user) => user.id));
  });

  it('polling: an update whose handling failed during the stall is fetched again and handled', async () => {
    const logs = new CapturingLogger();
    service = await boot({ TELEGRAM_MODE: 'polling' }, logs);
    const url = service.url;
    const login = await createLogin(url);
    const user = newUser();
    await telegram.waitForCall('getUpdates');

    redisServer.pause();
    try {
      telegram.queueUpdates(startUpdate(login.token, user));
      await eventually(async () =>
        expect(logs.text).toMatch(
          /Polling failed \(The login service cannot reach its storage/,
        ),
      );
    } finally {
      redisServer.resume();
    }

    await eventually(async () => {
      const { body } = await poll(url, login.token, login.secret).expect(200);
      expect(body.status).toBe('authenticated');
    }, RECOVERY_MS);
    await expectOneLoggedInReplyPerChat([user.id]);
    // Confirmed by the next getUpdates offset only once it was handled.
    await telegram.waitForCall(
      'getUpdates',
      () => telegram.pendingUpdates.length === 0,
    );
  });

  it('webhook: a scan Redis applied after the handler gave up (503) is finished by the copy Telegram re-sends', async () => {
    const proxy = await RedisReplyStallingProxy.start({
      host: '127.0.0.1',
      port: redisServer.port,
    });
    service = await boot({ REDIS_URL: proxy.url });
    const login = await createLogin(service.url);
    const socket = await connectAuthSocket(service.url, login);
    try {
      const user = newUser();
      const update = startUpdate(login.token, user);
      // The scan's script reaches Redis and runs; its reply (and every later one on that
      // connection) is held past the client's 1 s command timeout.
      const stallOver = proxy.stallRepliesAfter(
        (command) =>
          // EVAL or EVALSHA of the transition from 'pending', on this login's key.
          /\r\neval/i.test(command.toString()) &&
          command.includes(login.token) &&
          command.includes('\r\npending\r\n'),
        1_500,
      );
      const first = await postUpdate(service.url, update);
      expect(first.status).toBe(503);
      await stallOver;

      // Applied, but neither pushed nor answered: the copy finishes both, instead of "not valid".
      await expect(resendUntilAccepted(service.url, update)).resolves.toBe(
        'authenticated',
      );
      await expect(
        waitForStatus(socket, 'authenticated'),
      ).resolves.toMatchObject({ user: { id: user.id } });
      await expectNoStatus(socket, 300);
      await expectOneLoggedInReplyPerChat([user.id]);
    } finally {
      closeSockets(socket);
      await service?.close();
      service = undefined;
      await proxy.close();
    }
  });
});
