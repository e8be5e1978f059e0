#!/usr/bin/env node
// The fault run (`npm run soak`): many logins over two instances on one Redis
// while Redis is paused twice (SIGSTOP for 3 s) and one instance is killed with
// kill -9 and started again. Counts what a person would notice: logins that
// reached the browser, logins lost (completed in Telegram, never delivered),
// logins delivered twice, and logins that failed visibly (the browser was told
// expired/denied/unknown). Exits 1 unless 0 lost and 0 duplicated.
//
//   npm run soak                      10,000 logins at 50/s (about 4 minutes)
//   npm run soak -- --logins 2000 --rate 40
//   npm run soak:smoke                300 logins at 20/s, the same faults (CI)
//
// Each simulated browser does what the login page does: POST /auth/token
// (retrying while the service answers 503), a socket to one instance with the
// result acknowledged, and polling the other instance while its socket is
// down. Each /start is posted to either instance and re-sent, as Telegram
// does, until it is answered 2xx.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import { createAgent, postJson } from './lib/http.mjs';
import { freePort } from './lib/processes.mjs';
import { percentile } from './lib/stats.mjs';
import { nextClientIp, startUpdate } from './lib/updates.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    logins: { type: 'string' },
    rate: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const LOGINS = Number(args.logins ?? (args.smoke ? 300 : 10_000));
const RATE = Number(args.rate ?? (args.smoke ? 20 : 50));
const OUT =
  args.out ??
  join(ROOT, 'bench', 'results', args.smoke ? 'soak-smoke.md' : 'soak.md');
/** How long a browser waits for its result after Telegram accepted the /start. */
const RESULT_DEADLINE_MS = 60_000;
/** The page's retry of a token creation the service refused (503 while Redis is away). */
const TOKEN_RETRY_MS = 500;
const TOKEN_GIVE_UP_MS = 30_000;
/** Telegram re-sends an update that was not answered 2xx; here every second. */
const UPDATE_RETRY_MS = 1_000;
const POLL_INTERVAL_MS = 1_000;
/** A person scans a while after the code appears, so logins are in flight when the faults strike. */
const SCAN_DELAY_MS = [1_000, 3_000];
const REDIS_PAUSE_MS = 3_000;

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

// ---------------------------------------------------------------- processes

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  children.add(child);
  await waitFor(async () => {
    const { Redis } = await import('ioredis');
    const client = new Redis({
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } finally {
      client.disconnect();
    }
  }, 'redis-server');
  return { port, child, url: `redis://127.0.0.1:${port}` };
}

class Instance {
  constructor(name, port, env) {
    this.name = name;
    this.port = port;
    this.env = env;
    this.url = `http://127.0.0.1:${port}`;
  }

  async start() {
    this.child = spawn(
      process.execPath,
      [join(ROOT, 'dist', 'app', 'main.js')],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, ...this.env, PORT: String(this.port) },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    children.add(this.child);
    this.stderr = '';
    this.child.stderr.on(
      'data',
      (chunk) => (this.stderr = (this.stderr + chunk).slice(-2000)),
    );
    await waitFor(
      async () => (await fetch(`${this.url}/health`)).ok,
      this.name,
      () => this.stderr,
    );
  }

  kill() {
    this.child.kill('SIGKILL');
    children.delete(this.child);
  }

  async stop() {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
    children.delete(this.child);
  }
}

async function waitFor(check, what, detail = () => '') {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`${what} did not come up: ${detail()}`);
    await sleep(100);
  }
}

// ---------------------------------------------------------------- one browser

const counts = {
  logins: 0,
  delivered: 0,
  bySocket: 0,
  byPoll: 0,
  lost: 0,
  duplicated: 0,
  failedVisibly: 0,
  neverStarted: 0,
  tokenRetries: 0,
  updateResends: 0,
  socketReconnects: 0,
};
const latencies = [];
const failures = [];

/** POST /auth/token as the page does: a 503 (Redis away) or a refused connection is tried again. */
async function createToken(instances, index, agent) {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    const instance = instances[(index + attempt) % instances.length];
    const answer = await postJson(`${instance.url}/auth/token`, undefined, {
      agent,
    }).catch(() => undefined);
    if (answer?.status === 201) return { ...answer.body, instance };
    if (Date.now() - started > TOKEN_GIVE_UP_MS) return undefined;
    counts.tokenRetries++;
    await sleep(TOKEN_RETRY_MS);
  }
}

