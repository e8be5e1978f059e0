import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  connectTestRedis,
  deleteKeys,
  describeWithRedis,
  OwnRedisServer,
  uniqueKeyPrefix,
} from '../../../test/support/redis.js';
import {
  createRedisClient,
  type RedisClient,
} from '../../redis/redis-client.factory.js';
import { resolveRedisSettings } from '../../telegram-qr-auth.settings.js';
import { RedisUnavailableError } from '../../redis/redis-unavailable.error.js';
import { EXPIRED_LOGIN_RETENTION_MS } from '../auth.constants.js';
import type { Login } from '../interfaces/index.js';
import { generateLoginToken } from '../login-secrets.js';
import { RedisLoginStore } from './redis-login.store.js';

const ada = {
  id: 4_503_599_627_370_495,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
};

function newLogin(overrides: Partial<Login> = {}): Login {
  const now = Date.now();
  return {
    token: generateLoginToken(),
    secretHash: 'a'.repeat(64),
    status: 'pending',
    createdAt: now,
    expiresAt: now + 60_000,
    requester: {
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
      ip: '203.0.113.7',
    },
    ...overrides,
  };
}

describeWithRedis('RedisLoginStore (real Redis)', () => {
  const prefix = uniqueKeyPrefix('store');
  let redis: Redis;
  let store: RedisLoginStore;

  beforeAll(() => {
    redis = connectTestRedis();
    store = new RedisLoginStore(redis, prefix);
  });

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('finds what it created, under its prefix, with a Redis TTL up to expiry plus retention', async () => {
    const login = newLogin({ matchCode: '47' });
    await store.create(login);

    expect(await store.find(login.token)).toEqual(login);
    expect(await redis.exists(`${prefix}login:${login.token}`)).toBe(1);
    const measuredAt = Date.now();
    const ttl = await redis.pttl(store.keyOf(login.token));
    const expected = login.expiresAt + EXPIRED_LOGIN_RETENTION_MS - measuredAt;
    expect(ttl).toBeGreaterThan(expected - 2_000);
    expect(ttl).toBeLessThanOrEqual(expected + 1);
  });

  it('keeps the OpenID context of a login through its transition and takeResult', async () => {
    const oidc = {
      interactionUid: 'Xy_z-1',
      clientId: 'shop',
      clientName: 'Example "Shop" ✓',
    };
    const login = newLogin({ oidc });
    await store.create(login);
    expect(await store.find(login.token)).toEqual(login);
    const authenticated = await store.transition(login.token, {
      from: 'pending',
      to: 'authenticated',
      set: { user: ada, chatId: ada.id },
      now: Date.now(),
    });
    expect(authenticated?.oidc).toEqual(oidc);
    expect((await store.takeResult(login.token))?.oidc).toEqual(oidc);
    expect(await store.find(login.token)).toBeUndefined();
  });

  it('does not know a token it never stored', async () => {
    expect(await store.find(generateLoginToken())).toBeUndefined();
    expect(
      await store.transition(generateLoginToken(), {
        from: 'pending',
        to: 'authenticated',
        now: Date.now(),
      }),
    ).toBeUndefined();
    expect(await store.takeResult(generateLoginToken())).toBeUndefined();
  });

  it('applies a transition from the expected status with its fields, keeping large Telegram ids exact', async () => {
    const login = newLogin();
    await store.create(login);

    const scanned = await store.transition(login.token, {
      from: 'pending',
      to: 'scanned',
      set: { user: ada, chatId: -1_001_234_567_890 },
      now: Date.now(),
    });

    expect(scanned).toEqual({
      ...login,
      status: 'scanned',
      user: ada,
      chatId: -1_001_234_567_890,
    });
    expect(await store.find(login.token)).toEqual(scanned);
  });

  it('refuses a transition from another status and leaves the login as it was', async () => {
    const login = newLogin();
    await store.create(login);

    expect(
      await store.transition(login.token, {
        from: 'scanned',
        to: 'authenticated',
        now: Date.now(),
      }),
    ).toBeUndefined();
    expect(await store.find(login.token)).toEqual(login);
  });

  it('refuses a transition at or after expiry, while the login can still be found', async () => {
    const login = newLogin();
    await store.create(login);

    expect(
      await store.transition(login.token, {
        from: 'pending',
        to: 'authenticated',
        set: { user: ada },
        now: login.expiresAt,
      }),
    ).toBeUndefined();
    expect(await store.find(login.token)).toEqual(login);
  });

  it('hands an authenticated login out once and forgets it', async () => {
    const login = newLogin();
    await store.create(login);
    expect(await store.takeResult(login.token)).toBeUndefined(); // still pending: nothing to take

    await store.transition(login.token, {
      from: 'pending',
      to: 'authenticated',
      set: { user: ada, chatId: ada.id },
      now: Date.now(),
    });
    const taken = await store.takeResult(login.token);

    expect(taken).toEqual({
      ...login,
      status: 'authenticated',
      user: ada,
      chatId: ada.id,
    });
    expect(await store.takeResult(login.token)).toBeUndefined();
    expect(await store.find(login.token)).toBeUndefined();
  });

  it('keeps the update id of the last change', async () => {
    const login = newLogin();
    await store.create(login);
    const changed = await store.transition(login.token, {
      from: 'pending',
      to: 'scanned',
      set: { user: ada, updateId: 912_345_678 },
      now: Date.now(),
    });
    expect(changed?.updateId).toBe(912_345_678);
    expect((await store.find(login.token))?.updateId).toBe(912_345_678);
  });

  describe('holds (a push under way)', () => {
    const authenticated = async () => {
      const login = newLogin();
      await store.create(login);
      await store.transition(login.token, {
        from: 'pending',
        to: 'authenticated',
        set: { user: ada },
        now: Date.now(),
      });
      return login;
    };

    it('keep a held result from polls, not from the acknowledgement, and end when the holder releases them', async () => {
      const login = await authenticated();
      expect(await store.holdResult(login.token, 'push-1', 60_000)).toBe(
        'held',
      );
      expect(
        await store.takeResult(login.token, { respectHold: true }),
      ).toBeUndefined();
      // Another push is kept out too; only the holder lets go.
      expect(await store.holdResult(login.token, 'push-2', 60_000)).toBe(
        'busy',
      );
      await store.releaseResult(login.token, 'push-2');
      expect(
        await store.takeResult(login.token, { respectHold: true }),
      ).toBeUndefined();
      // A socket that connects takes the hold over when asked to; then it is the holder.
      expect(
        await store.holdResult(login.token, 'welcome', 60_000, {
          takeOver: true,
        }),
      ).toBe('held');
      await store.releaseResult(login.token, 'push-1');
      expect(
        await store.takeResult(login.token, { respectHold: true }),
      ).toBeUndefined();
      await store.releaseResult(login.token, 'welcome');
      const taken = await store.takeResult(login.token, { respectHold: true });
      expect(taken).toMatchObject({ status: 'authenticated', user: ada });
      // The hold's own fields are the store's business, not the login's.
      expect(taken).not.toHaveProperty('heldBy');

      const acknowledged = await authenticated();
      await store.holdResult(acknowledged.token, 'push-3', 60_000);
      expect(await store.takeResult(acknowledged.token)).toMatchObject({
        user: ada,
      });
    });

    it('lapse after their time by the Redis clock (a holder that died)', async () => {
      const login = await authenticated();
      await store.holdResult(login.token, 'push-1', 1);
      const [seconds, micros] = await redis.time();
      const heldUntil = Number(
        await redis.hget(store.keyOf(login.token), 'heldUntil'),
      );
      expect(
        heldUntil - (Number(seconds) * 1000 + Number(micros) / 1000),
      ).toBeLessThanOrEqual(1);
      // Wait until Redis's clock has passed the hold.
      for (;;) {
        const [s, us] = await redis.time();
        if (Number(s) * 1000 + Math.floor(Number(us) / 1000) >= heldUntil)
          break;
      }
      // Another push may take over a lapsed hold.
      expect(await store.holdResult(login.token, 'push-2', 1)).toBe('held');
      await store.releaseResult(login.token, 'push-2');
      expect(
        await store.takeResult(login.token, { respectHold: true }),
      ).toMatchObject({ user: ada });
    });

    it('are refused for a login without a result, or one taken already', async () => {
      const pending = newLogin();
      await store.create(pending);
      expect(await store.holdResult(pending.token, 'push-1', 1_000)).toBe(
        'none',
      );
      const login = await authenticated();
      await store.takeResult(login.token);
      expect(await store.holdResult(login.token, 'push-1', 1_000)).toBe('none');
      // Nor does a failed hold leave a hash behind.
      expect(await redis.exists(store.keyOf(login.token))).toBe(0);
    });

    it('of a push racing a poll on separate connections, exactly one gets the result', async () => {
      const racers = [connectTestRedis(), connectTestRedis()];
      try {
        const [pushStore, pollStore] = racers.map(
          (connection) => new RedisLoginStore(connection, prefix),
        );
        for (let round = 0; round < 20; round++) {
          const login = await authenticated();
          const [held, polled] = await Promise.all([
            pushStore.holdResult(login.token, 'push', 60_000),
            pollStore.takeResult(login.token, { respectHold: true }),
          ]);
          expect(
            [held === 'held', polled !== undefined].filter(Boolean),
          ).toHaveLength(1);
        }
      } finally {
        await Promise.all(racers.map((connection) => connection.quit()));
      }
    });
  });

  it('lets exactly one of many racing connections win a transition and take the result', async () => {
    const login = newLogin();
    await store.create(login);
    // Separate connections, like separate instances: no client-side ordering helps.
    const racers = Array.from({ length: 8 }, () => connectTestRedis());
    try {
      const stores = racers.map(
        (connection) => new RedisLoginStore(connection, prefix),
      );
      const users = stores.map((_, index) => ({
        id: 1000 + index,
        first_name: `User ${index}`,
      }));

      const transitions = await Promise.all(
        stores.map((racer, index) =>
          racer.transition(login.token, {
            from: 'pending',
            to: 'authenticated',
            set: { user: users[index] },
            now: Date.now(),
          }),
        ),
      );
      const winners = transitions.filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);

      const takes = await Promise.all(
        stores.map((racer) => racer.takeResult(login.token)),
      );
      const taken = takes.filter((result) => result !== undefined);
      expect(taken).toHaveLength(1);
      expect(taken[0].user).toEqual(winners[0].user);
    } finally {
      await Promise.all(racers.map((connection) => connection.quit()));
    }
  });

  it('lets Redis delete the login when its retention ends', async () => {
    const login = newLogin({
      expiresAt: Date.now() - EXPIRED_LOGIN_RETENTION_MS + 150,
    });
    await store.create(login);
    expect(await store.find(login.token)).toBeDefined();

    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(await store.find(login.token)).toBeUndefined();
    expect(await redis.exists(store.keyOf(login.token))).toBe(0);
  });
});

