import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { alreadyUsed, vanished } from './replay.js';
import { jsonCopy } from '../json-copy.js';

interface StoredRecord {
  payload: AdapterPayload;
  /** Epoch ms; undefined: no expiry. */
  expiresAt?: number;
}

/** How often, at most, a write also sweeps out expired records (reads skip them anyway). */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * One process's storage behind every model of a provider. Not oidc-provider's
 * own development adapter: that one is an LRU of 1000 entries, so a busy
 * process would drop live sessions and grants, and its `consume` does not
 * refuse a second redemption.
 */
class MemoryOidcStore {
  readonly records = new Map<string, StoredRecord>();
  /** grantId → keys of the records issued under it. */
  readonly grants = new Map<string, Set<string>>();
  /** Session uid / device user code → record key. */
  readonly indexes = new Map<string, string>();
  private lastSweep: number;

  constructor(readonly now: () => number) {
    this.lastSweep = now();
  }

  get(key: string): StoredRecord | undefined {
    const record = this.records.get(key);
    if (record && this.expired(record)) {
      this.delete(key);
      return undefined;
    }
    return record;
  }

  set(key: string, record: StoredRecord): void {
    this.sweepNowAndThen();
    this.records.set(key, record);
    const { grantId } = record.payload;
    if (grantId) {
      const members = this.grants.get(grantId) ?? new Set<string>();
      members.add(key);
      this.grants.set(grantId, members);
    }
  }

  delete(key: string): void {
    const record = this.records.get(key);
    this.records.delete(key);
    const grantId = record?.payload.grantId;
    if (grantId) this.grants.get(grantId)?.delete(key);
  }

  revokeGrant(grantId: string): void {
    for (const key of this.grants.get(grantId) ?? []) this.records.delete(key);
    this.grants.delete(grantId);
  }

  private expired(record: StoredRecord): boolean {
    return record.expiresAt !== undefined && record.expiresAt <= this.now();
  }

  private sweepNowAndThen(): void {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [key, record] of this.records)
      if (this.expired(record)) this.delete(key);
    for (const [grantId, members] of this.grants)
      if (members.size === 0) this.grants.delete(grantId);
    for (const [index, key] of this.indexes)
      if (!this.records.has(key)) this.indexes.delete(index);
  }
}

class MemoryOidcAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly store: MemoryOidcStore,
  ) {}

  async upsert(
    id: string,
    payload: AdapterPayload,
    expiresIn?: number,
  ): Promise<void> {
    const key = this.key(id);
    // A consumed record stays consumed, even if an older copy of it is saved again.
    const consumed = this.store.get(key)?.payload.consumed as unknown;
    this.store.delete(key);
    this.store.set(key, {
      payload: jsonCopy(
        consumed === undefined ? payload : { ...payload, consumed },
      ),
      expiresAt:
        typeof expiresIn === 'number'
          ? this.store.now() + expiresIn * 1000
          : undefined,
    });
    if (payload.uid && this.model === 'Session')
      this.store.indexes.set(`uid:${payload.uid}`, key);
    if (payload.userCode)
      this.store.indexes.set(`userCode:${payload.userCode}`, key);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const record = this.store.get(this.key(id));
    return record && jsonCopy(record.payload);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findByIndex(`uid:${uid}`);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findByIndex(`userCode:${userCode}`);
  }

  /** Marks it consumed if nobody has: JavaScript runs this without a break, so it is atomic within the process. */
  async consume(id: string): Promise<void> {
    const record = this.store.get(this.key(id));
    if (!record) throw vanished(this.model);
    if (record.payload.consumed) {
      if (record.payload.grantId) this.revokeGrant(record.payload.grantId);
      throw alreadyUsed(this.model);
    }
    record.payload.consumed = Math.floor(this.store.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeGrant(grantId);
  }

  private revokeGrant(grantId: string): void {
    this.store.revokeGrant(grantId);
    this.store.delete(`Grant:${grantId}`);
  }

  private findByIndex(index: string): AdapterPayload | undefined {
    const key = this.store.indexes.get(index);
    const record = key === undefined ? undefined : this.store.get(key);
    return record && jsonCopy(record.payload);
  }

  private key(id: string): string {
    return `${this.model}:${id}`;
  }
}

/**
 * Everything the provider stores, in this process's memory: one store for
 * every model, so `revokeByGrantId` on any model reaches all of a grant's
 * tokens. Gone with the process, and not shared: one instance only.
 * `now` is for tests.
 */
export function memoryOidcAdapterFactory(
  now: () => number = Date.now,
): AdapterFactory {
  const store = new MemoryOidcStore(now);
  return (model: string) => new MemoryOidcAdapter(model, store);
}
