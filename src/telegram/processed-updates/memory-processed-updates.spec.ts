import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { MemoryProcessedUpdates } from './memory-processed-updates.js';

describe('MemoryProcessedUpdates', () => {
  let updates: MemoryProcessedUpdates;

  beforeEach(() => {
    updates = new MemoryProcessedUpdates();
  });

  afterEach(() => updates.onModuleDestroy());

  it('lets the first claim of an update id through and refuses copies', async () => {
    expect(await updates.claim(1, 60_000)).toBe(true);
    expect(await updates.claim(1, 60_000)).toBe(false);
    expect(await updates.claim(2, 60_000)).toBe(true);
  });

  it('lets a released id be claimed again, for a copy of an update whose handling failed', async () => {
    await updates.claim(1, 60_000);
    await updates.release(1);
    expect(await updates.claim(1, 60_000)).toBe(true);
  });

  it('forgets ids after their time', async () => {
    expect(await updates.claim(1, 20)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await updates.claim(1, 20)).toBe(true);
  });
});
