// A Redis Cluster of the bench's own (3 primaries, 3 replicas on free loopback
// ports, in a temp folder), for the figures measured on a Cluster. The tests
// have their own (test/support/redis-cluster.ts); this one needs no failover.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from './processes.mjs';

const run = promisify(execFile);

/** Starts the Cluster and resolves with `nodes` (REDIS_CLUSTER_NODES) and `stop()`. */
export async function startRedisCluster() {
  const dir = await mkdtemp(join(tmpdir(), 'tqa-bench-cluster-'));
  const children = [];
  const stop = async () => {
    for (const child of children) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ports = await clusterPorts(6);
    for (const port of ports)
      children.push(
        spawn(
          'redis-server',
          [
            '--port',
            String(port),
            '--bind',
            '127.0.0.1',
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            `nodes-${port}.conf`,
            '--save',
            '',
            '--appendonly',
            'no',
          ],
          { cwd: dir, stdio: 'ignore' },
        ),
      );
    await until(async () => {
      for (const port of ports) await cli(port, 'PING');
      return true;
    });
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    await until(async () => {
      for (const port of ports)
        if (!(await cli(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'))
          return false;
      return true;
    });
    // The service WAITs for a replica in sync after the writes a login cannot lose, and answers
    // 503 while a shard has none: measuring starts once every replica has its primary's data.
    await until(async () => {
      for (const port of ports) {
        const info = await cli(port, 'INFO', 'replication');
        if (
          info.includes('role:slave') &&
          !info.includes('master_link_status:up')
        )
          return false;
        if (info.includes('role:master') && !/slave0:.*state=online/.test(info))
          return false;
      }
      return true;
    });
    return {
      nodes: ports.map((port) => `127.0.0.1:${port}`).join(','),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function cli(port, ...command) {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...command]);
  return stdout;
}

async function until(check, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline)
      throw new Error('the bench Redis Cluster did not come up');
    await sleep(100);
  }
}

/** Free ports whose cluster bus port (port + 10000) is free too. */
async function clusterPorts(count) {
  const ports = [];
  while (ports.length < count) {
    const port = await freePort();
    if (port + 10_000 > 65_535 || ports.includes(port)) continue;
    if (await isFree(port + 10_000)) ports.push(port);
  }
  return ports;
}

async function isFree(port) {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