/** Telegram's side: the same update until it is answered 2xx. */
async function deliverUpdate(instances, token, agent, stop) {
  const update = startUpdate(token);
  for (let attempt = 0; !stop.done; attempt++) {
    const instance = instances[Math.floor(Math.random() * instances.length)];
    const answer = await postJson(`${instance.url}/telegram/webhook`, update, {
      agent,
    }).catch(() => undefined);
    if (answer && answer.status >= 200 && answer.status < 300)
      return { acceptedAt: Date.now(), outcome: answer.body?.outcome };
    counts.updateResends++;
    await sleep(UPDATE_RETRY_MS);
  }
  return undefined;
}

async function oneLogin(instances, index, agent) {
  counts.logins++;
  const ticket = await createToken(instances, index, agent);
  if (!ticket) {
    counts.neverStarted++;
    return;
  }
  const home = ticket.instance;
  const other = instances.find((instance) => instance !== home);
  const ip = nextClientIp();
  const state = {
    results: 0,
    done: false,
    told: undefined,
    acceptedAt: undefined,
  };
  let resolveDone;
  const finished = new Promise((resolve) => (resolveDone = resolve));
  const settle = (how, body) => {
    if (body.status === 'authenticated' && body.accessToken) {
      state.results++;
      if (state.results > 1) counts.duplicated++;
      if (state.done) return;
      state.done = true;
      counts.delivered++;
      counts[how === 'socket' ? 'bySocket' : 'byPoll']++;
      if (state.acceptedAt) latencies.push(Date.now() - state.acceptedAt);
      resolveDone();
    } else if (
      body.status === 'denied' ||
      body.status === 'expired' ||
      body.status === 'unknown'
    ) {
      if (state.done) return;
      state.done = true;
      state.told = body.status;
      resolveDone();
    }
  };

  const socket = io(`${home.url}/auth`, {
    auth: { token: ticket.token, secret: ticket.secret },
    transports: ['websocket'],
    extraHeaders: { 'x-forwarded-for': ip },
    reconnectionDelay: 200,
    reconnectionDelayMax: 1_000,
  });
  let polling;
  const poll = async () => {
    while (!state.done && !socket.connected) {
      const target = Math.random() < 0.5 ? home : other;
      const response = await fetch(`${target.url}/auth/poll/${ticket.token}`, {
        headers: { 'x-login-secret': ticket.secret, 'x-forwarded-for': ip },
      }).catch(() => undefined);
      if (response?.status === 200) settle('poll', await response.json());
      else if (response?.status === 404 && !state.done)
        settle('poll', { status: 'unknown' });
      await sleep(POLL_INTERVAL_MS);
    }
    polling = undefined;
  };
  const startPolling = () => {
    if (!polling && !state.done) polling = poll();
  };
  socket.on('status', (body, ack) => {
    ack?.();
    settle('socket', body);
  });
  socket.on('disconnect', () => {
    if (!state.done) {
      counts.socketReconnects++;
      startPolling();
    }
  });
  socket.on('connect_error', () => startPolling());
  // The person scans once the page shows the code: after the socket is in (or polling began), and takes a moment.
  await Promise.race([
    new Promise((resolve) => socket.once('connect', resolve)),
    sleep(2_000),
  ]);
  await sleep(
    SCAN_DELAY_MS[0] + Math.random() * (SCAN_DELAY_MS[1] - SCAN_DELAY_MS[0]),
  );
  const accepted = await deliverUpdate(instances, ticket.token, agent, state);
  state.acceptedAt = accepted?.acceptedAt;
  const deadline = sleep(RESULT_DEADLINE_MS).then(() => 'deadline');
  const outcome = await Promise.race([
    finished.then(() => 'settled'),
    deadline,
  ]);
  // A moment more, to see a second delivery if one comes.
  await sleep(200);
  socket.close();
  if (state.results > 0) return;
  // The bot told the person "You are logged in" (the webhook's outcome), yet the browser never got
  // the result or was told the login is unknown: lost. Any other end was told to the person as a failure.
  const toldLoggedIn = accepted?.outcome === 'authenticated';
  if (toldLoggedIn && (outcome === 'deadline' || state.told === 'unknown')) {
    counts.lost++;
    failures.push(`lost: ${state.told ?? 'no result'} (login ${index})`);
  } else {
    counts.failedVisibly++;
    failures.push(
      `failed: bot said ${accepted?.outcome}, browser ${state.told ?? 'no result'} (login ${index})`,
    );
  }
}

// ---------------------------------------------------------------- the run

