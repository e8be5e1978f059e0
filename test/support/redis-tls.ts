import { Redis } from 'ioredis';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './redis.js';
import {
  freeNodePorts,
  RedisProcesses,
  run,
  until,
} from './redis-processes.js';

/** The ACL user the TLS server knows (its `default` user is off, so nobody gets in without a password). */
export const TLS_REDIS_USER = 'tqa-tls';

/**
 * A redis-server that speaks TLS only (`--port 0`), with a certificate for
 * 127.0.0.1 from a CA of its own (made with `openssl`, in a temp folder that
 * stop() removes) and one ACL user with a password.
 */
export class TlsRedisServer {
  private constructor(
    private readonly processes: RedisProcesses,
    readonly port: number,
    readonly password: string,
  ) {}

  /** The CA's certificate (PEM): what a client must trust, e.g. through NODE_EXTRA_CA_CERTS. */
  get caFile(): string {
    return join(this.processes.dir, 'ca.pem');
  }

  /** `rediss://user:password@127.0.0.1:port`. */
  get url(): string {
    return `rediss://${TLS_REDIS_USER}:${this.password}@127.0.0.1:${this.port}`;
  }

  static async start(password: string): Promise<TlsRedisServer> {
    const processes = await RedisProcesses.create('redis-tls');
    try {
      const server = new TlsRedisServer(processes, await freePort(), password);
      await makeTestCertificates(processes.dir);
      await processes.start(
        server.port,
        tlsNodeArgs(server.port, password),
        () => server.answers(),
      );
      return server;
    } catch (error) {
      await processes.stopAll();
      throw error;
    }
  }

  /** A client of the test's own over TLS, trusting the CA. */
  async connect(): Promise<Redis> {
    return new Redis(this.url, {
      tls: { ca: await readFile(this.caFile) },
      maxRetriesPerRequest: 1,
    });
  }

  stop(): Promise<void> {
    return this.processes.stopAll();
  }

  private async answers(): Promise<boolean> {
    const client = await this.connect();
    client.on('error', () => undefined);
    try {
      return (await client.ping()) === 'PONG';
    } finally {
      client.disconnect();
    }
  }
}

