import type { RedisClient } from '../../redis/redis-client.factory.js';
import { randomUUID } from 'node:crypto';
import { whenRedisAnswers } from '../../redis/when-redis-answers.js';
import type { ProcessedUpdates, UpdateClaim } from '../interfaces/index.js';

/** The value of a claim being handled; `done` (or anything else) once handled. */
const PROCESSING = 'processing:';

/**
 * Claims the id unless a claim exists, else says which kind and, for one being
 * handled, how long it has left: the claim and the read in one round trip, so
 * that exactly one of several instances gets the id. A value that is not ours
 * to read (`1`, written by versions before the two phases) counts as done.
 * KEYS: claim. ARGV: processing value, processing ttl ms.
 * Returns { 'claimed' | 'done' | 'processing', ms left }.
 */
const CLAIM_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return { 'claimed', 0 }
end
if string.sub(current, 1, ${PROCESSING.length}) == '${PROCESSING}' then
  return { 'processing', redis.call('PTTL', KEYS[1]) }
end
return { 'done', 0 }
`;

/**
 * Marks the id done if the claim is still ours, or if ours expired and nobody
 * claimed it since (the handling happened all the same). A claim of someone
 * else's is left to them.
 * KEYS: claim. ARGV: our processing value, dedupe ms.
 */
const COMPLETE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
  return 1
end
return 0
`;

/** Deletes the claim only if it is still ours. KEYS: claim. ARGV: our processing value. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

type ClaimCommand = (
  key: string,
  value: string,
  ttlMs: number,
) => Promise<[string, number]>;
type CompleteCommand = (
  key: string,
  value: string,
  ttlMs: number,
) => Promise<number>;
type ReleaseCommand = (key: string, value: string) => Promise<number>;

/**
 * Claims shared by every instance, in two phases (see {@link ProcessedUpdates}):
 * `processing:<nonce>` for a short time while one instance handles the update,
 * then `done` for the dedupe window. Redis forgets either when its time is up.
 */
export class RedisProcessedUpdates implements ProcessedUpdates {
  private readonly claimScript: ClaimCommand;
  private readonly completeScript: CompleteCommand;
  private readonly releaseScript: ReleaseCommand;

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {
    redis.defineCommand('tqaUpdateClaim', {
      numberOfKeys: 1,
      lua: CLAIM_SCRIPT,
    });
    redis.defineCommand('tqaUpdateComplete', {
      numberOfKeys: 1,
      lua: COMPLETE_SCRIPT,
    });
    redis.defineCommand('tqaUpdateRelease', {
      numberOfKeys: 1,
      lua: RELEASE_SCRIPT,
    });
    const commands = redis as unknown as {
      tqaUpdateClaim: ClaimCommand;
      tqaUpdateComplete: CompleteCommand;
      tqaUpdateRelease: ReleaseCommand;
    };
    this.claimScript = commands.tqaUpdateClaim.bind(redis);
    this.completeScript = commands.tqaUpdateComplete.bind(redis);
    this.releaseScript = commands.tqaUpdateRelease.bind(redis);
  }

  async claim(
    updateId: number,
    processingTtlMs: number,
    nonce: string = randomUUID(),
  ): Promise<UpdateClaim> {
    const [state, msLeft] = await whenRedisAnswers(() =>
      this.claimScript(
        this.keyOf(updateId),
        PROCESSING + nonce,
        processingTtlMs,
      ),
    );
    switch (state) {
      case 'claimed':
        return { state, nonce };
      case 'processing':
        // PTTL is -1 only for a key without expiry, which this service never writes.
        return {
          state,
          retryAfterMs: msLeft >= 0 ? msLeft : processingTtlMs,
        };
      default:
        return { state: 'done' };
    }
  }

  async complete(
    updateId: number,
    nonce: string,
    dedupeMs: number,
  ): Promise<void> {
    await whenRedisAnswers(() =>
      this.completeScript(this.keyOf(updateId), PROCESSING + nonce, dedupeMs),
    );
  }

  async release(updateId: number, nonce: string): Promise<void> {
    await whenRedisAnswers(() =>
      this.releaseScript(this.keyOf(updateId), PROCESSING + nonce),
    );
  }

  /** The key of an update id's claim; for tests. */
  keyOf(updateId: number): string {
    return `${this.keyPrefix}update:${updateId}`;
  }
}
