import { describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { PinoLogger } from 'nestjs-pino';
import { pinoOptions, secretScrubber } from './pino-options.js';
import { requestLogging } from './request-logging.middleware.js';

const BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const WEBHOOK_SECRET = 'webhook-secret_0123456789';
const JWT_SECRET = 'jwt "secret" \\ with quotes 0123456789';

// nestjs-pino keeps one root logger per process (per test file here), so one destination serves every test.
const lines: string[] = [];
const destination = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
// debug, so that the lines that go to debug are seen (and at which level).
const options = pinoOptions({
  level: 'debug',
  secrets: [BOT_TOKEN, WEBHOOK_SECRET, JWT_SECRET],
});
const middlewareLogger = new PinoLogger({ pinoHttp: [options, destination] });
// What a service's injected logger is: another instance, which must still see the request's context.
const handlerLogger = new PinoLogger({ pinoHttp: [options, destination] });

/** What the test server answers for these paths; 200 for any other. */
const STATUS_OF: Record<string, number> = {
  '/missing': 404,
  '/broken': 500,
  '/missing.js': 404,
  '/broken.css': 500,
  '/cached.css': 304,
};

/** A server that logs requests like the app does (a handler line after an await, then the answer), and the JSON lines written. */
async function loggingServer() {
  lines.length = 0;
  const middleware = requestLogging(middlewareLogger);
  const server: Server = createServer((request, response) => {
    middleware(request, response, () => {
      void sleep(1).then(() => {
        handlerLogger.info(
          `calling https://api.telegram.org/bot${BOT_TOKEN}/sendMessage`,
        );
        response.statusCode = STATUS_OF[request.url ?? ''] ?? 200;
        response.end('ok');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    /** The lines so far, once the last response's completion line is written (it follows the response). */
    records: async () => {
      await sleep(20);
      return lines.map((line) => JSON.parse(line) as Record<string, any>);
    },
    text: () => lines.join('\n'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('requestLogging', () => {
  it('gives every request an id, in the response header and on every line written while handling it', async () => {
    const server = await loggingServer();
    try {
      const response = await fetch(`${server.url}/auth/token`);
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const records = await server.records();
      expect(records).toHaveLength(2);
      expect(records.map((record) => record.reqId)).toEqual([id, id]);
      expect(records[1]).toMatchObject({
        level: 'info',
        msg: 'request completed',
        req: { id, method: 'GET', url: '/auth/token' },
        res: { statusCode: 200 },
      });
      expect(new Date(records[1].time).toISOString()).toBe(records[1].time);
    } finally {
      await server.close();
    }
  });

  it("keeps a proxy's request id, but not one that could forge log text", async () => {
    const server = await loggingServer();
    try {
      const kept = await fetch(server.url, {
        headers: { 'X-Request-Id': 'nginx-4f1c2a' },
      });
      expect(kept.headers.get('x-request-id')).toBe('nginx-4f1c2a');
      const replaced = await fetch(server.url, {
        headers: { 'X-Request-Id': 'x"} {"level":"fatal' },
      });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await server.close();
    }
  });

  it('redacts secret headers and scrubs configured secrets from every line', async () => {
    const server = await loggingServer();
    try {
      await fetch(`${server.url}/telegram/webhook`, {
        method: 'POST',
        headers: {
          'X-Telegram-Bot-Api-Secret-Token': WEBHOOK_SECRET,
          'X-Login-Secret': 'login-secret-of-the-browser',
          Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig',
          Cookie: 'session=abc',
        },
      });
      await server.records();
      const text = server.text();
      for (const secret of [
        BOT_TOKEN,
        WEBHOOK_SECRET,
        'login-secret-of-the-browser',
        'eyJhbGciOiJIUzI1NiJ9',
        'session=abc',
      ]) {
        expect(text).not.toContain(secret);
      }
      const [message, completed] = await server.records();
      expect(message.msg).toBe(
        'calling https://api.telegram.org/bot[redacted]/sendMessage',
      );
      expect(completed.req.headers).toMatchObject({
        'x-telegram-bot-api-secret-token': '[redacted]',
        'x-login-secret': '[redacted]',
        authorization: '[redacted]',
        cookie: '[redacted]',
      });
    } finally {
      await server.close();
    }
  });

  it('replaces credentials in the URL (an ID token at logout, a code, a photo ticket) and keeps the rest of it', async () => {
    const server = await loggingServer();
    try {
      const idToken = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl';
      await fetch(
        `${server.url}/logout?id_token_hint=${idToken}&post_logout_redirect_uri=https%3A%2F%2Fshop.example%2F&state=s1`,
      );
      await fetch(`${server.url}/callback?code=the-authorization-code&x=1`);
      // A photo URL's ticket is in its path, under the route prefix if any.
      await fetch(`${server.url}/auth/photos/${idToken}`);
      await fetch(`${server.url}/login/auth/photos/${idToken}?x=1`);
      const records = await server.records();
      expect(server.text()).not.toContain(idToken);
      expect(server.text()).not.toContain('the-authorization-code');
      const urls = records
        .filter((record) => record.req)
        .map((record) => record.req.url as string);
      expect(urls).toEqual([
        '/logout?id_token_hint=%5Bredacted%5D&post_logout_redirect_uri=https%3A%2F%2Fshop.example%2F&state=s1',
        '/callback?code=%5Bredacted%5D&x=1',
        '/auth/photos/[redacted]',
        '/login/auth/photos/[redacted]?x=1',
      ]);
    } finally {
      await server.close();
    }
  });

  it('logs client errors as warn, server errors as error, and leaves probes and scrapes out of the request log', async () => {
    const server = await loggingServer();
    try {
      await fetch(`${server.url}/broken`);
      await fetch(`${server.url}/missing`);
      await fetch(`${server.url}/health`);
      await fetch(`${server.url}/health/ready`);
      await fetch(`${server.url}/metrics`);
      const completions = (await server.records()).filter(
        (record) => record.msg === 'request completed',
      );
      expect(
        completions.map((record) => [record.level, record.req.url]),
      ).toEqual([
        ['error', '/broken'],
        ['warn', '/missing'],
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('requestLogging of static files', () => {
  it('logs files served well (the page, scripts, styles, icon, the Socket.IO client; 304s too) at debug, the API at info', async () => {
    const server = await loggingServer();
    try {
      for (const path of [
        '/',
        '/dist/app.js',
        '/styles.css',
        '/favicon.svg?v=2',
        '/socket.io/socket.io.js',
        '/cached.css',
        '/auth/token',
        '/docs-json',
      ])
        await fetch(`${server.url}${path}`);
      await fetch(`${server.url}/favicon.svg`, { method: 'HEAD' });
      await fetch(`${server.url}/auth/token`, { method: 'POST' });
      const completions = (await server.records()).filter(
        (record) => record.msg === 'request completed',
      );
      expect(
        completions.map((record) => [
          record.level,
          record.req.method,
          record.req.url,
        ]),
      ).toEqual([
        ['debug', 'GET', '/'],
        ['debug', 'GET', '/dist/app.js'],
        ['debug', 'GET', '/styles.css'],
        ['debug', 'GET', '/favicon.svg?v=2'],
        ['debug', 'GET', '/socket.io/socket.io.js'],
        ['debug', 'GET', '/cached.css'],
        ['info', 'GET', '/auth/token'],
        ['info', 'GET', '/docs-json'],
        ['debug', 'HEAD', '/favicon.svg'],
        ['info', 'POST', '/auth/token'],
      ]);
    } finally {
      await server.close();
    }
  });

  it('keeps a file that fails at its level: warn for 4xx, error for 5xx', async () => {
    const server = await loggingServer();
    try {
      await fetch(`${server.url}/missing.js`);
      await fetch(`${server.url}/broken.css`);
      const completions = (await server.records()).filter(
        (record) => record.msg === 'request completed',
      );
      expect(
        completions.map((record) => [record.level, record.req.url]),
      ).toEqual([
        ['warn', '/missing.js'],
        ['error', '/broken.css'],
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('pinoOptions', () => {
  it("logs an error's type, message and stack, and leaves the request it came with as it was", () => {
    lines.length = 0;
    const headers = { authorization: 'Bearer abc.def.ghi', accept: '*/*' };
    handlerLogger.error(
      { err: new TypeError('the store did not answer'), req: { headers } },
      'failed',
    );
    const [record] = lines.map(
      (line) => JSON.parse(line) as Record<string, any>,
    );
    expect(record.err).toMatchObject({
      type: 'TypeError',
      message: 'the store did not answer',
      stack: expect.stringContaining('TypeError: the store did not answer'),
    });
    expect(record.req.headers).toEqual({
      authorization: '[redacted]',
      accept: '*/*',
    });
    expect(headers.authorization).toBe('Bearer abc.def.ghi');
  });
});

describe('secretScrubber', () => {
  it('replaces each secret, also in its JSON-escaped form, and ignores unset or too short ones', () => {
    const scrub = secretScrubber([JWT_SECRET, undefined, 'abc']);
    expect(scrub(JSON.stringify({ msg: `key ${JWT_SECRET} used` }))).toBe(
      '{"msg":"key [redacted] used"}',
    );
    expect(scrub('abc stays')).toBe('abc stays');
  });
});
