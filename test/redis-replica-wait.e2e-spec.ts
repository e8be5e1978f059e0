import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type RunningApp, startApp } from './support/app.js';
import { createLogin } from './support/http.js';
import { moved, scrape } from './support/metrics.js';
import { freePort, redisNodeArgs, uniqueKeyPrefix } from './support/redis.js';
import { ask, RedisProcesses, until } from './support/redis-processes.js';

const OUTAGE_MESSAGE =
  'The login service cannot reach its storage right now. Please try again in a few seconds.';
const SHORTFALLS = 'qr_auth_redis_replica_wait_shortfalls_total';

/**
 * `WAIT` after the writes a login cannot lose, with a real replica that
 * freezes (SIGSTOP): the write it does not acknowledge is refused with a 503
 * (counted in the metrics), until the replica's lag shows it is not in sync,
 * after which the service writes without waiting for it (README, "WAIT, and
 * what it costs").
 */
describe('WAIT for a replica that freezes', () => {
  let processes: RedisProcesses;
  let primary: number;
  let replica: number;
  let service: RunningApp;

  beforeAll(async () => {
    processes = await RedisProcesses.create('replica-wait');
    primary = await freePort();
    replica = await freePort();
    await processes.start(primary, redisNodeArgs(primary));
    await processes.start(
      replica,
      redisNodeArgs(replica, '--replicaof', '127.0.0.1', String(primary)),
    );
    await until(
      async () =>
        /slave0:.*state=online/.test(
          String(await ask(primary, 'INFO', 'replication')),
        ),
      'the replica to be in sync',
    );
    service = await startApp({
      REDIS_URL: `redis://127.0.0.1:${primary}`,
      REDIS_KEY_PREFIX: uniqueKeyPrefix('replica-wait'),
      REDIS_WAIT_REPLICAS: '1',
    });
  }, 30_000);

  afterAll(async () => {
    processes?.resume(replica);
    await service?.close();
    await processes?.stopAll();
  });

  it('answers 503 for a write the frozen replica did not acknowledge, counts it, and goes on without it once it is out of sync', async () => {
    await createLogin(service.url);
    const before = await scrape(service.url);
    expect(before.get(SHORTFALLS)).toBe(0);

    processes.pause(replica);
    const refused = await request(service.url).post('/auth/token').expect(503);
    expect(refused.body.message).toBe(OUTAGE_MESSAGE);
    expect(moved(before, await scrape(service.url), SHORTFALLS)).toEqual({
      [SHORTFALLS]: 1,
    });

    // Still frozen: once its lag passes REPLICA_MAX_LAG_SECONDS it is no longer waited for.
    await until(
      async () =>
        (await request(service.url).post('/auth/token')).status === 201,
      'token creation to go on without the frozen replica',
    );
  });
});
