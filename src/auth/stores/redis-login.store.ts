import type { RedisClient } from '../../redis/redis-client.factory.js';
import { pairsToObject } from '../../redis/hash-reply.js';
import { defineScripts, type Script } from '../../redis/scripts.js';
import {
  type ReplicaWait,
  waitForReplicas,
} from '../../redis/wait-for-replicas.js';
import { whenRedisAnswers } from '../../redis/when-redis-answers.js';
import { EXPIRED_LOGIN_RETENTION_MS } from '../auth.constants.js';
import type {
  HoldResultOptions,
  Login,
  LoginPatch,
  LoginStore,
  LoginTransition,
  ResultHoldOutcome,
  StoredLoginStatus,
  TakeResultOptions,
} from '../interfaces/index.js';

/**
 * Status check, expiry check and write in one script: Redis runs a script
 * alone, so of two instances racing on one token exactly one sees `from`.
 * ARGV: from, to, now, then field/value pairs to set. Returns the updated
 * login (HGETALL) or nil.
 */
const TRANSITION_SCRIPT = `
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then return false end
local expiresAt = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
if not expiresAt or tonumber(ARGV[3]) >= expiresAt then return false end
redis.call('HSET', KEYS[1], 'status', ARGV[2], unpack(ARGV, 4))
return redis.call('HGETALL', KEYS[1])
`;

/** Redis's own clock in epoch ms, so that holds mean the same on every instance whatever their clocks. */
const REDIS_NOW_MS = `
local function nowMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
`;

/**
 * ARGV: holder, hold ms, '1' to take over another's hold. Returns 1 if the
 * login's result is now held by this holder, 2 while another holder's hold
 * lasts, 0 if there is no result to push.
 */
const HOLD_RESULT_SCRIPT = `${REDIS_NOW_MS}
if redis.call('HGET', KEYS[1], 'status') ~= 'authenticated' then return 0 end
local now = nowMs()
local heldBy = redis.call('HGET', KEYS[1], 'heldBy')
local heldUntil = tonumber(redis.call('HGET', KEYS[1], 'heldUntil'))
if ARGV[3] ~= '1' and heldBy and heldBy ~= ARGV[1] and heldUntil and now < heldUntil then return 2 end
redis.call('HSET', KEYS[1], 'heldBy', ARGV[1], 'heldUntil', string.format('%.0f', now + tonumber(ARGV[2])))
return 1
`;

const HOLD_OUTCOMES: readonly ResultHoldOutcome[] = ['none', 'held', 'busy'];

/** ARGV: holder. */
const RELEASE_RESULT_SCRIPT = `
if redis.call('HGET', KEYS[1], 'heldBy') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'heldBy', 'heldUntil')
end
return 1
`;

/**
 * Reads and deletes an authenticated login in one step, so its result is handed out once.
 * ARGV: '1' to leave a result alone while a push holds it.
 */
const TAKE_RESULT_SCRIPT = `${REDIS_NOW_MS}
if redis.call('HGET', KEYS[1], 'status') ~= 'authenticated' then return false end
if ARGV[1] == '1' then
  local heldUntil = tonumber(redis.call('HGET', KEYS[1], 'heldUntil'))
  if heldUntil and nowMs() < heldUntil then return false end
end
local login = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
return login
`;

/** Each script touches the login's one key. */
const SCRIPTS = {
  tqaLoginTransition: { lua: TRANSITION_SCRIPT, numberOfKeys: 1 },
  tqaLoginHoldResult: { lua: HOLD_RESULT_SCRIPT, numberOfKeys: 1 },
  tqaLoginReleaseResult: { lua: RELEASE_RESULT_SCRIPT, numberOfKeys: 1 },
  tqaLoginTakeResult: { lua: TAKE_RESULT_SCRIPT, numberOfKeys: 1 },
};

/**
 * Logins in Redis, shared by every instance. A login is a hash that Redis
 * itself deletes at `expiresAt + EXPIRED_LOGIN_RETENTION_MS` (no timers here);
 * `transition`, the holds and `takeResult` are Lua scripts and thus atomic
 * across instances.
 * Fields are strings; user and requester are JSON (Lua's cjson would round
 * Telegram ids above 2^47, so scripts never decode them).
 */
