import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type RunningApp, SERVICE_VARIABLES, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { createLogin, poll, postUpdate } from './support/http.js';
import { decodeQrDataUrl } from './support/qr-decode.js';
import { expectConnectError } from './support/socket.js';
import { newUser, startUpdate } from './support/telegram-updates.js';

describe('the app around the flow', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp();
  });

  afterAll(async () => {
    await running?.close();
  });

  it('serves the login page at GET /', async () => {
    const response = await request(running.url).get('/').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toMatch(/<title>[^<]+<\/title>/i);
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await request(running.url)
      .get('/docs')
      .redirects(1)
      .expect(200);
    expect(response.text).toMatch(/swagger/i);
  });

  it('describes every endpoint, its DTOs and the webhook header in the OpenAPI JSON at /docs-json', async () => {
    const { body } = await request(running.url).get('/docs-json').expect(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(body.paths['/auth/token']?.post?.responses?.['201']).toBeDefined();
    expect(body.paths['/auth/poll/{token}']?.get).toBeDefined();
    expect(body.paths['/auth/me']?.get?.responses?.['401']).toBeDefined();
    const webhook = body.paths['/telegram/webhook']?.post;
    expect(webhook).toBeDefined();
    const headers = (webhook.parameters ?? []).map(
      (parameter: { name: string; in: string }) =>
        `${parameter.in}:${parameter.name}`,
    );
    expect(headers).toContain('header:X-Telegram-Bot-Api-Secret-Token');
    expect(
      webhook.responses?.['200']?.content?.['application/json']?.schema,
    ).toEqual({ $ref: '#/components/schemas/WebhookAnswerDto' });
    expect(body.components?.schemas?.UpdateOutcome?.enum).toEqual(
      expect.arrayContaining(['authenticated', 'awaiting-confirmation']),
    );
    const pollHeaders = (
      body.paths['/auth/poll/{token}'].get.parameters ?? []
    ).map((parameter: { name: string }) => parameter.name.toLowerCase());
    expect(pollHeaders).toContain('x-login-secret');
    for (const schema of [
      'CreateTokenResponseDto',
      'LoginStatusDto',
      'TelegramUserDto',
      'TelegramUpdateDto',
      'WebhookAnswerDto',
    ]) {
      expect(body.components?.schemas?.[schema]).toBeDefined();
    }
    expect(
      Object.keys(body.components.schemas.CreateTokenResponseDto.properties),
    ).toEqual(
      expect.arrayContaining([
        'token',
        'secret',
        'deepLink',
        'qr',
        'expiresAt',
        'expiresIn',
        'demo',
      ]),
    );
  });

  it('in demo mode (no BOT_TOKEN) hands out a deep link no phone can open and says it is a demo', async () => {
    const { body } = await request(running.url).post('/auth/token').expect(201);
    expect(body.deepLink).toBe(`https://demo.invalid/?start=${body.token}`);
    expect(decodeQrDataUrl(body.qr)).toBe(body.deepLink);
    expect(body.demo).toBe(true);
  });

  it('keeps the demo link when only BOT_USERNAME is set: no token, no bot that could answer', async () => {
    const usernameOnly = await startApp({ BOT_USERNAME: 'someone_elses_bot' });
    try {
      const login = await createLogin(usernameOnly.url);
      expect(login.deepLink).toBe(`https://demo.invalid/?start=${login.token}`);
      expect(login.demo).toBe(true);
    } finally {
      await usernameOnly.close();
    }
  });

  it('answers an unknown route with a JSON 404 and no stack trace', async () => {
    const response = await request(running.url)
      .get('/no/such/route')
      .expect(404);
    expect(JSON.stringify(response.body)).not.toMatch(/stack|node_modules/);
  });

  it('does not announce the framework', async () => {
    const response = await request(running.url).post('/auth/token').expect(201);
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});

describe('two instances in one process', () => {
  let fake: FakeBotApi;
  let first: RunningApp;
  let second: RunningApp;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    [first, second] = await Promise.all([
      startApp({
        APP_NAME: 'First Shop',
        BOT_TOKEN: fake.token,
        BOT_USERNAME: 'first_login_bot',
        TELEGRAM_API_ROOT: fake.url,
      }),
      startApp({ APP_NAME: 'Second Shop', TOKEN_TTL_SECONDS: '60' }),
    ]);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await fake?.close();
  });

  it('each keeps the configuration it was started with', async () => {
    const one = await createLogin(first.url);
    const two = await createLogin(second.url);
    expect(one.deepLink).toContain('https://t.me/first_login_bot?start=');
    expect(one.expiresIn).toBe(300);
    expect(one).not.toHaveProperty('demo');
    expect(two.deepLink).toBe(`https://demo.invalid/?start=${two.token}`);
    expect(two.demo).toBe(true);
    expect(two.expiresIn).toBe(60);

    const user = newUser();
    await postUpdate(first.url, startUpdate(one.token, user)).expect(200);
    const reply = await fake.waitForCall(
      'sendMessage',
      (params) => params.chat_id === user.id,
    );
    expect(reply.text).toContain('First Shop');
  });

  it('with the in-memory store, a login of one instance is unknown to the other', async () => {
    const login = await createLogin(first.url);
    await poll(second.url, login.token, login.secret).expect(404);
    await expectConnectError(second.url, login);
    await poll(first.url, login.token, login.secret).expect(200, {
      status: 'pending',
    });
  });

  it('leaves process.env as it was', () => {
    for (const name of SERVICE_VARIABLES) {
      if (name === 'NODE_ENV') continue;
      expect([name, process.env[name]]).toEqual([
        name,
        originalEnvironment[name],
      ]);
    }
  });
});

const originalEnvironment = { ...process.env };
