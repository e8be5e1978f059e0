import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { launchChromium } from './browser/support/chromium.js';
import { type RunningApp, startApp } from './support/app.js';
import { createLogin, poll, postUpdate } from './support/http.js';
import { startUpdate } from './support/telegram-updates.js';

const APP_CSP =
  "default-src 'self';base-uri 'self';form-action 'self';frame-ancestors 'none';object-src 'none';img-src 'self' data:;connect-src 'self' ws: wss:";

describe('helmet and Cache-Control', () => {
  let service: RunningApp;

  beforeAll(async () => {
    service = await startApp({
      RATE_LIMIT_TOKEN: '2',
      RATE_LIMIT_TTL_SECONDS: '60',
    });
  });

  afterAll(() => service?.close());

  it('sends the content security policy and helmet headers with the login page', async () => {
    const response = await request(service.url).get('/').expect(200);
    expect(response.headers['content-security-policy']).toBe(APP_CSP);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['strict-transport-security']).toMatch(
      /^max-age=\d+/,
    );
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('gives Swagger UI (/docs) a policy of its own that allows its inline styles, and the app not', async () => {
    const docs = await request(service.url)
      .get('/docs')
      .redirects(1)
      .expect(200);
    const csp = docs.headers['content-security-policy'];
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(docs.text).toContain('swagger-ui');
    expect(
      (await request(service.url).get('/docs-json').expect(200)).headers[
        'content-security-policy'
      ],
    ).toBe(csp);
    expect(
      (await request(service.url).get('/documents').expect(404)).headers[
        'content-security-policy'
      ],
    ).toBe(APP_CSP);
  });

  it('marks every /auth answer no-store, errors included', async () => {
    const login = await createLogin(service.url);
    const answers = [
      await poll(service.url, login.token, login.secret).expect(200),
      await poll(service.url, login.token, 'wrong-secret').expect(404),
      await request(service.url).get('/auth/me').expect(401),
      await request(service.url).get('/auth/nothing-here').expect(404),
      await request(service.url).post('/auth/token').expect(201),
      await request(service.url).post('/auth/token').expect(429),
    ];
    for (const answer of answers)
      expect(answer.headers['cache-control']).toBe('no-store');
    // Nothing to revalidate either: no ETag is worked out for an answer that is never cached.
    for (const answer of answers) expect(answer.headers.etag).toBeUndefined();
  });

  it('still gives the static page an ETag, so a browser revalidates it cheaply', async () => {
    const page = await request(service.url).get('/').expect(200);
    expect(page.headers.etag).toBeDefined();
    await request(service.url)
      .get('/')
      .set('If-None-Match', page.headers.etag)
      .expect(304);
  });
});

describe('CORS', () => {
  const started: RunningApp[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startApp(env);
    started.push(app);
    return app;
  };

  afterAll(async () => {
    for (const app of started) await app.close();
  });

  it('sends no CORS headers when CORS_ORIGINS is empty (same origin only)', async () => {
    const service = await start({});
    const response = await request(service.url)
      .post('/auth/token')
      .set('Origin', 'https://shop.example')
      .expect(201);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const handshake = await request(service.url)
      .get('/socket.io/?EIO=4&transport=polling')
      .set('Origin', 'https://shop.example');
    expect(handshake.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows exactly the listed origins, for HTTP (with preflight) and Socket.IO polling', async () => {
    const service = await start({
      CORS_ORIGINS: 'https://shop.example, https://admin.shop.example',
    });

    const preflight = await request(service.url)
      .options('/auth/poll/abc')
      .set('Origin', 'https://admin.shop.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'x-login-secret');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(
      'https://admin.shop.example',
    );
    expect(preflight.headers['access-control-allow-headers']).toMatch(
      /X-Login-Secret/i,
    );

    const allowed = await request(service.url)
      .post('/auth/token')
      .set('Origin', 'https://shop.example')
      .expect(201);
    expect(allowed.headers['access-control-allow-origin']).toBe(
      'https://shop.example',
    );
    expect(allowed.headers['access-control-expose-headers']).toMatch(
      /Retry-After/,
    );
    const refused = await request(service.url)
      .post('/auth/token')
      .set('Origin', 'https://evil.example')
      .expect(201);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();

    const handshake = await request(service.url)
      .get('/socket.io/?EIO=4&transport=polling')
      .set('Origin', 'https://shop.example')
      .expect(200);
    expect(handshake.headers['access-control-allow-origin']).toBe(
      'https://shop.example',
    );
    const foreign = await request(service.url)
      .get('/socket.io/?EIO=4&transport=polling')
      .set('Origin', 'https://evil.example');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows any origin with CORS_ORIGINS=*', async () => {
    const service = await start({ CORS_ORIGINS: '*' });
    const response = await request(service.url)
      .post('/auth/token')
      .set('Origin', 'https://anywhere.example')
      .expect(201);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const handshake = await request(service.url)
      .get('/socket.io/?EIO=4&transport=polling')
      .set('Origin', 'https://anywhere.example')
      .expect(200);
    expect(handshake.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('rate limits (in memory, one instance)', () => {
  let service: RunningApp;

  beforeAll(async () => {
    service = await startApp({
      RATE_LIMIT_TOKEN: '3',
      RATE_LIMIT_POLL: '4',
      RATE_LIMIT_TTL_SECONDS: '2',
    });
  });

  afterAll(() => service?.close());

  const createFrom = (ip: string) =>
    request(service.url).post('/auth/token').set('X-Forwarded-For', ip);

  it('refuses token creation past RATE_LIMIT_TOKEN per client IP with 429, Retry-After and a JSON message, then allows it again', async () => {
    const ip = '203.0.113.10';
    const first = await createFrom(ip).expect(201);
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    await createFrom(ip).expect(201);
    await createFrom(ip).expect(201);

    const refused = await createFrom(ip).expect(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(refused.body).toEqual({
      statusCode: 429,
      message: `Too many requests from your address. Try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`,
    });
    // Others are not affected.
    await createFrom('203.0.113.11').expect(201);

    await new Promise((resolve) =>
      setTimeout(resolve, retryAfter * 1000 + 100),
    );
    await createFrom(ip).expect(201);
  });

  it('counts polls on their own (RATE_LIMIT_POLL), whatever the answer', async () => {
    const ip = '203.0.113.20';
    const login = (await createFrom(ip).expect(201)).body as {
      token: string;
      secret: string;
    };
    const pollFrom = (secret: string) =>
      poll(service.url, login.token, secret).set('X-Forwarded-For', ip);
    await pollFrom(login.secret).expect(200);
    await pollFrom('wrong').expect(404);
    await pollFrom(login.secret).expect(200);
    await pollFrom(login.secret).expect(200);

    const refused = await pollFrom(login.secret).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Token creation has its own count.
    await createFrom(ip).expect(201);
  });

  it('never limits the webhook, /auth/me, the page or the docs', async () => {
    const ip = '203.0.113.30';
    for (let i = 0; i < 12; i++) {
      await postUpdate(service.url, startUpdate('/start'))
        .set('X-Forwarded-For', ip)
        .expect(200);
      await request(service.url)
        .get('/auth/me')
        .set('X-Forwarded-For', ip)
        .expect(401);
      await request(service.url)
        .get('/')
        .set('X-Forwarded-For', ip)
        .expect(200);
    }
  });

  it('without X-Forwarded-For (no local proxy), counts the connection address', async () => {
    // X-Forwarded-For is only believed from loopback (trust proxy); without it, req.ip is 127.0.0.1 itself.
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await request(service.url).post('/auth/token')).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
  });
});

describe('rate-limit headers', () => {
  let service: RunningApp;

  beforeAll(async () => {
    // A window far longer than the test, so that no request lands in a fresh one.
    service = await startApp({
      RATE_LIMIT_TOKEN: '2',
      RATE_LIMIT_POLL: '2',
      RATE_LIMIT_TTL_SECONDS: '600',
    });
  });

  afterAll(() => service?.close());

  const limitHeaders = (response: { headers: Record<string, string> }) =>
    Object.fromEntries(
      Object.entries(response.headers).filter(([name]) =>
        /^(x-ratelimit-|retry-after)/.test(name),
      ),
    );

  it('sends X-RateLimit-Limit, -Remaining and -Reset with every answer the limit lets through, a 404 included', async () => {
    const ip = '203.0.113.40';
    const created = await request(service.url)
      .post('/auth/token')
      .set('X-Forwarded-For', ip)
      .expect(201);
    expect(limitHeaders(created)).toEqual({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': expect.stringMatching(/^\d+$/),
    });
    const reset = Number(created.headers['x-ratelimit-reset']);
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(600);

    const unknown = await poll(service.url, 'no-such-token', 'x')
      .set('X-Forwarded-For', ip)
      .expect(404);
    expect(limitHeaders(unknown)).toEqual({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': expect.stringMatching(/^\d+$/),
    });
  });

  it('sends only Retry-After with a 429, none of the X-RateLimit headers', async () => {
    const ip = '203.0.113.41';
    const create = () =>
      request(service.url).post('/auth/token').set('X-Forwarded-For', ip);
    await create().expect(201);
    const last = await create().expect(201);
    expect(last.headers['x-ratelimit-remaining']).toBe('0');
    const refused = await create().expect(429);
    expect(limitHeaders(refused)).toEqual({
      'retry-after': expect.stringMatching(/^\d+$/),
    });
  });
});

describe('in a browser', () => {
  let browser: Browser;
  let service: RunningApp;

  beforeAll(async () => {
    browser = await launchChromium();
    service = await startApp({});
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function openAndCollectViolations(path: string) {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text()))
        violations.push(message.text());
    });
    await page.goto(`${service.url}${path}`, { waitUntil: 'load' });
    return { page, violations };
  }

  it('Swagger UI at /docs renders under its policy', async () => {
    const { page, violations } = await openAndCollectViolations('/docs');
    await page.waitForSelector('.swagger-ui .info .title', { timeout: 10_000 });
    expect(await page.textContent('.swagger-ui .info .title')).toContain(
      'Telegram QR Auth',
    );
    await page.waitForSelector(
      '.opblock-summary-path[data-path="/auth/token"]',
      { timeout: 10_000 },
    );
    expect(violations).toEqual([]);
    await page.close();
  });

  it('the login page shows a QR code under the app policy, with nothing blocked', async () => {
    const { page, violations } = await openAndCollectViolations('/');
    // A selector, not a string predicate: Playwright evaluates those with
    // eval(), which the page's own policy (no 'unsafe-eval') rightly refuses.
    await page.waitForSelector('#qr[src^="data:image/svg+xml"]', {
      state: 'attached',
      timeout: 10_000,
    });
    expect(violations).toEqual([]);
    await page.close();
  });
});