describe('RedisLoginStore while Redis is down', () => {
  let server: OwnRedisServer;
  let redis: RedisClient;
  let store: RedisLoginStore;

  beforeAll(async () => {
    server = await OwnRedisServer.start();
    // The outage is caused on purpose: nothing to log.
    redis = createRedisClient(resolveRedisSettings({ url: server.url }), {
      error: () => undefined,
      log: () => undefined,
    } as unknown as Logger);
    await new Promise((resolve) => redis.once('ready', resolve));
    store = new RedisLoginStore(redis, uniqueKeyPrefix('outage'));
  });

  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('fails fast with RedisUnavailableError, then works again once Redis is back', async () => {
    const login = newLogin();
    await store.create(login);
    await server.stop();

    const started = Date.now();
    for (const operation of [
      () => store.create(newLogin()),
      () => store.find(login.token),
      () =>
        store.transition(login.token, {
          from: 'pending',
          to: 'authenticated',
          now: Date.now(),
        }),
      () => store.takeResult(login.token),
    ]) {
      await expect(operation()).rejects.toBeInstanceOf(RedisUnavailableError);
    }
    expect(Date.now() - started).toBeLessThan(1_500);

    await server.start();
    // The client may have reconnected while start() waited for the server to answer.
    if (redis.status !== 'ready')
      await new Promise((resolve) => redis.once('ready', resolve));
    const again = newLogin();
    await store.create(again);
    expect(await store.find(again.token)).toEqual(again);
  });
});
