import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import {
  connectTestRedis,
  deleteKeys,
  describeWithRedis,
  uniqueKeyPrefix,
} from '../../../test/support/redis.js';
import { RedisProcessedUpdates } from './redis-processed-updates.js';

describeWithRedis('RedisProcessedUpdates (real Redis)', () => {
  const prefix = uniqueKeyPrefix('updates');
  let redis: Redis;
  let updates: RedisProcessedUpdates;
  let nextId = 500_000_000 + Math.floor(Math.random() * 1_000_000);

  beforeAll(() => {
    redis = connectTestRedis();
    updates = new RedisProcessedUpdates(redis, prefix);
  });

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('lets the first claim of an id through and refuses the copies', async () => {
    const id = nextId++;
    expect(await updates.claim(id, 60_000)).toBe(true);
    expect(await updates.claim(id, 60_000)).toBe(false);
    expect(await updates.claim(nextId++, 60_000)).toBe(true);
  });

  it('gives exactly one of several instances the same update', async () => {
    const id = nextId++;
    const connections = Array.from({ length: 6 }, () => connectTestRedis());
    try {
      const claims = await Promise.all(
        connections.map((connection) =>
          new RedisProcessedUpdates(connection, prefix).claim(id, 60_000),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all(connections.map((connection) => connection.quit()));
    }
  });

  it('accepts the id again after a release (its handling failed) and after the claim expired', async () => {
    const released = nextId++;
    await updates.claim(released, 60_000);
    await updates.release(released);
    expect(await updates.claim(released, 60_000)).toBe(true);

    const expiring = nextId++;
    await updates.claim(expiring, 100);
    expect(await redis.pttl(updates.keyOf(expiring))).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await updates.claim(expiring, 60_000)).toBe(true);
  });
});
