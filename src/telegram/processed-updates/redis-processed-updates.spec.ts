import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { itBehavesLikeProcessedUpdates } from '../../../test/support/processed-updates-contract.js';
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

  itBehavesLikeProcessedUpdates(
    () => updates,
    () => nextId++,
  );

  it('gives exactly one of several instances the same update', async () => {
    const id = nextId++;
    const connections = Array.from({ length: 6 }, () => connectTestRedis());
    try {
      const claims = await Promise.all(
        connections.map((connection) =>
          new RedisProcessedUpdates(connection, prefix).claim(id, 60_000),
        ),
      );
      expect(claims.filter((claim) => claim.state === 'claimed')).toHaveLength(
        1,
      );
      expect(
        claims.filter((claim) => claim.state === 'processing'),
      ).toHaveLength(5);
    } finally {
      await Promise.all(connections.map((connection) => connection.quit()));
    }
  });

  it('keeps a claim being handled for the short time and a done one for the dedupe window, in Redis itself', async () => {
    const id = nextId++;
    const claim = await updates.claim(id, 10_000);
    const processingTtl = await redis.pttl(updates.keyOf(id));
    expect(processingTtl).toBeGreaterThan(0);
    expect(processingTtl).toBeLessThanOrEqual(10_000);
    if (claim.state !== 'claimed') throw new Error('not claimed');
    await updates.complete(id, claim.nonce, 600_000);
    expect(await redis.get(updates.keyOf(id))).toBe('done');
    expect(await redis.pttl(updates.keyOf(id))).toBeGreaterThan(10_000);
  });

  it('takes a claim written by an earlier version (value 1) as done', async () => {
    const id = nextId++;
    await redis.set(updates.keyOf(id), '1', 'PX', 60_000);
    expect(await updates.claim(id, 60_000)).toEqual({ state: 'done' });
  });
});
