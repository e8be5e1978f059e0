import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from '../../redis/redis-client.factory.js';
import { pairsToObject } from '../../redis/hash-reply.js';
import { defineScripts, type Script } from '../../redis/scripts.js';
import {
  type ReplicaWait,
  waitForReplicas,
} from '../../redis/wait-for-replicas.js';
import { whenRedisAnswers } from '../../redis/when-redis-answers.js';
import type {
  RefreshRotation,
  SessionOidcLinks,
  SessionRecord,
  SessionStore,
} from '../interfaces/index.js';
import { newestFirst } from './memory-session.store.js';

/**
 * Whether the session is there and not past its expiry as the caller's clock says (Redis deletes
 * it by its own clock, which may lag). ARGV[1] is now.
 */
const GOES_ON = `
local function goesOn()
  local expiresAt = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
  return expiresAt ~= nil and tonumber(ARGV[1]) < expiresAt
end
`;

/** ARGV: now. Sets lastUsedAt (never backwards); 1 if the session goes on. */
const TOUCH_SCRIPT = `${GOES_ON}
if not goesOn() then return 0 end
local last = tonumber(redis.call('HGET', KEYS[1], 'lastUsedAt')) or 0
if tonumber(ARGV[1]) > last then redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1]) end
return 1
`;

/** ARGV: now, generation. */
const ROTATE_SCRIPT = `${GOES_ON}
if not goesOn() then return 'gone' end
local generation = redis.call('HGET', KEYS[1], 'generation')
if generation ~= ARGV[2] then return 'reused' end
redis.call('HSET', KEYS[1], 'generation', tostring(tonumber(generation) + 1))
local last = tonumber(redis.call('HGET', KEYS[1], 'lastUsedAt')) or 0
if tonumber(ARGV[1]) > last then redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1]) end
return 'rotated'
`;

/** Reads and deletes in one step, so that one caller ends the session. */
const END_SCRIPT = `
local session = redis.call('HGETALL', KEYS[1])
if #session == 0 then return false end
redis.call('DEL', KEYS[1])
return session
`;

/**
 * KEYS: the session. ARGV: the links as JSON. Merged with the links already
 * there; nothing for a session that is gone.
 */
