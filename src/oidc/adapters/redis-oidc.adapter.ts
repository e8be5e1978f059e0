import type { RedisClient } from '../../redis/redis-client.factory.js';
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { RedisUnavailableError } from '../../redis/redis-unavailable.error.js';
import { whenRedisAnswers } from '../../redis/when-redis-answers.js';
import { alreadyUsed, storageUnavailable, vanished } from './replay.js';

/**
 * Writes a record (a hash: the JSON payload, its grantId, and `consumed`
 * once redeemed) with its expiry, and its indexes, in one step.
 * KEYS: record, grant index (a set of record keys), session uid index, user code index.
 * ARGV: payload, ttl in ms (0: none), grantId or '', consumed or '',
 * id, '1' to index the uid, '1' to index the user code.
 * A `consumed` already there is kept: an older copy saved again does not
 * make a redeemed code redeemable.
 */
const UPSERT_SCRIPT = `
local ttl = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'payload', ARGV[1])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'grantId', ARGV[3]) end
if ARGV[4] ~= '' then redis.call('HSETNX', KEYS[1], 'consumed', ARGV[4]) end
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) else redis.call('PERSIST', KEYS[1]) end
if ARGV[3] ~= '' then
  local existed = redis.call('EXISTS', KEYS[2]) == 1
  local left = redis.call('PTTL', KEYS[2])
  redis.call('SADD', KEYS[2], KEYS[1])
  if ttl == 0 then
    redis.call('PERSIST', KEYS[2])
  elseif not existed or (left >= 0 and left < ttl) then
    redis.call('PEXPIRE', KEYS[2], ttl)
  end
end
for i = 3, 4 do
  if ARGV[3 + i] == '1' then
    if ttl > 0 then redis.call('SET', KEYS[i], ARGV[5], 'PX', ttl) else redis.call('SET', KEYS[i], ARGV[5]) end
  end
end
return 1
`;

/**
 * Marks a record consumed unless it is already: Redis runs a script alone,
 * so of two instances redeeming one code at the same moment exactly one
 * gets 'consumed'. KEYS: record. ARGV: now (epoch seconds).
 * Returns 'consumed', 'missing', or 'used:<grantId>'.
 */
