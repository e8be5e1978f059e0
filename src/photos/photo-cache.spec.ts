import { describe, expect, it } from '@jest/globals';
import { PhotoCache } from './photo-cache.js';

const bytes = (n: number, fill = 1) => Buffer.alloc(n, fill);

describe('PhotoCache', () => {
  it('keeps a photo, and the lack of one, until its time is up', () => {
    const cache = new PhotoCache(1000, 10_000);
    cache.set(1, bytes(10), 0);
    cache.set(2, null, 0);
    expect(cache.get(1, 999)).toEqual(bytes(10));
    expect(cache.get(2, 999)).toBeNull();
    expect(cache.get(1, 1000)).toBeUndefined();
    expect(cache.get(2, 1000)).toBeUndefined();
    expect(cache.get(3, 0)).toBeUndefined();
  });

  it('forgets the least recently used photos once past its bytes', () => {
    const cache = new PhotoCache(60_000, 300);
    cache.set(1, bytes(100, 1), 0);
    cache.set(2, bytes(100, 2), 0);
    cache.set(3, bytes(100, 3), 0);
    // 1 is used again: 2 is now the least recently used.
    expect(cache.get(1, 1)).toEqual(bytes(100, 1));
    cache.set(4, bytes(100, 4), 2);
    expect(cache.get(2, 3)).toBeUndefined();
    expect(cache.get(1, 3)).toEqual(bytes(100, 1));
    expect(cache.get(3, 3)).toEqual(bytes(100, 3));
    expect(cache.get(4, 3)).toEqual(bytes(100, 4));
  });

  it('replaces a person’s photo rather than counting it twice, and keeps none larger than itself', () => {
    const cache = new PhotoCache(60_000, 250);
    cache.set(1, bytes(200, 1), 0);
    cache.set(1, bytes(200, 9), 0);
    expect(cache.get(1, 1)).toEqual(bytes(200, 9));
    cache.set(2, bytes(251), 0);
    expect(cache.get(2, 1)).toBeUndefined();
    expect(cache.get(1, 1)).toEqual(bytes(200, 9));
  });
});
