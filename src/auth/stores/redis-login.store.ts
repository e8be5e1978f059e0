import type { Redis } from 'ioredis';
import { whenRedisAnswers } from '../../redis/when-redis-answers.js';
import { EXPIRED_LOGIN_RETENTION_MS } from '../auth.constants.js';
import type {
  Login,
  LoginPatch,
  LoginStore,
  LoginTransition,
  StoredLoginStatus,
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

/** Reads and deletes an authenticated login in one step, so its result is handed out once. */
const TAKE_RESULT_SCRIPT = `
if redis.call('HGET', KEYS[1], 'status') ~= 'authenticated' then return false end
local login = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
return login
`;

type ScriptCommand = (
  key: string,
  ...args: (string | number)[]
) => Promise<string[] | null>;

/**
 * Logins in Redis, shared by every instance. A login is a hash that Redis
 * itself deletes at `expiresAt + EXPIRED_LOGIN_RETENTION_MS` (no timers here);
 * `transition` and `takeResult` are Lua scripts and thus atomic across instances.
 * Fields are strings; user and requester are JSON (Lua's cjson would round
 * Telegram ids above 2^47, so scripts never decode them).
 */
export class RedisLoginStore implements LoginStore {
  private readonly transitionScript: ScriptCommand;
  private readonly takeResultScript: ScriptCommand;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {
    // defineCommand runs the script by its SHA (EVALSHA) and loads it on a NOSCRIPT reply.
    redis.defineCommand('tqaLoginTransition', {
      numberOfKeys: 1,
      lua: TRANSITION_SCRIPT,
    });
    redis.defineCommand('tqaLoginTakeResult', {
      numberOfKeys: 1,
      lua: TAKE_RESULT_SCRIPT,
    });
    const commands = redis as unknown as Record<
      'tqaLoginTransition' | 'tqaLoginTakeResult',
      ScriptCommand
    >;
    this.transitionScript = commands.tqaLoginTransition.bind(redis);
    this.takeResultScript = commands.tqaLoginTakeResult.bind(redis);
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
    const reply = await whenRedisAnswers(() =>
      this.transitionScript(
        this.keyOf(token),
        change.from,
        change.to,
        change.now,
        ...patch,
      ),
    );
    return reply ? fromFields(token, pairsToObject(reply)) : undefined;
  }

  async takeResult(token: string): Promise<Login | undefined> {
    const reply = await whenRedisAnswers(() =>
      this.takeResultScript(this.keyOf(token)),
    );
    return reply ? fromFields(token, pairsToObject(reply)) : undefined;
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
  return fields;
}

function patchFields(patch: LoginPatch): Record<string, string> {
  const fields: Record<string, string> = {};
  if (patch.user !== undefined) fields.user = JSON.stringify(patch.user);
  if (patch.chatId !== undefined) fields.chatId = String(patch.chatId);
  if (patch.grant !== undefined) fields.grant = JSON.stringify(patch.grant);
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
  return login;
}

function pairsToObject(pairs: string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) object[pairs[i]] = pairs[i + 1];
  return object;
}
