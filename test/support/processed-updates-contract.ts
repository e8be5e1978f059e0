import { expect, it } from '@jest/globals';
import type { ProcessedUpdates } from '../../src/telegram/interfaces/index.js';

const LONG = 60_000;
/** Short enough to wait out in a test; the waits below are a few times longer. */
const SHORT = 50;

const pause = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * What every {@link ProcessedUpdates} must do, for its spec to run with its
 * own store: `nextId` gives an id no other test (or run) has used.
 */
export function itBehavesLikeProcessedUpdates(
  store: () => ProcessedUpdates,
  nextId: () => number,
): void {
  it('gives the first claim of an id a nonce, and answers copies "processing" while it is handled', async () => {
    const id = nextId();
    const first = await store().claim(id, LONG);
    expect(first).toEqual({ state: 'claimed', nonce: expect.any(String) });

    const copy = await store().claim(id, LONG);
    expect(copy).toEqual({
      state: 'processing',
      retryAfterMs: expect.any(Number),
    });
    if (copy.state !== 'processing') throw new Error('unreachable');
    expect(copy.retryAfterMs).toBeGreaterThan(0);
    expect(copy.retryAfterMs).toBeLessThanOrEqual(LONG);

    expect(await store().claim(nextId(), LONG)).toMatchObject({
      state: 'claimed',
    });
  });

  it('answers copies "done" once the handling completed, for the dedupe window, not the short claim', async () => {
    const id = nextId();
    const claim = await store().claim(id, SHORT);
    if (claim.state !== 'claimed') throw new Error('not claimed');
    await store().complete(id, claim.nonce, LONG);
    await pause(SHORT * 3);
    expect(await store().claim(id, SHORT)).toEqual({ state: 'done' });
  });

  it('forgets a done id after the dedupe window', async () => {
    const id = nextId();
    const claim = await store().claim(id, LONG);
    if (claim.state !== 'claimed') throw new Error('not claimed');
    await store().complete(id, claim.nonce, SHORT);
    await pause(SHORT * 3);
    expect(await store().claim(id, LONG)).toMatchObject({ state: 'claimed' });
  });

  it('lets a copy be claimed once the handling failed and gave its claim back', async () => {
    const id = nextId();
    const claim = await store().claim(id, LONG);
    if (claim.state !== 'claimed') throw new Error('not claimed');
    await store().release(id, claim.nonce);
    expect(await store().claim(id, LONG)).toMatchObject({ state: 'claimed' });
  });

  it('lets the caller give back a claim by the nonce it chose, as when the answer to the claim was lost', async () => {
    const id = nextId();
    await store().claim(id, LONG, 'chosen-nonce');
    expect(await store().claim(id, LONG)).toMatchObject({
      state: 'processing',
    });
    await store().release(id, 'someone-else');
    expect(await store().claim(id, LONG)).toMatchObject({
      state: 'processing',
    });
    await store().release(id, 'chosen-nonce');
    expect(await store().claim(id, LONG)).toMatchObject({ state: 'claimed' });
  });

  it('lets a copy be claimed once a claim nobody completed or gave back has expired', async () => {
    // A handler that died, or a claim Redis wrote after the client had given up on the answer.
    const id = nextId();
    await store().claim(id, SHORT);
    await pause(SHORT * 3);
    expect(await store().claim(id, LONG)).toMatchObject({ state: 'claimed' });
  });

  it('gives back only its own claim', async () => {
    const id = nextId();
    const claim = await store().claim(id, LONG);
    if (claim.state !== 'claimed') throw new Error('not claimed');
    await store().release(id, 'someone-else');
    expect(await store().claim(id, LONG)).toMatchObject({
      state: 'processing',
    });
  });

  it('leaves the claim of the copy that took over an expired claim to its handler', async () => {
    const id = nextId();
    const slow = await store().claim(id, SHORT);
    if (slow.state !== 'claimed') throw new Error('not claimed');
    await pause(SHORT * 3);
    const next = await store().claim(id, LONG);
    if (next.state !== 'claimed') throw new Error('not claimed');

    // The slow handler finishing (either way) neither ends nor completes the other's claim.
    await store().release(id, slow.nonce);
    await store().complete(id, slow.nonce, LONG);
    expect(await store().claim(id, LONG)).toMatchObject({
      state: 'processing',
    });
    await store().complete(id, next.nonce, LONG);
    expect(await store().claim(id, LONG)).toEqual({ state: 'done' });
  });

  it('marks done a handling that finished after its claim expired, when nobody claimed the id since', async () => {
    const id = nextId();
    const claim = await store().claim(id, SHORT);
    if (claim.state !== 'claimed') throw new Error('not claimed');
    await pause(SHORT * 3);
    await store().complete(id, claim.nonce, LONG);
    expect(await store().claim(id, LONG)).toEqual({ state: 'done' });
  });
}
