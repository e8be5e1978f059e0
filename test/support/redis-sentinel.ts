import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ask,
  freeNodePorts,
  RedisProcesses,
  until,
} from './redis-processes.js';
import { redisNodeArgs } from './redis.js';

export const SENTINEL_NAME = 'tqa-test';

/** `down-after-milliseconds`: see {@link TestRedisSentinel}. */
const DOWN_AFTER_MS = 2_000;

/**
 * Redis with Sentinel, of the test's own: a primary, 2 replicas and 3
 * Sentinels (quorum 2) on free loopback ports, in a temp folder. The
 * Sentinels call a primary down after 2 s without an answer and fail over.
 * Not 1 s: just after a switch a Sentinel may take about a second to connect
 * to the new primary, and with 1 s it called that one down too and failed
 * over a second time (seen under the failover load), demoting a primary that
 * had taken writes its promoted replica never got.
 * Always {@link stop} it in afterAll.
 */
export class TestRedisSentinel {
  private readonly dead = new Set<number>();

  private constructor(
    private readonly processes: RedisProcesses,
    readonly dataPorts: number[],
    readonly sentinelPorts: number[],
  ) {}

  static async start(): Promise<TestRedisSentinel> {
    const processes = await RedisProcesses.create('sentinel');
    try {
      const ports = await freeNodePorts(6);
      const setup = new TestRedisSentinel(
        processes,
        ports.slice(0, 3),
        ports.slice(3),
      );
      await setup.startData();
      await Promise.all(
        setup.sentinelPorts.map((port) => setup.startSentinel(port)),
      );
      await setup.waitUntilWatched();
      return setup;
    } catch (error) {
      await processes.stopAll();
      throw error;
    }
  }

  private async startData(): Promise<void> {
    const [primary, ...replicas] = this.dataPorts;
    await this.processes.start(primary, redisNodeArgs(primary));
    await Promise.all(
      replicas.map((port) =>
        this.processes.start(
          port,
          redisNodeArgs(port, '--replicaof', '127.0.0.1', String(primary)),
        ),
      ),
    );
  }

  private async startSentinel(port: number): Promise<void> {
    const file = join(this.processes.dir, `sentinel-${port}.conf`);
    await writeFile(
      file,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${this.processes.dir}`,
        `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${this.dataPorts[0]} 2`,
        `sentinel down-after-milliseconds ${SENTINEL_NAME} ${DOWN_AFTER_MS}`,
        `sentinel failover-timeout ${SENTINEL_NAME} 5000`,
        `sentinel parallel-syncs ${SENTINEL_NAME} 2`,
        '',
      ].join('\n'),
    );
    await this.processes.start(port, [file, '--sentinel']);
  }

  /** Every Sentinel knows the other two and both replicas, and the replicas are in sync. */
  async waitUntilWatched(ms = 30_000): Promise<void> {
    await until(
      async () => {
        const primary = await this.primary();
        const info = String(await ask(primary, 'INFO', 'replication'));
        const replicas = (info.match(/state=online/g) ?? []).length;
        const views = await Promise.all(
          this.sentinelPorts.map(async (port) => [
            (
              (await ask(
                port,
                'SENTINEL',
                'SENTINELS',
                SENTINEL_NAME,
              )) as unknown[]
            ).length,
            (
              (await ask(
                port,
                'SENTINEL',
                'REPLICAS',
                SENTINEL_NAME,
              )) as unknown[]
            ).length,
          ]),
        );
        return (
          replicas >= this.liveData().length - 1 &&
          views.every(
            ([sentinels, known]) => sentinels === 2 && known >= replicas,
          )
        );
      },
      'the Sentinels to watch the primary and its replicas',
      ms,
    );
  }

  /** `REDIS_SENTINELS` for the service. */
  get sentinelsVariable(): string {
    return this.sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',');
  }

  /** The primary's port, as the first Sentinel names it. */
  async primary(): Promise<number> {
    const [, port] = (await ask(
      this.sentinelPorts[0],
      'SENTINEL',
      'GET-MASTER-ADDR-BY-NAME',
      SENTINEL_NAME,
    )) as [string, string];
    return Number(port);
  }

  /** SIGKILLs the primary (a crash); returns its port. */
  async killPrimary(): Promise<number> {
    const primary = await this.primary();
    await this.processes.kill(primary);
    this.dead.add(primary);
    return primary;
  }

  /**
   * SIGSTOPs the primary (a hung machine: its connections stay open, nothing
   * answers); returns its port. {@link resume} it before the suite ends.
   */
  async pausePrimary(): Promise<number> {
    const primary = await this.primary();
    this.processes.pause(primary);
    return primary;
  }

  /** Lets a node frozen by {@link pausePrimary} go on. */
  resume(port: number): void {
    this.processes.resume(port);
  }

  /** Until every Sentinel names a live replica as the new primary, which answers as one. */
  async waitForFailover(killed: number, ms = 30_000): Promise<number> {
    await until(
      async () => {
        const named = await Promise.all(
          this.sentinelPorts.map(async (port) =>
            Number(
              (
                (await ask(
                  port,
                  'SENTINEL',
                  'GET-MASTER-ADDR-BY-NAME',
                  SENTINEL_NAME,
                )) as string[]
              )[1],
            ),
          ),
        );
        if (named.some((port) => port === killed || port !== named[0]))
          return false;
        const role = String(await ask(named[0], 'INFO', 'replication'));
        return role.includes('role:master');
      },
      `a replica to take over from ${killed}`,
      ms,
    );
    return this.primary();
  }

  private liveData(): number[] {
    return this.dataPorts.filter((port) => !this.dead.has(port));
  }

  async stop(): Promise<void> {
    await this.processes.stopAll();
  }
}
