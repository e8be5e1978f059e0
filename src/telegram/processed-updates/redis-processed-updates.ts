import type { Redis } from 'ioredis';
import { whenRedisAnswers } from '../../redis/when-redis-answers.js';
import type { ProcessedUpdates } from '../interfaces/index.js';

/**
 * Claims shared by every instance: `SET NX PX` succeeds for exactly one
 * caller, and Redis forgets the id when the claim's time is up.
 */
export class RedisProcessedUpdates implements ProcessedUpdates {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async claim(updateId: number, ttlMs: number): Promise<boolean> {
    const reply = await whenRedisAnswers(() =>
      this.redis.set(this.keyOf(updateId), '1', 'PX', ttlMs, 'NX'),
    );
    return reply === 'OK';
  }

  async release(updateId: number): Promise<void> {
    await whenRedisAnswers(() => this.redis.del(this.keyOf(updateId)));
  }

  /** The key of an update id's claim; for tests. */
  keyOf(updateId: number): string {
    return `${this.keyPrefix}update:${updateId}`;
  }
}