const LINK_OIDC_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local links = cjson.decode(redis.call('HGET', KEYS[1], 'oidc') or '{}')
for name, value in pairs(cjson.decode(ARGV[1])) do links[name] = value end
redis.call('HSET', KEYS[1], 'oidc', cjson.encode(links))
return 1
`;

/** Each script and how many of its arguments are keys. */
const SCRIPTS = {
  tqaSessionTouch: { lua: TOUCH_SCRIPT, numberOfKeys: 1 },
  tqaSessionRotate: { lua: ROTATE_SCRIPT, numberOfKeys: 1 },
  tqaSessionEnd: { lua: END_SCRIPT, numberOfKeys: 1 },
  tqaSessionLinkOidc: { lua: LINK_OIDC_SCRIPT, numberOfKeys: 1 },
};

/**
 * Sessions in Redis, shared by every instance. A session is a hash that
 * Redis deletes at its `expiresAt`; each user has a sorted set of their
 * sessions' ids by creation, from which ended ones are pruned as it is read.
 * The fields a script changes (generation, lastUsedAt) are plain numbers;
 * the rest is one JSON field that scripts never decode (Lua's cjson would
 * round Telegram ids above 2^47). The OpenID links hold only strings.
 */
export class RedisSessionStore implements SessionStore {
  private readonly scripts: Record<keyof typeof SCRIPTS, Script>;

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    /** After a session is created: a failover must not log the person out again. */
    private readonly replicaWait?: ReplicaWait,
  ) {
    this.scripts = defineScripts(redis, SCRIPTS);
  }

  /**
   * Two single-key steps, as a session and its user's index live on
   * different slots of a Cluster: the index first. A crash between them
   * leaves an id in the index with no session, which the next read prunes;
   * the other order could leave a session that no listing shows (so nobody
   * could end it from the bot's /sessions).
   */
  async create(session: SessionRecord): Promise<void> {
    const key = this.keyOf(session.sid);
    const index = this.indexOf(session.user.id);
    const { refreshGeneration, lastUsedAt, oidc, ...data } = session;
    await whenRedisAnswers(async () => {
      await execOrThrow(
        this.redis
          .multi()
          .zadd(index, session.createdAt, session.sid)
          // The index lives as long as its longest session: GT never shortens it.
          .pexpireat(index, session.expiresAt, 'GT')
          .pexpireat(index, session.expiresAt, 'NX'),
      );
      await execOrThrow(
        this.redis
          .multi()
          .hset(key, {
            data: JSON.stringify(data),
            generation: String(refreshGeneration),
            lastUsedAt: String(lastUsedAt),
            expiresAt: String(session.expiresAt),
            ...(oidc ? { oidc: JSON.stringify(oidc) } : {}),
          })
          .pexpireat(key, session.expiresAt),
      );
      await waitForReplicas(this.redis, key, this.replicaWait);
    });
  }

  async find(sid: string, now: number): Promise<SessionRecord | undefined> {
    const fields = await whenRedisAnswers(() =>
      this.redis.hgetall(this.keyOf(sid)),
    );
    return live(fromFields(fields), now);
  }

  async listForUser(userId: number, now: number): Promise<SessionRecord[]> {
    const index = this.indexOf(userId);
    const sids = await whenRedisAnswers(() =>
      this.redis.zrange(index, '0', '-1'),
    );
    const { sessions, gone } = await this.read(sids, now);
    if (gone.length)
      await whenRedisAnswers(() => this.redis.zrem(index, ...gone));
    return sessions.sort(newestFirst);
  }

  async touch(sid: string, now: number): Promise<boolean> {
    const reply = await whenRedisAnswers(() =>
      this.scripts.tqaSessionTouch(this.keyOf(sid), now),
    );
    return reply === 1;
  }

  async rotateRefresh(
    sid: string,
    generation: number,
    now: number,
  ): Promise<RefreshRotation> {
    const reply = await whenRedisAnswers(() =>
      this.scripts.tqaSessionRotate(this.keyOf(sid), now, String(generation)),
    );
    return reply as RefreshRotation;
  }

  async end(sid: string, now: number): Promise<SessionRecord | undefined> {
    const reply = await whenRedisAnswers(() =>
      this.scripts.tqaSessionEnd(this.keyOf(sid)),
    );
    return Array.isArray(reply)
      ? live(fromFields(pairsToObject(reply)), now)
      : undefined;
  }

  /**
   * The browser session's index first, then the links on the session (single
   * key steps, for a Cluster): a crash between them leaves an id in the index
   * whose session names another browser session, or none, which the listing
   * skips and prunes.
   */
  async linkOidc(sid: string, links: SessionOidcLinks): Promise<void> {
    const key = this.keyOf(sid);
    const { sessionUid } = links;
    await whenRedisAnswers(async () => {
      if (sessionUid) {
        const left = await this.redis.pttl(key);
        if (left <= 0) return;
        const index = this.oidcSessionIndexOf(sessionUid);
        await execOrThrow(
          this.redis
            .multi()
            .sadd(index, sid)
            // As long as its longest session, as the user's index.
            .pexpire(index, left, 'GT')
            .pexpire(index, left, 'NX'),
        );
      }
      await this.scripts.tqaSessionLinkOidc(key, JSON.stringify(links));
    });
  }

  async listForOidcSession(
    sessionUid: string,
    now: number,
  ): Promise<SessionRecord[]> {
    const index = this.oidcSessionIndexOf(sessionUid);
    const sids = await whenRedisAnswers(() => this.redis.smembers(index));
    const { sessions, gone } = await this.read(
      sids,
      now,
      // Linked to another browser session since (a later login): listed there.
      (session) => session.oidc?.sessionUid === sessionUid,
    );
    if (gone.length)
      await whenRedisAnswers(() => this.redis.srem(index, ...gone));
    return sessions.sort(newestFirst);
  }

  /**
   * The sessions of an index's ids that go on (and pass `belongs`), and the ids that do not,
   * for the index to forget. One round trip for them all.
   */
  private async read(
    sids: string[],
    now: number,
    belongs: (session: SessionRecord) => boolean = () => true,
  ): Promise<{ sessions: SessionRecord[]; gone: string[] }> {
    if (!sids.length) return { sessions: [], gone: [] };
    // Sent together (one round trip on one node), but as separate commands:
    // a pipeline on a Cluster must keep to one node, and sessions are spread.
    const replies = await whenRedisAnswers(() =>
      Promise.all(sids.map((sid) => this.redis.hgetall(this.keyOf(sid)))),
    );
    const sessions: SessionRecord[] = [];
    const gone: string[] = [];
    replies.forEach((fields, i) => {
      const session = live(fromFields(fields), now);
      if (session && belongs(session)) sessions.push(session);
      else gone.push(sids[i]);
    });
    return { sessions, gone };
  }

  /** The key of a session's hash; for tests. */
  keyOf(sid: string): string {
    return `${this.keyPrefix}session:${sid}`;
  }

  private indexOf(userId: number): string {
    return `${this.keyPrefix}user-sessions:${userId}`;
  }

  private oidcSessionIndexOf(sessionUid: string): string {
    return `${this.keyPrefix}oidc-session-sessions:${sessionUid}`;
  }
}

/** A MULTI's replies, or its first failure thrown. */
async function execOrThrow(multi: ChainableCommander): Promise<void> {
  const results = await multi.exec();
  const failure = results?.find(([error]) => error)?.[0];
  if (failure) throw failure;
}

function fromFields(fields: Record<string, string>): SessionRecord | undefined {
  if (!fields.data) return undefined;
  const data = JSON.parse(fields.data) as Omit<
    SessionRecord,
    'refreshGeneration' | 'lastUsedAt' | 'oidc'
  >;
  const session: SessionRecord = {
    ...data,
    refreshGeneration: Number(fields.generation),
    lastUsedAt: Number(fields.lastUsedAt),
  };
  if (fields.oidc)
    session.oidc = JSON.parse(fields.oidc) as SessionRecord['oidc'];
  return session;
}

/** Redis forgets a session at its expiry by its own clock; this one's may run ahead of it. */
function live(
  session: SessionRecord | undefined,
  now: number,
): SessionRecord | undefined {
  return session && now < session.expiresAt ? session : undefined;
}
