import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import {
  closeSockets,
  connectAuthSocket,
  waitForStatus,
} from './support/socket.js';
import { startUpdate } from './support/telegram-updates.js';

describe('TELEGRAM_MODE=polling', () => {
  let telegram: FakeBotApi;
  let service: RunningApp | undefined;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    telegram = await FakeBotApi.start({ longPollCapMs: 300 });
  });

  afterEach(async () => {
    closeSockets(...sockets.splice(0));
    await service?.close();
    service = undefined;
    await telegram.close();
  });

  const boot = async () => {
    service = await startApp({
      ...telegram.env,
      TELEGRAM_MODE: 'polling',
    });
    return service;
  };

  const waitingLogin = async (app: RunningApp) => {
    const { body } = await request(app.url).post('/auth/token').expect(201);
    const socket = await connectAuthSocket(app.url, {
      token: body.token,
      secret: body.secret,
    });
    sockets.push(socket);
    return { token: body.token as string, socket };
  };

  it('removes the webhook, long-polls getUpdates and logs in from a polled /start, once', async () => {
    const app = await boot();
    const { token, socket } = await waitingLogin(app);
    const poll = await telegram.waitForCall('getUpdates');
    // The bot's commands are set at start too, on their own.
    expect(
      telegram.calls.filter((call) => call.method !== 'setMyCommands')[0]
        .method,
    ).toBe('deleteWebhook');
    expect(poll.timeout).toBeGreaterThan(0);
    expect(poll.allowed_updates).toEqual(['message', 'callback_query']);

    telegram.queueUpdates(startUpdate(token));
    expect(
      (await waitForStatus(socket, 'authenticated')).user?.first_name,
    ).toBe('Ada');
    const reply = await telegram.waitForCall('sendMessage');
    expect(reply.text).toContain('You are logged in');

    // The next call confirms the update by its offset, so Telegram would not send it again.
    await telegram.waitForCall(
      'getUpdates',
      () => telegram.pendingUpdates.length === 0,
    );
    // The login's notice follows the reply (LOGIN_CONFIRMATION is off).
    await telegram.waitForCall('sendMessage', (params) =>
      String(params.text).startsWith('🔔 New login to'),
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(telegram.callsTo('sendMessage').map((call) => call.text)).toEqual([
      expect.stringContaining('You are logged in'),
      expect.stringContaining('New login to'),
    ]);
  });

  it('recovers from a 409 (a webhook is set) by removing the webhook again', async () => {
    telegram.conflictGetUpdates(1);
    const app = await boot();
    const { token, socket } = await waitingLogin(app);
    await telegram.waitForCall(
      'deleteWebhook',
      () => telegram.callsTo('deleteWebhook').length >= 2,
      5000,
    );

    telegram.queueUpdates(startUpdate(token));
    await waitForStatus(socket, 'authenticated');
  });

  it('survives a Bot API outage on getUpdates', async () => {
    telegram.failNext(
      'getUpdates',
      { status: 401, description: 'Unauthorized' },
      2,
    );
    const app = await boot();
    const { token, socket } = await waitingLogin(app);
    telegram.queueUpdates(startUpdate(token));
    await waitForStatus(socket, 'authenticated');
  });

  it('stops polling when the app closes', async () => {
    const app = await boot();
    await telegram.waitForCall('getUpdates');
    await app.close();
    const count = telegram.callsTo('getUpdates').length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(telegram.callsTo('getUpdates')).toHaveLength(count);
  });

  it('does not poll in webhook mode', async () => {
    const app = await startApp({ ...telegram.env });
    service = app;
    await request(app.url).post('/auth/token').expect(201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(telegram.callsTo('getUpdates')).toHaveLength(0);
  });
});
