import { afterEach, describe, expect, it } from '@jest/globals';
import type { Logger } from '@nestjs/common';
import { freePort, TEST_REDIS_URL } from '../../test/support/redis.js';
import { resolveRedisSettings } from '../telegram-qr-auth.settings.js';
import {
  closeRedisClient,
  createRedisClient,
  type RedisClient,
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
