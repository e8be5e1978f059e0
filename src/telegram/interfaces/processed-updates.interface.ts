/**
 * What {@link ProcessedUpdates.claim} found: the id is now ours to handle
 * (`nonce` names our claim), it was handled already, or a claim of someone
 * else's is still in force (being handled, or left behind by a handling that
 * never finished; it expires `retryAfterMs` from now).
 */
export type UpdateClaim =
  | { state: 'claimed'; nonce: string }
  | { state: 'done' }
  | { state: 'processing'; retryAfterMs: number };

/**
 * Remembers which `update_id`s were handled, so that an update Telegram
 * re-sends (after a slow or failed answer) is acted on once. Shared between
 * instances when several serve one bot.
 *
 * A claim has two phases so that it never outlives a handling that did not
 * happen: it is taken for a short time only (`processingTtlMs`), and becomes
 * "done" for the long dedupe window once the handling succeeded. A claim whose
 * handler never says how it went (it died; or the claim was written by Redis
 * after the client had stopped waiting for the answer) simply expires, and the
 * copy Telegram sends after that is handled.
 */
export interface ProcessedUpdates {
  /**
   * Claims the id for `processingTtlMs` unless it is claimed already, and otherwise says how; in
   * one step. The caller may name the claim (`nonce`), so that it can give back a claim whose
   * answer it never got (a primary that died after writing it); a random one otherwise.
   */
  claim(
    updateId: number,
    processingTtlMs: number,
    nonce?: string,
  ): Promise<UpdateClaim>;
  /**
   * The handling succeeded: copies are duplicates for `dedupeMs`. Leaves alone
   * a claim someone else took after ours expired (they will complete it).
   */
  complete(updateId: number, nonce: string, dedupeMs: number): Promise<void>;
  /** The handling failed: gives our claim back (only ours), so a re-sent copy is handled after all. */
  release(updateId: number, nonce: string): Promise<void>;
}
