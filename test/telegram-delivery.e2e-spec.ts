import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { CapturingLogger, type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import {
  closeSockets,
  connectAuthSocket,
  waitForStatus,
} from './support/socket.js';
import { DEFAULT_USER, startUpdate } from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'test-webhook-secret_0123456789';

describe('Webhook delivery as Telegram really does it', () => {
  let telegram: FakeBotApi;
  let service: RunningApp | undefined;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    telegram = await FakeBotApi.start();
  });

  afterEach(async () => {
    closeSockets(...sockets.splice(0));
    await service?.close();
    service = undefined;
    await telegram.close();
  });

  const boot = async (
    env: Record<string, string> = {},
    logger?: CapturingLogger,
  ) => {
    service = await startApp({ ...telegram.env, ...env }, { logger });
    return service;
  };

  const waitingLogin = async (app: RunningApp) => {
    const { body } = await request(app.url).post('/auth/token').expect(201);
    const socket = await connectAuthSocket(app.url, {
      token: body.token,
      secret: body.secret,
    });
    sockets.push(socket);
    return {
      token: body.token as string,
      secret: body.secret as string,
      socket,
    };
  };

  it('acts once on an update Telegram sends twice (same update_id)', async () => {
    const app = await boot();
    const { token, socket } = await waitingLogin(app);
    const update = startUpdate(token);

    await request(app.url)
      .post('/telegram/webhook')
      .send(update)
      .expect(200, { ok: true, outcome: 'authenticated' });
    await request(app.url)
      .post('/telegram/webhook')
      .send(update)
      .expect(200, { ok: true, outcome: 'duplicate' });

    await waitForStatus(socket, 'authenticated');
    await telegram.waitForCall('sendMessage');
    // The login's notice follows the reply (LOGIN_CONFIRMATION is off).
    await telegram.waitForCall('sendMessage', (params) =>
      String(params.text).startsWith('🔔 New login to'),
    );
    // Had the copy been handled, the bot would now also say the link was already used.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(telegram.callsTo('sendMessage').map((call) => call.text)).toEqual([
      expect.stringContaining('You are logged in'),
      expect.stringContaining('New login to'),
    ]);
  });

  it('pushes the login before the reply gets through a Bot API answering 429, then retries the reply', async () => {
    const app = await boot();
    const { token, socket } = await waitingLogin(app);
    telegram.failNext('sendMessage', { status: 429, retryAfter: 1 });

    await request(app.url)
      .post('/telegram/webhook')
      .send(startUpdate(token))
      .expect(200);
    const result = await waitForStatus(socket, 'authenticated');
    expect(result.user?.id).toBe(DEFAULT_USER.id);
    // The browser has its login while the reply has not got through (at most the refused try was made).
    const replies = () =>
      telegram.calls.filter(
        (call) =>
          call.method === 'sendMessage' &&
          String(call.params.text).includes('You are logged in'),
      );
    expect(replies().length).toBeLessThanOrEqual(1);

    // The new-login notice may take the chat's slot in between.
    await telegram.waitForCall(
      'sendMessage',
      () => replies().length === 2,
      4000,
    );
    const [refused, delivered] = replies();
    expect(delivered.at - refused.at).toBeGreaterThanOrEqual(950);
    expect(delivered.params.text).toContain('You are logged in');
  });

  it('retries a reply after a 5xx from the Bot API and loses no login', async () => {
    const app = await boot();
    const { token, socket } = await waitingLogin(app);
    telegram.failNext('sendMessage', { status: 502 });

    await request(app.url)
      .post('/telegram/webhook')
      .send(startUpdate(token))
      .expect(200);
    await waitForStatus(socket, 'authenticated');
    await telegram.waitForCall(
      'sendMessage',
      () => telegram.callsTo('sendMessage').length === 2,
      8000,
    );
  });

  it('registers its webhook with the secret and only the updates it handles when PUBLIC_URL is set', async () => {
    await boot({ PUBLIC_URL: 'https://login.example.com/', WEBHOOK_SECRET });
    const params = await telegram.waitForCall('setWebhook');
    expect(params).toMatchObject({
      url: 'https://login.example.com/telegram/webhook',
      secret_token: WEBHOOK_SECRET,
      allowed_updates: ['message', 'callback_query'],
    });
  });

  it('does not register a webhook without PUBLIC_URL', async () => {
    const app = await boot({ WEBHOOK_SECRET });
    await request(app.url).post('/auth/token').expect(201);
    expect(telegram.callsTo('setWebhook')).toHaveLength(0);
  });

  it('keeps serving and logs no token when setWebhook fails', async () => {
    telegram.failNext('setWebhook', {
      status: 400,
      description:
        'Bad Request: bad webhook: HTTPS url must be provided for webhook',
    });
    const logger = new CapturingLogger();
    const app = await boot(
      { PUBLIC_URL: 'http://insecure.example.com', WEBHOOK_SECRET },
      logger,
    );
    await telegram.waitForCall('setWebhook');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logger.text).toContain('Could not set the webhook');
    expect(logger.text).not.toContain(telegram.token);
    expect(logger.text).not.toContain(WEBHOOK_SECRET);
    await request(app.url).post('/auth/token').expect(201);
  });
});
