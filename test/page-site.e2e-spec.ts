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
import { startApp } from './support/app.js';

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

describe('GET /page/site: the name and logo that head the login page', () => {
  let close: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('gives appName, and no logo when none is set', async () => {
    const host = await hostWith({ appName: 'Example Shop' });
    close = () => host.app.close();
    const response = await request(host.url).get('/page/site').expect(200);
    expect(response.body).toEqual({ name: 'Example Shop' });
  });

  it('gives appLogoUrl beside it, under the route prefix', async () => {
    const host = await hostWith({
      routePrefix: 'login',
      appLogoUrl: 'https://shop.example/logo.svg',
    });
    close = () => host.app.close();
    const response = await request(host.url)
      .get('/login/page/site')
      .expect(200);
    expect(response.body).toEqual({
      name: 'Telegram QR Auth',
      logoUrl: 'https://shop.example/logo.svg',
    });
  });

  it('is not there when the module does not serve the page', async () => {
    const host = await hostWith({ serveLoginPage: false });
    close = () => host.app.close();
    await request(host.url).get('/page/site').expect(404);
  });

  it("the service: APP_LOGO_URL's origin, and no other, is allowed as an image source", async () => {
    const service = await startApp({
      APP_LOGO_URL: 'https://cdn.shop.example/brand/logo.svg?v=2',
    });
    close = () => service.close();
    const page = await request(service.url).get('/').expect(200);
    const imgSrc = /img-src ([^;]*)/.exec(
      String(page.headers['content-security-policy']),
    )?.[1];
    expect(imgSrc).toBe("'self' data: https://cdn.shop.example");
    const site = await request(service.url).get('/page/site').expect(200);
    expect(site.body).toEqual({
      name: 'Telegram QR Auth',
      logoUrl: 'https://cdn.shop.example/brand/logo.svg?v=2',
    });
  });
});
