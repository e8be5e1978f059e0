// One function per figure of issue 7. Each starts fresh subject processes,
// measures ours and the baseline in the same run, and stops what it started.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createAgent, createLogins, mapConcurrent, postJson } from './http.mjs';
import { measureThroughput } from './load.mjs';
import { BENCH_CLIENT, runOidcLogins } from './oidc.mjs';
import { freePort, loadBetween, startSubject } from './processes.mjs';
import { holdIdleSockets, openWaitingSocket } from './sockets.mjs';
import { percentile } from './stats.mjs';
import { nextClientIp, startUpdate, unknownToken } from './updates.mjs';

const NEST_HELLO = fileURLToPath(
  new URL('../baseline/nest-hello.mjs', import.meta.url),
);
const BARE_SOCKET_IO = fileURLToPath(
  new URL('../baseline/socketio-server.mjs', import.meta.url),
);
/** The body the baseline's POST parses: about the size of a small API call. */
const HELLO_BODY = { hello: 'world', n: 1 };

/** Every variable our service's configuration schema knows, read from the build under test. */
async function serviceVariables(ctx) {
  ctx.serviceVariables ??= import(
    pathToFileURL(join(ctx.dist, 'app', 'config', 'env.validation.js')).href
  )
    .then(({ environmentSchema }) =>
      Object.keys(environmentSchema.describe().keys ?? {}),
    )
    .catch(() => []);
  return ctx.serviceVariables;
}

/**
 * Our service as configured for the bench: demo mode (no BOT_TOKEN, so the bot's
 * replies are logged, never sent), no webhook secret, confirmation off, default
 * rate limits (every request comes from another client address, see
 * nextClientIp, so the limiter runs and never refuses).
 */
/** One set of signing keys for every instance of a run: sessions must verify on any of them. */
const BENCH_JWKS = execFileSync(
  process.execPath,
  [
    fileURLToPath(new URL('../../scripts/generate-jwks.mjs', import.meta.url)),
    '--one-line',
  ],
  { encoding: 'utf8' },
).trim();

function oursEnvironment(ctx, extra = {}) {
  return {
    OIDC_JWKS: BENCH_JWKS,
    TOKEN_TTL_SECONDS: '600',
    // As behind a reverse proxy on the same host: X-Forwarded-For from 127.0.0.1 names the client.
    TRUST_PROXY: 'loopback',
    BENCH_DIST: ctx.dist,
    ...ctx.oursEnv,
    ...extra,
  };
}

export function startOurs(ctx, name, extra = {}, { port } = {}) {
  return reusable(ctx, `ours ${JSON.stringify(extra)}`, async () =>
    startSubject({
      name,
      script: join(ctx.dist, 'app', 'main.js'),
      env: oursEnvironment(ctx, extra),
      clear: await serviceVariables(ctx),
      cpuProfileDir: ctx.cpuProfileDir,
      readyPath: '/auth/me',
      port,
    }),
  );
}

/** Ours as an OpenID Provider with the bench's one client, its issuer its own loopback URL. */
async function startOursOidc(ctx) {
  ctx.oidcPort ??= await freePort();
  return startOurs(
    ctx,
    'ours-oidc',
    {
      OIDC_ISSUER: `http://127.0.0.1:${ctx.oidcPort}`,
      OIDC_CLIENTS: JSON.stringify([BENCH_CLIENT]),
    },
    { port: ctx.oidcPort },
  );
}

export function startNestHello(ctx) {
  return reusable(ctx, 'hello', () =>
    startSubject({
      name: 'nest-hello',
      script: NEST_HELLO,
      readyPath: '/hello',
    }),
  );
}

function startBareSocketIo(ctx, name, env = {}) {
  return reusable(
    ctx,
    `bare ${JSON.stringify(env)} ${name.endsWith('-b') ? 'b' : 'a'}`,
    () => startSubject({ name, script: BARE_SOCKET_IO, env, readyPath: '/' }),
  );
}

/**
 * Every figure starts fresh processes, so that none measures what another left
 * behind. The smoke run (ctx.reuse) shares one process per configuration
 * instead, because starting ours takes seconds and the smoke judges no number;
 * the shared ones are stopped by stopAll() at the end.
 */
function reusable(ctx, key, start) {
  if (!ctx.reuse) return start();
  ctx.shared ??= new Map();
  if (!ctx.shared.has(key)) {
    const started = start().then((subject) =>
      Object.create(subject, { stop: { value: async () => undefined } }),
    );
    started.catch(() => ctx.shared.delete(key));
    ctx.shared.set(key, started);
  }
  return ctx.shared.get(key);
}

