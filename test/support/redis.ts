import { beforeAll, describe } from '@jest/globals';
import { Redis } from 'ioredis';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, Socket } from 'node:net';

/** The Redis the tests share with other runs: never FLUSHALL it, use {@link uniqueKeyPrefix}. */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** Answers true when a Redis on host:port replies to PING within `timeoutMs`. */
export function redisAnswers(
  port = 6379,
  host = '127.0.0.1',
  timeoutMs = 1000,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, host, () => socket.write('PING\r\n'));
  });
}

/**
 * `describe` for suites that need the shared Redis on 127.0.0.1:6379. Without
 * it the suite fails at once with what to do, never skips: a test run that
 * quietly left out the Redis suites would pass without testing them.
 * (Suites with a Redis of their own use {@link OwnRedisServer} and plain `describe`.)
 */
export function describeWithRedis(name: string, suite: () => void): void {
  describe(name, () => {
    beforeAll(async () => {
      if (!(await redisAnswers())) {
        throw new Error(
          'No Redis answers on 127.0.0.1:6379: start one (redis-server --port 6379) or run `bash .ci/run`.',
        );
      }
    });
    suite();
  });
}

/** A prefix no other test run uses, e.g. `tqa-test:1a2b3c4d:`. */
export function uniqueKeyPrefix(label = 'test'): string {
  return `tqa-${label}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key under `prefix` (never the whole database: others share it). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${prefix}*`,
      'COUNT',
      500,
    );
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A connection to the shared test Redis that fails fast instead of queueing. */
export function connectTestRedis(url = TEST_REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The flags of a loopback node that keeps nothing on disk, then `more` (e.g. `--replicaof`). */
export function redisNodeArgs(port: number, ...more: string[]): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    ...more,
  ];
}

/**
 * A throw-away `redis-server` of the test's own (no persistence), to stop and
 * start again for outage tests without touching the shared one.
 */
export class OwnRedisServer {
  private process?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(port?: number): Promise<OwnRedisServer> {
    const server = new OwnRedisServer(port ?? (await freePort()));
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.process) return;
    const child = spawn('redis-server', redisNodeArgs(this.port), {
      stdio: 'ignore',
    });
    this.process = child;
    const exited = new Promise<never>((_, reject) => {
      child.once('exit', (code) =>
        reject(
          new Error(`redis-server on port ${this.port} exited with ${code}`),
        ),
      );
      child.once('error', (error) =>
        reject(
          new Error(
            `Could not run redis-server (${error.message}): install Redis or run \`bash .ci/run\`.`,
          ),
        ),
      );
    });
    exited.catch(() => undefined);
    const deadline = Date.now() + 5000;
    while (
      !(await Promise.race([redisAnswers(this.port, '127.0.0.1', 200), exited]))
    ) {
      if (Date.now() > deadline)
        throw new Error(
          `redis-server on port ${this.port} did not answer within 5 s`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered, like a hung Redis. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** Kills the server (SIGKILL: an outage, not a goodbye) and waits until the port is closed. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    if (child.exitCode === null) {
      child.kill('SIGCONT');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }
}
