import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'socket.io-client';
import { createLogin, delay } from './support/http.js';
import {
  connectTestRedis,
  deleteKeys,
  describeWithRedis,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from './support/redis.js';
import {
  buildService,
  type ServiceProcess,
  spawnService,
} from './support/service-process.js';
import {
  closeSockets,
  connectAuthSocket,
  waitForStatus,
} from './support/socket.js';
import { newUser, startUpdate } from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'shutdown-webhook-secret';
/** How long the test keeps a webhook's body coming after SIGTERM. */
const HELD_MS = 400;

interface SlowWebhook {
  /** Sends the rest of the body. */
  finish(): void;
  response: Promise<{ status: number; connection?: string }>;
}

/** A webhook call whose headers and first bytes are sent now and the rest only on `finish()`: a request in flight. */
function startSlowWebhook(baseUrl: string, update: object): SlowWebhook {
  const body = JSON.stringify(update);
  const call = httpRequest(`${baseUrl}/telegram/webhook`, {
    method: 'POST',
    agent: false,
    headers: {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'X-Telegram-Bot-Api-Secret-Token': WEBHOOK_SECRET,
    },
  });
  const response = new Promise<{ status: number; connection?: string }>(
    (resolve, reject) => {
      call.once('response', (answer) => {
        answer.resume();
        answer.once('end', () =>
          resolve({
            status: answer.statusCode!,
            connection: answer.headers.connection,
          }),
        );
      });
      call.once('error', reject);
    },
  );
  response.catch(() => undefined);
  call.write(body.slice(0, 20));
  return { finish: () => call.end(body.slice(20)), response };
}

function disconnectReason(socket: Socket): Promise<string> {
  return new Promise((resolve) =>
    socket.once('disconnect', (reason) => resolve(reason)),
  );
}

/** Parsed JSON log lines of the service. */
function logRecords(service: ServiceProcess): Record<string, any>[] {
  return service.stdout.map((line) => JSON.parse(line) as Record<string, any>);
}

describe('SIGTERM (node dist/app/main.js as a child process)', () => {
  let service: ServiceProcess | undefined;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    await buildService();
  }, 120_000);

  afterEach(async () => {
    closeSockets(...sockets.splice(0));
    await service?.kill();
    service = undefined;
  });

  it('stops accepting, finishes the webhook in flight, pushes its result, disconnects sockets and exits 0', async () => {
    service = await spawnService({
      WEBHOOK_SECRET,
      SHUTDOWN_TIMEOUT_MS: '5000',
    });
    const login = await createLogin(service.url);
    const socket = await connectAuthSocket(service.url, login);
    sockets.push(socket);
    await waitForStatus(socket, 'pending');
    // Another browser, whose login is still under way when the instance stops.
    const waiting = await connectAuthSocket(
      service.url,
      await createLogin(service.url),
    );
    sockets.push(waiting);
    await waitForStatus(waiting, 'pending');
    const disconnected = disconnectReason(waiting);

    const webhook = startSlowWebhook(
      service.url,
      startUpdate(login.token, newUser({ first_name: 'Grace' })),
    );
    await delay(200);
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    await service.waitForLine((line) => line.includes('SIGTERM received'));

    await delay(HELD_MS);
    await expect(fetch(`${service.url}/health`)).rejects.toThrow();
    expect(service.child.exitCode).toBeNull();

    webhook.finish();
    expect(await webhook.response).toEqual({
      status: 200,
      connection: 'close',
    });
    const result = await waitForStatus(socket, 'authenticated');
    expect(result.user?.first_name).toBe('Grace');
    // Not "io server disconnect": that one would stop the waiting client from reconnecting (to another instance).
    expect(await disconnected).toBe('transport close');

    const exit = await service.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeGreaterThanOrEqual(HELD_MS);
    expect(exit.at - signalledAt).toBeLessThan(5000);
    expect(
      logRecords(service).filter((record) => record.level === 'error'),
    ).toEqual([]);
    expect(
      service.stdout.some((line) => /"msg":"Stopped in \d+ ms"/.test(line)),
    ).toBe(true);
  });

  it('exits 0 within SHUTDOWN_TIMEOUT_MS when a request never finishes, cutting it off', async () => {
    service = await spawnService({
      WEBHOOK_SECRET,
      SHUTDOWN_TIMEOUT_MS: '1500',
    });
    const login = await createLogin(service.url);
    const webhook = startSlowWebhook(
      service.url,
      startUpdate(login.token, newUser()),
    );
    await delay(200);
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');

    await expect(webhook.response).rejects.toThrow(/socket hang up|ECONNRESET/);
    const exit = await service.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    // Cut off at SHUTDOWN_TIMEOUT_MS instead of waiting for the request; margin for a busy machine.
    expect(exit.at - signalledAt).toBeLessThan(1500 + 1000);
    expect(
      service.stdout.some((line) =>
        line.includes('1 request(s) still running'),
      ),
    ).toBe(true);
  });

  it('exits at once when idle', async () => {
    service = await spawnService({ SHUTDOWN_TIMEOUT_MS: '5000' });
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    const exit = await service.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    // Well before SHUTDOWN_TIMEOUT_MS (5 s): nothing to wait for.
    expect(exit.at - signalledAt).toBeLessThan(3000);
  });
});

describeWithRedis('SIGTERM with REDIS_URL', () => {
  let service: ServiceProcess | undefined;
  const sockets: Socket[] = [];
  const prefix = uniqueKeyPrefix('shutdown');

  beforeAll(async () => {
    await buildService();
  }, 120_000);

  afterAll(async () => {
    closeSockets(...sockets.splice(0));
    await service?.kill();
    const redis = connectTestRedis();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('finishes the webhook in flight, closes Socket.IO and Redis cleanly and exits 0', async () => {
    service = await spawnService({
      WEBHOOK_SECRET,
      SHUTDOWN_TIMEOUT_MS: '5000',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
    });
    const login = await createLogin(service.url);
    const socket = await connectAuthSocket(service.url, login);
    sockets.push(socket);
    await waitForStatus(socket, 'pending');

    const webhook = startSlowWebhook(
      service.url,
      startUpdate(login.token, newUser()),
    );
    await delay(200);
    service.child.kill('SIGTERM');
    await delay(HELD_MS);
    webhook.finish();
    expect((await webhook.response).status).toBe(200);
    await waitForStatus(socket, 'authenticated');

    const exit = await service.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    const records = logRecords(service);
    const shutdownLines = records.slice(
      records.findIndex((record) => /SIGTERM received/.test(record.msg)),
    );
    expect(
      shutdownLines.filter(
        (record) => record.level === 'error' || record.level === 'warn',
      ),
    ).toEqual([]);
    expect(shutdownLines.at(-1)?.msg).toMatch(/^Stopped in \d+ ms$/);
  });
});
