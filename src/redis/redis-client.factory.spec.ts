import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { freePort, TEST_REDIS_URL } from '../../test/support/redis.js';
import {
  SENTINEL_NAME,
  TestRedisSentinel,
} from '../../test/support/redis-sentinel.js';
import { resolveRedisSettings } from '../telegram-qr-auth.settings.js';
import {
  closeRedisClient,
  createRedisClient,
  type RedisClient,
  superviseConnection,
} from './redis-client.factory.js';

const SECRETS = ['url-secret-pw', 'acl-secret-pw', 'sentinel-secret-pw'];

/** Every line the client logs and every error it emits, as text. */
function recorded() {
  const lines: string[] = [];
  const logger = {
    error: (message: string) => lines.push(message),
    log: (message: string) => lines.push(message),
    warn: (message: string) => lines.push(message),
  } as unknown as Logger;
  return { lines, logger };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('createRedisClient never logs a secret', () => {
  const clients: RedisClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => closeRedisClient(c)));
  });

  async function outageLines(
    options: Parameters<typeof resolveRedisSettings>[0],
  ) {
    const { lines, logger } = recorded();
    const client = createRedisClient(resolveRedisSettings(options), logger);
    clients.push(client);
    client.on('error', (error: Error) => lines.push(error.message));
    // Sentinels unreachable at start: errors (retried inside the connect), no reconnection yet.
    await until(
      () =>
        lines.some((line) =>
          /connection lost|sentinels are unreachable/i.test(line),
        ),
      'the outage to be reported',
    );
    return lines;
  }

  it.each([
    [
      'REDIS_URL',
      async (port: number) => ({
        url: `redis://user:url-secret-pw@127.0.0.1:${port}`,
      }),
    ],
    [
      'REDIS_CLUSTER_NODES',
      async (port: number) => ({
        clusterNodes: [{ host: '127.0.0.1', port }],
        username: 'user',
        password: 'acl-secret-pw',
      }),
    ],
    [
      'REDIS_SENTINELS',
      async (port: number) => ({
        sentinels: [{ host: '127.0.0.1', port }],
        sentinelName: 'tqa',
        sentinelPassword: 'sentinel-secret-pw',
        password: 'acl-secret-pw',
      }),
    ],
  ])('%s, with nothing listening', async (_, options) => {
    const lines = await outageLines(await options(await freePort()));
    for (const secret of SECRETS)
      expect(lines.join('\n')).not.toContain(secret);
  });

  it('REDIS_USERNAME and REDIS_PASSWORD that Redis refuses', async () => {
    const { lines, logger } = recorded();
    const client = createRedisClient(
      resolveRedisSettings({
        url: TEST_REDIS_URL,
        username: 'no-such-user',
        password: 'acl-secret-pw',
      }),
      logger,
    );
    clients.push(client);
    client.on('error', (error: Error) => lines.push(error.message));
    await until(
      () => lines.some((line) => /WRONGPASS/.test(line)),
      'Redis to refuse the password',
    );
    expect(lines.join('\n')).not.toContain('acl-secret-pw');
  });
});

describe('A Sentinel connection that ioredis ends by itself', () => {
  let sentinel: TestRedisSentinel;
  const clients: RedisClient[] = [];

  beforeAll(async () => {
    sentinel = await TestRedisSentinel.start();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => closeRedisClient(c)));
    await sentinel?.stop();
  });

  /**
   * What ioredis's failover detector does on +switch-master while the client is reconnecting
   * (after the primary died): it stops the connector while that asks a Sentinel for the primary,
   * and ioredis ends the client ("Connection is closed", status "end") for good.
   */
  function endAsTheFailoverDetectorDoes(client: Redis): void {
    client.once('connecting', () =>
      (
        client as unknown as { connector: { disconnect(): void } }
      ).connector.disconnect(),
    );
    client.disconnect(true);
  }

  function sentinelClient(logger: Logger): Redis {
    const client = createRedisClient(
      resolveRedisSettings({
        sentinels: sentinel.sentinelPorts.map((port) => ({
          host: '127.0.0.1',
          port,
        })),
        sentinelName: SENTINEL_NAME,
      }),
      logger,
    ) as Redis;
    clients.push(client);
    return client;
  }

  it('is not the one closed by QUIT: that one stays closed', async () => {
    const { lines, logger } = recorded();
    const client = sentinelClient(logger);
    await until(() => client.status === 'ready', 'the client to be ready');
    // Its own "end" listener runs before this one, and decides there.
    const ended = new Promise((resolve) => client.once('end', resolve));
    await client.quit();
    await ended;
    expect(lines.filter((line) => /ended by the client/.test(line))).toEqual(
      [],
    );
    expect(client.status).toBe('end');
  }, 30_000);

  it('connects again, with its subscriptions, and answers as before', async () => {
    const { lines, logger } = recorded();
    const client = sentinelClient(logger);
    const subscriber = client.duplicate();
    clients.push(subscriber);
    superviseConnection(subscriber, logger, 'subscriber');
    const heard: string[] = [];
    subscriber.on('message', (_channel: string, message: string) =>
      heard.push(message),
    );
    await until(
      () => client.status === 'ready' && subscriber.status === 'ready',
      'both connections to be ready',
    );
    await subscriber.subscribe('tqa-revive');

    const ended = new Promise((resolve) => client.once('end', resolve));
    endAsTheFailoverDetectorDoes(client);
    endAsTheFailoverDetectorDoes(subscriber);
    await ended;
    await until(
      () => client.status === 'ready' && subscriber.status === 'ready',
      'both connections to be ready again',
    );

    expect(await client.publish('tqa-revive', 'after')).toBe(1);
    await until(() => heard.includes('after'), 'the message');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Redis connection was ended by the client library; connecting again',
        'subscriber connection was ended by the client library; connecting again',
      ]),
    );
  }, 30_000);
});
