import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { createLogin, delay, postUpdate } from './support/http.js';
import { chunk, head, RawConnection } from './support/raw-http.js';
import {
  closeSockets,
  connectAuthSocket,
  waitForStatus,
} from './support/socket.js';
import { startUpdate } from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'request-bodies-webhook-secret';

/**
 * The server said it closes the connection (rather than keep it alive and
 * read the rest of the body for as long as it comes), and did.
 */
async function expectClosed(connection: RawConnection): Promise<void> {
  const answer = await connection.untilClosed();
  expect(answer.split('\r\n\r\n')[0]).toMatch(/\r\nConnection: close(\r\n|$)/i);
}
const KiB = 1024;
const MiB = 1024 * KiB;

/** `n` bytes of a JSON update that would be valid if it were ever finished. */
const updateBytes = (n: number) =>
  `{"update_id":1,"padding":"${'x'.repeat(Math.max(0, n - 28))}"}`.slice(0, n);

describe('request bodies are read only where one is needed, and only so much', () => {
  let fake: FakeBotApi;
  let running: RunningApp;
  const connections: RawConnection[] = [];

  const open = async () => {
    const connection = await RawConnection.open(running.url);
    connections.push(connection);
    return connection;
  };

  /** The answer's JSON body, once the server has closed the connection (it must). */
  const answerOf = async (connection: RawConnection) => {
    await expectClosed(connection);
    return connection.json();
  };

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    running = await startApp({ ...fake.env, WEBHOOK_SECRET });
  });

  afterEach(() => {
    for (const connection of connections.splice(0)) connection.destroy();
  });

  afterAll(async () => {
    await running?.close();
    await fake?.close();
  });

  describe('the webhook checks its secret before it reads a body', () => {
    it.each([
      ['a wrong secret', { 'X-Telegram-Bot-Api-Secret-Token': 'wrong' }],
      ['no secret header', {}],
    ])(
      'answers 1 MiB with %s 401 while the body is still coming, and closes the connection',
      async (_name, secretHeader) => {
        const connection = await open();
        connection.write(
          head('POST /telegram/webhook', {
            'Content-Type': 'application/json',
            'Content-Length': MiB,
            ...secretHeader,
          }),
        );
        // A first kilobyte, then nothing: the body never ends.
        connection.write(updateBytes(KiB));
        expect(await connection.status()).toBe(401);
        expect(await answerOf(connection)).toEqual({
          statusCode: 401,
          message: 'Invalid webhook secret',
          error: 'Unauthorized',
        });
      },
    );

    it('answers a chunked body that never ends with a wrong secret 401 as well', async () => {
      const connection = await open();
      connection.write(
        head('POST /telegram/webhook', {
          'Content-Type': 'application/json',
          'Transfer-Encoding': 'chunked',
          'X-Telegram-Bot-Api-Secret-Token': 'wrong',
        }),
      );
      connection.write(chunk(updateBytes(16 * KiB)));
      expect(await connection.status()).toBe(401);
      await expectClosed(connection);
    });
  });

  describe('the webhook reads at most 256 KiB (Telegram’s updates are far smaller)', () => {
    it('answers a declared 300 KiB with 413 before a byte of it is sent', async () => {
      const connection = await open();
      connection.write(
        head('POST /telegram/webhook', {
          'Content-Type': 'application/json',
          'Content-Length': 300 * KiB,
          'X-Telegram-Bot-Api-Secret-Token': WEBHOOK_SECRET,
        }),
      );
      expect(await connection.status()).toBe(413);
      expect(await answerOf(connection)).toEqual({
        statusCode: 413,
        message: 'Request body too large',
      });
    });

    it('cuts a chunked body off once it passes 256 KiB', async () => {
      const connection = await open();
      connection.write(
        head('POST /telegram/webhook', {
          'Content-Type': 'application/json',
          'Transfer-Encoding': 'chunked',
          'X-Telegram-Bot-Api-Secret-Token': WEBHOOK_SECRET,
        }),
      );
      const piece = chunk('x'.repeat(16 * KiB));
      for (let sent = 0; sent <= 300 * KiB; sent += 16 * KiB)
        if (!connection.write(piece)) break;
      expect(await connection.status()).toBe(413);
      await expectClosed(connection);
    });

    it('answers a body that is not JSON with 415, unread', async () => {
      const response = await request(running.url)
        .post('/telegram/webhook')
        .set('X-Telegram-Bot-Api-Secret-Token', WEBHOOK_SECRET)
        .set('Content-Type', 'text/plain')
        .send('/start');
      expect(response.status).toBe(415);
      expect(response.body).toEqual({
        statusCode: 415,
        message: expect.stringMatching(/application\/json/),
      });
    });

    it('answers a compressed body with 415', async () => {
      const response = await request(running.url)
        .post('/telegram/webhook')
        .set('X-Telegram-Bot-Api-Secret-Token', WEBHOOK_SECRET)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send('{}');
      expect(response.status).toBe(415);
      expect(response.body).toEqual({
        statusCode: 415,
        message: 'Unsupported body encoding',
      });
    });
  });

  describe('routes that take no body accept at most a tiny one', () => {
    it('answers POST /auth/token with a 2 KiB body 413, and creates no login', async () => {
      const response = await request(running.url)
        .post('/auth/token')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ padding: 'x'.repeat(2 * KiB) }));
      expect(response.status).toBe(413);
      expect(response.body).toEqual({
        statusCode: 413,
        message: 'Request body too large',
      });
    });

    it('still answers POST /auth/token with {} or no body at all', async () => {
      await request(running.url)
        .post('/auth/token')
        .set('Content-Type', 'application/json')
        .send('{}')
        .expect(201);
      await createLogin(running.url);
    });

    it('answers a declared 1 MiB with 413 at once, unread, and closes the connection', async () => {
      const connection = await open();
      connection.write(
        head('POST /auth/token', {
          'Content-Type': 'application/json',
          'Content-Length': MiB,
        }),
      );
      expect(await connection.status()).toBe(413);
      await expectClosed(connection);
    });

    it('cuts a chunked body off past the limit', async () => {
      const connection = await open();
      connection.write(
        head('POST /auth/token', {
          'Content-Type': 'application/json',
          'Transfer-Encoding': 'chunked',
        }),
      );
      connection.write(chunk(updateBytes(2 * KiB)));
      expect(await connection.status()).toBe(413);
      await expectClosed(connection);
    });

    it('takes a chunked {} that ends', async () => {
      const connection = await open();
      connection.write(
        head('POST /auth/token', {
          'Content-Type': 'application/json',
          'Transfer-Encoding': 'chunked',
          Connection: 'close',
        }),
      );
      connection.write(`${chunk('{}')}0\r\n\r\n`);
      expect(await connection.status()).toBe(201);
    });

    it.each([
      ['GET /health', 'GET /health'],
      ['a route that does not exist', 'POST /nowhere'],
      ['the webhook spelled otherwise', 'POST /telegram/webhook/'],
    ])('answers a large body on %s with 413, unread', async (_name, line) => {
      const connection = await open();
      connection.write(
        head(line, {
          'Content-Type': 'application/json',
          'Content-Length': MiB,
        }),
      );
      expect(await connection.status()).toBe(413);
      await expectClosed(connection);
    });
  });
});

