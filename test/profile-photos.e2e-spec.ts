import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import request from 'supertest';
import { TelegramQrAuthModule } from '../src/index.js';
import { PhotoTickets } from '../src/photos/photo-tickets.js';
import { PHOTO_FETCH_TIMEOUT_MS } from '../src/photos/profile-photos.constants.js';
import { CapturingLogger, type RunningApp, startApp } from './support/app.js';
import {
  FakeBotApi,
  FILE_DOWNLOAD,
  type ProfilePhotoSide,
} from './support/fake-bot-api.js';
import {
  createLogin,
  eventually,
  me,
  PHOTO_URL,
  poll,
  pollUntilSettled,
  postUpdate,
} from './support/http.js';
import {
  completeOnPage,
  openLoginPage,
  type OidcApp,
  pageLogin,
  relyingParty,
  SHOP,
  startOidcApp,
} from './support/oidc.js';
import { PATIENCE_MS } from './support/patience.js';
import {
  closeSockets,
  connectAuthSocket,
  type LoginStatusEvent,
  waitForStatus,
} from './support/socket.js';
import {
  callbackUpdate,
  newUser,
  startUpdate,
  type TestUser,
} from './support/telegram-updates.js';
import type { Socket } from 'socket.io-client';

interface InlineButton {
  text: string;
  callback_data: string;
}

/** Everything the service answered in a test: bodies, headers, socket events, as text. */
class Transcript {
  private readonly parts: string[] = [];

  record(response: request.Response): request.Response {
    this.parts.push(JSON.stringify(response.headers));
    this.parts.push(
      Buffer.isBuffer(response.body)
        ? response.body.toString('latin1')
        : JSON.stringify(response.body ?? response.text),
    );
    return response;
  }

  event(event: unknown): void {
    this.parts.push(JSON.stringify(event));
  }

  get text(): string {
    return this.parts.join('\n');
  }
}