/** Smoke runs start all their processes at once instead of one after the other. */
export async function prestart(ctx, figures) {
  if (!ctx.reuse) return;
  const redisEnv = {
    REDIS_URL: ctx.redisUrl,
    REDIS_KEY_PREFIX: ctx.redisPrefix,
  };
  const starts = [
    startOurs(ctx, 'ours'),
    startBareSocketIo(ctx, 'bare-socketio'),
  ];
  if (figures.has('oidc')) starts.push(startOursOidc(ctx));
  if (figures.has('token') || figures.has('webhook') || figures.has('session'))
    starts.push(
      startNestHello(ctx),
      startOurs(ctx, 'ours-noqr', { BENCH_NO_QR: '1' }),
    );
  if (figures.has('session'))
    starts.push(
      startOurs(ctx, 'ours-session-redis', { BENCH_NO_QR: '1', ...redisEnv }),
    );
  if (figures.has('redis')) {
    starts.push(
      startOurs(ctx, 'ours-redis-a', redisEnv),
      startOurs(ctx, 'ours-redis-b', redisEnv),
    );
    const bareEnv = {
      ...redisEnv,
      REDIS_KEY_PREFIX: `${ctx.redisPrefix}bare:`,
    };
    starts.push(
      startBareSocketIo(ctx, 'bare-socketio-redis-a', bareEnv),
      startBareSocketIo(ctx, 'bare-socketio-redis-b', bareEnv),
    );
  }
  // A start that fails is reported by the figure that needs it.
  await Promise.allSettled(starts);
}

/** Full runs measure for a duration after a warm-up; the smoke sends a fixed, small number of requests. */
function howLong(ctx) {
  return ctx.smoke
    ? { amount: 200, warmupSeconds: 0 }
    : { duration: ctx.duration, warmupSeconds: ctx.warmupSeconds };
}

function measureHello(ctx, hello, { latencies = false } = {}) {
  return measureThroughput({
    url: `${hello.url}/hello`,
    body: HELLO_BODY,
    ...howLong(ctx),
    expectStatus: 201,
    latencies,
  });
}

/** POST /auth/token per second, with the QR or (BENCH_NO_QR, see probe.mjs) without it. */
export async function tokenCreation(ctx, hello, { withQr }) {
  const base = await measureHello(ctx, hello);
  const ours = await startOurs(
    ctx,
    withQr ? 'ours-token-qr' : 'ours-token-noqr',
    withQr ? {} : { BENCH_NO_QR: '1' },
  );
  try {
    const result = await measureThroughput({
      url: `${ours.url}/auth/token`,
      ...howLong(ctx),
      expectStatus: 201,
    });
    return { ours: result.rps, base: base.rps };
  } finally {
    await ours.stop();
  }
}

/**
 * POST /telegram/webhook per second. `valid: false`: `/start <unknown token>`
 * (store lookup, "not valid" reply). `valid: true`: each update completes one of
 * the logins created beforehand (no socket waits, so the result stays for a poll).
 */
export async function webhookUpdates(ctx, hello, { valid }) {
  const base = await measureHello(ctx, hello);
  // The QR is skipped only to create the tokens faster; the webhook path is the real one.
  const ours = await startOurs(
    ctx,
    valid ? 'ours-webhook-valid' : 'ours-webhook-unknown',
    valid ? { BENCH_NO_QR: '1' } : {},
  );
  try {
    const url = `${ours.url}/telegram/webhook`;
    if (!valid) {
      const result = await measureThroughput({
        url,
        nextBody: () => startUpdate(unknownToken()),
        ...howLong(ctx),
        expectStatus: 200,
      });
      return { ours: result.rps, base: base.rps };
    }
    // Warm up on unknown tokens (the same route and parsing), then spend exactly the logins we have.
    const warm = await measureThroughput({
      url,
      nextBody: () => startUpdate(unknownToken()),
      ...(ctx.smoke ? { amount: 50 } : { duration: ctx.warmupSeconds }),
      warmupSeconds: 0,
      expectStatus: 200,
    });
    const count = ctx.smoke
      ? 100
      : Math.max(500, Math.min(40_000, Math.round(warm.rps * ctx.duration)));
    const logins = await createLogins(ours.url, '/auth/token', count);
    let next = 0;
    const result = await measureThroughput({
      url,
      nextBody: () => startUpdate(logins[next++ % logins.length].token),
      amount: logins.length,
      warmupSeconds: 0,
      expectStatus: 200,
    });
    await expectAuthenticated(ours.url, logins.slice(0, 20));
    return { ours: result.rps, base: base.rps, note: `${count} logins` };
  } finally {
    await ours.stop();
  }
}

