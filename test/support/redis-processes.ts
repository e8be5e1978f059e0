import { Redis } from 'ioredis';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { redisAnswers } from './redis.js';

export const run = promisify(execFile);

/** Polls `check` every 50 ms until it holds, for at most `ms`; then fails naming `what`. */
export async function until(
  check: () => Promise<boolean> | boolean,
  what: string,
  ms = 20_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (
    !(await Promise.resolve()
      .then(check)
      .catch(() => false))
  ) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * `count` free ports in a row-less random range below 30000, each with its
 * port + 10000 free too (a Cluster node's bus port).
 */
export async function freeNodePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (ports.includes(port)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + 10_000)))
      ports.push(port);
  }
  return ports;
}

/** Runs one command on the node at `port`, on a connection of its own. */
export async function ask(
  port: number,
  ...command: string[]
): Promise<unknown> {
  const client = new Redis(port, '127.0.0.1', {
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(command[0], ...command.slice(1));
  } finally {
    client.disconnect();
  }
}

/**
 * Redis processes of a test in a temp folder of their own: started, killed
 * one by one (SIGKILL, a crash), and all stopped with the folder removed.
 */
export class RedisProcesses {
  private readonly processes = new Map<number, ChildProcess>();

  private constructor(readonly dir: string) {}

  static async create(label: string): Promise<RedisProcesses> {
    return new RedisProcesses(await mkdtemp(join(tmpdir(), `tqa-${label}-`)));
  }

  /**
   * Starts `redis-server` with `args` (a config file and flags) and waits until `answers` (by
   * default a plain PING on `port`).
   */
  async start(
    port: number,
    args: string[],
    answers: () => Promise<boolean> = () =>
      redisAnswers(port, '127.0.0.1', 200),
  ): Promise<void> {
    const child = spawn('redis-server', args, {
      cwd: this.dir,
      stdio: 'ignore',
    });
    this.processes.set(port, child);
    child.once('error', () => undefined);
    await until(answers, `Redis on ${port}`);
  }

  /** Freezes a node (SIGSTOP): its connections stay open, nothing is answered or acknowledged. */
  pause(port: number): void {
    this.processes.get(port)?.kill('SIGSTOP');
  }

  /** Lets a frozen node go on (SIGCONT). */
  resume(port: number): void {
    this.processes.get(port)?.kill('SIGCONT');
  }

  /** A crash: SIGKILL, and wait until the process is gone. */
  async kill(port: number): Promise<void> {
    const child = this.processes.get(port);
    if (!child) return;
    this.processes.delete(port);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.processes.keys()].map((port) => this.kill(port)),
    );
    await rm(this.dir, { recursive: true, force: true });
  }
}
