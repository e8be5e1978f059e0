import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { itBehavesLikeAnOidcAdapter } from '../../../test/support/oidc-adapter-contract.js';
import { eventually } from '../../../test/support/http.js';
import {
  connectTestRedis,
  deleteKeys,
  describeWithRedis,
  uniqueKeyPrefix,
} from '../../../test/support/redis.js';
import { redisOidcAdapterFactory } from './redis-oidc.adapter.js';

describeWithRedis('redisOidcAdapterFactory (real Redis)', () => {
  const prefix = uniqueKeyPrefix('oidc');
  let redis: Redis;
  // Eight connections: eight instances racing on one Redis.
  const instances: Redis[] = [];

  beforeAll(() => {
    redis = connectTestRedis();
    for (let i = 0; i < 8; i++) instances.push(connectTestRedis());
  });

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await Promise.all([redis, ...instances].map((client) => client.quit()));
  });

  itBehavesLikeAnOidcAdapter((count) =>
    instances
      .slice(0, count)
      .map((connection) => redisOidcAdapterFactory(connection, prefix)),
  );

  it('leaves expiry to Redis: the record, its grant index and session index carry the lifetime', async () => {
    const adapters = redisOidcAdapterFactory(redis, prefix);
    await adapters('AccessToken').upsert(
      'at-1',
      { jti: 'at-1', grantId: 'g-1' },
      60,
    );
    await adapters('RefreshToken').upsert(
      'rt-1',
      { jti: 'rt-1', grantId: 'g-1' },
      600,
    );
    await adapters('Session').upsert('s-1', { jti: 's-1', uid: 'u-1' }, 300);
    const ttl = async (key: string) => redis.pttl(`${prefix}oidc:${key}`);
    expect(await ttl('AccessToken:at-1')).toBeGreaterThan(50_000);
    expect(await ttl('AccessToken:at-1')).toBeLessThanOrEqual(60_000);
    // The grant's index lives as long as its longest-lived record.
    expect(await ttl('grant:g-1')).toBeGreaterThan(590_000);
    expect(await ttl('uid:u-1')).toBeGreaterThan(290_000);
    expect(await ttl('uid:u-1')).toBeLessThanOrEqual(300_000);
  });

  it('is gone once Redis expires it', async () => {
    const adapters = redisOidcAdapterFactory(redis, prefix);
    await adapters('Interaction').upsert('i-1', { jti: 'i-1' }, 1);
    await eventually(async () =>
      expect(await adapters('Interaction').find('i-1')).toBe(undefined),
    );
  });

  it('answers temporarily_unavailable (503) when Redis cannot be reached', async () => {
    const gone = connectTestRedis();
    await gone.quit();
    const adapters = redisOidcAdapterFactory(gone, prefix);
    await expect(adapters('Session').find('s')).rejects.toMatchObject({
      error: 'temporarily_unavailable',
      statusCode: 503,
    });
  });
});
