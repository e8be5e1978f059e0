import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  closeRedisClient,
  createRedisClient,
  waitUntilReady,
} from './redis-client.factory.js';
import { REDIS_CLIENT, REDIS_STARTUP_WAIT_MS } from './redis.constants.js';
import { REDIS_SETTINGS } from '../telegram-qr-auth.constants.js';
import type { RedisSettings } from '../interfaces/settings.interface.js';

const logger = new Logger('Redis');

async function connect(settings: RedisSettings): Promise<Redis | null> {
  if (!settings.url) return null;
  const client = createRedisClient(settings.url, logger);
  if (await waitUntilReady(client, REDIS_STARTUP_WAIT_MS))
    logger.log('Connected to Redis');
  return client;
}

/** Closes the shared connection last, after the HTTP and Socket.IO servers have stopped. */
@Injectable()
export class RedisConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.client) await closeRedisClient(this.client);
  }
}

/**
 * One ioredis connection for the whole process (store, dedupe, rate limits),
 * or `null` without REDIS_URL. Socket.IO's adapter duplicates it for pub/sub.
 */
@Module({
  providers: [
    { provide: REDIS_CLIENT, inject: [REDIS_SETTINGS], useFactory: connect },
    RedisConnectionCloser,
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule {}
