import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  closeRedisClient,
  createRedisClient,
  type RedisClient,
  waitUntilReady,
} from './redis-client.factory.js';
import { RedisEventsService } from './redis-events.service.js';
import {
  REDIS_CLIENT,
  REDIS_STARTUP_WAIT_MS,
  REPLICA_WAIT,
} from './redis.constants.js';
import type { ReplicaWait } from './wait-for-replicas.js';
import { REDIS_SETTINGS } from '../telegram-qr-auth.constants.js';
import type { RedisSettings } from '../interfaces/settings.interface.js';

const logger = new Logger('Redis');

const MODE_NAMES = {
  single: 'Redis',
  cluster: 'the Redis Cluster',
  sentinel: "the Sentinels' Redis primary",
} as const;

async function connect(settings: RedisSettings): Promise<RedisClient | null> {
  if (!settings.mode) return null;
  const client = createRedisClient(settings, logger);
  if (await waitUntilReady(client, REDIS_STARTUP_WAIT_MS))
    logger.log(`Connected to ${MODE_NAMES[settings.mode]}`);
  return client;
}

/** The configured wait, reporting each shortfall to {@link RedisEventsService}. */
function replicaWait(
  settings: RedisSettings,
  events: RedisEventsService,
): ReplicaWait {
  return {
    ...settings.replicaWait,
    onShortfall: (shortfall) => events.publishReplicaShortfall(shortfall),
  };
}

/** Closes the shared connection last, after the HTTP and Socket.IO servers have stopped. */
@Injectable()
export class RedisConnectionCloser implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly client: RedisClient | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.client) await closeRedisClient(this.client);
  }
}

/**
 * One ioredis connection for the whole process (store, dedupe, rate limits),
 * or `null` without REDIS_URL. Socket.IO's adapter duplicates it for pub/sub.
 * With it, the wait for replicas the Redis stores use and its events.
 */
@Module({
  providers: [
    { provide: REDIS_CLIENT, inject: [REDIS_SETTINGS], useFactory: connect },
    RedisConnectionCloser,
    RedisEventsService,
    {
      provide: REPLICA_WAIT,
      inject: [REDIS_SETTINGS, RedisEventsService],
      useFactory: replicaWait,
    },
  ],
  exports: [REDIS_CLIENT, REPLICA_WAIT, RedisEventsService],
})
export class RedisModule {}
