import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { FakeBotApi } from './support/fake-bot-api.js';
import { PATIENCE_MS } from './support/patience.js';
import {
  type ServiceProcess,
  spawnService,
} from './support/service-process.js';

/**
 * An address of this machine that is not loopback: what another machine on
 * its network would connect to. IPv4 first (every stack has it); none on a
 * machine with loopback only, where the logged address is checked instead.
 */
const outsideAddress = Object.values(networkInterfaces())
  .flatMap((entries) => entries ?? [])
  // Link-local IPv6 needs a zone (%eth0) to connect to.
  .filter(
    (entry) =>
      !entry.internal &&
      (entry.family === 'IPv4' || !entry.address.startsWith('fe80:')),
  )
  .sort((a, b) =>
    a.family === b.family ? 0 : a.family === 'IPv4' ? -1 : 1,
  )[0]?.address;

/** Whether a TCP connection to host:port is accepted ('refused' for ECONNREFUSED). */
function tryConnect(
  host: string,
  port: number,
): Promise<'accepted' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: PATIENCE_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(
        new Error(`no answer from ${host}:${port} within ${PATIENCE_MS} ms`),
      );
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error),
    );
  });
}

const portOf = (service: ServiceProcess) => Number(new URL(service.url).port);

/** The "listening on …" line main.ts logs. */
const listenLine = (service: ServiceProcess) =>
  service.waitForLine((line) => line.includes('listening on'));

describe('where the service listens (HOST)', () => {
  let fake: FakeBotApi;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
  });

  afterEach(async () => {
    await service?.kill();
    service = undefined;
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('in demo mode, on loopback only: 127.0.0.1 answers, the machine’s other addresses do not', async () => {
    service = await spawnService();
    expect(await tryConnect('127.0.0.1', portOf(service))).toBe('accepted');
    expect(await listenLine(service)).toContain(
      `http://127.0.0.1:${portOf(service)}`,
    );
    if (outsideAddress)
      expect(await tryConnect(outsideAddress, portOf(service))).toBe('refused');
  });

  it('in demo mode with HOST=0.0.0.0, on every interface', async () => {
    service = await spawnService({ HOST: '0.0.0.0' });
    expect(await tryConnect('127.0.0.1', portOf(service))).toBe('accepted');
    expect(await listenLine(service)).toContain('0.0.0.0');
    if (outsideAddress)
      expect(await tryConnect(outsideAddress, portOf(service))).toBe(
        'accepted',
      );
  });

  it('with a bot, on every interface by default (as in Docker and Compose)', async () => {
    service = await spawnService({
      ...fake.env,
      WEBHOOK_SECRET: 'listen-test-secret',
    });
    expect(await tryConnect('127.0.0.1', portOf(service))).toBe('accepted');
    expect(await listenLine(service)).toMatch(/all interfaces/);
    if (outsideAddress)
      expect(await tryConnect(outsideAddress, portOf(service))).toBe(
        'accepted',
      );
  });

  it('with a bot and HOST=127.0.0.1, on loopback only', async () => {
    service = await spawnService({
      ...fake.env,
      WEBHOOK_SECRET: 'listen-test-secret',
      HOST: '127.0.0.1',
    });
    expect(await tryConnect('127.0.0.1', portOf(service))).toBe('accepted');
    if (outsideAddress)
      expect(await tryConnect(outsideAddress, portOf(service))).toBe('refused');
  });

  it('refuses a HOST that is no address or host name, naming it', async () => {
    // Kept for afterEach should it start after all.
    const started = spawnService({ HOST: 'not a host' }).then((running) => {
      service = running;
      return running;
    });
    await expect(started).rejects.toThrow(/"HOST" must be/);
  });
});