describe('profile photos', () => {
  let telegram: FakeBotApi;
  let service: RunningApp;
  const logger = new CapturingLogger();
  const seen = new Transcript();
  const sockets: Socket[] = [];

  beforeAll(async () => {
    telegram = await FakeBotApi.start();
    service = await startApp(
      { ...telegram.env, LOGIN_CONFIRMATION: 'button' },
      { logger },
    );
  });

  afterAll(async () => {
    closeSockets(...sockets);
    await service?.close();
    await telegram?.close();
  });

  const getPhoto = async (path: string) =>
    seen.record(await request(service.url).get(path));

  /** A login scanned by `user` and confirmed: the `scanned` event and the result, as the page's socket heard them. */
  async function logIn(user: TestUser) {
    const login = await createLogin(service.url);
    const socket = await connectAuthSocket(service.url, login);
    sockets.push(socket);
    await postUpdate(service.url, startUpdate(login.token, user)).expect(200);
    const scanned = await waitForStatus(socket, 'scanned');
    seen.event(scanned);
    const polled = seen.record(
      await poll(service.url, login.token, login.secret).expect(200),
    ).body as LoginStatusEvent;
    const question = await telegram.waitForCall(
      'sendMessage',
      (params) => Number(params.chat_id) === user.id,
    );
    const confirm = (
      (question.reply_markup?.inline_keyboard ?? []).flat() as InlineButton[]
    ).find((button) => button.callback_data.startsWith('confirm:'))!;
    await postUpdate(
      service.url,
      callbackUpdate(confirm.callback_data, user),
    ).expect(200);
    const result = await waitForStatus(socket, 'authenticated');
    seen.event(result);
    return { scanned, polled, result };
  }

  it('names the photo in the scanned status and the result; the URL serves the 320 px JPEG, privately cached until its ticket ends', async () => {
    const ada = newUser({ first_name: 'Ada' });
    const photo = telegram.setProfilePhoto(ada.id)!;

    const { scanned, polled, result } = await logIn(ada);
    expect(scanned).toEqual({
      status: 'scanned',
      firstName: 'Ada',
      photoUrl: expect.stringMatching(PHOTO_URL),
    });
    // One URL throughout: the page loads the photo once.
    expect(polled).toEqual(scanned);
    expect(result).toMatchObject({
      status: 'authenticated',
      photoUrl: scanned.photoUrl,
    });
    expect(result.user).toEqual({
      id: ada.id,
      first_name: 'Ada',
      last_name: ada.last_name,
      username: ada.username,
    });
    // Handing out the URL asked Telegram nothing.
    expect(telegram.callsTo('getUserProfilePhotos')).toEqual([]);

    const response = await getPhoto(scanned.photoUrl!);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    expect(response.body).toEqual(photo[320 satisfies ProfilePhotoSide]);
    const maxAge = Number(
      /^private, max-age=(\d+)$/.exec(response.headers['cache-control'])?.[1],
    );
    expect(maxAge).toBeGreaterThan(3600 - 60);
    expect(maxAge).toBeLessThanOrEqual(3600);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cross-origin-resource-policy']).toBe(
      'cross-origin',
    );
    expect(telegram.callsTo('getUserProfilePhotos')).toEqual([
      expect.objectContaining({ user_id: ada.id, limit: 1 }),
    ]);

    // Loaded again (a reload, the logged-in card): from the cache, Telegram is not asked again.
    expect((await getPhoto(result.photoUrl!)).body).toEqual(photo[320]);
    expect(telegram.callsTo('getUserProfilePhotos')).toHaveLength(1);
    expect(telegram.callsTo(FILE_DOWNLOAD)).toHaveLength(1);
  });

  it('gives a person without a photo a URL all the same, which answers 404 (the page shows initials)', async () => {
    const { scanned, result } = await logIn(newUser({ first_name: 'Bob' }));
    expect(scanned.photoUrl).toMatch(PHOTO_URL);
    expect(result.photoUrl).toBe(scanned.photoUrl);

    const response = await getPhoto(scanned.photoUrl!);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      statusCode: 404,
      message: 'No photo',
      error: 'Not Found',
    });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers 502 when the Bot API fails, and asks again next time (a failure is not kept)', async () => {
    const user = newUser();
    const photo = telegram.setProfilePhoto(user.id)!;
    const { result } = await logIn(user);
    telegram.failNext('getUserProfilePhotos', {
      status: 400,
      description: 'Bad Request: user not found',
    });

    const failed = await getPhoto(result.photoUrl!);
    expect(failed.status).toBe(502);
    expect(failed.body).toEqual({
      statusCode: 502,
      message: 'Telegram could not give the profile photo',
      error: 'Bad Gateway',
    });
    expect(failed.headers['cache-control']).toBe('no-store');

    const again = await getPhoto(result.photoUrl!);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(photo[320]);
  });

  it('answers 502 when the download fails', async () => {
    const user = newUser();
    telegram.setProfilePhoto(user.id);
    const { result } = await logIn(user);
    telegram.failNext(FILE_DOWNLOAD, { status: 500 });

    expect((await getPhoto(result.photoUrl!)).status).toBe(502);
  });

  it(`answers 504 within ${PHOTO_FETCH_TIMEOUT_MS} ms when the Bot API does not answer`, async () => {
    const user = newUser();
    telegram.setProfilePhoto(user.id);
    const { result } = await logIn(user);
    telegram.hang({
      methods: ['getUserProfilePhotos'],
      where: (params) => Number(params.user_id) === user.id,
    });
    try {
      const startedAt = Date.now();
      const response = await getPhoto(result.photoUrl!);
      expect(response.status).toBe(504);
      expect(response.body).toEqual({
        statusCode: 504,
        message: 'Telegram did not answer in time with the profile photo',
        error: 'Gateway Timeout',
      });
      expect(Date.now() - startedAt).toBeLessThan(
        PHOTO_FETCH_TIMEOUT_MS + PATIENCE_MS,
      );
      // The call was given up, not left open.
      const hung = await telegram.waitForHungCall('getUserProfilePhotos');
      await eventually(async () => expect(hung.closedAt).toBeDefined());
    } finally {
      telegram.recover();
    }
  });

  it('refuses tickets that are not ours, tampered with or expired, and access tokens, with the same 404', async () => {
    const user = newUser();
    telegram.setProfilePhoto(user.id);
    const { result } = await logIn(user);
    const ticket = result.photoUrl!.split('/').pop()!;
    const [header, payload, signature] = ticket.split('.');
    const otherPerson = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        sub: String(user.id + 1),
      }),
    ).toString('base64url');
    const expired = await service.app.get(PhotoTickets).issue(user.id, -1);

    for (const bad of [
      'not-a-ticket',
      `${header}.${otherPerson}.${signature}`,
      `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
      expired,
      result.accessToken!,
    ]) {
      const response = await getPhoto(`/auth/photos/${bad}`);
      expect([bad, response.status, response.body]).toEqual([
        bad,
        404,
        { statusCode: 404, message: 'No photo', error: 'Not Found' },
      ]);
    }
    // And the other way round: a ticket is no key to the API.
    await me(service.url, ticket).expect(401);
    await me(service.url, result.accessToken).expect(200);
  });

  it('never lets the bot token out: not in an answer, a header, a socket event or a log line', () => {
    // Every test above ran through this app: logins, photos served, failures and a timeout.
    expect(seen.text).toContain('/auth/photos/');
    expect(seen.text).not.toContain(telegram.token);
    expect(seen.text).not.toContain(`bot${telegram.botId}`);
    expect(logger.text).toContain('Profile photo of');
    expect(logger.text).not.toContain(telegram.token);
    expect(logger.text).not.toContain('/file/bot');
    expect(telegram.unauthorizedRequests).toEqual([]);
  });
});

describe('profile photos turned off (PROFILE_PHOTOS=off)', () => {
  let telegram: FakeBotApi;
  let service: RunningApp;

  beforeAll(async () => {
    telegram = await FakeBotApi.start();
    service = await startApp({ ...telegram.env, PROFILE_PHOTOS: 'off' });
  });

  afterAll(async () => {
    await service?.close();
    await telegram?.close();
  });

  it('names no photo in the result, and the route answers 404 even to a ticket of its own', async () => {
    const user = newUser();
    telegram.setProfilePhoto(user.id);
    const login = await createLogin(service.url);
    await postUpdate(service.url, startUpdate(login.token, user)).expect(200);
    const { body } = await pollUntilSettled(
      service.url,
      login.token,
      login.secret,
    );
    expect(body).toEqual({
      status: 'authenticated',
      user: expect.objectContaining({ id: user.id }),
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    });

    const ticket = await service.app.get(PhotoTickets).issue(user.id, 3600);
    await request(service.url).get(`/auth/photos/${ticket}`).expect(404, {
      statusCode: 404,
      message: 'No photo',
      error: 'Not Found',
    });
    expect(telegram.callsTo('getUserProfilePhotos')).toEqual([]);
  });
});

describe('profile photos in demo mode (no bot)', () => {
  let service: RunningApp;

  beforeAll(async () => {
    service = await startApp({ LOGIN_CONFIRMATION: 'button' });
  });

  afterAll(() => service?.close());

  it('are off: the scanned status carries the first name alone', async () => {
    const login = await createLogin(service.url);
    await postUpdate(
      service.url,
      startUpdate(login.token, newUser({ first_name: 'Ada' })),
    ).expect(200);
    const { body } = await pollUntilSettled(
      service.url,
      login.token,
      login.secret,
    );
    expect(body).toEqual({ status: 'scanned', firstName: 'Ada' });
  });
});

describe('profile photos as the OpenID picture claim', () => {
  let telegram: FakeBotApi;
  let app: OidcApp;
  let shop: client.Configuration;

  beforeAll(async () => {
    telegram = await FakeBotApi.start();
    app = await startOidcApp([SHOP], telegram.env);
    shop = await relyingParty(app.issuer, SHOP);
  });

  afterAll(async () => {
    await app?.close();
    await telegram?.close();
  });

  it('puts our photo URL (absolute, at the issuer) in the ID token and userinfo, and it serves the photo', async () => {
    const ada = newUser({ first_name: 'Ada' });
    const photo = telegram.setProfilePhoto(ada.id)!;
    const visit = await openLoginPage(app, shop);
    const ticket = await pageLogin(visit);
    await postUpdate(app.url, startUpdate(ticket.token, ada)).expect(200);
    const onward = await eventually(async () => {
      const { body } = await poll(app.url, ticket.token, ticket.secret).expect(
        200,
      );
      expect(body.status).toBe('authenticated');
      return body as { continueTo: string };
    });
    const callback = await completeOnPage(
      app,
      visit,
      onward.continueTo,
      ticket,
    );
    const tokens = await client.authorizationCodeGrant(shop, callback, {
      pkceCodeVerifier: visit.codeVerifier,
      expectedState: visit.state,
      expectedNonce: visit.nonce,
      idTokenExpected: true,
    });

    const picture = tokens.claims()?.picture as string;
    expect(picture).toMatch(
      new RegExp(`^${app.url.replace(/\./g, '\\.')}/auth/photos/[\\w.-]+$`),
    );
    expect(picture).not.toContain(telegram.token);
    const userinfo = await client.fetchUserInfo(
      shop,
      tokens.access_token,
      String(ada.id),
    );
    expect(userinfo.picture as string).toMatch(/\/auth\/photos\/[\w.-]+$/);

    const response = await fetch(picture);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(photo[320]);
    // Works for a day; a browser keeps it an hour at most.
    expect(response.headers.get('cache-control')).toBe('private, max-age=3600');
  });
});

describe('profile photos in a host app, under a route prefix', () => {
  let telegram: FakeBotApi;
  let host: INestApplication;
  let url: string;

  beforeAll(async () => {
    telegram = await FakeBotApi.start();
    @Module({
      imports: [
        TelegramQrAuthModule.forRoot({
          bot: {
            token: telegram.token,
            username: telegram.username,
            apiRoot: telegram.url,
          },
          routePrefix: 'login',
          serveLoginPage: false,
        }),
      ],
    })
    class HostModule {}
    host = await NestFactory.create(HostModule, {
      logger: false,
      abortOnError: false,
    });
    await host.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(host.getHttpServer() as { address(): AddressInfo }).address().port}`;
  });

  afterAll(async () => {
    await host?.close();
    await telegram?.close();
  });

  it('names and serves the photo under the prefix', async () => {
    const user = newUser();
    const photo = telegram.setProfilePhoto(user.id)!;
    const login = (await request(url).post('/login/auth/token').expect(201))
      .body as { token: string; secret: string };
    await request(url)
      .post('/login/telegram/webhook')
      .send(startUpdate(login.token, user))
      .expect(200);
    const result = await eventually(async () => {
      const { body } = await request(url)
        .get(`/login/auth/poll/${login.token}`)
        .set('X-Login-Secret', login.secret)
        .expect(200);
      expect(body.status).toBe('authenticated');
      return body as { photoUrl: string };
    });
    expect(result.photoUrl).toMatch(/^\/login\/auth\/photos\/[\w.-]+$/);
    const response = await request(url).get(result.photoUrl).expect(200);
    expect(response.body).toEqual(photo[320]);
  });
});
