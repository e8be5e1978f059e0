import { expect, it } from '@jest/globals';
import type {
  SessionRecord,
  SessionStore,
} from '../../src/sessions/interfaces/index.js';

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