describe('the request timeout (shortened to 1 s here; 10 s in the service)', () => {
  const TIMEOUT_MS = 1000;
  let fake: FakeBotApi;
  let running: RunningApp;
  let connection: RawConnection | undefined;
  let socket: Socket | undefined;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    running = await startApp(
      { ...fake.env, WEBHOOK_SECRET },
      { requestTimeoutMs: TIMEOUT_MS },
    );
  });

  afterEach(() => {
    connection?.destroy();
    closeSockets(socket);
    connection = socket = undefined;
  });

  afterAll(async () => {
    await running?.close();
    await fake?.close();
  });

  it('answers a body that stops coming with 408 and closes the connection', async () => {
    connection = await RawConnection.open(running.url);
    connection.write(
      head('POST /telegram/webhook', {
        'Content-Type': 'application/json',
        'Content-Length': 100,
        'X-Telegram-Bot-Api-Secret-Token': WEBHOOK_SECRET,
      }),
    );
    connection.write('{"update_id":');
    expect(await connection.status()).toBe(408);
    await expectClosed(connection);
  });

  it('closes a connection whose headers never end', async () => {
    connection = await RawConnection.open(running.url);
    connection.write('POST /telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await expectClosed(connection);
  });

  it('leaves Socket.IO’s long-polling alone: a poll waits longer than the timeout and still gets the login', async () => {
    const login = await createLogin(running.url);
    socket = await connectAuthSocket(running.url, login, {
      transports: ['polling'],
    });
    const disconnects: string[] = [];
    socket.on('disconnect', (reason) => disconnects.push(reason));
    await waitForStatus(socket, 'pending');
    // Each poll is a complete request waiting for its answer; the timeout (checked every
    // quarter of it) must not cut those, however long they wait.
    await delay(4 * TIMEOUT_MS);
    await postUpdate(
      running.url,
      startUpdate(login.token),
      WEBHOOK_SECRET,
    ).expect(200);
    await waitForStatus(socket, 'authenticated');
    expect(disconnects).toEqual([]);
    // Over polling, close() first posts the disconnect packet: wait for it, or it would
    // still be under way when the app closes.
    const engineClosed = new Promise((resolve) =>
      socket?.io.engine.once('close', resolve),
    );
    socket.close();
    await engineClosed;
  });
});
