import { Cluster } from 'ioredis';
import {
  ask,
  freeNodePorts,
  RedisProcesses,
  run,
  until,
} from './redis-processes.js';

/**
 * A Redis Cluster of the test's own: 3 primaries and 3 replicas on free
 * loopback ports, in a temp folder. A killed primary's replica takes over
 * after the node timeout (1 s here). Always {@link stop} it in afterAll.
 */
export class TestRedisCluster {
  private constructor(
    private readonly processes: RedisProcesses,
    readonly ports: number[],
  ) {}

  static async start(): Promise<TestRedisCluster> {
    const processes = await RedisProcesses.create('cluster');
    try {
      const ports = await freeNodePorts(6);
      const cluster = new TestRedisCluster(processes, ports);
      await Promise.all(ports.map((port) => cluster.startNode(port)));
      await run('redis-cli', [
        '--cluster',
        'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ]);
      await cluster.waitUntilHealthy();
      return cluster;
    } catch (error) {
      await processes.stopAll();
      throw error;
    }
  }

  private startNode(port: number): Promise<void> {
    return this.processes.start(port, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      `nodes-${port}.conf`,
      '--cluster-node-timeout',
      '1000',
      // A replica takes over however long ago it last heard from its primary.
      '--cluster-replica-validity-factor',
      '0',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
  }

  /** `REDIS_CLUSTER_NODES` for the service: every node as a seed. */
  get nodesVariable(): string {
    return this.ports.map((port) => `127.0.0.1:${port}`).join(',');
  }

  /** Every live node says cluster_state:ok, and each slot has a primary with a replica. */
  async waitUntilHealthy(ms = 30_000): Promise<void> {
    await until(
      async () => {
        const infos = await Promise.all(
          this.livePorts().map((port) => ask(port, 'CLUSTER', 'INFO')),
        );
        const replicated = (await this.primaries()).length === 3;
        const replication = await Promise.all(
          this.livePorts().map((port) => ask(port, 'INFO', 'replication')),
        );
        return (
          replicated &&
          infos.every((info) => String(info).includes('cluster_state:ok')) &&
          // Every replica in sync, so that a killed primary has a replica ready to take over.
          replication.every(
            (info) =>
              String(info).includes('role:master') ||
              String(info).includes('master_link_status:up'),
          )
        );
      },
      'the Redis Cluster to be healthy',
      ms,
    );
  }

  /** The ports of the primaries, as a live node sees the Cluster. */
  async primaries(): Promise<number[]> {
    const nodes = String(await ask(this.livePorts()[0], 'CLUSTER', 'NODES'));
    return nodes
      .split('\n')
      .filter((line) => /\bmaster\b/.test(line) && !/\bfail\b/.test(line))
      .filter((line) => line.split(' ').length > 8)
      .map((line) => Number(/:(\d+)@/.exec(line)![1]));
  }

  /** The port of the primary that holds `key`. */
  async primaryOf(key: string): Promise<number> {
    const slot = Number(
      await ask(this.livePorts()[0], 'CLUSTER', 'KEYSLOT', key),
    );
    const slots = (await ask(this.livePorts()[0], 'CLUSTER', 'SLOTS')) as [
      number,
      number,
      [string, number],
    ][];
    const range = slots.find(([from, to]) => slot >= from && slot <= to);
    return Number(range![2][1]);
  }

  /** Until a replica has taken over the killed primary's slots and the Cluster is healthy again. */
  async waitForFailover(killed: number, ms = 30_000): Promise<void> {
    await until(
      async () => !(await this.primaries()).includes(killed),
      `a replica to take over from ${killed}`,
      ms,
    );
    await this.waitUntilHealthy(ms);
  }

  /** SIGKILLs a node (a crash) and forgets it. */
  async kill(port: number): Promise<void> {
    await this.processes.kill(port);
    this.dead.add(port);
  }

  /**
   * SIGSTOPs a node (a hung machine: its connections stay open, nothing
   * answers); it counts as gone until {@link resume}d. Resume it before the
   * suite ends.
   */
  pause(port: number): void {
    this.processes.pause(port);
    this.frozen.add(port);
  }

  /** Lets a node frozen by {@link pause} go on. */
  resume(port: number): void {
    this.processes.resume(port);
    this.frozen.delete(port);
  }

  private readonly dead = new Set<number>();
  private readonly frozen = new Set<number>();

  private livePorts(): number[] {
    return this.ports.filter(
      (port) => !this.dead.has(port) && !this.frozen.has(port),
    );
  }

  /** A client of the test's own on this Cluster. */
  connect(): Cluster {
    return new Cluster(
      this.livePorts().map((port) => ({ host: '127.0.0.1', port })),
      { redisOptions: { maxRetriesPerRequest: 1 } },
    );
  }

  /** Every key under `prefix`: SCAN on each primary, as a Cluster's keys are spread over them. */
  async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for (const port of await this.primaries()) {
      let cursor = '0';
      do {
        const [next, found] = (await ask(
          port,
          'SCAN',
          cursor,
          'MATCH',
          `${prefix}*`,
          'COUNT',
          '1000',
        )) as [string, string[]];
        keys.push(...found);
        cursor = next;
      } while (cursor !== '0');
    }
    return keys;
  }

  async stop(): Promise<void> {
    await this.processes.stopAll();
  }
}