/** Proof that the updates were acted on: those logins now poll as authenticated. */
async function expectAuthenticated(baseUrl, logins) {
  for (const login of logins) await pollAuthenticated(baseUrl, login);
}

/** The result of a login the webhook completed, as its poll hands it out (accessToken, refreshToken...). */
async function pollAuthenticated(baseUrl, { token, secret }) {
  let response;
  let body;
  // `pending` for a moment while the push to the login's (empty) room holds the result.
  for (let tries = 0; tries < 100; tries++) {
    response = await fetch(`${baseUrl}/auth/poll/${token}`, {
      headers: {
        'x-login-secret': secret,
        'x-forwarded-for': nextClientIp(),
      },
    });
    body = await response.json();
    if (body.status !== 'pending') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (response.status !== 200 || body.status !== 'authenticated') {
    throw new Error(
      `a login the webhook completed polls as ${response.status} ${JSON.stringify(body)}`,
    );
  }
  return body;
}

/** Sessions whose tokens the hot path (`store: 'memory'`) sends round-robin: all but their first checks hit the cache. */
const FEW_SESSIONS = 8;
/** Refresh chains at once: as many as autocannon's connections elsewhere. */
const REFRESH_CHAINS = 10;

/**
 * What the session check costs (issue 15). Every `GET /auth/me` verifies its
 * access token (ES256) and asks whether the token's session goes on, which each
 * instance trusts for SESSION_CHECK_CACHE_MS; a miss is one store call (a Map
 * lookup in memory, a Lua script in Redis). `store: 'memory'`: tokens of a few
 * sessions, so nearly every check is a cache hit (the hot path). `store:
 * 'redis'`: tokens of ctx.sessionCount sessions round-robin, so a session's
 * entry has often expired when its turn comes again. Then `POST /auth/refresh`
 * in REFRESH_CHAINS chains, each request with the refresh token the one before
 * it got. The sessions are real logins: token, webhook `/start`, poll.
 * Against the bare hello's POST of the same run.
 */
export async function sessionCheck(ctx, hello, { store }) {
  const redis = store === 'redis';
  if (redis && !(await redisAnswers(ctx.redisUrl))) {
    const error = new Error(`no Redis answers at ${ctx.redisUrl}`);
    error.pending = true;
    throw error;
  }
  const base = await measureHello(ctx, hello, { latencies: true });
  const redisEnv = redis
    ? { REDIS_URL: ctx.redisUrl, REDIS_KEY_PREFIX: ctx.redisPrefix }
    : {};
  // The QR is skipped only to create the logins faster; no figure here renders one.
  const ours = await startOurs(
    ctx,
    redis ? 'ours-session-redis' : 'ours-session',
    { BENCH_NO_QR: '1', ...redisEnv },
  );
  try {
    const sessions = redis ? ctx.sessionCount : FEW_SESSIONS;
    const made = await createSessions(ours.url, sessions + REFRESH_CHAINS);
    const bearers = made
      .slice(0, sessions)
      .map(({ accessToken }) => `Bearer ${accessToken}`);
    const cache = checkCacheReplay(await sessionCheckCache(ctx));
    let next = 0;
    const meOptions = {
      url: `${ours.url}/auth/me`,
      method: 'GET',
      nextHeaders: () => {
        const i = next++ % sessions;
        cache.check(i, Date.now());
        return { authorization: bearers[i] };
      },
      expectStatus: 200,
    };
    // Warmed up here rather than inside measureThroughput, so that the replayed cache counts only the measured run.
    if (!ctx.smoke)
      await measureThroughput({
        ...meOptions,
        duration: ctx.warmupSeconds,
        warmupSeconds: 0,
      });
    cache.startCounting();
    const before = await ours.load();
    const me = await measureThroughput({
      ...meOptions,
      ...(ctx.smoke ? { amount: 200 } : { duration: ctx.duration }),
      warmupSeconds: 0,
      latencies: true,
    });
    const meLoad = loadBetween(before, await ours.load());
    const refresh = await refreshChains(
      ctx,
      ours.url,
      made.slice(sessions).map(({ refreshToken }) => refreshToken),
    );
    return {
      store,
      me: {
        rps: me.rps,
        p50: me.p50Ms,
        p99: me.p99Ms,
        sessions,
        storeCalls: cache.misses,
        requests: cache.checks,
        cacheWindowMs: cache.windowMs,
        // What the issue's estimate gives: sessions / (cache window × req/s), at most 1.
        storeShareEstimate: Math.min(
          1,
          sessions / ((cache.windowMs / 1000) * me.rps),
        ),
        load: meLoad,
      },
      refresh,
      base: { rps: base.rps, p50: base.p50Ms, p99: base.p99Ms },
    };
  } finally {
    await ours.stop();
    if (redis) await deleteRedisKeys(ctx.redisUrl, ctx.redisPrefix);
  }
}

/**
 * `count` logins completed as a person completes one (POST /auth/token, the
 * webhook's `/start`, the poll), each a session of its own (every update is
 * another Telegram user): their { accessToken, refreshToken }.
 */
async function createSessions(baseUrl, count) {
  const logins = await createLogins(baseUrl, '/auth/token', count);
  const concurrency = 16;
  const agent = createAgent(concurrency);
  try {
    await mapConcurrent(count, concurrency, async (i) => {
      const { status } = await postJson(
        `${baseUrl}/telegram/webhook`,
        startUpdate(logins[i].token),
        { agent },
      );
      if (status !== 200) throw new Error(`webhook answered ${status}`);
    });
  } finally {
    agent.destroy();
  }
  return mapConcurrent(count, concurrency, async (i) => {
    const { accessToken, refreshToken } = await pollAuthenticated(
      baseUrl,
      logins[i],
    );
    if (typeof accessToken !== 'string' || typeof refreshToken !== 'string')
      throw new Error(
        'an authenticated poll carries no accessToken or refreshToken',
      );
    return { accessToken, refreshToken };
  });
}

/** The build's own cache window and size (sessions.constants.js), so that the replay follows what is measured. */
async function sessionCheckCache(ctx) {
  const constants = await import(
    pathToFileURL(join(ctx.dist, 'sessions', 'sessions.constants.js')).href
  );
  return {
    windowMs: constants.SESSION_CHECK_CACHE_MS,
    size: constants.SESSION_CHECK_CACHE_SIZE,
  };
}

/**
 * The service's session-check cache (SessionCheckCache) replayed on the
 * bench's side, as each request leaves: how many checks found no fresh entry
 * and so went to the store. Requests leave a few ms before the service checks
 * them, which against a 5 s window changes next to nothing.
 */
function checkCacheReplay({ windowMs, size }) {
  const until = new Map();
  const replay = {
    windowMs,
    checks: 0,
    misses: 0,
    check(sid, now) {
      replay.checks++;
      const fresh = until.get(sid);
      if (fresh !== undefined && now < fresh) return;
      replay.misses++;
      until.delete(sid);
      until.set(sid, now + windowMs);
      if (until.size > size) until.delete(until.keys().next().value);
    },
    /** Counts from now on; the entries the warm-up left stay, as in the service. */
    startCounting() {
      replay.checks = 0;
      replay.misses = 0;
    },
  };
  return replay;
}

/**
 * POST /auth/refresh, closed loop: each chain sends its refresh token and
 * sends the one the answer carries next, so that every request spends a fresh
 * token (a spent one would end the session). Requests per second over all
 * chains, and each request's latency.
 */
async function refreshChains(ctx, baseUrl, tokens) {
  const agent = createAgent(tokens.length);
  const chains = [...tokens];
  const url = `${baseUrl}/auth/refresh`;
  const send = async (chain) => {
    const { status, body } = await postJson(
      url,
      { refreshToken: chains[chain] },
      { agent },
    );
    if (status !== 200 || typeof body?.refreshToken !== 'string')
      throw new Error(
        `POST /auth/refresh answered ${status}: ${JSON.stringify(body).slice(0, 200)}`,
      );
    chains[chain] = body.refreshToken;
  };
  const drive = async ({ seconds, amount, times }) => {
    const end = performance.now() + seconds * 1000;
    let sent = 0;
    const start = performance.now();
    await Promise.all(
      chains.map(async (_, chain) => {
        while (amount ? sent < amount : performance.now() < end) {
          sent++;
          const at = performance.now();
          await send(chain);
          times?.push(performance.now() - at);
        }
      }),
    );
    return sent / ((performance.now() - start) / 1000);
  };
  try {
    if (!ctx.smoke) await drive({ seconds: ctx.warmupSeconds });
    const times = [];
    const rps = await drive(
      ctx.smoke ? { amount: 200, times } : { seconds: ctx.duration, times },
    );
    return {
      rps,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      chains: chains.length,
    };
  } finally {
    agent.destroy();
  }
}

/**
 * Webhook received -> waiting socket gets `status`, at a fixed rate (open loop:
 * requests leave on schedule whether or not earlier ones are answered). Timed in
 * this process from handing the webhook request to the HTTP client until the
 * socket's event arrives, so the figure includes the client's send and the
 * loopback both ways: an upper bound of the server-side time.
 * `redis`: logins created on instance A, sockets on instance B, webhooks to A.
 */
/**
 * Webhook → socket latency: one instance, or two sharing Redis (`redis`), or
 * two on a Redis Cluster (`cluster`: its REDIS_CLUSTER_NODES, thrown away
 * afterwards), against a bare Socket.IO server (with the same adapter).
 */
export async function pushLatency(ctx, { redis, cluster }) {
  const count = Math.max(100, Math.round(ctx.rate * ctx.latencySeconds));
  // The first second or two of webhooks run through code V8 has not optimised yet (hundreds of ms
  // at first): both subjects get the same warm-up at the same rate, unmeasured.
  const warmCount = Math.round(ctx.rate * ctx.latencyWarmupSeconds);
  const prefix = ctx.redisPrefix;
  const redisEnv = cluster
    ? { REDIS_CLUSTER_NODES: cluster, REDIS_KEY_PREFIX: prefix }
    : redis
      ? { REDIS_URL: ctx.redisUrl, REDIS_KEY_PREFIX: prefix }
      : {};
  // Keys on the bench's own Cluster go with it.
  const cleanUp = () =>
    redis && !cluster ? deleteRedisKeys(ctx.redisUrl, prefix) : undefined;
  if (redis && !cluster && !(await redisAnswers(ctx.redisUrl))) {
    const error = new Error(`no Redis answers at ${ctx.redisUrl}`);
    error.pending = true;
    throw error;
  }

  const label = cluster ? 'cluster' : 'redis';
  const oursA = await startOurs(
    ctx,
    redis ? `ours-${label}-a` : 'ours-latency',
    redisEnv,
  );
  const oursB = redis
    ? await startOurs(ctx, `ours-${label}-b`, redisEnv)
    : oursA;
  let ours;
  try {
    const logins = await createLogins(
      oursA.url,
      '/auth/token',
      warmCount + count,
    );
    if (redis) await expectSharedLogins(oursB.url, logins[0]);
    const pushes = (part, profileTo) =>
      timePushes({
        profileTo,
        server: oursA,
        socketUrl: oursB.url,
        logins: part,
        rate: ctx.rate,
        send: (agent, login) =>
          postJson(`${oursA.url}/telegram/webhook`, startUpdate(login.token), {
            agent,
          }),
        expectStatus: 200,
        isDelivery: (event) =>
          event.status === 'authenticated' &&
          typeof event.accessToken === 'string',
        deliveryTimeoutMs: ctx.deliveryTimeoutMs,
      });
    if (warmCount) await pushes(logins.slice(0, warmCount));
    const before = await pushLatencyHistogram(oursA.url);
    // With --profile, the timed pushes alone are profiled too (the whole-life profile is mostly set-up).
    ours = await pushes(
      logins.slice(warmCount),
      ctx.cpuProfileDir &&
        join(ctx.cpuProfileDir, `${oursA.name}-pushes-only.cpuprofile`),
    );
    ours.serverP99Within = serverP99Bucket(
      before,
      await pushLatencyHistogram(oursA.url),
    );
  } finally {
    await oursA.stop();
    if (oursB !== oursA) await oursB.stop();
    await cleanUp();
  }

  const bareEnv = redis
    ? { ...redisEnv, REDIS_KEY_PREFIX: `${prefix}bare:` }
    : {};
  const baseA = await startBareSocketIo(
    ctx,
    redis ? `bare-socketio-${label}-a` : 'bare-socketio',
    bareEnv,
  );
  const baseB = redis
    ? await startBareSocketIo(ctx, `bare-socketio-${label}-b`, bareEnv)
    : baseA;
  let base;
  try {
    const logins = await createLogins(baseA.url, '/token', warmCount + count);
    const pushes = (part) =>
      timePushes({
        server: baseA,
        socketUrl: baseB.url,
        logins: part,
        rate: ctx.rate,
        send: (agent, login) =>
          postJson(`${baseA.url}/emit`, { token: login.token }, { agent }),
        expectStatus: 200,
        isDelivery: (event) => event.status === 'authenticated',
        deliveryTimeoutMs: ctx.deliveryTimeoutMs,
      });
    if (warmCount) await pushes(logins.slice(0, warmCount));
    base = await pushes(logins.slice(warmCount));
  } finally {
    await baseA.stop();
    if (baseB !== baseA) await baseB.stop();
    await cleanUp();
  }
  return { ours, base, count };
}

/**
 * The service's own view (GET /metrics, `push_latency_seconds`: update arrived
 * -> status emitted, measured inside the process) as cumulative bucket counts;
 * undefined when the service has no such metric.
 */
async function pushLatencyHistogram(baseUrl) {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const buckets = new Map();
    for (const match of text.matchAll(
      /push_latency_seconds_bucket\{([^}]*)\} (\d+)/g,
    )) {
      if (!match[1].includes('status="authenticated"')) continue;
      const le = /le="([^"]+)"/.exec(match[1])?.[1];
      if (le)
        buckets.set(le === '+Inf' ? Infinity : Number(le), Number(match[2]));
    }
    return buckets.size || text.includes('push_latency_seconds')
      ? buckets
      : undefined;
  } catch {
    return undefined;
  }
}

