import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { FakeBotApi } from './support/fake-bot-api.js';
import { createLogin, me, postUpdate } from './support/http.js';
import { deleteKeys, uniqueKeyPrefix } from './support/redis.js';
import { TlsRedisServer } from './support/redis-tls.js';
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
