import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import calculateSlot from 'cluster-key-slot';
import * as client from 'openid-client';
import type { Socket } from 'socket.io-client';
import { RESULT_HOLD_MS } from '../src/auth/auth.constants.js';
import {
  CapturingLogger,
  startApp,
  toldWithProblemsOf,
  type RunningApp,
} from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { logInAcrossInstances } from './support/cross-instance-login.js';
import {
  createLogin,
  me,
  poll,
  pollUntilSettled,
  postUpdate,
} from './support/http.js';
import { PATIENCE_MS } from './support/patience.js';
import {
  authorize,
  exchange,
  relyingParty,
  SHOP,
  type OidcApp,
} from './support/oidc.js';
import { freePort, uniqueKeyPrefix } from './support/redis.js';
import { TestRedisCluster } from './support/redis-cluster.js';
import { until } from './support/redis-processes.js';
import { refresh } from './support/sessions.js';
import {
  closeSockets,
  connectAuthSocket,
  waitForStatus,
} from './support/socket.js';
import {
  asLoggedInUser,
  newUser,
  startUpdate,
} from './support/telegram-updates.js';

const WEBHOOK_SECRET = 'cluster-webhook-secret';

/**
 * Two instances on a Redis Cluster of the test's own (3 primaries, 3
 * replicas): logins, sessions, the OpenID Provider, dedupe and Socket.IO
 * rooms (sharded pub/sub) across both, and a primary killed under them.
 */
