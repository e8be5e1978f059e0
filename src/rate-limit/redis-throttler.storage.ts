import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisClient } from '../redis/redis-client.factory.js';
import { whenRedisAnswers } from '../redis/when-redis-answers.js';

/**
 * A fixed window per key, counted in one script so that instances sharing
 * Redis share the count. Over the limit the key is blocked for
 * `blockDuration`, after which a new window starts.
 * KEYS: hits, block. ARGV: ttl ms, limit, block ms.
 * Returns { hits, ms left in window, blocked 0|1, ms left of block }.
 */
const INCREMENT_SCRIPT = `
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  return { tonumber(ARGV[2]) + 1, blockLeft, 1, blockLeft }
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local windowLeft = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return { hits, windowLeft, 1, tonumber(ARGV[3]) }
end
return { hits, windowLeft, 0, 0 }
`;

type ThrottlerStorageRecord = Awaited<
  ReturnType<ThrottlerStorage['increment']>
>;

type IncrementCommand = (
  hitsKey: string,
  blockKey: string,
  ttlMs: number,
  limit: number,
  blockMs: number,
) => Promise<number[]>;

/**
 * `@nestjs/throttler` counters in Redis. (`@nest-lab/throttler-storage-redis`
 * declares peers up to Nest 11 only; this is the same idea in one script.)
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly incrementScript: IncrementCommand;

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {
    redis.defineCommand('tqaThrottlerIncrement', {
      numberOfKeys: 2,
      lua: INCREMENT_SCRIPT,
    });
    this.incrementScript = (
      redis as unknown as { tqaThrottlerIncrement: IncrementCommand }
    ).tqaThrottlerIncrement.bind(redis);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    // One hash tag for the counter and its block, so the script runs on one slot of a Cluster.
    const hitsKey = `${this.keyPrefix}throttle:{${throttlerName}:${key}}`;
    const [totalHits, windowLeftMs, blocked, blockLeftMs] =
      await whenRedisAnswers(() =>
        this.incrementScript(
          hitsKey,
          `${hitsKey}:blocked`,
          ttl,
          limit,
          blockDuration,
        ),
      );
    return {
      totalHits,
      // Seconds, rounded up, as the in-memory storage reports them (they become the headers).
      timeToExpire: Math.max(0, Math.ceil(windowLeftMs / 1000)),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.max(0, Math.ceil(blockLeftMs / 1000)),
    };
  }
}
