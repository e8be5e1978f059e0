/**
 * Remembers which `update_id`s were handled, so that an update Telegram
 * re-sends (after a slow or failed answer) is acted on once. Shared between
 * instances when several serve one bot.
 */
export interface ProcessedUpdates {
  /** True for the first claim of an id within `ttlMs`; false if it was claimed already. */
  claim(updateId: number, ttlMs: number): Promise<boolean>;
  /** Gives a claim back, so a re-sent copy of an update whose handling failed is handled after all. */
  release(updateId: number): Promise<void>;
}
