import { afterAll, beforeAll } from '@jest/globals';
import type { Redis } from 'ioredis';
import { itListsSessionsByOidcSession } from '../../../test/support/session-store-contract.js';
import {
  connectTestRedis,
  deleteKeys,
  describeWithRedis,
  uniqueKeyPrefix,
} from '../../../test/support/redis.js';
import { RedisSessionStore } from './redis-session.store.js';

describeWithRedis('RedisSessionStore (real Redis)', () => {
  const prefix = uniqueKeyPrefix('sessions');
  let redis: Redis;

  beforeAll(() => {
    redis = connectTestRedis();
  });

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  itListsSessionsByOidcSession(() => new RedisSessionStore(redis, prefix));
});
