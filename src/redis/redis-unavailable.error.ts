import { ServiceUnavailableException } from '@nestjs/common';

/**
 * Redis could not be reached (down, unreachable, too slow). An HTTP request
 * that needs it answers 503 with this message; the connection logs the outage
 * itself (once), and `cause` keeps the client's error.
 */
export class RedisUnavailableError extends ServiceUnavailableException {
  constructor(cause?: unknown) {
    super(
      'The login service cannot reach its storage right now. Please try again in a few seconds.',
      { cause },
    );
  }
}
