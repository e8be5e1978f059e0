import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RunningApp, startApp } from './support/app.js';
import { get, type RunningNginx, startNginx } from './support/nginx.js';

/** What only the metrics answer contains. */
const METRICS_TEXT = /qr_auth_|process_cpu/;

/** Spellings of /metrics that reached the app through `location = /metrics`. */
const METRICS_SPELLINGS = [
  '/metrics',
  '/METRICS',
  '/Metrics',
  '/metrics/',
  '/metrics?x',
  '/METRICS/?x=1',
  '/%6detrics',
  '/%6Detrics',
  '//metrics',
  '/./metrics',
  '/x/../metrics',
];

describe('/metrics is internal: deploy/nginx.conf never lets it out', () => {
  let app: RunningApp;
  let nginx: RunningNginx;

  beforeAll(async () => {
    app = await startApp();
    nginx = await startNginx(Number(new URL(app.url).port));
  });

  afterAll(async () => {
    await nginx?.close();
    await app?.close();
  });

  it.each(METRICS_SPELLINGS)(
    'answers %s itself, with 403 or 404',
    async (path) => {
      const { status, body } = await get(nginx.url, path);
      expect(body).not.toMatch(METRICS_TEXT);
      expect([403, 404]).toContain(status);
    },
  );

  it('passes /health and the page through', async () => {
    expect((await get(nginx.url, '/health')).status).toBe(200);
    const page = await get(nginx.url, '/');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<html/i);
  });
});

describe('the app routes case-sensitively and strictly (no trailing slash)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves /metrics and /health only as spelled', async () => {
    expect((await get(app.url, '/metrics')).status).toBe(200);
    expect((await get(app.url, '/health')).status).toBe(200);
    for (const path of [
      '/METRICS',
      '/Metrics',
      '/metrics/',
      '/HEALTH',
      '/health/',
    ])
      expect({ path, status: (await get(app.url, path)).status }).toEqual({
        path,
        status: 404,
      });
  });
});