/** A CA of the test's own and a certificate for 127.0.0.1 from it, in `dir` (with `openssl`). */
async function makeTestCertificates(dir: string): Promise<void> {
  const inDir = (name: string) => join(dir, name);
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  await run('openssl', [
    'req',
    '-x509',
    ...ecKey,
    '-nodes',
    '-keyout',
    inDir('ca.key'),
    '-out',
    inDir('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=Telegram QR Auth test CA',
  ]);
  await run('openssl', [
    'req',
    ...ecKey,
    '-nodes',
    '-keyout',
    inDir('server.key'),
    '-out',
    inDir('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  await writeFile(inDir('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    inDir('server.csr'),
    '-CA',
    inDir('ca.pem'),
    '-CAkey',
    inDir('ca.key'),
    '-CAcreateserial',
    '-out',
    inDir('server.pem'),
    '-days',
    '2',
    '-extfile',
    inDir('server.ext'),
  ]);
}

/** A node that speaks TLS only (`--port 0`) with the test CA's certificate, the ACL user, nothing on disk. */
function tlsNodeArgs(port: number, password: string): string[] {
  return [
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--tls-cert-file',
    'server.pem',
    '--tls-key-file',
    'server.key',
    '--tls-ca-cert-file',
    'ca.pem',
    '--tls-auth-clients',
    'no',
    '--user',
    'default',
    'off',
    '--user',
    TLS_REDIS_USER,
    'on',
    `>${password}`,
    '~*',
    '&*',
    '+@all',
    '--save',
    '',
    '--appendonly',
    'no',
  ];
}

/**
 * A Redis Cluster (3 primaries, 3 replicas) that speaks TLS only, on its
 * client ports, its bus and its replication alike, with the ACL user of
 * {@link TlsRedisServer} (replicas authenticate as it too).
 */
export class TlsRedisCluster {
  private constructor(
    private readonly processes: RedisProcesses,
    readonly ports: number[],
    readonly password: string,
  ) {}

  get caFile(): string {
    return join(this.processes.dir, 'ca.pem');
  }

  /** `REDIS_CLUSTER_NODES` for the service. */
  get nodesVariable(): string {
    return this.ports.map((port) => `127.0.0.1:${port}`).join(',');
  }

  static async start(password: string): Promise<TlsRedisCluster> {
    const processes = await RedisProcesses.create('redis-tls-cluster');
    try {
      const cluster = new TlsRedisCluster(
        processes,
        await freeNodePorts(6),
        password,
      );
      await makeTestCertificates(processes.dir);
      await Promise.all(
        cluster.ports.map((port) =>
          processes.start(
            port,
            [
              ...tlsNodeArgs(port, password),
              '--cluster-enabled',
              'yes',
              '--cluster-config-file',
              `nodes-${port}.conf`,
              '--cluster-node-timeout',
              '1000',
              '--tls-cluster',
              'yes',
              '--tls-replication',
              'yes',
              '--masteruser',
              TLS_REDIS_USER,
              '--masterauth',
              password,
            ],
            () => cluster.healthy(port, () => true),
          ),
        ),
      );
      await run('redis-cli', [
        '--tls',
        '--cacert',
        cluster.caFile,
        '--user',
        TLS_REDIS_USER,
        '--pass',
        password,
        '--no-auth-warning',
        '--cluster',
        'create',
        ...cluster.ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ]);
      await until(
        async () =>
          (
            await Promise.all(
              cluster.ports.map((port) =>
                cluster.healthy(
                  port,
                  (info) =>
                    info.includes('cluster_state:ok') &&
                    (info.includes('role:master') ||
                      info.includes('master_link_status:up')),
                ),
              ),
            )
          ).every(Boolean),
        'the TLS Redis Cluster to be healthy',
        30_000,
      );
      return cluster;
    } catch (error) {
      await processes.stopAll();
      throw error;
    }
  }

  stop(): Promise<void> {
    return this.processes.stopAll();
  }

  /** The node answers over TLS, and its `CLUSTER INFO` and `INFO replication` pass `check`. */
  private async healthy(
    port: number,
    check: (info: string) => boolean,
  ): Promise<boolean> {
    const auth = { username: TLS_REDIS_USER, password: this.password };
    try {
      const [cluster, replication] = await Promise.all([
        tlsCommand(port, this.caFile, auth, 'CLUSTER', 'INFO'),
        tlsCommand(port, this.caFile, auth, 'INFO', 'replication'),
      ]);
      return check(`${String(cluster)}\n${String(replication)}`);
    } catch {
      return false;
    }
  }
}

/**
 * Redis with Sentinel that speaks TLS only: a primary and 2 replicas (the
 * ACL user of {@link TlsRedisServer}, replicas authenticating as it) and 3
 * Sentinels on TLS ports that require `sentinelPassword`.
 */
export class TlsRedisSentinel {
  private constructor(
    private readonly processes: RedisProcesses,
    readonly dataPorts: number[],
    readonly sentinelPorts: number[],
    readonly password: string,
    readonly sentinelPassword: string,
  ) {}

  get caFile(): string {
    return join(this.processes.dir, 'ca.pem');
  }

  /** `REDIS_SENTINELS` for the service. */
  get sentinelsVariable(): string {
    return this.sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',');
  }

  static async start(
    name: string,
    password: string,
    sentinelPassword: string,
  ): Promise<TlsRedisSentinel> {
    const processes = await RedisProcesses.create('redis-tls-sentinel');
    try {
      const ports = await freeNodePorts(6);
      const setup = new TlsRedisSentinel(
        processes,
        ports.slice(0, 3),
        ports.slice(3),
        password,
        sentinelPassword,
      );
      await makeTestCertificates(processes.dir);
      const [primary, ...replicas] = setup.dataPorts;
      const replication = [
        '--tls-replication',
        'yes',
        '--masteruser',
        TLS_REDIS_USER,
        '--masterauth',
        password,
      ];
      await processes.start(
        primary,
        [...tlsNodeArgs(primary, password), ...replication],
        () => setup.answers(primary, password, TLS_REDIS_USER),
      );
      await Promise.all(
        replicas.map((port) =>
          processes.start(
            port,
            [
              ...tlsNodeArgs(port, password),
              ...replication,
              '--replicaof',
              '127.0.0.1',
              String(primary),
            ],
            () => setup.answers(port, password, TLS_REDIS_USER),
          ),
        ),
      );
      await Promise.all(
        setup.sentinelPorts.map((port) => setup.startSentinel(port, name)),
      );
      await until(
        async () =>
          (
            await Promise.all(
              setup.sentinelPorts.map(async (port) => {
                const fields = (await setup.call(
                  port,
                  { password: sentinelPassword },
                  'SENTINEL',
                  'MASTER',
                  name,
                )) as string[];
                const field = (key: string) =>
                  Number(fields[fields.indexOf(key) + 1]);
                return (
                  field('num-slaves') === 2 &&
                  field('num-other-sentinels') === 2
                );
              }),
            )
          ).every(Boolean),
        'the TLS Sentinels to watch the primary, its replicas and each other',
        30_000,
      );
      return setup;
    } catch (error) {
      await processes.stopAll();
      throw error;
    }
  }

  stop(): Promise<void> {
    return this.processes.stopAll();
  }

  private async startSentinel(port: number, name: string): Promise<void> {
    const file = join(this.processes.dir, `sentinel-${port}.conf`);
    await writeFile(
      file,
      [
        'port 0',
        `tls-port ${port}`,
        'bind 127.0.0.1',
        `dir ${this.processes.dir}`,
        'tls-cert-file server.pem',
        'tls-key-file server.key',
        'tls-ca-cert-file ca.pem',
        'tls-auth-clients no',
        'tls-replication yes',
        `requirepass ${this.sentinelPassword}`,
        `sentinel sentinel-pass ${this.sentinelPassword}`,
        `sentinel monitor ${name} 127.0.0.1 ${this.dataPorts[0]} 2`,
        `sentinel auth-user ${name} ${TLS_REDIS_USER}`,
        `sentinel auth-pass ${name} ${this.password}`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        '',
      ].join('\n'),
    );
    await this.processes.start(port, [file, '--sentinel'], () =>
      this.answers(port, this.sentinelPassword),
    );
  }

  /** The node (with `username`) or Sentinel (without) answers PING over TLS. */
  private async answers(
    port: number,
    password: string,
    username?: string,
  ): Promise<boolean> {
    const reply = await this.call(port, { username, password }, 'PING').catch(
      () => undefined,
    );
    return reply === 'PONG';
  }

  private call(
    port: number,
    auth: { username?: string; password: string },
    ...command: string[]
  ): Promise<unknown> {
    return tlsCommand(port, this.caFile, auth, ...command);
  }
}

/** One command to the TLS node or Sentinel at `port`, on a connection of its own, trusting the test CA. */
async function tlsCommand(
  port: number,
  caFile: string,
  auth: { username?: string; password: string },
  ...command: string[]
): Promise<unknown> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    ...(auth.username && { username: auth.username }),
    password: auth.password,
    tls: { ca: await readFile(caFile) },
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
