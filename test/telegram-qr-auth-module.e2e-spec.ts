import { afterEach, describe, expect, it } from '@jest/globals';
import {
  Injectable,
  Module,
  type INestApplication,
  type LoggerService,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import {
  type LoginChange,
  LoginEventsService,
  MemoryLoginStore,
  TelegramQrAuthModule,
  type TelegramQrAuthExtras,
  type TelegramQrAuthOptions,
  type OidcJwks,
  type TelegramQrAuthOptionsFactory,
} from '../src/index.js';
import { generateJwks } from '../src/oidc/oidc-keys.js';
import { CapturingLogger, type RunningApp, startApp } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import {
  closeSockets,
  connectAuthSocket,
  openAuthSocket,
  waitForStatus,
} from './support/socket.js';
import { DEFAULT_USER, startUpdate } from './support/telegram-updates.js';

/** A store of the host's own: the module must use it instead of its built-in one. */
@Injectable()
class CountingLoginStore extends MemoryLoginStore {
  static created = 0;
  override async create(
    ...args: Parameters<MemoryLoginStore['create']>
  ): Promise<void> {
    CountingLoginStore.created++;
    return super.create(...args);
  }
}

/** A store that fails the read right after a socket's handshake (its second read of a login), as when its server drops out for a moment. */
@Injectable()
class BlinkingStore extends MemoryLoginStore {
  private readonly reads = new Map<string, number>();
  override async find(token: string) {
    const reads = (this.reads.get(token) ?? 0) + 1;
    this.reads.set(token, reads);
    if (reads === 2) throw new Error('store unreachable');
    return super.find(token);
  }
}

async function hostWith(
  options: TelegramQrAuthOptions & TelegramQrAuthExtras,
  logger: LoggerService | false = false,
): Promise<{ app: INestApplication; url: string }> {
  @Module({ imports: [TelegramQrAuthModule.forRoot(options)] })
  class HostModule {}
  const app = await NestFactory.create(HostModule, {
    logger,
    abortOnError: false,
  });
  await app.listen(0, '127.0.0.1');
  return {
    app,
    url: `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`,
  };
}

describe('TelegramQrAuthModule in a host app', () => {
  let host: { app: INestApplication; url: string } | undefined;
  let service: RunningApp | undefined;
  let telegram: FakeBotApi | undefined;
  const sockets: Socket[] = [];

  afterEach(async () => {
    closeSockets(...sockets.splice(0));
    await host?.app.close();
    await service?.close();
    await telegram?.close();
    host = service = telegram = undefined;
  });

  it('forRoot uses a store the host gives and can leave the page out', async () => {
    host = await hostWith({
      loginStore: CountingLoginStore,
      serveLoginPage: false,
    });
    const before = CountingLoginStore.created;
    const { body } = await request(host.url).post('/auth/token').expect(201);
    expect(CountingLoginStore.created).toBe(before + 1);
    await request(host.url)
      .get(`/auth/poll/${body.token}`)
      .set('X-Login-Secret', body.secret)
      .expect(200, { status: 'pending' });
    await request(host.url).get('/').expect(404);
  });

  it('turns a socket away when its login cannot be read after the handshake, instead of leaving it waiting; the poll still answers', async () => {
    host = await hostWith({
      loginStore: BlinkingStore,
      serveLoginPage: false,
    });
    const { body } = await request(host.url).post('/auth/token').expect(201);
    const socket = openAuthSocket(host.url, body);
    sockets.push(socket);
    const disconnected = new Promise<string>((resolve) =>
      socket.once('disconnect', (reason) => resolve(reason)),
    );
    await expect(disconnected).resolves.toBe('io server disconnect');
    await request(host.url)
      .get(`/auth/poll/${body.token}`)
      .set('X-Login-Secret', body.secret)
      .expect(200, { status: 'pending' });
  });

  it('publishes every change of a login on LoginEventsService.changes', async () => {
    host = await hostWith({ confirmation: 'button' });
    const changes: LoginChange[] = [];
    host.app
      .get(LoginEventsService)
      .changes.subscribe((change) => changes.push(change));
    const { body } = await request(host.url).post('/auth/token').expect(201);
    await request(host.url)
      .post('/telegram/webhook')
      .send(startUpdate(body.token))
      .expect(200);
    await request(host.url)
      .post('/telegram/webhook')
      .send({
        update_id: 1,
        callback_query: {
          id: '1',
          from: DEFAULT_USER,
          data: `deny:${body.token}`,
        },
      })
      .expect(200);
    expect(changes.map(({ status, user }) => [status, user?.id])).toEqual([
      ['pending', undefined],
      ['scanned', DEFAULT_USER.id],
      ['denied', DEFAULT_USER.id],
    ]);
  });

  it('refuses a Telegram user outside ALLOWED_TELEGRAM_IDS: "denied" to the browser, the reason in Telegram', async () => {
    telegram = await FakeBotApi.start();
    service = await startApp({
      ...telegram.env,
      ALLOWED_TELEGRAM_IDS: '1, 2',
    });
    const { body } = await request(service.url).post('/auth/token').expect(201);
    const socket = await connectAuthSocket(service.url, {
      token: body.token,
      secret: body.secret,
    });
    sockets.push(socket);
    await request(service.url)
      .post('/telegram/webhook')
      .send(startUpdate(body.token))
      .expect(200);
    expect(await waitForStatus(socket, 'denied')).toEqual({ status: 'denied' });
    const reply = await telegram.waitForCall('sendMessage');
    expect(reply.text).toMatch(/cannot log in .*not on the list/);
  });

  it('lets in the Telegram users ALLOWED_TELEGRAM_IDS lists', async () => {
    service = await startApp({ ALLOWED_TELEGRAM_IDS: `${DEFAULT_USER.id}` });
    const { body } = await request(service.url).post('/auth/token').expect(201);
    const socket = await connectAuthSocket(service.url, {
      token: body.token,
      secret: body.secret,
    });
    sockets.push(socket);
    await request(service.url)
      .post('/telegram/webhook')
      .send(startUpdate(body.token))
      .expect(200);
    expect((await waitForStatus(socket, 'authenticated')).user?.id).toBe(
      DEFAULT_USER.id,
    );
  });

  it('forRootAsync takes a class that computes the options (useClass)', async () => {
    @Injectable()
    class OptionsFromHost implements TelegramQrAuthOptionsFactory {
      createTelegramQrAuthOptions(): TelegramQrAuthOptions {
        return { tokenTtlSeconds: 42, confirmation: 'code' };
      }
    }
    @Module({
      imports: [
        TelegramQrAuthModule.forRootAsync({
          useClass: OptionsFromHost,
          serveLoginPage: false,
        }),
      ],
    })
    class HostModule {}
    const app = await NestFactory.create(HostModule, {
      logger: false,
      abortOnError: false,
    });
    await app.listen(0, '127.0.0.1');
    host = {
      app,
      url: `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`,
    };
    const { body } = await request(host.url).post('/auth/token').expect(201);
    expect(body.expiresIn).toBe(42);
    expect(body.matchCode).toMatch(/^\d{2}$/);
  });

  describe('warns the host at start-up', () => {
    const DEMO = /DEMO MODE: no bot token \(bot\.token/;
    const OPEN_WEBHOOK =
      /No webhook secret \(bot\.webhookSecret.*anyone can post updates/;
    const GENERATED_KEYS =
      /No signing keys \(oidc\.jwks.*generated at each start/;
    const RANDOM_SECRET = /HS256 without a secret \(jwt\.secret.*random key/;
    const JWKS = generateJwks();

    /** The warnings a host logs while it starts with a bot (on a fake Bot API) or not, and the keys or secrets given. */
    async function warningsOf(setup: {
      bot: boolean;
      webhookSecret?: string;
      jwks?: OidcJwks;
      jwt?: TelegramQrAuthOptions['jwt'];
    }): Promise<string> {
      if (setup.bot) telegram = await FakeBotApi.start();
      const logs = new CapturingLogger();
      host = await hostWith(
        {
          bot: telegram && {
            token: telegram.token,
            username: 'host_login_bot',
            apiRoot: telegram.url,
            webhookSecret: setup.webhookSecret,
          },
          jwt: setup.jwt,
          oidc: { jwks: setup.jwks },
          serveLoginPage: false,
        },
        logs,
      );
      return logs.lines
        .filter((line) => line.level === 'warn')
        .map((line) => line.message)
        .join('\n');
    }

    it('of demo mode and of generated signing keys, with neither a bot nor keys', async () => {
      const warnings = await warningsOf({ bot: false });
      expect(warnings).toMatch(DEMO);
      expect(warnings).toMatch(GENERATED_KEYS);
      // Without a bot there is no webhook of Telegram's to secure.
      expect(warnings).not.toMatch(OPEN_WEBHOOK);
    });

    it('of an unchecked webhook, with a bot but no webhook secret', async () => {
      const warnings = await warningsOf({ bot: true, jwks: JWKS });
      expect(warnings).toMatch(OPEN_WEBHOOK);
      expect(warnings).not.toMatch(DEMO);
      expect(warnings).not.toMatch(GENERATED_KEYS);
    });

    it('of nothing, with a bot, a webhook secret and keys', async () => {
      const warnings = await warningsOf({
        bot: true,
        webhookSecret: 'host-webhook-secret',
        jwks: JWKS,
      });
      expect(warnings).not.toMatch(DEMO);
      expect(warnings).not.toMatch(OPEN_WEBHOOK);
      expect(warnings).not.toMatch(GENERATED_KEYS);
      expect(warnings).not.toMatch(RANDOM_SECRET);
    });

    it('of a random HS256 key, with the HS256 opt-in but no secret (and of no keys: none are needed)', async () => {
      const warnings = await warningsOf({
        bot: true,
        webhookSecret: 'host-webhook-secret',
        jwt: { algorithm: 'HS256' },
      });
      expect(warnings).toMatch(RANDOM_SECRET);
      expect(warnings).not.toMatch(GENERATED_KEYS);
    });
  });

  it('rejects options it cannot work with, naming them', async () => {
    await expect(
      hostWith({ bot: { token: '1:x'.padEnd(40, 'x') } }),
    ).rejects.toThrow(/bot.username is required/);
    await expect(
      hostWith({ jwt: { algorithm: 'HS256', secret: 'short' } }),
    ).rejects.toThrow(/jwt.secret must be at least 32 characters/);
    // Several instances on one Redis, each with a random key, would refuse each other's sessions.
    await expect(
      hostWith({
        jwt: { algorithm: 'HS256' },
        redis: { url: 'redis://127.0.0.1:6379' },
      }),
    ).rejects.toThrow(/jwt.secret is required with redis.url/);
    // A secret left from an HS256 setup: its host would refuse every ES256 token.
    await expect(
      hostWith({ jwt: { secret: 'host-jwt-secret-0123456789abcdefghijkl' } }),
    ).rejects.toThrow(/jwt.secret is only used with jwt.algorithm 'HS256'/);
    await expect(hostWith({ oidc: { jwks: { keys: [] } } })).rejects.toThrow(
      /oidc.jwks: must include an RSA key/,
    );
    await expect(
      hostWith({ messages: { de: 'logged-in = Hallo' } as never }),
    ).rejects.toThrow(
      'TelegramQrAuthModule: messages.de: not a shipped locale (en, ru, uk, es, pt-BR, fa, id)',
    );
    await expect(
      hostWith({ messages: { en: 'logged-in = {' } }),
    ).rejects.toThrow(/messages\.en: /);
  });
});
