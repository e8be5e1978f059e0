import { expect, it } from '@jest/globals';
import type {
  SessionRecord,
  SessionStore,
} from '../../src/sessions/interfaces/index.js';
import {
  generateRefreshKey,
  generateSessionId,
} from '../../src/sessions/refresh-tokens.js';

const HOUR = 3_600_000;
/** Telegram ids reach 2^52 and beyond 2^47, where Lua's cjson would round them. */
const BIG_ID = 2 ** 52 + 7;

/**
 * What every {@link SessionStore} must do, for its spec to run with its own
 * store. `nextUserId` gives a user id no other test (or run) has used; times
 * are real epoch ms, since Redis expires keys by its own clock.
 */
export function itBehavesLikeASessionStore(
  store: () => SessionStore,
  nextUserId: () => number,
): void {
  const sessionOf = (
    userId: number,
    overrides: Partial<SessionRecord> = {},
  ): SessionRecord => {
    const now = Date.now();
    return {
      sid: generateSessionId(),
      user: { id: userId, first_name: 'Ada', username: 'ada' },
      grant: { subject: 'user-7', claims: { role: 'admin' } },
      site: 'Shop',
      browser: 'Chrome 120',
      os: 'Windows 10',
      ip: '203.0.113.7',
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + HOUR,
      refreshKey: generateRefreshKey(),
      refreshGeneration: 0,
      ...overrides,
    };
  };

  it('keeps a session as it was made, and finds it by its id', async () => {
    const session = sessionOf(nextUserId(), {
      user: { id: BIG_ID, first_name: 'Big' },
    });
    await store().create(session);
    expect(await store().find(session.sid, Date.now())).toEqual(session);
    expect(await store().find(generateSessionId(), Date.now())).toBeUndefined();
  });

  it('keeps its own copy: changing what was given or found changes nothing kept', async () => {
    const session = sessionOf(nextUserId(), {
      grant: { subject: 'ada', claims: { roles: ['reader'] } },
    });
    const kept = structuredClone(session);
    await store().create(session);
    session.user.first_name = 'Changed';
    (session.grant!.claims!.roles as string[]).push('admin');
    const found = (await store().find(session.sid, Date.now()))!;
    expect(found).toEqual(kept);
    found.user.first_name = 'Changed again';
    found.grant!.subject = 'eve';
    (found.grant!.claims!.roles as string[]).push('admin');
    expect(await store().find(session.sid, Date.now())).toEqual(kept);
    const [listed] = await store().listForUser(session.user.id, Date.now());
    listed.user.first_name = 'Listed';
    expect(await store().find(session.sid, Date.now())).toEqual(kept);
  });

  it("lists a user's sessions newest first, and nobody else's", async () => {
    const userId = nextUserId();
    const now = Date.now();
    const older = sessionOf(userId, { createdAt: now - 2000, site: 'Older' });
    const newer = sessionOf(userId, { createdAt: now - 1000, site: 'Newer' });
    await store().create(older);
    await store().create(newer);
    await store().create(sessionOf(nextUserId()));
    expect(
      (await store().listForUser(userId, now)).map(({ site }) => site),
    ).toEqual(['Newer', 'Older']);
    expect(await store().listForUser(nextUserId(), now)).toEqual([]);
  });

  it('ends a session once: the first caller gets it, later ones and finds get nothing', async () => {
    const userId = nextUserId();
    const session = sessionOf(userId);
    await store().create(session);
    const ends = await Promise.all([
      store().end(session.sid, Date.now()),
      store().end(session.sid, Date.now()),
      store().end(session.sid, Date.now()),
    ]);
    expect(ends.filter(Boolean)).toEqual([session]);
    expect(await store().find(session.sid, Date.now())).toBeUndefined();
    expect(await store().listForUser(userId, Date.now())).toEqual([]);
    expect(await store().touch(session.sid, Date.now())).toBe(false);
  });

  it('rotates the current refresh generation once; an older one is "reused", an ended session "gone"', async () => {
    const session = sessionOf(nextUserId());
    await store().create(session);
    const rotations = await Promise.all([
      store().rotateRefresh(session.sid, 0, Date.now()),
      store().rotateRefresh(session.sid, 0, Date.now()),
    ]);
    expect(rotations.sort()).toEqual(['reused', 'rotated']);
    expect(
      (await store().find(session.sid, Date.now()))?.refreshGeneration,
    ).toBe(1);
    expect(await store().rotateRefresh(session.sid, 1, Date.now())).toBe(
      'rotated',
    );
    expect(await store().rotateRefresh(session.sid, 0, Date.now())).toBe(
      'reused',
    );
    await store().end(session.sid, Date.now());
    expect(await store().rotateRefresh(session.sid, 2, Date.now())).toBe(
      'gone',
    );
  });

  it('marks a session used, never backwards', async () => {
    const session = sessionOf(nextUserId());
    await store().create(session);
    const later = session.lastUsedAt + 5000;
    expect(await store().touch(session.sid, later)).toBe(true);
    expect(await store().touch(session.sid, later - 3000)).toBe(true);
    expect((await store().find(session.sid, Date.now()))?.lastUsedAt).toBe(
      later,
    );
    await store().rotateRefresh(session.sid, 0, later + 1000);
    expect((await store().find(session.sid, Date.now()))?.lastUsedAt).toBe(
      later + 1000,
    );
  });

  it('forgets a session at its expiry: not found, not listed, not refreshed', async () => {
    const userId = nextUserId();
    const now = Date.now();
    const session = sessionOf(userId, { expiresAt: now + HOUR });
    await store().create(session);
    const after = session.expiresAt;
    expect(await store().find(session.sid, after)).toBeUndefined();
    expect(await store().listForUser(userId, after)).toEqual([]);
    expect(await store().touch(session.sid, after)).toBe(false);
    expect(await store().rotateRefresh(session.sid, 0, after)).toBe('gone');
    expect(await store().end(session.sid, after)).toBeUndefined();
  });

  it("merges the OpenID Provider's links into the session, and does nothing for one that is gone", async () => {
    const session = sessionOf(nextUserId());
    await store().create(session);
    await store().linkOidc(session.sid, { grantId: 'grant-1' });
    await store().linkOidc(session.sid, {
      sessionUid: 'op-session',
      clientSid: 'client-sid',
    });
    expect((await store().find(session.sid, Date.now()))?.oidc).toEqual({
      grantId: 'grant-1',
      sessionUid: 'op-session',
      clientSid: 'client-sid',
    });
    const gone = generateSessionId();
    await store().linkOidc(gone, { grantId: 'x' });
    expect(await store().find(gone, Date.now())).toBeUndefined();
  });
}
/**
 * What every SessionStore does with the OpenID links: the sessions of one
 * provider browser session, listed by its uid. `makeStore` gives a store
 * that has none of the sids used here.
 */
