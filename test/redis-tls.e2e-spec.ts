import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { logInAcrossInstances } from './support/cross-instance-login.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { createLogin, me, postUpdate } from './support/http.js';
import { deleteKeys, uniqueKeyPrefix } from './support/redis.js';
import {
  TLS_REDIS_USER,
  TlsRedisCluster,
  TlsRedisSentinel,
  TlsRedisServer,
} from './support/redis-tls.js';
import {
  type ServiceProcess,
  spawnService,
} from './support/service-process.js';
import {
  closeSockets,
  connectAuthSocket,
  waitForStatus,
} from './support/socket.js';
import {
  asLoggedInUser,
  newUser,
  startUpdate,
} from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'redis-tls-webhook-secret';
const PASSWORD = 'tls-acl-password-8d0c7e51';
const OUTAGE_MESSAGE =
  'The login service cannot reach its storage right now. Please try again in a few seconds.';

/**
 * `rediss://` with an ACL user and password, against a real redis-server that
 * speaks TLS only, with a certificate from a CA of the test's own: the service
 * trusts it through NODE_EXTRA_CA_CERTS, as a deployment with a private CA
 * would.
 */
describe('Redis over TLS with an ACL user (rediss://)', () => {
  const prefix = uniqueKeyPrefix('tls');
  let redis: TlsRedisServer;
  let fake: FakeBotApi;
  let service: ServiceProcess;
  let untrusting: ServiceProcess;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    redis = await TlsRedisServer.start(PASSWORD);
    fake = await FakeBotApi.start();
    const env = {
      ...fake.env,
      WEBHOOK_SECRET,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      LOG_LEVEL: 'debug',
    };
    [service, untrusting] = await Promise.all([
      spawnService({ ...env, NODE_EXTRA_CA_CERTS: redis.caFile }),
      // The same service without the CA: the server's certificate is not one it trusts.
      spawnService(env),
    ]);
  }, 60_000);

  afterAll(async () => {
    closeSockets(...sockets);
    await service?.kill();
    await untrusting?.kill();
    await fake?.close();
    await redis?.stop();
  });

  it('logs in through it: token, socket, webhook, the session, all kept in that Redis', async () => {
    const login = await createLogin(service.url);
    const socket = await connectAuthSocket(service.url, login);
    sockets.push(socket);
    await waitForStatus(socket, 'pending');
    const user = newUser({ first_name: 'Tessa' });
    await postUpdate(
      service.url,
      startUpdate(login.token, user),
      WEBHOOK_SECRET,
    ).expect(200);
    const result = await waitForStatus(socket, 'authenticated');
    await me(service.url, result.accessToken).expect(200, asLoggedInUser(user));

    const client = await redis.connect();
    try {
      expect(await client.keys(`${prefix}*`)).toEqual(
        expect.arrayContaining([expect.stringContaining(':session:')]),
      );
      await deleteKeys(client, prefix);
    } finally {
      client.disconnect();
    }
  });

  it('answers 503 with the outage message, and is not ready, while it does not trust the server’s certificate', async () => {
    const refused = await request(untrusting.url)
      .post('/auth/token')
      .expect(503);
    expect(refused.body.message).toBe(OUTAGE_MESSAGE);
    await request(untrusting.url).get('/health/ready').expect(503);
    await request(service.url).get('/health/ready').expect(200);
  });

  it('writes the password in no log line, from either instance; the one refused says why', () => {
    for (const instance of [service, untrusting]) {
      const output = [...instance.stdout, ...instance.stderr].join('\n');
      expect(output.length).toBeGreaterThan(0);
      expect(output).not.toContain(PASSWORD);
    }
    expect(untrusting.stdout.join('\n')).toMatch(/certificate/i);
  });
});

const SENTINEL_PASSWORD = 'tls-sentinel-password-41f9a2c3';

/** A TLS-only Redis of one of the other two modes: what the service needs to reach it. */
interface TlsSetup {
  caFile: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The same login in the two other modes, every node TLS-only with the ACL
 * user: a Redis Cluster whose bus and replication are TLS too, and Sentinels
 * on TLS ports that require a password of their own.
 */
describe.each([
  {
    mode: 'a Redis Cluster (3 primaries, 3 replicas; bus and replication over TLS)',
    connected: /Connected to the Redis Cluster/,
    start: async (): Promise<TlsSetup> => {
      const cluster = await TlsRedisCluster.start(PASSWORD);
      return {
        caFile: cluster.caFile,
        env: { REDIS_CLUSTER_NODES: cluster.nodesVariable },
        stop: () => cluster.stop(),
      };
    },
  },
  {
    mode: 'Sentinel (3 Sentinels with a password of their own, a primary and 2 replicas)',
    connected: /Connected to the Sentinels' Redis primary/,
    start: async (): Promise<TlsSetup> => {
      const sentinels = await TlsRedisSentinel.start(
        'tqa-tls',
        PASSWORD,
        SENTINEL_PASSWORD,
      );
      return {
        caFile: sentinels.caFile,
        env: {
          REDIS_SENTINELS: sentinels.sentinelsVariable,
          REDIS_SENTINEL_NAME: 'tqa-tls',
          REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
        },
        stop: () => sentinels.stop(),
      };
    },
  },
])('Redis over TLS with an ACL user: $mode', ({ start, connected }) => {
  let setup: TlsSetup;
  let fake: FakeBotApi;
  let service: ServiceProcess;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    setup = await start();
    fake = await FakeBotApi.start();
    service = await spawnService({
      ...fake.env,
      ...setup.env,
      WEBHOOK_SECRET,
      REDIS_TLS: 'true',
      REDIS_USERNAME: TLS_REDIS_USER,
      REDIS_PASSWORD: PASSWORD,
      REDIS_KEY_PREFIX: uniqueKeyPrefix('tls-mode'),
      LOG_LEVEL: 'debug',
      NODE_EXTRA_CA_CERTS: setup.caFile,
    });
  }, 60_000);

  afterAll(async () => {
    closeSockets(...sockets);
    await service?.kill();
    await fake?.close();
    await setup?.stop();
  });

  it('logs in through it (token, socket, webhook, session), is ready, and writes no password in a log line', async () => {
    await request(service.url).get('/health/ready').expect(200);
    const { result, user } = await logInAcrossInstances(
      service,
      service,
      WEBHOOK_SECRET,
      sockets,
    );
    await me(service.url, result.accessToken).expect(200, asLoggedInUser(user));
    const output = [...service.stdout, ...service.stderr].join('\n');
    expect(output).toMatch(connected);
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain(SENTINEL_PASSWORD);
  });
});
