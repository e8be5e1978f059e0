import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FakeBotApi } from './support/fake-bot-api.js';
import { createLogin, me, poll } from './support/http.js';
import {
  buildService,
  type ServiceProcess,
  spawnService,
} from './support/service-process.js';
import { newUser, startUpdate } from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'logs-webhook-secret-never-logged';
const JWT_SECRET = 'logs-jwt-secret-never-logged-0123456789';

type LogRecord = Record<string, any>;

/** Every stdout line must be one JSON object with a level, an ISO time and a message. */
function parseLog(service: ServiceProcess): LogRecord[] {
  return service.stdout.map((line) => {
    const record = JSON.parse(line) as LogRecord;
    expect(record).toEqual(
      expect.objectContaining({
        level: expect.any(String),
        time: expect.any(String),
        msg: expect.any(String),
      }),
    );
    return record;
  });
}

const completionOf = (records: LogRecord[], method: string, url: string) =>
  records.find(
    (record) =>
      record.msg === 'request completed' &&
      record.req?.method === method &&
      record.req?.url === url,
  );

describe('structured logs of the running service (node dist/app/main.js)', () => {
  let telegram: FakeBotApi;

  beforeAll(async () => {
    await buildService();
    telegram = await FakeBotApi.start();
  }, 120_000);

  afterAll(() => telegram?.close());

  describe('a whole login at LOG_LEVEL=debug', () => {
    let service: ServiceProcess;
    let records: LogRecord[];
    let everything: string;
    const secrets: Record<string, string> = {};
    let tokenRequestId: string;

    beforeAll(async () => {
      service = await spawnService({
        ...telegram.env,
        WEBHOOK_SECRET,
        // The HS256 opt-in, so that a secret that signs is there to be leaked (or not).
        JWT_ALGORITHM: 'HS256',
        JWT_SECRET,
        LOG_LEVEL: 'debug',
      });
      try {
        const created = await request(service.url)
          .post('/auth/token')
          .expect(201);
        tokenRequestId = created.headers['x-request-id'];
        const login = created.body as { token: string; secret: string };
        secrets.loginSecret = login.secret;
        await poll(service.url, login.token, login.secret).expect(200);

        const person = newUser();
        await request(service.url)
          .post('/telegram/webhook')
          .set('X-Telegram-Bot-Api-Secret-Token', WEBHOOK_SECRET)
          .set('X-Request-Id', 'tg-update-42')
          .send(startUpdate(login.token, person))
          .expect(200);
        await telegram.waitForCall(
          'sendMessage',
          (params) => params.chat_id === person.id,
        );
        const result = await poll(
          service.url,
          login.token,
          login.secret,
        ).expect(200);
        secrets.accessToken = result.body.accessToken;
        await me(service.url, secrets.accessToken).expect(200);
        await createLogin(service.url);
      } finally {
        service.child.kill('SIGTERM');
        await service.exited;
      }
      records = parseLog(service);
      everything = [...service.stdout, ...service.stderr].join('\n');
    }, 30_000);

    it('writes JSON lines to stdout only', () => {
      expect(records.length).toBeGreaterThan(10);
      expect(service.stderr).toEqual([]);
    });

    it('gives each request an id, sent back as X-Request-Id and carried by every line logged while handling it', () => {
      expect(tokenRequestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(completionOf(records, 'POST', '/auth/token')).toMatchObject({
        reqId: tokenRequestId,
        res: { statusCode: 201 },
      });

      // The proxy's id is kept, and the handler's own line (from Nest's Logger) carries it too.
      expect(completionOf(records, 'POST', '/telegram/webhook')).toMatchObject({
        reqId: 'tg-update-42',
        res: { statusCode: 200 },
      });
      const handled = records.find(
        (record) =>
          record.context === 'TelegramUpdateService' &&
          /\/start from Telegram user/.test(record.msg),
      );
      expect(handled).toMatchObject({
        level: 'info',
        reqId: 'tg-update-42',
        msg: expect.stringMatching(/: authenticated$/),
      });
    });

    it('redacts the secret headers', () => {
      const headersOf = (method: string, url: string) =>
        completionOf(records, method, url)?.req.headers;
      expect(
        headersOf('POST', '/telegram/webhook')[
          'x-telegram-bot-api-secret-token'
        ],
      ).toBe('[redacted]');
      const polls = records.filter(
        (record) =>
          record.msg === 'request completed' &&
          record.req.url.startsWith('/auth/poll/'),
      );
      expect(polls).toHaveLength(2);
      for (const line of polls)
        expect(line.req.headers['x-login-secret']).toBe('[redacted]');
      expect(headersOf('GET', '/auth/me').authorization).toBe('[redacted]');
    });

    it('never contains the bot token, the webhook secret, the JWT secret, a login secret or an access token', () => {
      expect(secrets.loginSecret).toBeDefined();
      expect(secrets.accessToken).toBeDefined();
      for (const secret of [
        telegram.token,
        telegram.token.split(':')[1],
        WEBHOOK_SECRET,
        JWT_SECRET,
        secrets.loginSecret,
        secrets.accessToken,
      ]) {
        expect(everything).not.toContain(secret);
      }
    });
  });

  it('lets a page on an allowed origin read the request id and the rate-limit headers (CORS exposes what is sent)', async () => {
    const service = await spawnService({
      LOG_LEVEL: 'silent',
      CORS_ORIGINS: 'https://shop.example',
    });
    try {
      const response = await request(service.url)
        .post('/auth/token')
        .set('Origin', 'https://shop.example')
        .expect(201);
      const exposed = String(response.headers['access-control-expose-headers'])
        .split(',')
        .map((name) => name.trim().toLowerCase());
      const readable = Object.keys(response.headers).filter((name) =>
        /^(x-request-id|x-ratelimit-)/.test(name),
      );
      expect(readable).toContain('x-request-id');
      expect(readable.length).toBe(4);
      expect(exposed).toEqual(expect.arrayContaining(readable));
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });

  it('LOG_LEVEL=warn leaves out info lines but keeps warnings such as a 404', async () => {
    const service = await spawnService({ LOG_LEVEL: 'warn' });
    try {
      await request(service.url).post('/auth/token').expect(201);
      await request(service.url).get('/no-such-page').expect(404);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    const records = parseLog(service);
    expect(records.filter((record) => record.level === 'info')).toEqual([]);
    expect(completionOf(records, 'GET', '/no-such-page')).toMatchObject({
      level: 'warn',
      res: { statusCode: 404 },
    });
    expect(completionOf(records, 'POST', '/auth/token')).toBeUndefined();
  });
});
