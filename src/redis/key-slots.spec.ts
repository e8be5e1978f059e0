import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import calculateSlot from 'cluster-key-slot';
import type { Redis } from 'ioredis';
import { itBehavesLikeAnOidcAdapter } from '../../test/support/oidc-adapter-contract.js';
import { itBehavesLikeProcessedUpdates } from '../../test/support/processed-updates-contract.js';
import {
  connectTestRedis,
  deleteKeys,
  describeWithRedis,
  uniqueKeyPrefix,
} from '../../test/support/redis.js';
import {
  itBehavesLikeASessionStore,
  itListsSessionsByOidcSession,
} from '../../test/support/session-store-contract.js';
import { generateLoginToken } from '../auth/login-secrets.js';
import { RedisLoginStore } from '../auth/stores/redis-login.store.js';
import { redisOidcAdapterFactory } from '../oidc/adapters/redis-oidc.adapter.js';
import { RedisThrottlerStorage } from '../rate-limit/redis-throttler.storage.js';
import { RedisSessionStore } from '../sessions/stores/redis-session.store.js';
import { RedisProcessedUpdates } from '../telegram/processed-updates/redis-processed-updates.js';
import type { RedisClient } from './redis-client.factory.js';

/** The keys one script or one MULTI touched together: on a Cluster, one slot or a CROSSSLOT error. */
interface KeyGroup {
  what: string;
  keys: string[];
}

/**
 * The shared Redis, seen by the stores as a Cluster (`isCluster`, so they
 * lay keys out for one), recording the keys of every script call and every
 * MULTI. Scripts defined without a key count take it as their first argument.
 */
function recording(
  redis: Redis,
  groups: KeyGroup[],
  scripts: Map<string, number | undefined>,
): RedisClient {
  const target = redis as unknown as Record<
    string | symbol,
    (...args: unknown[]) => unknown
  >;
  return new Proxy(redis, {
    get(_, name) {
      if (name === 'isCluster') return true;
      if (name === 'defineCommand')
        return (
          command: string,
          definition: { lua: string; numberOfKeys?: number },
        ) => {
          scripts.set(command, definition.numberOfKeys);
          return redis.defineCommand(command, definition);
        };
      if (name === 'multi') return () => recordingMulti(redis, groups);
      if (typeof name === 'string' && scripts.has(name))
        return (...args: unknown[]) => {
          const count = scripts.get(name);
          const keys =
            count === undefined
              ? args.slice(1, 1 + Number(args[0]))
              : args.slice(0, count);
          groups.push({ what: name, keys: keys.map(String) });
          return target[name].apply(redis, args);
        };
      const value = target[name];
      return typeof value === 'function' ? value.bind(redis) : value;
    },
  });
}

/** A MULTI whose commands' keys (their first argument) are recorded at `exec`. */
function recordingMulti(redis: Redis, groups: KeyGroup[]): unknown {
  const multi = redis.multi() as unknown as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  const keys: string[] = [];
  const commands: string[] = [];
  const recorder: unknown = new Proxy(multi, {
    get(_, name: string) {
      if (name === 'exec')
        return () => {
          groups.push({ what: `MULTI ${commands.join(' ')}`, keys });
          return multi.exec();
        };
      return (...args: unknown[]) => {
        commands.push(name);
        keys.push(String(args[0]));
        multi[name](...args);
        return recorder;
      };
    },
  });
  return recorder;
}

describeWithRedis('every script and MULTI keeps to one Cluster slot', () => {
  const prefix = uniqueKeyPrefix('slots');
  const groups: KeyGroup[] = [];
  const scripts = new Map<string, number | undefined>();
  let shared: Redis;
  let redis: RedisClient;
  let nextUserId = 700_000_000 + Math.floor(Math.random() * 1_000_000);
  let nextUpdateId = Math.floor(Math.random() * 1_000_000_000);

  beforeAll(() => {
    shared = connectTestRedis();
    redis = recording(shared, groups, scripts);
  });

  afterAll(async () => {
    await deleteKeys(shared, prefix);
    await shared.quit();
  });

  describe('sessions', () => {
    itBehavesLikeASessionStore(
      () => new RedisSessionStore(redis, prefix),
      () => nextUserId++,
    );
    itListsSessionsByOidcSession(() => new RedisSessionStore(redis, prefix));
  });

  describe('the OpenID Provider adapter', () => {
    itBehavesLikeAnOidcAdapter((count) =>
      Array.from({ length: count }, () =>
        redisOidcAdapterFactory(redis, prefix),
      ),
    );
  });

  describe('processed updates', () => {
    itBehavesLikeProcessedUpdates(
      () => new RedisProcessedUpdates(redis, prefix),
      () => nextUpdateId++,
    );
  });

  it('logins and rate limits', async () => {
    const store = new RedisLoginStore(redis, prefix);
    const now = Date.now();
    const token = generateLoginToken();
    await store.create({
      token,
      secretHash: 'a'.repeat(64),
      status: 'pending',
      createdAt: now,
      expiresAt: now + 60_000,
      requester: { userAgent: 'jest', ip: '203.0.113.7' },
    });
    await store.transition(token, { from: 'pending', to: 'scanned', now });
    await store.holdResult(token, 'instance-a', 1_000);
    await store.releaseResult(token, 'instance-a');
    await store.takeResult(token);
    const limits = new RedisThrottlerStorage(redis, prefix);
    for (let i = 0; i < 3; i++)
      await limits.increment('client-ip', 60_000, 2, 60_000, 'token');
  });

  it('every script ran, and each touched keys of one slot only', () => {
    const ran = new Set(groups.map(({ what }) => what));
    for (const script of scripts.keys()) expect(ran).toContain(script);
    const crossSlot = groups
      .filter(({ keys }) => new Set(keys.map(calculateSlot)).size > 1)
      .map(({ what, keys }) => `${what}: ${keys.join(' ')}`);
    expect(crossSlot).toEqual([]);
    // The ones that touch several keys, with the hash tag that holds them together.
    const several = groups.filter(({ keys }) => new Set(keys).size > 1);
    expect(new Set(several.map(({ what }) => what))).toEqual(
      new Set([
        'tqaOidcUpsert',
        'tqaOidcRevoke',
        'MULTI del srem',
        'tqaThrottlerIncrement',
      ]),
    );
    for (const { keys } of several)
      for (const key of keys)
        expect(key).toMatch(/^[^{]*\{(oidc|token:client-ip)\}/);
  });
});