async function main() {
  console.log(`[soak] building (npm run build)`);
  await run('npm', ['run', '--silent', 'build']);
  const redis = await startRedis();
  const env = {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: `soak-${randomBytes(4).toString('hex')}:`,
    TOKEN_TTL_SECONDS: '300',
    LOG_LEVEL: 'warn',
    // Every simulated browser has its own address (X-Forwarded-For from loopback, as behind a proxy).
    TRUST_PROXY: 'loopback',
  };
  const instances = [
    new Instance('instance A', await freePort(), env),
    new Instance('instance B', await freePort(), env),
  ];
  await Promise.all(instances.map((instance) => instance.start()));
  const agent = createAgent(64);
  const durationMs = (LOGINS / RATE) * 1000;
  console.log(
    `[soak] ${LOGINS} logins at ${RATE}/s over ${instances.length} instances (~${Math.round(durationMs / 1000)} s); ` +
      `Redis paused ${REDIS_PAUSE_MS / 1000} s at 25 % and 75 %, instance B killed (kill -9) and restarted at 50 %`,
  );
  const events = [];
  const started = performance.now();
  const at = (fraction) =>
    sleep(Math.max(0, started + durationMs * fraction - performance.now()));
  const faults = (async () => {
    for (const [fraction, fault] of [
      [0.25, 'pause'],
      [0.5, 'kill'],
      [0.75, 'pause'],
    ]) {
      await at(fraction);
      const t = ((performance.now() - started) / 1000).toFixed(1);
      if (fault === 'pause') {
        redis.child.kill('SIGSTOP');
        events.push(
          `${t} s: Redis paused (SIGSTOP) for ${REDIS_PAUSE_MS / 1000} s`,
        );
        await sleep(REDIS_PAUSE_MS);
        redis.child.kill('SIGCONT');
      } else {
        instances[1].kill();
        events.push(`${t} s: instance B killed (kill -9), restarted at once`);
        await instances[1].start();
      }
    }
  })();

  const logins = [];
  for (let index = 0; index < LOGINS; index++) {
    await sleep(
      Math.max(0, started + (index * 1000) / RATE - performance.now()),
    );
    logins.push(oneLogin(instances, index, agent));
  }
  await Promise.all(logins);
  await faults;
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  await Promise.all(
    instances.map((instance) => instance.stop().catch(() => undefined)),
  );
  redis.child.kill('SIGKILL');

  const report = renderReport(seconds, events);
  console.log(report);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(OUT, report);
  console.log(`Written to ${OUT}`);
  if (failures.length)
    console.log(`First failures: ${failures.slice(0, 10).join('; ')}`);
  process.exit(counts.lost === 0 && counts.duplicated === 0 ? 0 : 1);
}

function renderReport(seconds, events) {
  const row = (name, value, note = '') => `| ${name} | ${value} | ${note} |`;
  return [
    `# Fault run (${args.smoke ? 'npm run soak:smoke' : 'npm run soak'})`,
    '',
    `- ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${LOGINS} logins at ${RATE}/s over two instances on one Redis, ${seconds.toFixed(0)} s`,
    ...events.map((event) => `- ${event}`),
    '',
    '| | count | |',
    '| --- | --- | --- |',
    row('logins started', counts.logins),
    row(
      '**delivered to the browser**',
      counts.delivered,
      `${counts.bySocket} over the socket, ${counts.byPoll} by polling`,
    ),
    row(
      '**lost**',
      counts.lost,
      'the bot said "logged in", the browser never got it (target 0)',
    ),
    row(
      '**duplicated**',
      counts.duplicated,
      'a result delivered twice (target 0)',
    ),
    row(
      'failed visibly',
      counts.failedVisibly,
      'the person was told it did not work (the bot, or the browser: expired, denied, unknown)',
    ),
    row(
      'never started',
      counts.neverStarted,
      `no token within ${TOKEN_GIVE_UP_MS / 1000} s of retries`,
    ),
    row(
      'token creations retried',
      counts.tokenRetries,
      '503 while Redis was paused, or the instance was down',
    ),
    row(
      'updates re-sent',
      counts.updateResends,
      'answered non-2xx (Redis paused, instance down), re-sent as Telegram does',
    ),
    row(
      'sockets that lost their instance',
      counts.socketReconnects,
      'reconnected, polling the other instance meanwhile',
    ),
    row(
      'result after /start accepted, p50 / p99',
      latencies.length
        ? `${percentile(latencies, 50)} / ${percentile(latencies, 99)} ms`
        : '-',
      'includes the faults',
    ),
    '',
  ].join('\n');
}

function run(command, commandArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: ROOT, stdio: 'inherit' });
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

main().catch((error) => {
  console.error(`soak failed: ${error.stack ?? error}`);
  process.exit(1);
});
