import { afterEach, describe, expect, it } from '@jest/globals';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  TelegramQrAuthModule,
  type TelegramQrAuthExtras,
  type TelegramQrAuthOptions,
} from '../src/index.js';

async function hostWith(
  options: TelegramQrAuthOptions & TelegramQrAuthExtras,
): Promise<{ app: INestApplication; url: string }> {
  @Module({ imports: [TelegramQrAuthModule.forRoot(options)] })
  class HostModule {}
  const app = await NestFactory.create(HostModule, {
    logger: false,
    abortOnError: false,
  });
  await app.listen(0, '127.0.0.1');
  return {
    app,
    url: `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`,
  };
}

describe('The login page’s catalogues and Fluent, served beside it', () => {
  let host: { app: INestApplication; url: string } | undefined;

  afterEach(async () => {
    await host?.app.close();
    host = undefined;
  });

  it('serves each shipped locale’s catalogue as UTF-8 text, cached for a few minutes; 404 for another', async () => {
    host = await hostWith({});
    const response = await request(host.url)
      .get('/locales/fa/page.ftl')
      .expect(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.text).toContain('page-title = ورود با تلگرام');

    await request(host.url).get('/locales/de/page.ftl').expect(404);
    await request(host.url).get('/locales/../package.json').expect(404);
  });

  it("merges the host's messages into that locale's catalogue, under the route prefix", async () => {
    host = await hostWith({
      routePrefix: 'login',
      messages: {
        ru: 'page-title = Вход в Acme\nacme-motto = Быстрый вход\n',
      },
    });
    const russian = await request(host.url)
      .get('/login/locales/ru/page.ftl')
      .expect(200);
    expect(russian.text).toContain('page-title = Вход в Acme');
    expect(russian.text).not.toContain('page-title = Вход через Telegram');
    expect(russian.text).toContain('acme-motto = Быстрый вход');
    // The rest is ours, as it was.
    expect(russian.text).toContain('log-out = Выйти');

    const english = await request(host.url)
      .get('/login/locales/en/page.ftl')
      .expect(200);
    expect(english.text).toContain('page-title = Log in with Telegram');
  });

  it('serves the browser build of @fluent/bundle and @fluent/langneg as JavaScript modules', async () => {
    host = await hostWith({ routePrefix: 'login' });
    for (const path of [
      '/login/vendor/fluent-bundle/index.js',
      '/login/vendor/fluent-bundle/bundle.js',
      '/login/vendor/fluent-langneg/index.js',
    ]) {
      const response = await request(host.url).get(path).expect(200);
      expect(response.headers['content-type']).toMatch(
        /^(text|application)\/javascript/,
      );
    }
    await request(host.url)
      .get('/login/vendor/fluent-bundle/nothing.js')
      .expect(404);
  });

  it('serves neither without the page', async () => {
    host = await hostWith({ serveLoginPage: false });
    await request(host.url).get('/locales/en/page.ftl').expect(404);
    await request(host.url).get('/vendor/fluent-bundle/index.js').expect(404);
  });

  it('refuses messages for a locale it does not ship, or that are not Fluent', async () => {
    await expect(
      hostWith({ messages: { de: 'page-title = Anmelden' } as never }),
    ).rejects.toThrow(/messages\.de: not a shipped locale/);
    await expect(
      hostWith({ messages: { es: 'page-title = { roto' } }),
    ).rejects.toThrow(/messages\.es: line 1: /);
  });
});