describe('Two instances on a Redis Cluster', () => {
  const prefix = uniqueKeyPrefix('cluster');
  let cluster: TestRedisCluster;
  let fake: FakeBotApi;
  let a: OidcApp;
  let b: RunningApp;
  const sockets: Socket[] = [];
  // What each instance logged: a failure it explains shows it.
  const logs = { A: new CapturingLogger(), B: new CapturingLogger() };

  beforeAll(async () => {
    cluster = await TestRedisCluster.start();
    fake = await FakeBotApi.start();
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const env = {
      REDIS_CLUSTER_NODES: cluster.nodesVariable,
      REDIS_KEY_PREFIX: prefix,
      OIDC_ISSUER: issuer,
      OIDC_CLIENTS: JSON.stringify([SHOP]),
      ...fake.env,
      WEBHOOK_SECRET,
    };
    const [runningA, runningB] = await Promise.all([
      startApp(env, { port, logger: logs.A }),
      startApp(env, { logger: logs.B }),
    ]);
    a = { ...runningA, issuer };
    b = runningB;
  }, 60_000);

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake?.close();
    await cluster?.stop();
  });

  it('token from A, webhook on B, the socket on A: logged in, and the session refreshes on both', async () => {
    const { result, user } = await logInAcrossInstances(
      a,
      b,
      WEBHOOK_SECRET,
      sockets,
    );
    expect(result.user).toEqual(asLoggedInUser(user));
    await me(b.url, result.accessToken).expect(200, asLoggedInUser(user));
    const { refreshToken } = result as unknown as { refreshToken: string };
    const onB = await refresh(b.url, refreshToken).expect(200);
    const onA = await refresh(a.url, onB.body.refreshToken).expect(200);
    await me(a.url, onA.body.accessToken).expect(200, asLoggedInUser(user));
    // The spent refresh token is refused on either instance.
    await refresh(a.url, refreshToken).expect(401);
  });

  it('a re-sent update that lands on both instances is handled once', async () => {
    const login = await createLogin(a.url);
    const user = newUser();
    const update = startUpdate(login.token, user);
    const answers = await Promise.all([
      postUpdate(a.url, update, WEBHOOK_SECRET),
      postUpdate(b.url, update, WEBHOOK_SECRET),
    ]);
    expect(
      answers.filter((answer) => answer.body.outcome === 'authenticated'),
    ).toHaveLength(1);
    await postUpdate(b.url, update, WEBHOOK_SECRET).expect(200, {
      ok: true,
      outcome: 'duplicate',
    });
  });

  it('the OpenID Provider: authorized on A, the code exchanged on B, refreshed on B', async () => {
    const rpA = await relyingParty(a.issuer, SHOP);
    const result = await authorize(a, rpA);
    const metadata = JSON.parse(
      JSON.stringify(rpA.serverMetadata()),
    ) as client.ServerMetadata;
    const onB = (url: string) => {
      const moved = new URL(url);
      moved.host = new URL(b.url).host;
      return moved.href;
    };
    const rpB = new client.Configuration(
      { ...metadata, token_endpoint: onB(metadata.token_endpoint!) },
      SHOP.client_id,
      undefined,
      client.ClientSecretBasic('shop-client-secret-0123456789abcdefghij'),
    );
    client.allowInsecureRequests(rpB);
    const tokens = await exchange(rpB, result).catch(toldWithProblemsOf(logs));
    expect(tokens.claims()).toMatchObject({ sub: '4242' });
    await expect(exchange(rpA, result)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('lays every key out as designed: a record per key, the OpenID Provider under one hash tag', async () => {
    const keys = await cluster.keys(prefix);
    const kinds = new Set(
      keys.map((key) => key.slice(prefix.length).split(':')[0]),
    );
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'login',
        'session',
        'update',
        'user-sessions',
        '{oidc}',
      ]),
    );
    for (const key of keys)
      expect(key.slice(prefix.length)).toMatch(
        /^(login|session|user-sessions|oidc-session-sessions|update):[^{}]+$|^throttle:\{[^{}]+\}(:blocked)?$|^oidc:jwks$|^\{oidc\}:/,
      );
    const oidcSlots = new Set(
      keys.filter((key) => key.includes('{oidc}')).map(calculateSlot),
    );
    expect(oidcSlots).toEqual(new Set([calculateSlot('{oidc}')]));
  });

  it('a primary frozen (SIGSTOP, a hung machine): once its replica takes over, both instances serve from it while the old one still hangs', async () => {
    const login = await createLogin(a.url);
    const frozen = await cluster.primaryOf(`${prefix}login:${login.token}`);
    cluster.pause(frozen);
    try {
      await cluster.waitForFailover(frozen);
      for (const instance of [a, b])
        await until(
          async () =>
            (await poll(instance.url, login.token, login.secret)).status ===
            200,
          'the login to be served from the promoted replica',
        );
      await poll(b.url, login.token, login.secret).expect(200, {
        status: 'pending',
      });
      const { result, user } = await logInAcrossInstances(
        a,
        b,
        WEBHOOK_SECRET,
        sockets,
      );
      await me(b.url, result.accessToken).expect(200, asLoggedInUser(user));
    } finally {
      cluster.resume(frozen);
      // Back as a replica of the promoted one: every primary has a replica again, for the next test.
      await cluster.waitUntilHealthy();
    }
  }, 60_000);

  it('a primary killed with logins in flight: 503 for a few seconds, then both serve again and no login is lost', async () => {
    const logins = await Promise.all(
      Array.from({ length: 20 }, () => createLogin(a.url)),
    );
    const [scanned, waiting] = [logins.slice(0, 10), logins.slice(10)];
    for (const login of scanned)
      await postUpdate(
        b.url,
        startUpdate(login.token, newUser()),
        WEBHOOK_SECRET,
      ).expect(200);
    const watched = waiting[0];
    const victim = await cluster.primaryOf(`${prefix}login:${watched.token}`);
    await cluster.kill(victim);
    const killedAt = Date.now();
    const statuses = new Set<number>();
    // Every answer meanwhile is 200 or a 503 (never a 500, never a hang), until the Cluster is back.
    await until(
      async () => {
        const answer = await poll(b.url, watched.token, watched.secret);
        statuses.add(answer.status);
        return answer.status === 200;
      },
      'the login to be served again',
      20_000,
    );
    const outage = Date.now() - killedAt;
    expect([...statuses].filter((status) => status !== 200)).toEqual(
      statuses.size > 1 ? [503] : [],
    );
    expect(outage).toBeLessThan(10_000);
    await cluster.waitForFailover(victim);
    // Nothing lost: the pending ones still pending, the scanned ones hand out their result once.
    for (const login of waiting)
      await poll(a.url, login.token, login.secret).expect(200, {
        status: 'pending',
      });
    // A push cut off by the crash leaves its hold on the result (a poll
    // answers "pending" meanwhile) until the hold's time is up: the page's
    // next polls get it.
    for (const login of scanned) {
      const answer = await pollUntilSettled(
        a.url,
        login.token,
        login.secret,
        RESULT_HOLD_MS + PATIENCE_MS,
      );
      expect(answer.body.status).toBe('authenticated');
    }
    // A new login, end to end, on the Cluster after the failover.
    const login = await createLogin(b.url);
    const socket = await connectAuthSocket(b.url, login);
    sockets.push(socket);
    await waitForStatus(socket, 'pending');
    await postUpdate(
      a.url,
      startUpdate(login.token, newUser()),
      WEBHOOK_SECRET,
    ).expect(200);
    await waitForStatus(socket, 'authenticated');
  }, 60_000);
});
