import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { pinoHttpOptions, secretScrubber } from './pino-http-options.js';

const BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const WEBHOOK_SECRET = 'webhook-secret_0123456789';
const JWT_SECRET = 'jwt "secret" \\ with quotes 0123456789';

/** A server that logs through pino-http like the app does, and the JSON lines it wrote. */
async function loggingServer(level: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const middleware = pinoHttp(pinoHttpOptions({ level, secrets: [BOT_TOKEN, WEBHOOK_SECRET, JWT_SECRET] }), destination);
  const server: Server = createServer((request, response) => {
    middleware(request, response);
    request.log.info(`calling https://api.telegram.org/bot${BOT_TOKEN}/sendMessage`);
    response.statusCode = request.url === '/missing' ? 404 : 200;
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, any>),
    text: () => lines.join('\n'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('pinoHttpOptions', () => {
  it('gives every request an id, in the response header and on every line written while handling it', async () => {
    const server = await loggingServer();
    try {
      const response = await fetch(`${server.url}/auth/token`);
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const records = server.records();
      expect(records).toHaveLength(2);
      expect(records.map((record) => record.reqId)).toEqual([id, id]);
      expect(records[1]).toMatchObject({ level: 'info', msg: 'request completed', req: { id, method: 'GET', url: '/auth/token' }, res: { statusCode: 200 } });
      expect(new Date(records[1].time).toISOString()).toBe(records[1].time);
    } finally {
      await server.close();
    }
  });

  it("keeps a proxy's request id, but not one that could forge log text", async () => {
    const server = await loggingServer();
    try {
      const kept = await fetch(server.url, { headers: { 'X-Request-Id': 'nginx-4f1c2a' } });
      expect(kept.headers.get('x-request-id')).toBe('nginx-4f1c2a');
      const replaced = await fetch(server.url, { headers: { 'X-Request-Id': 'x"} {"level":"fatal' } });
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
      const text = server.text();
      for (const secret of [BOT_TOKEN, WEBHOOK_SECRET, 'login-secret-of-the-browser', 'eyJhbGciOiJIUzI1NiJ9', 'session=abc']) {
        expect(text).not.toContain(secret);
      }
      const [message, completed] = server.records();
      expect(message.msg).toBe('calling https://api.telegram.org/bot[redacted]/sendMessage');
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

  it('logs client errors as warn and leaves probes and scrapes out of the request log', async () => {
    const server = await loggingServer();
    try {
      await fetch(`${server.url}/missing`);
      await fetch(`${server.url}/health`);
      await fetch(`${server.url}/health/ready`);
      await fetch(`${server.url}/metrics`);
      const completions = server.records().filter((record) => record.msg === 'request completed');
      expect(completions.map((record) => [record.level, record.req.url])).toEqual([['warn', '/missing']]);
    } finally {
      await server.close();
    }
  });
});

describe('secretScrubber', () => {
  it('replaces each secret, also in its JSON-escaped form, and ignores unset or too short ones', () => {
    const scrub = secretScrubber([JWT_SECRET, undefined, 'abc']);
    expect(scrub(JSON.stringify({ msg: `key ${JWT_SECRET} used` }))).toBe('{"msg":"key [redacted] used"}');
    expect(scrub('abc stays')).toBe('abc stays');
  });
});
