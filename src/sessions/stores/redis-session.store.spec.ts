import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import {
  itBehavesLikeASessionStore,
  itListsSessionsByOidcSession,
} from '../../../test/support/session-store-contract.js';
import {
  connectTestRedis,
  deleteKeys,
  describeWithRedis,
  uniqueKeyPrefix,
} from '../../../test/support/redis.js';
import { generateRefreshKey, generateSessionId } from '../refresh-tokens.js';
import { RedisSessionStore } from './redis-session.store.js';

describeWithRedis('RedisSessionStore (real Redis)', () => {
  const prefix = uniqueKeyPrefix('sessions');
  let redis: Redis;
  let store: RedisSessionStore;
  let nextUserId = 600_000_000 + Math.floor(Math.random() * 1_000_000);

  beforeAll(() => {
    redis = connectTestRedis();
    store = new RedisSessionStore(redis, prefix);
  });

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  itBehavesLikeASessionStore(
    () => store,
    () => nextUserId++,
  );
  itListsSessionsByOidcSession(() => new RedisSessionStore(redis, prefix));

  it('lets Redis delete a session at its expiry, and one instance end what another made', async () => {
    const now = Date.now();
    const session = {
      sid: generateSessionId(),
      user: { id: nextUserId++, first_name: 'Ada' },
      site: 'Shop',
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + 60_000,
      refreshKey: generateRefreshKey(),
      refreshGeneration: 0,
    };
    await store.create(session);
    const ttl = await redis.pttl(store.keyOf(session.sid));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);

    const other = connectTestRedis();
    try {
      expect(
        await new RedisSessionStore(other, prefix).end(session.sid, Date.now()),
      ).toEqual(session);
    } finally {
      await other.quit();
    }
    expect(await store.find(session.sid, Date.now())).toBeUndefined();
  });
});
