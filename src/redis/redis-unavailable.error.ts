import { ServiceUnavailableException } from '@nestjs/common';
import { ReplyError } from 'ioredis';

/**
 * Redis could not be reached (down, unreachable, too slow). An HTTP request
 * that needs it answers 503 with this message; the connection logs the outage
 * itself (once), and `cause` keeps the client's error.
 */
export class RedisUnavailableError extends ServiceUnavailableException {
  constructor(cause?: unknown) {
    super('The login service cannot reach its storage right now. Please try again in a few seconds.', { cause });
  }
}

/** Replies of a Redis that is up but cannot serve for now (starting, failing over, busy). */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

/**
 * Runs a Redis operation and turns connection failures (refused, closed,
 * timed out, offline) and transient replies into {@link RedisUnavailableError}.
 * Any other error reply (a bug, e.g. a wrong key type) is rethrown unchanged.
 */
export async function whenRedisAnswers<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ReplyError && !TRANSIENT_REPLY.test((error as Error).message)) throw error;
    throw new RedisUnavailableError(error);
  }
}
