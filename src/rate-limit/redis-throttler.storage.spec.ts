import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import {
  connectTestRedis,
  deleteKeys,
  describeWithRedis,
  uniqueKeyPrefix,
} from '../../test/support/redis.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

describeWithRedis('RedisThrottlerStorage (real Redis)', () => {
  const prefix = uniqueKeyPrefix('throttle');
  let redis: Redis;
  let storage: RedisThrottlerStorage;
  let keys = 0;
  const newKey = () => `client-${++keys}`;

  beforeAll(() => {
    redis = connectTestRedis();
    storage = new RedisThrottlerStorage(redis, prefix);
  });

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('counts hits in a window and reports the seconds left', async () => {
    const key = newKey();
    expect(await storage.increment(key, 60_000, 3, 60_000, 'default')).toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    expect(
      (await storage.increment(key, 60_000, 3, 60_000, 'default')).totalHits,
    ).toBe(2);
  });

  it('blocks past the limit for blockDuration, then starts a new window', async () => {
    const key = newKey();
    for (let i = 0; i < 2; i++)
      expect(
        (await storage.increment(key, 10_000, 2, 1_500, 'default')).isBlocked,
      ).toBe(false);

    const blocked = await storage.increment(key, 10_000, 2, 1_500, 'default');
    expect(blocked).toMatchObject({ isBlocked: true, timeToBlockExpire: 2 });
    expect(
      (await storage.increment(key, 10_000, 2, 1_500, 'default')).isBlocked,
    ).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(
      await storage.increment(key, 10_000, 2, 1_500, 'default'),
    ).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('keeps separate counts per key and per throttler name', async () => {
    const key = newKey();
    await storage.increment(key, 60_000, 1, 60_000, 'default');
    expect(
      (await storage.increment(key, 60_000, 1, 60_000, 'default')).isBlocked,
    ).toBe(true);
    expect(
      (await storage.increment(key, 60_000, 1, 60_000, 'other')).isBlocked,
    ).toBe(false);
    expect(
      (await storage.increment(newKey(), 60_000, 1, 60_000, 'default'))
        .isBlocked,
    ).toBe(false);
  });

  it('lets exactly `limit` of many simultaneous hits from several instances through', async () => {
    const key = newKey();
    const connections = Array.from({ length: 4 }, () => connectTestRedis());
    try {
      const storages = connections.map(
        (connection) => new RedisThrottlerStorage(connection, prefix),
      );
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          storages[i % storages.length].increment(
            key,
            60_000,
            10,
            60_000,
            'default',
          ),
        ),
      );
      expect(results.filter((result) => !result.isBlocked)).toHaveLength(10);
    } finally {
      await Promise.all(connections.map((connection) => connection.quit()));
    }
  });
});