/** The smallest bucket bound (ms) under which 99% of the deliveries between the two scrapes fell. */
function serverP99Bucket(before, after) {
  if (!before || !after) return undefined;
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  if (!(total > 0)) return undefined;
  for (const bound of bounds) {
    if (after.get(bound) - (before.get(bound) ?? 0) >= 0.99 * total)
      return bound * 1000;
  }
  return undefined;
}

/** Fails with a clear message when instance B cannot see a login made on A: Redis mode is not there (yet). */
async function expectSharedLogins(otherUrl, login) {
  const response = await fetch(`${otherUrl}/auth/poll/${login.token}`, {
    headers: {
      'x-login-secret': login.secret,
      'x-forwarded-for': nextClientIp(),
    },
  });
  if (response.status !== 200) {
    const error = new Error(
      `instance B does not know a login created on instance A (poll answered ${response.status}): Redis mode is not active`,
    );
    error.pending = true;
    throw error;
  }
}

async function timePushes({
  server,
  socketUrl,
  logins,
  rate,
  send,
  expectStatus,
  isDelivery,
  deliveryTimeoutMs,
  profileTo,
}) {
  const sentAt = new Float64Array(logins.length);
  const receivedAt = new Float64Array(logins.length);
  const deliveries = new Uint32Array(logins.length);
  let received = 0;
  let allReceived;
  const everyoneServed = new Promise((resolve) => (allReceived = resolve));

  const sockets = await mapConcurrent(logins.length, 50, (i) =>
    openWaitingSocket(socketUrl, logins[i], (event) => {
      if (!isDelivery(event)) return;
      if (deliveries[i]++ === 0) {
        receivedAt[i] = performance.now();
        if (++received === logins.length) allReceived();
      }
    }),
  );

  const agent = createAgent(64);
  let failures = 0;
  let firstFailure;
  const loadBefore = await server.load();
  const stopProfile = profileTo ? await server.startProfile() : undefined;
  const start = performance.now();
  await new Promise((resolve) => {
    let sent = 0;
    const tick = () => {
      const due = Math.min(
        logins.length,
        Math.floor(((performance.now() - start) * rate) / 1000) + 1,
      );
      while (sent < due) {
        const i = sent++;
        sentAt[i] = performance.now();
        send(agent, logins[i]).then(
          ({ status }) => {
            if (status !== expectStatus) {
              failures++;
              firstFailure ??= `answered ${status}`;
            }
          },
          (error) => {
            failures++;
            firstFailure ??= error.message;
          },
        );
      }
      if (sent >= logins.length) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const sendSeconds = (performance.now() - start) / 1000;
  await Promise.race([everyoneServed, sleep(deliveryTimeoutMs)]);
  // How busy the server receiving the webhooks was while it did (the other instance, on Redis, is not counted).
  const loadAfter = await server.load();
  const load = loadBetween(loadBefore, loadAfter);
  if (stopProfile) await stopProfile(profileTo);
  await sleep(200); // late duplicates, if any, arrive now
  agent.destroy();
  for (const socket of sockets) socket.close();

  const latencies = [];
  for (let i = 0; i < logins.length; i++)
    if (deliveries[i] > 0) latencies.push(receivedAt[i] - sentAt[i]);
  if (process.env.BENCH_DEBUG) {
    // The worst latency per 250 ms of sending: tells a slow start from periodic stalls (GC, other processes).
    const buckets = new Map();
    for (let i = 0; i < logins.length; i++) {
      const bucket = Math.floor((sentAt[i] - start) / 250);
      buckets.set(
        bucket,
        Math.max(
          buckets.get(bucket) ?? 0,
          deliveries[i] ? receivedAt[i] - sentAt[i] : Infinity,
        ),
      );
    }
    console.error(
      `\n    worst per 250 ms: ${[...buckets.values()].map((v) => v.toFixed(0)).join(' ')}`,
    );
    const epochStart = performance.timeOrigin + start;
    const stalls = (loadAfter.stalls ?? []).map(
      ([at, ms]) => `${ms} ms at +${((at - epochStart) / 1000).toFixed(2)} s`,
    );
    console.error(
      `    server event-loop stalls: ${stalls.join(', ') || 'none over 30 ms'}`,
    );
  }
  const duplicates = deliveries.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    lost: logins.length - received,
    duplicates,
    failures,
    firstFailure,
    achievedRate: logins.length / sendSeconds,
    load,
  };
}

/**
 * Memory per waiting login: heap and RSS of the server process after full GCs,
 * before and after `count` logins each have a socket waiting in its room,
 * divided by `count` and scaled to 10,000. Ours includes the login records in the
 * store, since a waiting login needs them; the bare server keeps only the sockets.
 */
export async function memoryPerLogin(ctx) {
  const count = ctx.memorySockets;
  const processes = Math.max(1, Math.ceil(count / 5000));
  // All logins from one client address, under a limit it never reaches: the rate limiter's
  // per-address records live RATE_LIMIT_TTL_SECONDS, not as long as a login waits, and are not
  // what a waiting login costs. (Elsewhere every request has an address of its own.)
  // The smoke run shares one instance of ours between figures, so it keeps one address per request.
  const oneClient = ctx.smoke
    ? undefined
    : { 'x-forwarded-for': '10.255.255.254' };
  const measure = async (subject, path) => {
    // Load the code paths once, so that their compiled code is not counted as per-socket memory.
    const warm = await createLogins(subject.url, path, 50, {
      headers: oneClient,
    });
    const warmSockets = await holdIdleSockets(subject.url, warm, 1);
    await warmSockets.close();
    await sleep(ctx.settleMs / 2);
    const before = await subject.memory();
    const logins = await createLogins(subject.url, path, count, {
      headers: oneClient,
    });
    const held = await holdIdleSockets(subject.url, logins, processes);
    try {
      if (held.failed > 0)
        throw new Error(
          `${subject.name}: ${held.failed} of ${count} sockets failed (${held.firstError})`,
        );
      await sleep(ctx.settleMs);
      const after = await subject.memory();
      return {
        heapPer10k: ((after.heapUsed - before.heapUsed) / count) * 10_000,
        rssPer10k: ((after.rss - before.rss) / count) * 10_000,
        held: held.connected,
      };
    } finally {
      await held.close();
    }
  };
  const ours = await startOurs(
    ctx,
    'ours-memory',
    ctx.smoke ? {} : { RATE_LIMIT_TOKEN: '1000000000' },
  );
  let oursResult;
  try {
    oursResult = await measure(ours, '/auth/token');
  } finally {
    await ours.stop();
  }
  const bare = await startBareSocketIo(ctx, 'bare-socketio-memory');
  try {
    return { ours: oursResult, base: await measure(bare, '/token'), count };
  } finally {
    await bare.stop();
  }
}

/**
 * The whole flow, `count` times, `concurrency` at once: create the login (with
 * its QR), open the socket and wait, post `/start`, receive `authenticated`.
 * Sockets stay open a while after their result, so a second delivery would be
 * counted; afterwards every token must poll 404 (its result was handed out).
 */
/**
 * Logins end to end on one instance: in memory, or with `cluster` (its
 * REDIS_CLUSTER_NODES) on a Redis Cluster, against a bare Socket.IO server
 * (with the sharded adapter on the Cluster).
 */
export async function endToEnd(ctx, { cluster } = {}) {
  const env = cluster
    ? {
        REDIS_CLUSTER_NODES: cluster,
        REDIS_KEY_PREFIX: `${ctx.redisPrefix}e2e:`,
      }
    : {};
  const ours = await startOurs(
    ctx,
    cluster ? 'ours-e2e-cluster' : 'ours-e2e',
    env,
  );
  let oursResult;
  try {
    oursResult = await runLogins(ctx, {
      create: (agent) =>
        postJson(`${ours.url}/auth/token`, undefined, { agent }),
      socketUrl: ours.url,
      scan: (agent, login) =>
        postJson(`${ours.url}/telegram/webhook`, startUpdate(login.token), {
          agent,
        }),
      isDelivery: (event) =>
        event.status === 'authenticated' &&
        typeof event.accessToken === 'string',
      afterwards: async (logins) => {
        const stillThere = await mapConcurrent(logins.length, 16, async (i) => {
          const { token, secret } = logins[i];
          const response = await fetch(`${ours.url}/auth/poll/${token}`, {
            headers: {
              'x-login-secret': secret,
              'x-forwarded-for': nextClientIp(),
            },
          });
          await response.arrayBuffer();
          return response.status !== 404;
        });
        return stillThere.filter(Boolean).length;
      },
    });
  } finally {
    await ours.stop();
  }
  const bare = await startBareSocketIo(
    ctx,
    cluster ? 'bare-socketio-e2e-cluster' : 'bare-socketio-e2e',
    env,
  );
  try {
    const base = await runLogins(ctx, {
      create: (agent) => postJson(`${bare.url}/token`, undefined, { agent }),
      socketUrl: bare.url,
      scan: (agent, login) =>
        postJson(`${bare.url}/emit`, { token: login.token }, { agent }),
      isDelivery: (event) => event.status === 'authenticated',
    });
    return { ours: oursResult, base, count: ctx.e2eLogins };
  } finally {
    await bare.stop();
  }
}

/**
 * OpenID Connect logins end to end (bench/lib/oidc.mjs), on a service of
 * their own: logins per second through the code exchange, the webhook →
 * redirect URI latency, and none lost or delivered twice.
 */
export async function oidcEndToEnd(ctx) {
  const ours = await startOursOidc(ctx);
  // A full run starts a fresh process per figure, on a fresh port.
  if (!ctx.reuse) ctx.oidcPort = undefined;
  try {
    const before = await ours.load();
    const result = await runOidcLogins(ctx, ours.url, {
      count: ctx.oidcLogins,
    });
    return {
      oidc: { ...result, load: loadBetween(before, await ours.load()) },
    };
  } finally {
    await ours.stop();
  }
}

async function runLogins(
  ctx,
  { create, socketUrl, scan, isDelivery, afterwards },
) {
  const count = ctx.e2eLogins;
  const concurrency = 64;
  const agent = createAgent(concurrency);
  const deliveries = new Uint32Array(count);
  const logins = new Array(count);
  const closing = [];
  let lost = 0;
  let errors = 0;
  let firstError;
  const start = performance.now();
  let lastDelivery = start;
  await mapConcurrent(count, concurrency, async (i) => {
    try {
      const { status, body } = await create(agent);
      if (status !== 201) throw new Error(`create answered ${status}`);
      logins[i] = { token: body.token, secret: body.secret };
      let delivered;
      const arrived = new Promise((resolve) => (delivered = resolve));
      const socket = await openWaitingSocket(socketUrl, logins[i], (event) => {
        if (!isDelivery(event)) return;
        if (deliveries[i]++ === 0) {
          lastDelivery = performance.now();
          delivered(true);
        }
      });
      const answer = await scan(agent, logins[i]);
      if (answer.status !== 200)
        throw new Error(`webhook answered ${answer.status}`);
      const ok = await Promise.race([
        arrived,
        sleep(ctx.deliveryTimeoutMs).then(() => false),
      ]);
      if (!ok) lost++;
      // Keep listening a little: a second delivery would show up as a duplicate.
      closing.push(sleep(ctx.settleMs / 2).then(() => socket.close()));
    } catch (error) {
      errors++;
      firstError ??= error.message;
    }
  });
  const seconds = (lastDelivery - start) / 1000;
  await Promise.all(closing);
  agent.destroy();
  const delivered = deliveries.reduce((sum, n) => sum + (n > 0 ? 1 : 0), 0);
  const duplicates = deliveries.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const created = logins.filter(Boolean);
  const stillPollable = afterwards ? await afterwards(created) : 0;
  return {
    perSecond: delivered / seconds,
    delivered,
    lost: count - delivered,
    duplicates,
    errors,
    firstError,
    stillPollable,
    timedOut: lost,
  };
}

async function redisAnswers(redisUrl) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Deletes the keys one bench run wrote under its own prefix (never a FLUSH: others share this Redis). */
export async function deleteRedisKeys(redisUrl, prefix) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis not there: nothing was written either.
  } finally {
    redis.disconnect();
  }
}
