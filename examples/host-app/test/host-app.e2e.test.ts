import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { io, type Socket } from 'socket.io-client';
import { AppModule } from '../src/app.module.js';
import { LoginAuditService } from '../src/login-audit.service.js';
import { UsersService } from '../src/users/users.service.js';

/** Just enough of Telegram's Bot API to record what the bot says. */
async function startFakeBotApi(): Promise<{
  url: string;
  sent: { chat_id: number; text: string }[];
  server: Server;
}> {
  const sent: { chat_id: number; text: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const params = body ? JSON.parse(body) : {};
      if (request.url?.endsWith('/sendMessage')) sent.push(params);
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          ok: true,
          result: {
            message_id: sent.length,
            date: 0,
            chat: { id: params.chat_id, type: 'private' },
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    server,
  };
}

const ADA = {
  id: 4242,
  is_bot: false,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
};
const MALLORY = { id: 666, is_bot: false, first_name: 'Mallory' };
let updateId = 1;

const startUpdate = (token: string, from: typeof ADA | typeof MALLORY) => ({
  update_id: updateId++,
  message: {
    message_id: updateId,
    from,
    chat: { id: from.id, type: 'private' },
    date: 0,
    text: `/start ${token}`,
  },
});

function nextStatus(
  socket: Socket,
  wanted: string,
): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${wanted}" status`)),
      3000,
    );
    socket.on('status', (body: Record<string, any>, ack?: () => void) => {
      // As the README asks: acknowledge, so that the service hands the result out for good.
      ack?.();
      if (body.status !== wanted) return;
      clearTimeout(timer);
      resolve(body);
    });
  });
}

describe('a host app using TelegramQrAuthModule from the package', () => {
  let app: INestApplication;
  let base: string;
  let telegram: Awaited<ReturnType<typeof startFakeBotApi>>;
  const sockets: Socket[] = [];

  before(async () => {
    telegram = await startFakeBotApi();
    Object.assign(process.env, {
      BOT_TOKEN: '123456789:AAHexampleexampleexampleexample0001',
      BOT_USERNAME: 'example_shop_bot',
      TELEGRAM_API_ROOT: telegram.url,
    });
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    app.get(UsersService).ban(MALLORY.id);
    app.get(UsersService).makeAdmin(ADA.id);
  });

  after(async () => {
    for (const socket of sockets) socket.close();
    await app.close();
    telegram.server.close();
  });

  const waitingLogin = async () => {
    const response = await fetch(`${base}/login/auth/token`, {
      method: 'POST',
    });
    assert.equal(response.status, 201);
    const { token, secret, deepLink } = (await response.json()) as Record<
      string,
      string
    >;
    assert.equal(deepLink, `https://t.me/example_shop_bot?start=${token}`);
    const socket = io(`${base}/auth`, {
      auth: { token, secret },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    return { token, socket };
  };

  const webhook = (update: object) =>
    fetch(`${base}/login/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(update),
    });

  it('logs in through its routePrefix, as the account its policy chose, and opens its protected route', async () => {
    const { token, socket } = await waitingLogin();
    const result = nextStatus(socket, 'authenticated');
    assert.equal((await webhook(startUpdate(token, ADA))).status, 200);
    const { user, accessToken } = await result;
    assert.deepEqual(user, {
      id: 4242,
      first_name: 'Ada',
      last_name: 'Lovelace',
      username: 'ada',
    });

    const profile = await fetch(`${base}/profile`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(profile.status, 200);
    const body = (await profile.json()) as Record<string, any>;
    assert.equal(body.accountId, 'acct_1');
    assert.equal(body.role, 'admin');
    assert.equal(body.telegram.id, 4242);
    assert.equal(body.account.displayName, 'Ada Lovelace');
  });

  it('keeps its protected route closed without a valid access token', async () => {
    assert.equal((await fetch(`${base}/profile`)).status, 401);
    assert.equal(
      (
        await fetch(`${base}/profile`, {
          headers: { authorization: 'Bearer forged' },
        })
      ).status,
      401,
    );
  });

  it('denies a user its policy refuses: the browser gets "denied" and the bot says why', async () => {
    const { token, socket } = await waitingLogin();
    const denied = nextStatus(socket, 'denied');
    await webhook(startUpdate(token, MALLORY));
    assert.deepEqual(await denied, { status: 'denied' });
    const deadline = Date.now() + 3000;
    while (
      !telegram.sent.some((message) => message.chat_id === MALLORY.id) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const reply = telegram.sent.find(
      (message) => message.chat_id === MALLORY.id,
    );
    assert.match(
      reply?.text ?? '',
      /cannot log in to Example Shop.*This account is suspended/,
    );
  });

  it('reports the logins as events the host listens to', () => {
    const trail = app
      .get(LoginAuditService)
      .trail.map(({ event, telegramId }) => ({ event, telegramId }));
    assert.deepEqual(trail, [
      { event: 'created', telegramId: undefined },
      { event: 'authenticated', telegramId: 4242 },
      { event: 'created', telegramId: undefined },
      { event: 'denied', telegramId: 666 },
    ]);
  });

  it('serves the bundled login page under its routePrefix', async () => {
    const page = await fetch(`${base}/login/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
  });
});
