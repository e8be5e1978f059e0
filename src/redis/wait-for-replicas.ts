import calculateSlot from 'cluster-key-slot';
import { Cluster, Command } from 'ioredis';
import type { ReplicaShortfall } from './redis-events.service.js';
import type { RedisClient } from './redis-client.factory.js';
import {
  REPLICA_COUNT_TTL_MS,
  REPLICA_MAX_LAG_SECONDS,
} from './redis.constants.js';

/** How many replicas a write a login cannot lose waits for, and for how long at most. */
export interface ReplicaWait {
  replicas: number;
  timeoutMs: number;
  /** Told of each WAIT that fell short, before it throws (the metrics count them). */
  onShortfall?: (shortfall: ReplicaShortfall) => void;
}

/** Fewer replicas than asked acknowledged a write in time: it might vanish with its primary. */
export class ReplicasBehindError extends Error {
  constructor(acknowledged: number, wanted: number, timeoutMs: number) {
    super(
      `${acknowledged} of ${wanted} Redis replicas acknowledged a write within ${timeoutMs} ms`,
    );
  }
}

/**
 * `WAIT <replicas> <timeoutMs>` after a write, on the node that took it: a
 * failover (Sentinel or Cluster) promotes a replica, and with asynchronous
 * replication a write acknowledged a moment before the crash may not have
 * reached it. WAIT covers every earlier write of this connection, and on a
 * Cluster it is sent to the primary of `key`'s slot (it has no key of its
 * own for ioredis to route by).
 *
 * It waits only for replicas that are there: a primary that has just been
 * promoted has none until the others re-attach, and there is no failover
 * without one, so the write is as safe as it can be. Otherwise fewer
 * acknowledgements than asked throws {@link ReplicasBehindError} (a 503): the
 * step is not confirmed, and the browser or Telegram sends it again, rather
 * than a 2xx for a write that a crash could still undo.
 */
export async function waitForReplicas(
  redis: RedisClient,
  key: string,
  wait: ReplicaWait | undefined,
): Promise<void> {
  if (!wait || wait.replicas <= 0) return;
  const wanted = Math.min(
    wait.replicas,
    await liveReplicasOf(redis).forKey(key),
  );
  if (wanted === 0) return;
  const acknowledged = Number(
    await redis.sendCommand(
      onSlotOf(
        redis,
        key,
        new Command('WAIT', [wanted, wait.timeoutMs], {
          replyEncoding: 'utf8',
        }),
      ),
    ),
  );
  if (acknowledged < wanted) {
    wait.onShortfall?.({ acknowledged, wanted });
    throw new ReplicasBehindError(acknowledged, wanted, wait.timeoutMs);
  }
}

/** A command without a key, sent where `key` lives (a Cluster's primary of its slot). */
function onSlotOf(redis: RedisClient, key: string, command: Command): Command {
  if (redis.isCluster)
    (command as unknown as { slot: number }).slot = calculateSlot(key);
  return command;
}

const counts = new WeakMap<RedisClient, LiveReplicaCounts>();

function liveReplicasOf(redis: RedisClient): LiveReplicaCounts {
  let known = counts.get(redis);
  if (!known) counts.set(redis, (known = new LiveReplicaCounts(redis)));
  return known;
}

/**
 * How many replicas each primary has in sync (online, acknowledged within
 * {@link REPLICA_MAX_LAG_SECONDS}), from `INFO replication`, asked at most
 * once per {@link REPLICA_COUNT_TTL_MS} per primary.
 */
class LiveReplicaCounts {
  private readonly known = new Map<
    string,
    { at: number; count: Promise<number> }
  >();

  constructor(private readonly redis: RedisClient) {}

  forKey(key: string): Promise<number> {
    const node = this.nodeOf(key);
    const cached = this.known.get(node);
    if (cached && Date.now() - cached.at < REPLICA_COUNT_TTL_MS)
      return cached.count;
    const count = this.ask(key);
    this.known.set(node, { at: Date.now(), count });
    // A failed INFO is not remembered: the next write asks again.
    count.catch(() => {
      if (this.known.get(node)?.count === count) this.known.delete(node);
    });
    return count;
  }

  /** The primary's address on a Cluster; one entry for a single node or Sentinel's primary. */
  private nodeOf(key: string): string {
    if (!(this.redis instanceof Cluster)) return 'primary';
    return this.redis.slots[calculateSlot(key)]?.[0] ?? 'unknown';
  }

  private async ask(key: string): Promise<number> {
    const info = String(
      await this.redis.sendCommand(
        onSlotOf(
          this.redis,
          key,
          new Command('INFO', ['replication'], { replyEncoding: 'utf8' }),
        ),
      ),
    );
    return countLiveReplicas(info);
  }
}

/** Replicas of an `INFO replication` reply that are online and acknowledged lately. */
export function countLiveReplicas(info: string): number {
  let live = 0;
  for (const line of info.split(/\r?\n/)) {
    if (!/^slave\d+:/.test(line)) continue;
    const fields = new URLSearchParams(
      line.replace(/^slave\d+:/, '').replaceAll(',', '&'),
    );
    if (
      fields.get('state') === 'online' &&
      Number(fields.get('lag')) <= REPLICA_MAX_LAG_SECONDS
    )
      live++;
  }
  return live;
}
