import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ProcessedUpdates, UpdateClaim } from '../interfaces/index.js';

const SWEEP_INTERVAL_MS = 30_000;

interface Claim {
  /** Whose handling holds the id; undefined once it is done. */
  nonce?: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * The single-instance default, with the same two phases as the Redis one
 * (see {@link ProcessedUpdates}): ids with their expiry, swept together rather
 * than a timer each.
 */
@Injectable()
export class MemoryProcessedUpdates
  implements ProcessedUpdates, OnModuleDestroy
{
  private readonly claims = new Map<number, Claim>();
  private readonly sweeper = setInterval(
    () => this.sweep(Date.now()),
    SWEEP_INTERVAL_MS,
  ).unref();

  async claim(
    updateId: number,
    processingTtlMs: number,
    nonce: string = randomUUID(),
  ): Promise<UpdateClaim> {
    const now = Date.now();
    const current = this.live(updateId, now);
    if (current)
      return current.nonce === undefined
        ? { state: 'done' }
        : { state: 'processing', retryAfterMs: current.expiresAt - now };
    this.claims.set(updateId, { nonce, expiresAt: now + processingTtlMs });
    return { state: 'claimed', nonce };
  }

  async complete(
    updateId: number,
    nonce: string,
    dedupeMs: number,
  ): Promise<void> {
    const now = Date.now();
    const current = this.live(updateId, now);
    // Ours, or ours expired with nobody else's since: the handling happened, remember it.
    if (!current || current.nonce === nonce)
      this.claims.set(updateId, { expiresAt: now + dedupeMs });
  }

  async release(updateId: number, nonce: string): Promise<void> {
    if (this.claims.get(updateId)?.nonce === nonce)
      this.claims.delete(updateId);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private live(updateId: number, now: number): Claim | undefined {
    const claim = this.claims.get(updateId);
    return claim && claim.expiresAt > now ? claim : undefined;
  }

  private sweep(now: number): void {
    for (const [updateId, claim] of this.claims)
      if (claim.expiresAt <= now) this.claims.delete(updateId);
  }
}
