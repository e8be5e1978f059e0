import { afterEach, describe, expect, it } from '@jest/globals';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import request from 'supertest';
import { OwnRedisServer, uniqueKeyPrefix } from '../../test/support/redis.js';
import { createRedisClient } from '../redis/redis-client.factory.js';
import { resolveRedisSettings } from '../telegram-qr-auth.settings.js';
import { SocketIoAdapter } from './socket-io.adapter.js';

// The adapter logs the outage this suite causes on purpose.
Logger.overrideLogger(false);
const quiet = new Logger('test');

describe('SocketIoAdapter with Redis', () => {
  const cleanups: (() => unknown)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function serve(
    redisUrl: string,
    keyPrefix: string,
    cors?: { origin: string[] },
  ) {
    const http: HttpServer = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => http.close(resolve)));
    const redis = createRedisClient(
      resolveRedisSettings({ url: redisUrl }),
      quiet,
    );
    cleanups.push(() => redis.disconnect());
    const adapter = new SocketIoAdapter(http, { cors });
    await adapter.connectRooms(redis, keyPrefix);
    cleanups.push(() => adapter.dispose());
    const server = adapter.createIOServer(0);
    cleanups.push(
      () =>
        new Promise((resolve) => void server.close(() => resolve(undefined))),
    );
    return {
      server,
      url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    };
  }

  it('carries a room emit from one server to a socket on another', async () => {
    const redisServer = await OwnRedisServer.start();
    cleanups.push(() => redisServer.stop());
    const prefix = uniqueKeyPrefix('io');
    const one = await serve(redisServer.url, prefix);
    const other = await serve(redisServer.url, prefix);
    other.server.on('connection', (socket) => socket.join('room-1'));
    const client = connect(other.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    cleanups.push(() => client.close());
    await new Promise<void>((resolve) =>
      client.once('connect', () => resolve()),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));

    const received = new Promise((resolve) => client.once('news', resolve));
    one.server.to('room-1').emit('news', { hello: 'from one' });

    await expect(received).resolves.toEqual({ hello: 'from one' });
  });

  it('survives emits while Redis is down: no unhandled rejection ends the process', async () => {
    const redisServer = await OwnRedisServer.start();
    cleanups.push(() => redisServer.stop());
    const { server } = await serve(redisServer.url, uniqueKeyPrefix('io'));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    cleanups.push(() => process.off('unhandledRejection', onUnhandled));

    await redisServer.stop();
    for (let i = 0; i < 5; i++) server.to(`room-${i}`).emit('news', i);
    // An emit that asks for acknowledgements first asks Redis how many servers will answer.
    const acknowledgements = await new Promise((resolve) =>
      server
        .to('room-0')
        .timeout(200)
        .emit('news', 'ack?', (_error: unknown, acks: unknown[]) =>
          resolve(acks),
        ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(acknowledgements).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('sends CORS headers to allowed origins on the polling transport', async () => {
    const redisServer = await OwnRedisServer.start();
    cleanups.push(() => redisServer.stop());
    const { url } = await serve(redisServer.url, uniqueKeyPrefix('io'), {
      origin: ['https://shop.example'],
    });

    const handshake = (origin: string) =>
      request(url)
        .get('/socket.io/?EIO=4&transport=polling')
        .set('Origin', origin)
        .expect(200);
    const allowed = await handshake('https://shop.example');
    const other = await handshake('https://evil.example');

    expect(allowed.headers['access-control-allow-origin']).toBe(
      'https://shop.example',
    );
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

/** A host's own gateway, with message handlers (the service's have none). */
@WebSocketGateway({ namespace: '/host' })
class EchoGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() text: string): string {
    return `echo: ${text}`;
  }
}

@Module({ providers: [EchoGateway] })
class HostModule {}

describe('SocketIoAdapter in a host app', () => {
  it("answers the messages of a host's gateway, though it binds no handlers for gateways without any", async () => {
    const app = await NestFactory.create(HostModule, { logger: false });
    app.useWebSocketAdapter(new SocketIoAdapter(app));
    await app.listen(0, '127.0.0.1');
    const client = connect(`${await app.getUrl()}/host`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    try {
      await expect(
        client.timeout(5_000).emitWithAck('echo', 'hello'),
      ).resolves.toBe('echo: hello');
    } finally {
      client.close();
      await app.close();
    }
  });
});
