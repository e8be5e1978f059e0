import { ServiceUnavailableException } from '@nestjs/common';

/**
 * A copy of an update whose claim is still in force: it is being handled, or
 * a handling that never finished left the claim behind. Answered 503 rather
 * than 200 "duplicate", so that Telegram sends the update again (and polling
 * fetches it again) instead of it being dropped; once the claim has expired,
 * `retryAfterMs` from now at the latest, that copy is handled.
 */
export class UpdateInProgressError extends ServiceUnavailableException {
  constructor(
    readonly updateId: number,
    readonly retryAfterMs: number,
  ) {
    super(
      `Update ${updateId} is being handled already; send it again in a few seconds.`,
    );
  }
}
