import { describe, expect, it } from '@jest/globals';
import {
  createServer,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ShutdownService } from './shutdown.service.js';

/** A server whose responses wait until the test ends them. */
async function holdingServer(shutdown: ShutdownService) {
  const held: ServerResponse[] = [];
  const server: Server = createServer((_request, response) =>
    held.push(response),
  );
  shutdown.watch(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (path: string) =>
    new Promise<{ connection?: string }>((resolve, reject) => {
      request(`${url}${path}`, { agent: false }, (response) => {
        response.resume();
        resolve({ connection: response.headers.connection });
      })
        .once('error', reject)
        .end();
    });
  const arrived = async (count: number) => {
    while (held.length < count)
      await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return {
    held,
    get,
    arrived,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('ShutdownService', () => {
  it('is idle at once without requests, and not draining until told', async () => {
    const shutdown = new ShutdownService();
    expect(shutdown.draining).toBe(false);
    await expect(shutdown.whenIdle(1000)).resolves.toBe(true);
    shutdown.startDraining();
    expect(shutdown.draining).toBe(true);
  });

  it('waits for the requests in flight, and answers them with Connection: close once draining', async () => {
    const shutdown = new ShutdownService();
    const server = await holdingServer(shutdown);
    try {
      const first = server.get('/telegram/webhook');
      const second = server.get('/auth/poll/x');
      await server.arrived(2);
      expect(shutdown.requestsInFlight).toBe(2);

      shutdown.startDraining();
      let idle: boolean | undefined;
      const waiting = shutdown.whenIdle(5000).then((result) => (idle = result));
      server.held[0].end();
      expect((await first).connection).toBe('close');
      expect(idle).toBeUndefined();
      server.held[1].end();
      await second;
      await waiting;
      expect(idle).toBe(true);
      expect(shutdown.requestsInFlight).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('gives up after the timeout, and never waits for Socket.IO long-polling requests', async () => {
    const shutdown = new ShutdownService();
    const server = await holdingServer(shutdown);
    try {
      const polling = server.get('/socket.io/?EIO=4&transport=polling');
      await server.arrived(1);
      expect(shutdown.requestsInFlight).toBe(0);
      await expect(shutdown.whenIdle(50)).resolves.toBe(true);

      const stuck = server.get('/telegram/webhook');
      await server.arrived(2);
      const started = Date.now();
      await expect(shutdown.whenIdle(100)).resolves.toBe(false);
      expect(Date.now() - started).toBeGreaterThanOrEqual(95);
      for (const response of server.held) response.end();
      await Promise.all([polling, stuck]);
    } finally {
      await server.close();
    }
  });
});
