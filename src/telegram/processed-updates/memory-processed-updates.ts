import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ProcessedUpdates } from '../interfaces/index.js';

const SWEEP_INTERVAL_MS = 30_000;

/** The single-instance default: ids with their expiry, swept together rather than a timer each. */
@Injectable()
export class MemoryProcessedUpdates
  implements ProcessedUpdates, OnModuleDestroy
{
  private readonly claims = new Map<number, number>();
  private readonly sweeper = setInterval(
    () => this.sweep(Date.now()),
    SWEEP_INTERVAL_MS,
  ).unref();

  async claim(updateId: number, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const expiresAt = this.claims.get(updateId);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.claims.set(updateId, now + ttlMs);
    return true;
  }

  async release(updateId: number): Promise<void> {
    this.claims.delete(updateId);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private sweep(now: number): void {
    for (const [updateId, expiresAt] of this.claims)
      if (expiresAt <= now) this.claims.delete(updateId);
  }
}
