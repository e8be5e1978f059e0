import { describe, expect, it } from '@jest/globals';
import { InstantAccessTokens } from '../../test/support/access-tokens.js';
import type { AuthSettings } from '../interfaces/settings.interface.js';
import { AccessTokenService } from './access-token.service.js';
import type { EndedSession, SessionInfo } from './interfaces/index.js';
import { SessionEventsService } from './session-events.service.js';
import { SessionService } from './session.service.js';
import { SESSION_CHECK_CACHE_MS } from './sessions.constants.js';
import { MemorySessionStore } from './stores/memory-session.store.js';

const SETTINGS = {
  appName: 'Shop',
  sessionTtlSeconds: 3600,
} as AuthSettings;
const ADA = { id: 4242, first_name: 'Ada' };
const EVE = { id: 666, first_name: 'Eve' };
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** Two instances on one store: each has its own check cache, as two processes on one Redis. */
function twoInstances() {
  const store = new MemorySessionStore();
  const make = () => {
    const events = new SessionEventsService();
    const ended: EndedSession[] = [];
    const created: SessionInfo[] = [];
    events.ended.subscribe((event) => ended.push(event));
    events.created.subscribe((session) => created.push(session));
    const service = new SessionService(
      store,
      SETTINGS,
      new AccessTokenService(new InstantAccessTokens()),
      events,
    );
    return { service, ended, created };
  };
  return [make(), make()] as const;
}

const start = (service: SessionService, user = ADA) =>
  service.start({
    user,
    site: 'Shop',
    requester: { userAgent: CHROME, ip: '203.0.113.7' },
  });

describe('SessionService', () => {
  it('records the site, the browser and its system, and the IP of the login', async () => {
    const [{ service }] = twoInstances();
    const session = await start(service);
    expect(await service.find(session.sid)).toEqual({
      sid: session.sid,
      user: ADA,
      site: 'Shop',
      browser: 'Chrome 120',
      os: 'Windows 10',
      ip: '203.0.113.7',
      createdAt: session.createdAt,
      lastUsedAt: session.createdAt,
      expiresAt: session.createdAt + 3600_000,
    });
  });

  it('tells of a session once announced, without what makes its refresh tokens', async () => {
    const [{ service, created }] = twoInstances();
    const session = await start(service);
    expect(created).toEqual([]);
    service.announce(session);
    expect(created).toEqual([expect.objectContaining({ sid: session.sid })]);
    expect(created[0]).not.toHaveProperty('refreshKey');
  });

  it('gives the next pair for a refresh token once, and ends the session when a spent one comes back', async () => {
    const [{ service, ended }] = twoInstances();
    const session = await start(service);
    const first = await service.tokensOf(session);

    const second = await service.refresh(first.refreshToken);
    expect(second?.refreshToken).not.toBe(first.refreshToken);
    const third = await service.refresh(second!.refreshToken);
    expect(third).toBeDefined();
    expect(await service.verify(third!.accessToken)).toMatchObject({
      sid: session.sid,
    });

    // The first token again: someone holds a copy. The whole session ends, the newest tokens too.
    expect(await service.refresh(first.refreshToken)).toBeUndefined();
    expect(ended).toEqual([
      expect.objectContaining({ reason: 'refresh-token-reused' }),
    ]);
    expect(await service.refresh(third!.refreshToken)).toBeUndefined();
    expect(await service.verify(third!.accessToken)).toBeUndefined();
  });

  it('gives one of two racing refreshes of the same token the next pair, and ends the session for the other', async () => {
    const [{ service }] = twoInstances();
    const session = await start(service);
    const { refreshToken } = await service.tokensOf(session);
    const results = await Promise.all([
      service.refresh(refreshToken),
      service.refresh(refreshToken),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await service.find(session.sid)).toBeUndefined();
  });

  it('refuses a forged refresh token naming a real session, and leaves that session alone', async () => {
    const [{ service, ended }] = twoInstances();
    const session = await start(service);
    const forged = `${session.sid}.0.${'A'.repeat(43)}`;
    const older = `${session.sid}.7.${'A'.repeat(43)}`;
    for (const token of [forged, older, 'garbage', 42, undefined, ''])
      expect(await service.refresh(token)).toBeUndefined();
    expect(ended).toEqual([]);
    expect(await service.find(session.sid)).toBeDefined();
  });

  it('refuses an access token of an ended session at once on the instance that ended it, and on another within the cache bound', async () => {
    const [a, b] = twoInstances();
    const session = await start(a.service);
    const { accessToken } = await a.service.tokensOf(session);
    const now = Date.now();
    expect(await a.service.verify(accessToken, now)).toBeDefined();
    expect(await b.service.verify(accessToken, now)).toBeDefined();

    await a.service.end(session.sid, 'logged-out', now);
    expect(await a.service.verify(accessToken, now)).toBeUndefined();
    // B checked a moment ago, and trusts that for SESSION_CHECK_CACHE_MS, no longer.
    expect(
      await b.service.verify(accessToken, now + SESSION_CHECK_CACHE_MS),
    ).toBeUndefined();
  });

  it("ends only the caller's own session; another person's is answered as unknown and goes on", async () => {
    const [{ service, ended }] = twoInstances();
    const adas = await start(service, ADA);
    expect(
      await service.endOwn(EVE.id, adas.sid, 'ended-in-telegram'),
    ).toBeUndefined();
    expect(await service.find(adas.sid)).toBeDefined();
    expect(
      await service.endOwn(ADA.id, adas.sid, 'ended-in-telegram'),
    ).toMatchObject({ sid: adas.sid });
    expect(
      await service.endOwn(ADA.id, adas.sid, 'ended-in-telegram'),
    ).toBeUndefined();
    expect(ended.map(({ reason }) => reason)).toEqual(['ended-in-telegram']);
  });

  it("ends all of a user's sessions but the one kept, and nobody else's", async () => {
    const [{ service }] = twoInstances();
    const kept = await start(service);
    await start(service);
    await start(service);
    const eves = await start(service, EVE);
    const ended = await service.endAll(ADA.id, 'ended-by-site', {
      except: kept.sid,
    });
    expect(ended).toHaveLength(2);
    expect((await service.list(ADA.id)).map(({ sid }) => sid)).toEqual([
      kept.sid,
    ]);
    expect(await service.find(eves.sid)).toBeDefined();
  });

  it('takes back a discarded session without telling anyone', async () => {
    const [{ service, ended }] = twoInstances();
    const session = await start(service);
    await service.discard(session.sid);
    expect(await service.find(session.sid)).toBeUndefined();
    expect(ended).toEqual([]);
  });
});
