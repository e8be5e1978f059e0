import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UPDATE_CLAIM_TTL_MS } from '../src/telegram/telegram.constants.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { LoginLoad } from './support/login-load.js';
import { uniqueKeyPrefix } from './support/redis.js';
import { TestRedisCluster } from './support/redis-cluster.js';
import { SENTINEL_NAME, TestRedisSentinel } from './support/redis-sentinel.js';
import {
  buildService,
  type ServiceProcess,
  spawnService,
} from './support/service-process.js';

const WEBHOOK_SECRET = 'failover-load-webhook-secret';
const LOGINS = 2_000;
const RATE_PER_SECOND = 80;
/** The primary dies once this many logins have ended, with many more in flight. */
const KILL_AFTER = 400;
/**
 * "503 for at most a few seconds during the election": the test's bound. The
 * election itself takes 1 to 3 s here (Cluster node timeout 1 s, Sentinel down-after 2 s).
 */
const MAX_UNAVAILABLE_MS = 8_000;

/** The environment every instance of the load shares, on top of how it reaches Redis. */
function loadEnvironment(fake: FakeBotApi): Record<string, string> {
  return {
    REDIS_KEY_PREFIX: uniqueKeyPrefix('failover'),
    ...fake.env,
    WEBHOOK_SECRET,
    LOG_LEVEL: 'warn',
    TOKEN_TTL_SECONDS: '300',
    // Every simulated browser has an address of its own (X-Forwarded-For from loopback, as behind a proxy).
    TRUST_PROXY: 'loopback',
    RATE_LIMIT_TOKEN: '1000000',
    RATE_LIMIT_POLL: '1000000',
  };
}

/** Two instances of one deployment: the same environment, key prefix included. */
function spawnPair(env: Record<string, string>): Promise<ServiceProcess[]> {
  return Promise.all([spawnService(env), spawnService(env)]);
}

/** The load over two instances, with a primary killed once {@link KILL_AFTER} logins have ended. */
async function loadWithPrimaryKilled(
  instances: ServiceProcess[],
  killPrimary: () => Promise<void>,
): Promise<{ load: LoginLoad; killedAt?: string }> {
  let killing: Promise<void> | undefined;
  let killedAt: string | undefined;
  const load = new LoginLoad({
    instances,
    logins: LOGINS,
    ratePerSecond: RATE_PER_SECOND,
    webhookSecret: WEBHOOK_SECRET,
    onSettled: (settled) => {
      if (settled === KILL_AFTER) {
        killedAt = new Date().toISOString().slice(11, 23);
        killing = killPrimary();
      }
    },
  });
  await load.run();
  await killing;
  return { load, killedAt };
}

function expectNothingLost(
  { load, killedAt }: { load: LoginLoad; killedAt?: string },
  instances: ServiceProcess[],
) {
  // A login that went wrong is told with when the primary died and what the instances logged
  // (each of their own messages once, with its first time; not the requests answered 503).
  const context = load.problems.length
    ? [
        `the primary killed at ${killedAt}`,
        ...instances.flatMap((instance, index) =>
          firstOfEachMessage(instance, index),
        ),
      ]
    : [];
  expect({
    counts: load.counts,
    problems: [...load.problems.slice(0, 10), ...context.slice(0, 30)],
  }).toEqual({
    counts: expect.objectContaining({
      started: LOGINS,
      delivered: LOGINS,
      lost: 0,
      duplicated: 0,
      failed: 0,
      neverStarted: 0,
      otherServerErrors: 0,
    }),
    problems: [],
  });
  expect(load.longestUnavailableMs()).toBeLessThanOrEqual(MAX_UNAVAILABLE_MS);
  // A copy of an update whose claim outlived its cut-off handling waits, at most, for the claim to lapse.
  expect(load.longestInProgressMs).toBeLessThanOrEqual(
    UPDATE_CLAIM_TTL_MS + 1_000,
  );
  // Neither instance crashed or logged an unhandled error.
  for (const instance of instances) {
    expect(instance.child.exitCode).toBeNull();
    expect(
      instance.stderr.filter((line) => /unhandled|uncaught/i.test(line)),
    ).toEqual([]);
  }
}

/** "instance 1, 12:00:01.234, Redis: connection lost…", once per message. */
function firstOfEachMessage(instance: ServiceProcess, index: number): string[] {
  const seen = new Map<string, string>();
  for (const line of instance.stdout) {
    let entry: { time?: string; context?: string; msg?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (!entry.context) continue;
    const what = `${entry.context}: ${entry.msg}`;
    if (!seen.has(what))
      seen.set(
        what,
        `instance ${index}, ${entry.time?.slice(11, 23)}, ${what}`,
      );
  }
  return [...seen.values()];
}

/**
 * The promise of the failover design (README, "Running with Redis Cluster and
 * Sentinel"), measured: 2,000 logins over two instances of the built service,
 * each as the page and Telegram do them (tokens retried on 503, the socket
 * with polling while it is down, /start re-sent until answered 2xx), and a
 * primary SIGKILLed while hundreds are in flight.
 */
describe('A primary killed under a load of 2,000 logins', () => {
  let fake: FakeBotApi;

  beforeAll(async () => {
    await buildService();
    fake = await FakeBotApi.start();
  }, 120_000);

  afterAll(async () => {
    await fake?.close();
  });

  describe('on a Redis Cluster (3 primaries, 3 replicas)', () => {
    let cluster: TestRedisCluster;
    let instances: ServiceProcess[] = [];

    let env: Record<string, string>;

    beforeAll(async () => {
      cluster = await TestRedisCluster.start();
      env = {
        ...loadEnvironment(fake),
        REDIS_CLUSTER_NODES: cluster.nodesVariable,
      };
      instances = await spawnPair(env);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(instances.map((instance) => instance.kill()));
      await cluster?.stop();
    });

    it('loses, duplicates and fails no login, and is unavailable for a few seconds at most', async () => {
      const outcome = await loadWithPrimaryKilled(instances, async () => {
        // The worst shard to lose: the one with Socket.IO's channel that every push with an
        // acknowledgement goes through (a room's own channel is only for plain emits).
        const channel = `${env.REDIS_KEY_PREFIX}socket.io#/auth#`;
        await cluster.kill(await cluster.primaryOf(channel));
      });
      expectNothingLost(outcome, instances);
    }, 180_000);
  });

  describe('on Sentinel (a primary, 2 replicas, 3 Sentinels)', () => {
    let sentinel: TestRedisSentinel;
    let instances: ServiceProcess[] = [];

    beforeAll(async () => {
      sentinel = await TestRedisSentinel.start();
      instances = await spawnPair({
        ...loadEnvironment(fake),
        REDIS_SENTINELS: sentinel.sentinelsVariable,
        REDIS_SENTINEL_NAME: SENTINEL_NAME,
      });
    }, 60_000);

    afterAll(async () => {
      await Promise.all(instances.map((instance) => instance.kill()));
      await sentinel?.stop();
    });

    it('loses, duplicates and fails no login, and is unavailable for a few seconds at most', async () => {
      const outcome = await loadWithPrimaryKilled(instances, async () => {
        await sentinel.killPrimary();
      });
      expectNothingLost(outcome, instances);
    }, 180_000);
  });
});
