import type {
  RefreshRotation,
  SessionOidcLinks,
  SessionRecord,
  SessionStore,
} from '../interfaces/index.js';

/**
 * Sessions in this process's memory: the default without Redis. An expired
 * session is dropped when it is next looked at or listed.
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly byUser = new Map<number, Set<string>>();
  /** OpenID Provider browser session uid → the sessions linked to it. */
  private readonly byOidcSession = new Map<string, Set<string>>();

  create(session: SessionRecord): Promise<void> {
    this.sessions.set(session.sid, copyOf(session));
    const sids = this.byUser.get(session.user.id) ?? new Set<string>();
    this.byUser.set(session.user.id, sids.add(session.sid));
    return Promise.resolve();
  }

  find(sid: string, now: number): Promise<SessionRecord | undefined> {
    const session = this.live(sid, now);
    return Promise.resolve(session && copyOf(session));
  }

  listForUser(userId: number, now: number): Promise<SessionRecord[]> {
    const sessions = [...(this.byUser.get(userId) ?? [])]
      .map((sid) => this.live(sid, now))
      .filter((session) => session !== undefined)
      .sort(newestFirst)
      .map((session) => copyOf(session));
    return Promise.resolve(sessions);
  }

  touch(sid: string, now: number): Promise<boolean> {
    const session = this.live(sid, now);
    if (session) session.lastUsedAt = Math.max(session.lastUsedAt, now);
    return Promise.resolve(session !== undefined);
  }

  rotateRefresh(
    sid: string,
    generation: number,
    now: number,
  ): Promise<RefreshRotation> {
    const session = this.live(sid, now);
    if (!session) return Promise.resolve('gone');
    if (generation !== session.refreshGeneration)
      return Promise.resolve('reused');
    session.refreshGeneration += 1;
    session.lastUsedAt = Math.max(session.lastUsedAt, now);
    return Promise.resolve('rotated');
  }

  end(sid: string, now: number): Promise<SessionRecord | undefined> {
    const session = this.live(sid, now);
    if (session) this.forget(session);
    return Promise.resolve(session);
  }

  linkOidc(sid: string, links: SessionOidcLinks): Promise<void> {
    const session = this.sessions.get(sid);
    if (!session) return Promise.resolve();
    const before = session.oidc?.sessionUid;
    session.oidc = { ...session.oidc, ...links };
    if (links.sessionUid && links.sessionUid !== before) {
      if (before) this.unindex(before, sid);
      const sids = this.byOidcSession.get(links.sessionUid) ?? new Set();
      this.byOidcSession.set(links.sessionUid, sids.add(sid));
    }
    return Promise.resolve();
  }

  listForOidcSession(
    sessionUid: string,
    now: number,
  ): Promise<SessionRecord[]> {
    const sessions = [...(this.byOidcSession.get(sessionUid) ?? [])]
      .map((sid) => this.live(sid, now))
      .filter((session) => session !== undefined)
      .sort(newestFirst)
      .map((session) => copyOf(session));
    return Promise.resolve(sessions);
  }

  private live(sid: string, now: number): SessionRecord | undefined {
    const session = this.sessions.get(sid);
    if (session && now >= session.expiresAt) {
      this.forget(session);
      return undefined;
    }
    return session;
  }

  private forget(session: SessionRecord): void {
    this.sessions.delete(session.sid);
    const sids = this.byUser.get(session.user.id);
    sids?.delete(session.sid);
    if (sids && !sids.size) this.byUser.delete(session.user.id);
    if (session.oidc?.sessionUid)
      this.unindex(session.oidc.sessionUid, session.sid);
  }

  private unindex(sessionUid: string, sid: string): void {
    const sids = this.byOidcSession.get(sessionUid);
    sids?.delete(sid);
    if (sids && !sids.size) this.byOidcSession.delete(sessionUid);
  }
}

/** Newest first; the sid breaks a tie, so that a list reads the same every time. */
export function newestFirst(a: SessionRecord, b: SessionRecord): number {
  return b.createdAt - a.createdAt || (a.sid < b.sid ? -1 : 1);
}

/**
 * A copy the caller may change without changing what is kept (as a Redis
 * store's reads are). Spread by hand: the record is flat but for a few small
 * objects, and structuredClone cost ~4 % of a login's CPU on the webhook's
 * path (a session made, then found for its access token). Only a grant's
 * `claims` are arbitrary JSON, cloned whole.
 */
function copyOf(session: SessionRecord): SessionRecord {
  const copy: SessionRecord = { ...session, user: { ...session.user } };
  if (session.grant)
    copy.grant = {
      ...session.grant,
      ...(session.grant.claims && {
        claims: structuredClone(session.grant.claims),
      }),
    };
  if (session.oidc) copy.oidc = { ...session.oidc };
  return copy;
}
