import { ReplyError } from 'ioredis';
import { RedisUnavailableError } from './redis-unavailable.error.js';

/**
 * Replies of a Redis that is up but cannot serve for now (starting, failing
 * over, busy). A MOVED or ASK that reaches us is one ioredis did not follow:
 * commands auto-pipelined together during a Cluster failover are not
 * redirected, their replies come back as errors (seen in the failover load
 * test). The command did not run on that node, so the step is not done and
 * the caller may try again once the slots are known anew.
 */
const TRANSIENT_REPLY =
  /^(LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|MOVED|ASK)\b/;

/**
 * Runs a Redis operation and turns connection failures (refused, closed,
 * timed out, offline) and transient replies into {@link RedisUnavailableError}.
 * Any other error reply (a bug, e.g. a wrong key type) is rethrown unchanged.
 */
export async function whenRedisAnswers<T>(
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ReplyError && !isTransientReply(error as Error))
      throw error;
    throw new RedisUnavailableError(error);
  }
}

/**
 * A transient reply, or a `MULTI` that Redis discarded (EXECABORT: none of it
 * ran) because of transient replies to its queued commands: a Cluster failover
 * answers them `MOVED` or `CLUSTERDOWN` while ioredis could not redirect the
 * transaction as a whole (seen in the failover load test).
 */
function isTransientReply(error: Error): boolean {
  if (TRANSIENT_REPLY.test(error.message)) return true;
  // ioredis puts the queued commands' replies on the EXEC's error.
  const { previousErrors } = error as Error & { previousErrors?: unknown[] };
  return (
    /^EXECABORT\b/.test(error.message) &&
    Array.isArray(previousErrors) &&
    previousErrors.length > 0 &&
    previousErrors.every(
      (previous) =>
        previous instanceof Error && TRANSIENT_REPLY.test(previous.message),
    )
  );
}
