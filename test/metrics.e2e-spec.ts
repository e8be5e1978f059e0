import { afterEach, describe, expect, it } from '@jest/globals';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { type RunningApp, startApp } from './support/app.js';
import { createLogin, eventually, postUpdate } from './support/http.js';
import { moved, scrape } from './support/metrics.js';
import { logIn, refresh, withBearer } from './support/sessions.js';
import {
  closeSockets,
  connectAuthSocket,
  waitForStatus,
} from './support/socket.js';
import {
  callbackUpdate,
  newUser,
  startUpdate,
} from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'metrics-webhook-secret';

describe('GET /metrics', () => {
  const apps: RunningApp[] = [];
  const sockets: Socket[] = [];

  const boot = async (env: Record<string, string> = {}) => {
    const running = await startApp({ WEBHOOK_SECRET, ...env });
    apps.push(running);
    return running.url;
  };

  afterEach(async () => {
    closeSockets(...sockets.splice(0));
    await Promise.all(apps.splice(0).map((running) => running.close()));
  });

  const connect = async (
    url: string,
    login: { token: string; secret: string },
  ) => {
    const socket = await connectAuthSocket(url, login);
    sockets.push(socket);
    return socket;
  };

  it('exposes the process metrics and every login metric at 0 before any traffic', async () => {
    const url = await boot();
    const samples = await scrape(url);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(samples.has(name)).toBe(true);
    }
    expect(samples.get('qr_auth_login_tokens_created_total')).toBe(0);
    expect(samples.get('qr_auth_logins_total{result="authenticated"}')).toBe(0);
    expect(samples.get('qr_auth_logins_total{result="denied"}')).toBe(0);
    expect(samples.get('qr_auth_logins_total{result="expired"}')).toBe(0);
    expect(samples.get('qr_auth_socket_connections')).toBe(0);
  });

  it('counts a login: token created, /start by webhook, socket connected, push latency observed', async () => {
    const url = await boot();
    const before = await scrape(url);

    const login = await createLogin(url);
    const socket = await connect(url, login);
    expect((await scrape(url)).get('qr_auth_socket_connections')).toBe(1);

    const sentAt = Date.now();
    await postUpdate(
      url,
      startUpdate(login.token, newUser()),
      WEBHOOK_SECRET,
    ).expect(200);
    await waitForStatus(socket, 'authenticated');
    const elapsed = (Date.now() - sentAt) / 1000;

    const after = await scrape(url);
    expect(
      moved(
        before,
        after,
        'qr_auth_login_tokens_created_total',
        'qr_auth_logins_total{result="authenticated"}',
        'qr_auth_telegram_updates_total{outcome="authenticated"}',
        'qr_auth_push_latency_seconds_count{status="authenticated"}',
      ),
    ).toEqual({
      qr_auth_login_tokens_created_total: 1,
      'qr_auth_logins_total{result="authenticated"}': 1,
      'qr_auth_telegram_updates_total{outcome="authenticated"}': 1,
      'qr_auth_push_latency_seconds_count{status="authenticated"}': 1,
    });
    const latency = after.get(
      'qr_auth_push_latency_seconds_sum{status="authenticated"}',
    )!;
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThanOrEqual(elapsed);
    // The fastest bucket that holds it is cumulative from there on: +Inf holds it too.
    expect(
      after.get(
        'qr_auth_push_latency_seconds_bucket{le="+Inf",status="authenticated"}',
      ),
    ).toBe(1);

    socket.close();
    await eventually(
      async () =>
        expect((await scrape(url)).get('qr_auth_socket_connections')).toBe(0),
      3000,
      50,
    );
  });

  it('counts sessions started, and ended by reason', async () => {
    const url = await boot();
    const before = await scrape(url);
    expect(
      before.get('qr_auth_sessions_ended_total{reason="refresh-token-reused"}'),
    ).toBe(0);
    const kept = await logIn(url, { webhookSecret: WEBHOOK_SECRET });
    const stolen = await logIn(url, { webhookSecret: WEBHOOK_SECRET });
    await withBearer(
      request(url).post('/auth/logout'),
      kept.accessToken,
    ).expect(204);
    await refresh(url, stolen.refreshToken).expect(200);
    await refresh(url, stolen.refreshToken).expect(401);
    expect(
      moved(
        before,
        await scrape(url),
        'qr_auth_sessions_started_total',
        'qr_auth_sessions_ended_total{reason="logged-out"}',
        'qr_auth_sessions_ended_total{reason="refresh-token-reused"}',
        'qr_auth_sessions_ended_total{reason="ended-in-telegram"}',
      ),
    ).toEqual({
      qr_auth_sessions_started_total: 2,
      'qr_auth_sessions_ended_total{reason="logged-out"}': 1,
      'qr_auth_sessions_ended_total{reason="refresh-token-reused"}': 1,
      'qr_auth_sessions_ended_total{reason="ended-in-telegram"}': 0,
    });
  });

  it('counts webhook updates by outcome: a replayed update is "duplicate", a made-up token "unknown", a bare /start "bare-start"', async () => {
    const url = await boot();
    const login = await createLogin(url);
    const update = startUpdate(login.token, newUser());
    await postUpdate(url, update, WEBHOOK_SECRET).expect(200);
    await postUpdate(url, update, WEBHOOK_SECRET).expect(200);
    await postUpdate(
      url,
      startUpdate('A'.repeat(43), newUser()),
      WEBHOOK_SECRET,
    ).expect(200);
    await postUpdate(
      url,
      startUpdate('/start', newUser()),
      WEBHOOK_SECRET,
    ).expect(200);
    // Refused at the door: not an update the service handled.
    await postUpdate(
      url,
      startUpdate(login.token, newUser()),
      'wrong-secret',
    ).expect(401);

    const samples = await scrape(url);
    expect(
      samples.get('qr_auth_telegram_updates_total{outcome="authenticated"}'),
    ).toBe(1);
    expect(
      samples.get('qr_auth_telegram_updates_total{outcome="duplicate"}'),
    ).toBe(1);
    expect(
      samples.get('qr_auth_telegram_updates_total{outcome="unknown"}'),
    ).toBe(1);
    expect(
      samples.get('qr_auth_telegram_updates_total{outcome="bare-start"}'),
    ).toBe(1);
    expect(samples.get('qr_auth_logins_total{result="authenticated"}')).toBe(1);
  });

  it('counts a scan, a second /start and a denial with confirmation buttons, with the latency of each push', async () => {
    const url = await boot({ LOGIN_CONFIRMATION: 'button' });
    const login = await createLogin(url);
    const socket = await connect(url, login);
    const person = newUser();
    await postUpdate(
      url,
      startUpdate(login.token, person),
      WEBHOOK_SECRET,
    ).expect(200);
    await waitForStatus(socket, 'scanned');
    // Scanned again: counted apart, and not as a second scan.
    await postUpdate(
      url,
      startUpdate(login.token, person),
      WEBHOOK_SECRET,
    ).expect(200);
    await postUpdate(
      url,
      callbackUpdate(`deny:${login.token}`, person),
      WEBHOOK_SECRET,
    ).expect(200);
    await waitForStatus(socket, 'denied');

    const samples = await scrape(url);
    expect(samples.get('qr_auth_logins_scanned_total')).toBe(1);
    expect(samples.get('qr_auth_logins_total{result="denied"}')).toBe(1);
    expect(samples.get('qr_auth_logins_total{result="authenticated"}')).toBe(0);
    expect(
      samples.get('qr_auth_telegram_updates_total{outcome="scanned"}'),
    ).toBe(1);
    expect(
      samples.get(
        'qr_auth_telegram_updates_total{outcome="awaiting-confirmation"}',
      ),
    ).toBe(1);
    expect(
      samples.get('qr_auth_telegram_updates_total{outcome="denied"}'),
    ).toBe(1);
    expect(
      samples.get('qr_auth_push_latency_seconds_count{status="scanned"}'),
    ).toBe(1);
    expect(
      samples.get('qr_auth_push_latency_seconds_count{status="denied"}'),
    ).toBe(1);
  });

  it('counts a login whose waiting socket is told it expired', async () => {
    // Seconds of margin for the socket to connect before the expiry.
    const url = await boot({ TOKEN_TTL_SECONDS: '3' });
    const login = await createLogin(url);
    const socket = await connect(url, login);
    await waitForStatus(socket, 'expired');

    const samples = await scrape(url);
    expect(samples.get('qr_auth_logins_total{result="expired"}')).toBe(1);
    expect(samples.get('qr_auth_logins_total{result="authenticated"}')).toBe(0);
    // Expiry is not caused by an update: no latency to measure.
    expect(
      samples.has('qr_auth_push_latency_seconds_count{status="expired"}'),
    ).toBe(false);
  });

  it('keeps the counts of two apps in one process apart', async () => {
    const first = await boot();
    const second = await boot();
    await createLogin(first);
    await createLogin(first);
    await createLogin(second);
    expect(
      (await scrape(first)).get('qr_auth_login_tokens_created_total'),
    ).toBe(2);
    expect(
      (await scrape(second)).get('qr_auth_login_tokens_created_total'),
    ).toBe(1);
  });
});
