import type { Logger } from '@nestjs/common';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisSettings } from '../interfaces/settings.interface.js';
import {
  REDIS_CLUSTER_SLOTS_REFRESH_MS,
  REDIS_COMMAND_TIMEOUT_MS,
  REDIS_CONNECT_TIMEOUT_MS,
  REDIS_MAX_RECONNECT_DELAY_MS,
} from './redis.constants.js';

/**
 * Options for connections that serve requests: while Redis is away a command
 * fails at once (no offline queue, no retry of commands in flight) or after
 * {@link REDIS_COMMAND_TIMEOUT_MS}, so callers answer 503 quickly and nothing
 * runs later behind their back. The connection itself is retried for ever.
 */
export const REQUEST_CONNECTION_OPTIONS: RedisOptions = {
  // Commands issued in the same tick go out in one write: a login's steps cost a few system
  // calls rather than one per command (a write per command was 19% of a busy instance's CPU).
  enableAutoPipelining: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
  retryStrategy: backOff,
};

/** Reconnection delays: quick at first, then at most {@link REDIS_MAX_RECONNECT_DELAY_MS}, for ever. */
function backOff(attempt: number): number {
  return Math.min(attempt * 100, REDIS_MAX_RECONNECT_DELAY_MS);
}

/** One Redis node, or a Cluster: every store works with either. */
export type RedisClient = Redis | Cluster;

/**
 * READONLY: the node this connection reached has become a replica (a
 * failover); reconnect (through the Sentinels, to the new primary) and
 * resend, rather than fail every write until the connection drops.
 */
function reconnectOnReadonly(error: Error): 2 | false {
  return error.message.startsWith('READONLY') ? 2 : false;
}

/** What every node connection needs: credentials and TLS, the same in every mode. */
function nodeOptions(settings: RedisSettings): RedisOptions {
  return {
    ...REQUEST_CONNECTION_OPTIONS,
    ...(settings.username !== undefined && { username: settings.username }),
    ...(settings.password !== undefined && { password: settings.password }),
    ...(settings.tls && { tls: {} }),
  };
}

/**
 * Connects in the configured mode (REDIS_URL, REDIS_CLUSTER_NODES or
 * REDIS_SENTINELS) and logs when Redis goes away and comes back (once each,
 * not every retry).
 */
export function createRedisClient(
  settings: RedisSettings,
  logger: Logger,
): RedisClient {
  const client = connectionFor(settings);
  superviseConnection(client, logger, 'Redis');
  return client;
}

function connectionFor(settings: RedisSettings): RedisClient {
  const options = nodeOptions(settings);
  if (settings.clusterNodes)
    return new Cluster([...settings.clusterNodes], {
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      redisOptions: options,
      clusterRetryStrategy: backOff,
      // SSUBSCRIBE for the sharded Socket.IO adapter: one subscriber per primary.
      shardedSubscribers: true,
      // A failover: MOVED and CLUSTERDOWN are retried briefly, then answer 503.
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      retryDelayOnTryAgain: 100,
      slotsRefreshInterval: REDIS_CLUSTER_SLOTS_REFRESH_MS,
    });
  if (settings.sentinels)
    return new Redis({
      ...options,
      sentinels: [...settings.sentinels],
      name: settings.sentinelName,
      ...(settings.sentinelPassword !== undefined && {
        sentinelPassword: settings.sentinelPassword,
      }),
      ...(settings.tls && { enableTLSForSentinelMode: true, sentinelTLS: {} }),
      reconnectOnError: reconnectOnReadonly,
      sentinelRetryStrategy: backOff,
      // Subscribes to the Sentinels' +switch-master and reconnects at once: a primary that hangs
      // (rather than dies) keeps its connections open, and without this the client would stay
      // on it, timing out, for as long as it hangs.
      failoverDetector: true,
    });
  return new Redis(settings.url ?? '', {
    ...options,
    ...(settings.url?.startsWith('rediss:') && { tls: {} }),
    reconnectOnError: reconnectOnReadonly,
  });
}