const CONSUME_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
if redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1]) == 1 then return 'consumed' end
return 'used:' .. (redis.call('HGET', KEYS[1], 'grantId') or '')
`;

/**
 * Deletes every record issued under a grant, and the index, at once: a token
 * issued while this runs is either deleted or issued after it (and then
 * refused, its grant being gone). KEYS: grant index, then the Grant record
 * itself or nothing. The members are record keys the upsert wrote; on a
 * Cluster they share the index's hash tag, so the script stays on one slot.
 */
const REVOKE_SCRIPT = `
local members = redis.call('SMEMBERS', KEYS[1])
for _, key in ipairs(members) do redis.call('DEL', key) end
redis.call('DEL', KEYS[1])
if KEYS[2] then redis.call('DEL', KEYS[2]) end
return #members
`;

type Script<T> = (...args: (string | number)[]) => Promise<T>;

interface Scripts {
  upsert: Script<number>;
  consume: Script<string>;
  revoke: Script<number>;
}

/** Redis errors become oidc-provider's `temporarily_unavailable` (503) rather than a 500 `server_error`. */
async function inRedis<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await whenRedisAnswers(operation);
  } catch (error) {
    if (error instanceof RedisUnavailableError)
      throw storageUnavailable(error.cause);
    throw error;
  }
}

class RedisOidcAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly scripts: Scripts,
  ) {}

  async upsert(
    id: string,
    payload: AdapterPayload,
    expiresIn?: number,
  ): Promise<void> {
    const ttlMs =
      typeof expiresIn === 'number' ? Math.max(1, expiresIn * 1000) : 0;
    const { grantId, uid, userCode } = payload;
    const consumed = payload.consumed as number | undefined;
    const indexUid = this.model === 'Session' && typeof uid === 'string';
    await inRedis(() =>
      this.scripts.upsert(
        4,
        this.key(id),
        `${this.prefix}grant:${grantId ?? ''}`,
        `${this.prefix}uid:${indexUid ? uid : ''}`,
        `${this.prefix}userCode:${userCode ?? ''}`,
        JSON.stringify(payload),
        ttlMs,
        grantId ?? '',
        consumed ? String(consumed) : '',
        id,
        indexUid ? '1' : '',
        userCode ? '1' : '',
      ),
    );
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.read(this.key(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = await inRedis(() => this.redis.get(`${this.prefix}uid:${uid}`));
    return id === null ? undefined : this.find(id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = await inRedis(() =>
      this.redis.get(`${this.prefix}userCode:${userCode}`),
    );
    return id === null ? undefined : this.find(id);
  }

  async consume(id: string): Promise<void> {
    const outcome = await inRedis(() =>
      this.scripts.consume(1, this.key(id), Math.floor(Date.now() / 1000)),
    );
    if (outcome === 'consumed') return;
    if (outcome === 'missing') throw vanished(this.model);
    const grantId = outcome.slice('used:'.length);
    if (grantId)
      await inRedis(() =>
        this.scripts.revoke(
          2,
          `${this.prefix}grant:${grantId}`,
          `${this.prefix}Grant:${grantId}`,
        ),
      );
    throw alreadyUsed(this.model);
  }

  async destroy(id: string): Promise<void> {
    const key = this.key(id);
    const grantId = await inRedis(() => this.redis.hget(key, 'grantId'));
    await inRedis(async () => {
      const multi = this.redis.multi().del(key);
      if (grantId) multi.srem(`${this.prefix}grant:${grantId}`, key);
      const results = await multi.exec();
      const failure = results?.find(([error]) => error)?.[0];
      if (failure) throw failure;
    });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await inRedis(() =>
      this.scripts.revoke(1, `${this.prefix}grant:${grantId}`),
    );
  }

  private async read(key: string): Promise<AdapterPayload | undefined> {
    const fields = await inRedis(() => this.redis.hgetall(key));
    if (fields.payload === undefined) return undefined;
    const payload = JSON.parse(fields.payload) as AdapterPayload;
    if (fields.consumed !== undefined)
      payload.consumed = Number(fields.consumed);
    return payload;
  }

  private key(id: string): string {
    return `${this.prefix}${this.model}:${id}`;
  }
}

/**
 * `<keyPrefix>oidc:`, and on a Cluster `<keyPrefix>{oidc}:`: a record, its
 * grant's index, and the uid and user code indexes are written by one script
 * and a grant's records deleted by another, and they are found by different
 * ids, so one hash tag for all of them is the only way those scripts run on
 * one slot. The price: the provider's records live on one shard (they are few
 * and small beside the logins). A single Redis keeps the layout it always had,
 * so an upgrade keeps every record.
 */
export function oidcKeyPrefix(redis: RedisClient, keyPrefix: string): string {
  return redis.isCluster ? `${keyPrefix}{oidc}:` : `${keyPrefix}oidc:`;
}

/**
 * Everything the provider stores, in Redis, shared by every instance: each
 * record a hash under `<keyPrefix>oidc:<Model>:<id>` that Redis expires
 * itself (PEXPIRE), a set per grant of the records issued under it (for
 * `revokeByGrantId`), and indexes for session uids and device user codes.
 * `consume` is atomic (see CONSUME_SCRIPT).
 */
export function redisOidcAdapterFactory(
  redis: RedisClient,
  keyPrefix: string,
): AdapterFactory {
  const prefix = oidcKeyPrefix(redis, keyPrefix);
  // defineCommand runs each script by its SHA (EVALSHA) and loads it on a NOSCRIPT reply.
  redis.defineCommand('tqaOidcUpsert', { lua: UPSERT_SCRIPT });
  redis.defineCommand('tqaOidcConsume', { lua: CONSUME_SCRIPT });
  redis.defineCommand('tqaOidcRevoke', { lua: REVOKE_SCRIPT });
  const commands = redis as unknown as Record<
    'tqaOidcUpsert' | 'tqaOidcConsume' | 'tqaOidcRevoke',
    Script<never>
  >;
  const scripts: Scripts = {
    upsert: commands.tqaOidcUpsert.bind(redis),
    consume: commands.tqaOidcConsume.bind(redis),
    revoke: commands.tqaOidcRevoke.bind(redis),
  };
  return (model: string) => new RedisOidcAdapter(model, redis, prefix, scripts);
}
