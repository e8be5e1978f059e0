import {
  SESSION_CHECK_CACHE_MS,
  SESSION_CHECK_CACHE_SIZE,
} from './sessions.constants.js';

/**
 * What this instance last learned of each session: that it goes on (trusted
 * for SESSION_CHECK_CACHE_MS) or that it ended (for good: an ended session
 * never comes back). Bounded: the oldest entries go first.
 */
export class SessionCheckCache {
  private readonly entries = new Map<
    string,
    { goesOn: boolean; until: number }
  >();

  lookup(sid: string, now: number): boolean | undefined {
    const entry = this.entries.get(sid);
    if (!entry) return undefined;
    if (now < entry.until) return entry.goesOn;
    this.entries.delete(sid);
    return undefined;
  }

  remember(sid: string, goesOn: boolean, now: number): void {
    this.entries.delete(sid);
    this.entries.set(sid, {
      goesOn,
      until: goesOn ? now + SESSION_CHECK_CACHE_MS : Number.POSITIVE_INFINITY,
    });
    if (this.entries.size > SESSION_CHECK_CACHE_SIZE)
      this.entries.delete(this.entries.keys().next().value!);
  }
}
