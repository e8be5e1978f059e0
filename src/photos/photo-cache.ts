/** A photo's bytes, or null: the person has no photo to show. */
export type CachedPhoto = Buffer | null;

interface Entry {
  photo: CachedPhoto;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * Photos by Telegram id, per instance, for a few minutes: a page's reloads, its `scanned`
 * screen and its logged-in card load the same photo without asking Telegram each time.
 * Least recently used first out once the bytes pass `maxBytes`.
 */
export class PhotoCache {
  private readonly entries = new Map<number, Entry>();
  private bytes = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxBytes: number,
  ) {}

  /** The photo (or null for none) if known and fresh; undefined if it must be fetched. */
  get(userId: number, now = Date.now()): CachedPhoto | undefined {
    const entry = this.entries.get(userId);
    if (!entry) return undefined;
    this.remove(userId);
    if (now >= entry.expiresAt) return undefined;
    // Put back last: the most recently used.
    this.entries.set(userId, entry);
    this.bytes += sizeOf(entry.photo);
    return entry.photo;
  }

  set(userId: number, photo: CachedPhoto, now = Date.now()): void {
    this.remove(userId);
    if (sizeOf(photo) > this.maxBytes) return;
    this.entries.set(userId, { photo, expiresAt: now + this.ttlMs });
    this.bytes += sizeOf(photo);
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  private remove(userId: number): void {
    const entry = this.entries.get(userId);
    if (!entry) return;
    this.entries.delete(userId);
    this.bytes -= sizeOf(entry.photo);
  }
}

/** An entry's weight; a "no photo" costs a little, so that a flood of them is bounded too. */
function sizeOf(photo: CachedPhoto): number {
  return photo ? photo.byteLength : 64;
}
