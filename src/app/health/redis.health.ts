import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { RedisClient } from '../../redis/redis-client.factory.js';
import { REDIS_CLIENT } from '../../redis/redis.constants.js';
import { REDIS_CHECK, REDIS_PING_TIMEOUT_MS } from './health.constants.js';

/** Redis answers PING on the shared connection, within {@link REDIS_PING_TIMEOUT_MS}. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
  ) {}

  /** Whether this instance uses Redis at all (REDIS_URL). */
  get configured(): boolean {
    return this.redis !== null;
  }

  async isHealthy(key = REDIS_CHECK) {
    const check = this.indicators.check(key);
    const redis = this.redis;
    if (!redis)
      return check.up({ message: 'not configured (REDIS_URL unset)' });
    return check
      .attempt(async () => {
        if (redis.status !== 'ready')
          throw new Error(`not connected (${redis.status})`);
        // "ready" alone is not trusted: a Redis that hangs still looks ready.
        const reply = await redis.ping();
        if (reply !== 'PONG')
          throw new Error(`unexpected reply to PING: ${String(reply)}`);
      })
      .withTimeout(REDIS_PING_TIMEOUT_MS);
  }
}