export function itListsSessionsByOidcSession(
  makeStore: () => SessionStore,
): void {
  const NOW = Date.now();
  const tag = Math.random().toString(36).slice(2);
  const sid = (name: string) => `${name}-${tag}`;
  const uid = (name: string) => `${name}-${tag}`;

  function sessionOf(name: string, createdAt = NOW): SessionRecord {
    return {
      sid: sid(name),
      user: { id: 4242, first_name: 'Ada' },
      site: 'Example Shop',
      clientId: 'shop',
      createdAt,
      lastUsedAt: createdAt,
      expiresAt: createdAt + 60_000,
      refreshKey: 'key',
      refreshGeneration: 0,
    };
  }

  const sidsOf = (sessions: SessionRecord[]) =>
    sessions.map((session) => session.sid);

  it('lists the live sessions linked to a browser session, newest first, and forgets ended and expired ones', async () => {
    const store = makeStore();
    await store.create(sessionOf('a', NOW));
    await store.create(sessionOf('b', NOW + 1));
    await store.create(sessionOf('c', NOW + 2));
    await store.linkOidc(sid('a'), {
      sessionUid: uid('browser-1'),
      grantId: 'g-a',
    });
    await store.linkOidc(sid('b'), { sessionUid: uid('browser-1') });
    await store.linkOidc(sid('c'), { sessionUid: uid('browser-2') });
    // A later link without the uid keeps the session where it is.
    await store.linkOidc(sid('b'), { grantId: 'g-b', clientSid: 'sid-b' });

    const listed = await store.listForOidcSession(uid('browser-1'), NOW + 3);
    expect(sidsOf(listed)).toEqual([sid('b'), sid('a')]);
    expect(listed[0].oidc).toEqual({
      sessionUid: uid('browser-1'),
      grantId: 'g-b',
      clientSid: 'sid-b',
    });

    await store.end(sid('b'), NOW + 3);
    expect(
      sidsOf(await store.listForOidcSession(uid('browser-1'), NOW + 3)),
    ).toEqual([sid('a')]);
    expect(
      await store.listForOidcSession(uid('browser-1'), NOW + 60_000),
    ).toEqual([]);
    expect(await store.listForOidcSession(uid('unknown'), NOW)).toEqual([]);
  });

  it('moves a session relinked to another browser session, and links nothing for one that is gone', async () => {
    const store = makeStore();
    await store.create(sessionOf('d'));
    await store.linkOidc(sid('d'), { sessionUid: uid('browser-3') });
    await store.linkOidc(sid('d'), { sessionUid: uid('browser-4') });
    expect(await store.listForOidcSession(uid('browser-3'), NOW)).toEqual([]);
    expect(
      sidsOf(await store.listForOidcSession(uid('browser-4'), NOW)),
    ).toEqual([sid('d')]);

    await store.linkOidc(sid('gone'), { sessionUid: uid('browser-5') });
    expect(await store.listForOidcSession(uid('browser-5'), NOW)).toEqual([]);
  });
}
