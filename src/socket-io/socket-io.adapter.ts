import { Logger } from '@nestjs/common';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Cluster, type Redis } from 'ioredis';
import {
  closeRedisClient,
  type RedisClient,
  superviseConnection,
  waitUntilReady,
} from '../redis/redis-client.factory.js';
import { REDIS_STARTUP_WAIT_MS } from '../redis/redis.constants.js';

// Nest's platform package has its own copy of socket.io; use its types, not the root package's.
type IoServer = ReturnType<IoAdapter['createIOServer']>;
type IoServerOptions = Parameters<IoAdapter['createIOServer']>[1];

export interface SocketIoAdapterOptions {
  /** CORS for the polling transport (websocket upgrades are not subject to CORS). */
  cors?: CorsOptions;
}

/**
 * Socket.IO as this service needs it: CORS from CORS_ORIGINS and, with
 * {@link connectRooms}, rooms that span every instance through Redis pub/sub
 * (`@socket.io/redis-adapter`), so a result reaches a socket on any instance.
 */
export class SocketIoAdapter extends IoAdapter {
  protected override readonly logger = new Logger('SocketIoAdapter');
  private roomsAdapter?: ReturnType<typeof createAdapter>;
  private readonly redisClients: RedisClient[] = [];

  constructor(
    app: ConstructorParameters<typeof IoAdapter>[0],
    private readonly options: SocketIoAdapterOptions = {},
  ) {
    super(app);
  }

  /**
   * Two connections duplicated from the shared one: a subscriber (which queues
   * its SUBSCRIBEs until connected and renews them after every reconnection)
   * and a publisher. On a Cluster, sharded pub/sub (SPUBLISH, SSUBSCRIBE;
   * Redis 7): each room's channel lives on one shard, where classic PUBLISH
   * would be copied to every node of the Cluster.
   */
  async connectRooms(redis: RedisClient, keyPrefix: string): Promise<void> {
    const sharded = redis instanceof Cluster;
    const [publisher, subscriber] = sharded
      ? duplicateCluster(redis)
      : duplicateNode(redis);
    this.redisClients.push(publisher, subscriber);
    superviseConnection(publisher, this.logger, 'Redis (Socket.IO publisher)');
    superviseConnection(
      subscriber,
      this.logger,
      'Redis (Socket.IO subscriber)',
    );
    catchFireAndForget(
      publisher,
      sharded ? ['spublish'] : ['publish'],
      this.logger,
    );
    catchFireAndForget(
      subscriber,
      sharded
        ? ['ssubscribe', 'sunsubscribe']
        : ['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'],
      this.logger,
    );
    await Promise.all([
      waitUntilReady(publisher, REDIS_STARTUP_WAIT_MS),
      waitUntilReady(subscriber, REDIS_STARTUP_WAIT_MS),
    ]);
    this.roomsAdapter = withServerCountThatNeverRejects(
      sharded
        ? (createShardedAdapter(publisher, subscriber, {
            channelPrefix: `${keyPrefix}socket.io`,
          }) as unknown as ReturnType<typeof createAdapter>)
        : createAdapter(publisher, subscriber, {
            key: `${keyPrefix}socket.io`,
          }),
    );
  }

  override createIOServer(port: number, options?: IoServerOptions): IoServer {
    const server = super.createIOServer(
      port,
      this.options.cors
        ? ({ ...options, cors: this.options.cors } as IoServerOptions)
        : options,
    );
    // One socket.io-adapter package serves both socket.io copies at run time (npm dedupes it).
    if (this.roomsAdapter)
      server.adapter(
        this.roomsAdapter as unknown as Parameters<IoServer['adapter']>[0],
      );
    return server;
  }

  /**
   * Nest calls this for every socket that connects, with the gateway's
   * `@SubscribeMessage` handlers. Ours have none (a login's socket only
   * listens), yet IoAdapter would build an RxJS chain per socket for them
   * (`fromEvent(socket, 'disconnect').pipe(share(), first())`, kept as long
   * as the socket): about 1.8 KB of heap per waiting login (heap-diff.mjs).
   */
  override bindMessageHandlers(
    ...args: Parameters<IoAdapter['bindMessageHandlers']>
  ): void {
    const [, handlers] = args;
    if (handlers.length === 0) return;
    super.bindMessageHandlers(...args);
  }

  /** Nest calls this after closing the Socket.IO server. */
  override async dispose(): Promise<void> {
    await Promise.all(
      this.redisClients.splice(0).map((client) => closeRedisClient(client)),
    );
  }
}

/** The subscriber waits for Redis rather than fail its subscriptions. */
const SUBSCRIBER_OPTIONS = {
  enableOfflineQueue: true,
  maxRetriesPerRequest: null,
  commandTimeout: undefined,
};

function duplicateNode(redis: Redis): [Redis, Redis] {
  return [
    redis.duplicate({ enableAutoPipelining: false }),
    redis.duplicate({ ...SUBSCRIBER_OPTIONS, enableAutoPipelining: false }),
  ];
}

/**
 * The adapter's clients do without auto-pipelining: with it, once the primary holding Socket.IO's channel had failed
 * over, the adapter's publishes and subscriptions never reached the new one (the failover load
 * test lost 783 of 2,000 logins that way). Its commands are few; the pipelining is for requests.
 */
function duplicateCluster(cluster: Cluster): [Cluster, Cluster] {
  return [
    cluster.duplicate(undefined, { enableAutoPipelining: false }),
    cluster.duplicate(undefined, {
      enableOfflineQueue: true,
      enableAutoPipelining: false,
      redisOptions: { ...cluster.options.redisOptions, ...SUBSCRIBER_OPTIONS },
    }),
  ];
}

type RoomsAdapter = ReturnType<typeof createAdapter>;

/**
 * Socket.IO's emit with acknowledgements asks the adapter how many servers will
 * answer (`serverCount()`: PUBSUB NUMSUB, or SHARDNUMSUB on every node of a
 * Cluster) and never handles that promise's failure: a node that is down (a
 * primary failing over) would end the process with an unhandled rejection.
 * Not knowing the count, the emit waits its whole timeout and reports the
 * acknowledgements that did come: later, never wrong.
 */
function withServerCountThatNeverRejects(factory: RoomsAdapter): RoomsAdapter {
  // A function, not an arrow: Socket.IO calls it with `new`.
  return function (namespace: Parameters<RoomsAdapter>[0]) {
    const adapter = factory(namespace);
    const serverCount = adapter.serverCount.bind(adapter);
    adapter.serverCount = () =>
      serverCount().catch(() => Number.POSITIVE_INFINITY);
    return adapter;
  } as RoomsAdapter;
}

/**
 * The Redis adapter calls these and never handles their promises. While Redis
 * is down (or at shutdown) they can fail, and an unhandled rejection would end
 * the process; a lost emit is no worse than a lost socket (the page can poll).
 */
function catchFireAndForget(
  client: RedisClient,
  methods: readonly string[],
  logger: Logger,
): void {
  const commands = client as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  for (const method of methods) {
    const original = commands[method].bind(client);
    commands[method] = (...args: unknown[]) => {
      const result = original(...args);
      result.catch((error: unknown) =>
        logger.debug(
          `Redis ${method} for Socket.IO failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
      return result;
    };
  }
}
