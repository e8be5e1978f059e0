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
    if (
      error instanceof ReplyError &&
      !TRANSIENT_REPLY.test((error as Error).message)
    )
      throw error;
    throw new RedisUnavailableError(error);
  }
}
