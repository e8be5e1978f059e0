import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { CapturingLogger, type RunningApp, startApp } from './support/app.js';
import {
  createLogin,
  delay,
  eventually,
  poll,
  postUpdate,
} from './support/http.js';
import { OwnRedisServer, uniqueKeyPrefix } from './support/redis.js';
import {
  closeSockets,
  connectAuthSocket,
  expectConnectError,
  waitForStatus,
} from './support/socket.js';
import { newUser, startUpdate } from './support/telegram-updates.js';

const OUTAGE_MESSAGE =
  'The login service cannot reach its storage right now. Please try again in a few seconds.';

// These start a redis-server of their own; like every Redis suite they run where Redis is (CI) and say they skipped elsewhere.
describe('Redis outage and recovery', () => {
  let redisServer: OwnRedisServer;
  let service: RunningApp;
  const logs = new CapturingLogger();
  const sockets: Socket[] = [];

  beforeAll(async () => {
    redisServer = await OwnRedisServer.start();
    // A password in the URL must never reach a log line.
    service = await startApp(
      {
        REDIS_URL: `redis://:hunter2-redis-password@127.0.0.1:${redisServer.port}`,
        REDIS_KEY_PREFIX: uniqueKeyPrefix('outage'),
      },
      { logger: logs },
    );
  });

  afterAll(async () => {
    closeSockets(...sockets);
    await service?.close();
    await redisServer?.stop();
  });

  it('answers 503 with a clear JSON message (quickly, no stack) while Redis is down, and serves again once it is back', async () => {
    const before = await createLogin(service.url);
    await poll(service.url, before.token, before.secret).expect(200, {
      status: 'pending',
    });
    const earlySocket = await connectAuthSocket(service.url, before);
    sockets.push(earlySocket);

    await redisServer.stop();

    const started = Date.now();
    const created = await request(service.url).post('/auth/token').expect(503);
    expect(created.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: OUTAGE_MESSAGE,
    });
    expect(created.headers['content-type']).toMatch(/^application\/json/);
    expect(created.headers['cache-control']).toBe('no-store');

    const polled = await poll(service.url, before.token, before.secret).expect(
      503,
    );
    expect(polled.body.message).toBe(OUTAGE_MESSAGE);
    expect(JSON.stringify(polled.body)).not.toMatch(
      /at |ECONNREFUSED|Stream isn't writeable/,
    );
    // Telegram re-sends what was not answered 2xx: the update is kept for later instead of lost.
    await postUpdate(service.url, startUpdate(before.token, newUser())).expect(
      503,
    );
    expect(Date.now() - started).toBeLessThan(3000);

    // A socket cannot be checked either; it is refused rather than left hanging.
    const refused = await expectConnectError(service.url, before);
    expect(refused.message).toBe('Login service unavailable');
    // What needs no Redis still works.
    await request(service.url).get('/').expect(200);

    await delay(500); // long enough for reconnection attempts to be refused
    await redisServer.start();

    // No restart: the connections come back by themselves (the new Redis is empty, so a new login).
    const after = await eventually(() => createLogin(service.url));
    const socket = await eventually(() =>
      connectAuthSocket(service.url, after),
    );
    sockets.push(socket);
    await waitForStatus(socket, 'pending');
    // Pub/sub is back too: a webhook result reaches the socket through the Socket.IO Redis adapter.
    await eventually(async () => {
      await postUpdate(service.url, startUpdate(after.token, newUser())).expect(
        200,
      );
    });
    await expect(waitForStatus(socket, 'authenticated')).resolves.toMatchObject(
      { status: 'authenticated' },
    );

    expect(logs.text).toMatch(/Redis connection lost/);
    expect(logs.text).toMatch(/Redis is reachable again/);
    expect(logs.text).not.toContain('hunter2-redis-password');
  });
});

describe('Redis that hangs, and Redis missing at start', () => {
  let redisServer: OwnRedisServer;
  let service: RunningApp | undefined;

  afterAll(async () => {
    await service?.close();
    await redisServer?.stop();
  });

  it('answers 503 within about a second when Redis accepts connections but answers nothing', async () => {
    redisServer = await OwnRedisServer.start();
    service = await startApp({
      REDIS_URL: redisServer.url,
      REDIS_KEY_PREFIX: uniqueKeyPrefix('hang'),
    });
    await createLogin(service.url);

    redisServer.pause();
    try {
      const started = Date.now();
      const response = await request(service.url)
        .post('/auth/token')
        .expect(503);
      expect(response.body.message).toBe(OUTAGE_MESSAGE);
      // Cut off by the 1 s command timeout instead of hanging with Redis; margin for a busy machine.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      redisServer.resume();
    }
    await eventually(() => createLogin(service!.url));
    await service.close();
    service = undefined;
    await redisServer.stop();
  });

  it('starts while Redis is down (answering 503) and serves once Redis appears', async () => {
    redisServer = await OwnRedisServer.start();
    await redisServer.stop(); // the port is now free and refused

    const started = Date.now();
    service = await startApp({
      REDIS_URL: redisServer.url,
      REDIS_KEY_PREFIX: uniqueKeyPrefix('late'),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    await request(service.url).post('/auth/token').expect(503);
    await request(service.url).get('/').expect(200);

    await redisServer.start();
    const login = await eventually(() => createLogin(service!.url));
    const socket = await connectAuthSocket(service.url, login);
    try {
      await postUpdate(service.url, startUpdate(login.token, newUser())).expect(
        200,
      );
      await waitForStatus(socket, 'authenticated');
    } finally {
      socket.close();
    }
  });
});
