import calculateSlot from 'cluster-key-slot';
import { Command } from 'ioredis';
import type { RedisClient } from './redis-client.factory.js';

/** How many replicas a write a login cannot lose waits for, and for how long at most. */
export interface ReplicaWait {
  replicas: number;
  timeoutMs: number;
}

/**
 * `WAIT <replicas> <timeoutMs>` after a write, on the node that took it: a
 * failover (Sentinel or Cluster) promotes a replica, and with asynchronous
 * replication a write acknowledged a moment before the crash may not have
 * reached it. WAIT applies to every write of this connection so far, and on a
 * Cluster it is sent to the primary of `key`'s slot (it has no key of its
 * own for ioredis to route by). Fewer replicas than asked by the timeout is
 * not an error: the write is on the primary, only less sure to survive its
 * crash; failing the request would turn a slow replica into an outage.
 */
export async function waitForReplicas(
  redis: RedisClient,
  key: string,
  wait: ReplicaWait | undefined,
): Promise<void> {
  if (!wait || wait.replicas <= 0) return;
  const command = new Command('WAIT', [wait.replicas, wait.timeoutMs], {
    replyEncoding: 'utf8',
  });
  if (redis.isCluster)
    (command as unknown as { slot: number }).slot = calculateSlot(key);
  await redis.sendCommand(command);
}