export class RedisLoginStore implements LoginStore {
  private readonly scripts: Record<keyof typeof SCRIPTS, Script>;

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    /** After the writes a login cannot lose: created, scanned, authenticated. */
    private readonly replicaWait?: ReplicaWait,
  ) {
    this.scripts = defineScripts(redis, SCRIPTS);
  }

  async create(login: Login): Promise<void> {
    const key = this.keyOf(login.token);
    await whenRedisAnswers(async () => {
      const results = await this.redis
        .multi()
        .hset(key, toFields(login))
        .pexpireat(key, login.expiresAt + EXPIRED_LOGIN_RETENTION_MS)
        .exec();
      const failure = results?.find(([error]) => error)?.[0];
      if (failure) throw failure;
      await waitForReplicas(this.redis, key, this.replicaWait);
    });
  }

  async find(token: string): Promise<Login | undefined> {
    const fields = await whenRedisAnswers(() =>
      this.redis.hgetall(this.keyOf(token)),
    );
    return fromFields(token, fields);
  }

  async transition(
    token: string,
    change: LoginTransition,
  ): Promise<Login | undefined> {
    const patch = Object.entries(patchFields(change.set ?? {})).flat();
    const key = this.keyOf(token);
    const reply = await whenRedisAnswers(async () => {
      const changed = await this.scripts.tqaLoginTransition(
        key,
        change.from,
        change.to,
        change.now,
        ...patch,
      );
      if (changed) await waitForReplicas(this.redis, key, this.replicaWait);
      return changed;
    });
    return loginOf(token, reply);
  }

  async holdResult(
    token: string,
    holder: string,
    holdMs: number,
    { takeOver = false }: HoldResultOptions = {},
  ): Promise<ResultHoldOutcome> {
    const reply = await whenRedisAnswers(() =>
      this.scripts.tqaLoginHoldResult(
        this.keyOf(token),
        holder,
        holdMs,
        takeOver ? '1' : '0',
      ),
    );
    return HOLD_OUTCOMES[Number(reply)] ?? 'none';
  }

  async releaseResult(token: string, holder: string): Promise<void> {
    await whenRedisAnswers(() =>
      this.scripts.tqaLoginReleaseResult(this.keyOf(token), holder),
    );
  }

  async takeResult(
    token: string,
    { respectHold = false }: TakeResultOptions = {},
  ): Promise<Login | undefined> {
    const reply = await whenRedisAnswers(() =>
      this.scripts.tqaLoginTakeResult(
        this.keyOf(token),
        respectHold ? '1' : '0',
      ),
    );
    return loginOf(token, reply);
  }

  /** The key of a token's hash; for tests. */
  keyOf(token: string): string {
    return `${this.keyPrefix}login:${token}`;
  }
}

function toFields(login: Login): Record<string, string> {
  const fields: Record<string, string> = {
    status: login.status,
    secretHash: login.secretHash,
    createdAt: String(login.createdAt),
    expiresAt: String(login.expiresAt),
    requester: JSON.stringify(login.requester),
    ...patchFields(login),
  };
  if (login.matchCode !== undefined) fields.matchCode = login.matchCode;
  if (login.oidc !== undefined) fields.oidc = JSON.stringify(login.oidc);
  return fields;
}

function patchFields(patch: LoginPatch): Record<string, string> {
  const fields: Record<string, string> = {};
  if (patch.user !== undefined) fields.user = JSON.stringify(patch.user);
  if (patch.chatId !== undefined) fields.chatId = String(patch.chatId);
  if (patch.grant !== undefined) fields.grant = JSON.stringify(patch.grant);
  if (patch.updateId !== undefined) fields.updateId = String(patch.updateId);
  if (patch.sid !== undefined) fields.sid = patch.sid;
  return fields;
}

function fromFields(
  token: string,
  fields: Record<string, string>,
): Login | undefined {
  if (!fields.status) return undefined;
  const login: Login = {
    token,
    secretHash: fields.secretHash,
    status: fields.status as StoredLoginStatus,
    createdAt: Number(fields.createdAt),
    expiresAt: Number(fields.expiresAt),
    requester: JSON.parse(fields.requester ?? '{}') as Login['requester'],
  };
  if (fields.matchCode !== undefined) login.matchCode = fields.matchCode;
  if (fields.user !== undefined)
    login.user = JSON.parse(fields.user) as Login['user'];
  if (fields.chatId !== undefined) login.chatId = Number(fields.chatId);
  if (fields.grant !== undefined)
    login.grant = JSON.parse(fields.grant) as Login['grant'];
  if (fields.updateId !== undefined) login.updateId = Number(fields.updateId);
  if (fields.oidc !== undefined)
    login.oidc = JSON.parse(fields.oidc) as Login['oidc'];
  if (fields.sid !== undefined) login.sid = fields.sid;
  return login;
}

function loginOf(
  token: string,
  reply: Awaited<ReturnType<Script>>,
): Login | undefined {
  return Array.isArray(reply)
    ? fromFields(token, pairsToObject(reply))
    : undefined;
}
