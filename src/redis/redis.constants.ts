/** Injection token of the shared ioredis connection; `null` when REDIS_URL is not set. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Injection token of the `ReplicaWait` the Redis stores use after the writes a login cannot lose. */
export const REPLICA_WAIT = Symbol('REPLICA_WAIT');

/**
 * A command that has not been answered by then fails, so a hung Redis turns
 * into a quick 503 rather than a request that waits forever. The scripts this
 * service runs are O(1); a healthy Redis answers them in well under a millisecond.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/** How long a connection attempt may take before ioredis gives up on it and retries. */
export const REDIS_CONNECT_TIMEOUT_MS = 3_000;

/** Reconnection backs off up to this delay, so service resumes within about a second of Redis coming back. */
export const REDIS_MAX_RECONNECT_DELAY_MS = 1_000;

/**
 * A Cluster client reads the slots anew this often (`slotsRefreshInterval`).
 * ioredis otherwise does so only on a redirection or a lost connection, and a
 * primary that hangs gives neither: after its replica took over, every command
 * for its slots would still go to it and time out, for as long as it hangs.
 */
export const REDIS_CLUSTER_SLOTS_REFRESH_MS = 2_000;

/** How long start-up waits for the first connection before it goes on and answers 503 until Redis is there. */
export const REDIS_STARTUP_WAIT_MS = 3_000;

/**
 * A replica whose last acknowledgement is older than this (seconds, as INFO
 * reports `lag`) is not waited for: it is stopped, cut off or far behind, and
 * every write would otherwise stall for the whole WAIT timeout. Replicas
 * acknowledge every second, so a live one shows 0 or 1.
 */
export const REPLICA_MAX_LAG_SECONDS = 2;

/** How long a node's count of live replicas is reused before INFO is asked again. */
export const REPLICA_COUNT_TTL_MS = 1_000;