/** What every connection of the service gets: {@link reportOutages} and {@link connectAgainAfterUnaskedEnd}. */
export function superviseConnection(
  client: RedisClient,
  logger: Logger,
  name: string,
): void {
  reportOutages(client, logger, name);
  if (client instanceof Redis)
    connectAgainAfterUnaskedEnd(client, logger, name);
}

/**
 * Logs when the connection is lost (once per outage, not every retry) and when
 * it is back. The reason is ioredis' own message ("connect ECONNREFUSED
 * 127.0.0.1:6379"), never the URL, which may carry a password.
 */
function reportOutages(
  client: RedisClient,
  logger: Logger,
  name: string,
): void {
  let down = false;
  let lastError: string | undefined;
  client.on('error', (error: Error) => {
    lastError = error.message;
  });
  client.on('reconnecting', () => {
    if (down) return;
    down = true;
    const reason = lastError ? ` (${lastError})` : '';
    logger.error(
      `${name} connection lost${reason}; reconnecting, and requests that need it answer 503 until it is back`,
    );
  });
  client.on('ready', () => {
    lastError = undefined;
    if (!down) return;
    down = false;
    logger.log(`${name} is reachable again`);
  });
}

/** The connections {@link closeRedisClient} was asked to close: their end is no fault. */
const closedOnPurpose = new WeakSet<RedisClient>();

/**
 * ioredis ends a Sentinel client for good (status "end", every command "Connection is closed")
 * when its failover detector hears +switch-master while the client is reconnecting: the detector
 * stops the connector in the middle of asking a Sentinel for the primary, and ioredis takes that
 * failed connection attempt as final. Seen in about one failover load test in three, where the
 * instance then answered 503 until the end, and a login its webhook had just recorded never
 * reached the browser. A connection that ends that way (straight from "connecting": one that is
 * closed, by QUIT, `disconnect()` or Redis, ends after "close") connects again, unless
 * {@link closeRedisClient} was asked to close it.
 */
function connectAgainAfterUnaskedEnd(
  client: Redis,
  logger: Logger,
  name: string,
): void {
  let last: 'connecting' | 'close' | undefined;
  client.on('connecting', () => (last = 'connecting'));
  client.on('close', () => (last = 'close'));
  client.on('end', () => {
    if (closedOnPurpose.has(client) || last !== 'connecting') return;
    logger.error(
      `${name} connection was ended by the client library; connecting again`,
    );
    setTimeout(() => {
      if (!closedOnPurpose.has(client) && client.status === 'end')
        // A failure ends it again, and this runs again.
        client.connect().catch(() => undefined);
    }, REDIS_MAX_RECONNECT_DELAY_MS).unref();
  });
}

/**
 * Resolves true once the client is ready, false on its first failure or after
 * `timeoutMs`: start-up waits for Redis briefly but never hangs on it.
 */
export function waitUntilReady(
  client: RedisClient,
  timeoutMs: number,
): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onFailure);
      client.off('end', onFailure);
      resolve(ready);
    };
    const onReady = () => finish(true);
    const onFailure = () => finish(false);
    const timer = setTimeout(onFailure, timeoutMs);
    client.once('ready', onReady);
    client.once('error', onFailure);
    client.once('end', onFailure);
  });
}

/**
 * QUIT when Redis answers (replies still due arrive first), else drop the
 * connection and stop reconnecting: shutdown never waits for a Redis that is away.
 */
export async function closeRedisClient(
  client: RedisClient,
  timeoutMs = REDIS_COMMAND_TIMEOUT_MS,
): Promise<void> {
  closedOnPurpose.add(client);
  // An ended Sentinel client may still hold its failover detector (below); an ended Cluster has nothing left.
  if (client.status === 'end' && client instanceof Cluster) return;
  if (client.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    const quit = client.quit().catch(() => undefined);
    const timedOut = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, timeoutMs)),
    );
    await Promise.race([quit, timedOut]);
    clearTimeout(timer);
  }
  // After a QUIT too, or once ended: ioredis closes a Sentinel client's failover detector (its
  // own connections to the Sentinels, which would keep the process alive) only in disconnect().
  client.disconnect();
}
