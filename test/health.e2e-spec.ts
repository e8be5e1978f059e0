import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ShutdownService } from '../src/app/shutdown/shutdown.service.js';
import { type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { eventually } from './support/http.js';
import {
  describeWithRedis,
  freePort,
  OwnRedisServer,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from './support/redis.js';

describe('GET /health and /health/ready without Redis', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp();
  });

  afterAll(() => running?.close());

  it('liveness answers 200 "ok" and is never cached', async () => {
    const response = await request(running.url).get('/health').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      info: {},
      error: {},
      details: {},
    });
    expect(response.headers['cache-control']).toMatch(/no-store/);
  });

  it('readiness answers 200 and does not mention Redis when REDIS_URL is unset', async () => {
    const response = await request(running.url)
      .get('/health/ready')
      .expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.details).toEqual({ lifecycle: { status: 'up' } });
  });

  it('readiness answers 503 once the instance drains for a shutdown, while liveness stays 200', async () => {
    const draining = await startApp();
    try {
      draining.app.get(ShutdownService).startDraining();
      const response = await request(draining.url)
        .get('/health/ready')
        .expect(503);
      expect(response.body.error).toEqual({
        lifecycle: { status: 'down', message: 'shutting down' },
      });
      await request(draining.url).get('/health').expect(200);
    } finally {
      await draining.close();
    }
  });

  it('both are in the API docs', async () => {
    const docs = await request(running.url).get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/health', '/health/ready', '/metrics']),
    );
  });
});

describe('GET /health/ready with a bot but no WEBHOOK_SECRET (outside production)', () => {
  let fake: FakeBotApi;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
  });

  afterAll(() => fake?.close());

  it('stays ready, and flags the unchecked webhook in its details on every start', async () => {
    for (const mode of ['webhook', 'polling']) {
      const running = await startApp({ ...fake.env, TELEGRAM_MODE: mode });
      try {
        const response = await request(running.url)
          .get('/health/ready')
          .expect(200);
        expect(response.body.status).toBe('ok');
        expect(response.body.details.webhook).toEqual({
          status: 'up',
          warning: expect.stringMatching(
            /WEBHOOK_SECRET is unset: .*anyone .* can post updates/,
          ),
        });
      } finally {
        await running.close();
      }
    }
  });

  it('says nothing of the webhook once WEBHOOK_SECRET is set, nor in demo mode', async () => {
    for (const env of [
      { ...fake.env, WEBHOOK_SECRET: 'health-webhook-secret' },
      {},
    ]) {
      const running = await startApp(env);
      try {
        const response = await request(running.url)
          .get('/health/ready')
          .expect(200);
        expect(response.body.details).not.toHaveProperty('webhook');
      } finally {
        await running.close();
      }
    }
  });
});

describeWithRedis('GET /health/ready with Redis', () => {
  it('reports Redis up with its response time', async () => {
    const running = await startApp({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: uniqueKeyPrefix('health'),
    });
    try {
      const response = await request(running.url)
        .get('/health/ready')
        .expect(200);
      expect(response.body.details.redis).toEqual({
        status: 'up',
        responseTime: expect.any(Number),
      });
    } finally {
      await running.close();
    }
  });

  it('answers 503 naming Redis when REDIS_URL points at a port nobody listens on, while liveness stays 200', async () => {
    const running = await startApp({
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    try {
      const started = Date.now();
      const response = await request(running.url)
        .get('/health/ready')
        .expect(503);
      // Bounded by the 1 s ping timeout, not left to hang; the margin is for a busy machine.
      expect(Date.now() - started).toBeLessThan(5000);
      expect(response.body.status).toBe('error');
      expect(response.body.error.redis).toEqual({
        status: 'down',
        message: expect.any(String),
        responseTime: expect.any(Number),
      });
      expect(response.body.details.lifecycle).toEqual({ status: 'up' });
      await request(running.url).get('/health').expect(200);
    } finally {
      await running.close();
    }
  });

  it('goes 503 when Redis stops and back to 200 when it is back, without a restart', async () => {
    const redis = await OwnRedisServer.start();
    const running = await startApp({
      REDIS_URL: redis.url,
    });
    try {
      await request(running.url).get('/health/ready').expect(200);
      await redis.stop();
      const down = await request(running.url).get('/health/ready').expect(503);
      expect(down.body.error.redis.status).toBe('down');
      await redis.start();
      await eventually(async () => {
        await request(running.url).get('/health/ready').expect(200);
      }, 5000);
    } finally {
      await running.close();
      await redis.stop();
    }
  });
});
