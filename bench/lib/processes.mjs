// Starting, observing and stopping the processes the bench measures.
import { fork } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('./probe.mjs', import.meta.url));

/**
 * Variables removed from every subject's environment unless the bench sets them, so that the
 * shell the bench runs in (a developer's BOT_TOKEN, REDIS_URL...) cannot change what is measured.
 * Our service's own list is added from its configuration schema (see serviceVariables in figures.mjs).
 */
const CLEARED_VARIABLES = [
  'NODE_ENV',
  'PORT',
  'REDIS_URL',
  'REDIS_CLUSTER_NODES',
  'REDIS_KEY_PREFIX',
  'BENCH_NO_QR',
  'BENCH_DIST',
];

/** A port nobody listens on right now (the kernel picks it; the tiny race is acceptable on loopback). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const running = new Set();

/**
 * Forks `script` with the probe preloaded, on a free port given as PORT, and
 * waits until it answers HTTP. stdout is discarded (our service logs a line per
 * update; writing it to /dev/null costs the same as in production minus the
 * terminal); the last stderr lines are kept for error messages.
 */
export async function startSubject({
  name,
  script,
  env = {},
  clear = [],
  cpuProfileDir,
  readyPath = '/',
  timeoutMs = 30_000,
  // Chosen beforehand when the subject's configuration must name its own URL (an OpenID issuer).
  port: givenPort,
}) {
  const port = givenPort ?? (await freePort());
  // BENCH_SUBJECT_ARGS adds Node flags for diagnosis (e.g. --trace-gc; then set BENCH_SUBJECT_LOG_DIR to keep stdout).
  const execArgv = [
    '--expose-gc',
    '--import',
    PROBE,
    ...(process.env.BENCH_SUBJECT_ARGS?.split(' ').filter(Boolean) ?? []),
  ];
  if (cpuProfileDir) {
    mkdirSync(cpuProfileDir, { recursive: true });
    execArgv.push(
      '--cpu-prof',
      '--cpu-prof-dir',
      cpuProfileDir,
      '--cpu-prof-name',
      `${name}-${Date.now()}.cpuprofile`,
    );
  }
  const childEnv = { ...process.env };
  for (const variable of [...CLEARED_VARIABLES, ...clear])
    delete childEnv[variable];
  // NODE_ENV stays unset (development): production would demand a real bot token and secrets.
  Object.assign(childEnv, { PORT: String(port) }, env);
  for (const [key, value] of Object.entries(childEnv))
    if (value === undefined) delete childEnv[key];

  const logDir = process.env.BENCH_SUBJECT_LOG_DIR;
  const stdout = logDir
    ? openSync(join(logDir, `${name}-${Date.now()}.log`), 'w')
    : 'ignore';
  const child = fork(script, [], {
    execArgv,
    env: childEnv,
    stdio: ['ignore', stdout, 'pipe', 'ipc'],
  });
  if (typeof stdout === 'number') closeSync(stdout);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let nextId = 0;
  const pending = new Map();
  child.on('message', (message) => {
    const waiter = pending.get(message?.id);
    if (waiter) {
      pending.delete(message.id);
      waiter(message);
    }
  });

  const subject = {
    name,
    pid: child.pid,
    port,
    url: `http://127.0.0.1:${port}`,
    get stderr() {
      return stderr;
    },
    /** Heap and RSS after two full GCs in the subject. */
    async memory() {
      const id = ++nextId;
      const reply = new Promise((resolve) => pending.set(id, resolve));
      child.send({ type: 'memory', id });
      const { memory, gc } = await withTimeout(
        reply,
        10_000,
        `${name}: no memory reply`,
      );
      if (!gc)
        throw new Error(
          `${name}: global.gc is missing (the probe needs --expose-gc)`,
        );
      return memory;
    },
    /** Writes a V8 heap snapshot of the subject to `path` (diagnosis only). */
    async heapSnapshot(path) {
      const id = ++nextId;
      const reply = new Promise((resolve) => pending.set(id, resolve));
      child.send({ type: 'heap-snapshot', id, path });
      return (await withTimeout(reply, 120_000, `${name}: no heap snapshot`))
        .path;
    },
    /** Starts a CPU profile of the subject; the returned function stops it and writes it to `path`. */
    async startProfile() {
      const ask = (message) => {
        const id = ++nextId;
        const reply = new Promise((resolve) => pending.set(id, resolve));
        child.send({ ...message, id });
        return withTimeout(reply, 60_000, `${name}: no ${message.type} reply`);
      };
      await ask({ type: 'profile-start' });
      return (path) => ask({ type: 'profile-stop', path });
    },
    /** A snapshot for {@link loadBetween}. */
    async load() {
      const id = ++nextId;
      const reply = new Promise((resolve) => pending.set(id, resolve));
      child.send({ type: 'load', id });
      const { cpu, idle, active, stalls } = await withTimeout(
        reply,
        10_000,
        `${name}: no load reply`,
      );
      return {
        cpu: (cpu.user + cpu.system) / 1000,
        idle,
        active,
        stalls,
        at: performance.now(),
      };
    },
    async stop() {
      if (!running.has(subject)) return;
      running.delete(subject);
      if (child.exitCode === null && child.signalCode === null) {
        child.send({ type: 'exit' }, () => undefined);
        const result = await Promise.race([
          exited,
          sleep(5000).then(() => undefined),
        ]);
        if (!result) {
          child.kill('SIGKILL');
          await exited;
        }
      }
    },
  };
  running.add(subject);

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await Promise.race([
      exited,
      sleep(100).then(() => undefined),
    ]);
    if (state) {
      running.delete(subject);
      throw new Error(
        `${name} exited before it listened (code ${state.code}, signal ${state.signal}):\n${stderr}`,
      );
    }
    if (await answers(`${subject.url}${readyPath}`)) return subject;
    if (Date.now() > deadline) {
      await subject.stop();
      throw new Error(
        `${name} did not answer on ${subject.url} within ${timeoutMs} ms:\n${stderr}`,
      );
    }
  }
}

/** Stops whatever is still running (on errors and Ctrl-C), so no subject outlives the bench. */
export async function stopAll() {
  await Promise.all(
    [...running].map((subject) => subject.stop().catch(() => undefined)),
  );
}

async function answers(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

export function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}

/** Between two load() snapshots: CPU used as a share of one core, and how busy the event loop was (0..1). */
export function loadBetween(before, after) {
  const wall = after.at - before.at;
  const busy = after.active - before.active;
  return {
    cpu: (after.cpu - before.cpu) / wall,
    eventLoop: busy / (busy + (after.idle - before.idle)),
  };
}
