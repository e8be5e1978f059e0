import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import { EXPIRED_LOGIN_RETENTION_MS } from '../auth.constants.js';
import type { Login, TelegramUser } from '../interfaces/index.js';
import { MemoryLoginStore } from './memory-login.store.js';

const START = Date.parse('2030-01-01T12:00:00.000Z');
const TTL_MS = 300_000;
const ADA: TelegramUser = {
  id: 4242,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
};
const EVE: TelegramUser = { id: 6666, first_name: 'Eve' };

let counter = 0;
function pendingLogin(overrides: Partial<Login> = {}): Login {
  counter++;
  return {
    token: `token-${counter}`.padEnd(43, 'x'),
    secretHash: 'ab'.repeat(32),
    status: 'pending',
    createdAt: Date.now(),
    expiresAt: Date.now() + TTL_MS,
    requester: { userAgent: 'jest', ip: '127.0.0.1' },
    ...overrides,
  };
}

const authenticate = (
  store: MemoryLoginStore,
  token: string,
  user = ADA,
  now = Date.now(),
) =>
  store.transition(token, {
    from: 'pending',
    to: 'authenticated',
    set: { user },
    now,
  });

describe('MemoryLoginStore', () => {
  let store: MemoryLoginStore;

  beforeEach(() => {
    jest.useFakeTimers({ now: START });
    store = new MemoryLoginStore();
  });

  afterEach(() => {
    store.onModuleDestroy();
    jest.useRealTimers();
  });

  describe('create and find', () => {
    it('finds a login it holds and nothing for a token it does not know', async () => {
      const login = pendingLogin();
      await store.create(login);
      expect(await store.find(login.token)).toEqual(login);
      expect(await store.find('unknown'.padEnd(43, 'y'))).toBeUndefined();
    });

    it('hands out copies: changing what find returned or what was created changes nothing stored', async () => {
      const login = pendingLogin();
      await store.create(login);
      login.status = 'authenticated';
      const found = (await store.find(login.token))!;
      expect(found.status).toBe('pending');
      found.status = 'denied';
      found.user = EVE;
      expect(await store.find(login.token)).toMatchObject({
        status: 'pending',
      });
      expect((await store.find(login.token))!.user).toBeUndefined();
    });
  });

  it('keeps the OpenID context of a login, a copy of it, until the result is taken', async () => {
    const oidc = {
      interactionUid: 'uid-1',
      clientId: 'shop',
      clientName: 'Example Shop',
    };
    const login = pendingLogin({ oidc });
    await store.create(login);
    oidc.clientName = 'changed';
    await authenticate(store, login.token);
    const found = (await store.find(login.token))!;
    expect(found.oidc).toEqual({ ...oidc, clientName: 'Example Shop' });
    found.oidc!.clientId = 'other';
    expect((await store.takeResult(login.token))!.oidc).toEqual({
      ...oidc,
      clientName: 'Example Shop',
    });
  });

  describe('transition', () => {
    it('moves a pending login to authenticated with the user, and returns it', async () => {
      const login = pendingLogin();
      await store.create(login);
      const updated = await authenticate(store, login.token);
      expect(updated).toMatchObject({
        token: login.token,
        status: 'authenticated',
        user: ADA,
      });
      expect(await store.find(login.token)).toMatchObject({
        status: 'authenticated',
        user: ADA,
      });
    });

    it('refuses when the login is not in the expected state, and leaves it as it was', async () => {
      const login = pendingLogin();
      await store.create(login);
      expect(
        await store.transition(login.token, {
          from: 'scanned',
          to: 'authenticated',
          set: { user: EVE },
          now: Date.now(),
        }),
      ).toBeUndefined();
      expect(await store.find(login.token)).toMatchObject({
        status: 'pending',
      });
      expect((await store.find(login.token))!.user).toBeUndefined();
    });

    it('refuses an unknown token', async () => {
      expect(
        await authenticate(store, 'nobody'.padEnd(43, 'z')),
      ).toBeUndefined();
    });

    it('lets exactly one of two racing /start win; the loser changes nothing', async () => {
      const login = pendingLogin();
      await store.create(login);
      const [first, second] = await Promise.all([
        authenticate(store, login.token, ADA),
        authenticate(store, login.token, EVE),
      ]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      expect(first?.user).toEqual(ADA);
      expect(second).toBeUndefined();
      expect((await store.find(login.token))!.user).toEqual(ADA);
    });

    it('of many concurrent transitions, exactly one succeeds', async () => {
      const login = pendingLogin();
      await store.create(login);
      const users = Array.from({ length: 50 }, (_, i) => ({
        id: i + 1,
        first_name: `User ${i + 1}`,
      }));
      const results = await Promise.all(
        users.map((user) => authenticate(store, login.token, user)),
      );
      const winners = results.filter(Boolean);
      expect(winners).toHaveLength(1);
      expect((await store.find(login.token))!.user).toEqual(winners[0]!.user);
    });

    it('never completes a login at or after its expiry', async () => {
      const login = pendingLogin();
      await store.create(login);
      expect(
        await authenticate(store, login.token, ADA, login.expiresAt),
      ).toBeUndefined();
      expect(
        await authenticate(store, login.token, ADA, login.expiresAt + 1),
      ).toBeUndefined();
      expect(await store.find(login.token)).toMatchObject({
        status: 'pending',
      });
      expect(
        await authenticate(store, login.token, ADA, login.expiresAt - 1),
      ).toMatchObject({ status: 'authenticated' });
    });
  });

  describe('takeResult', () => {
    it('returns an authenticated login once; afterwards find and takeResult know nothing', async () => {
      const login = pendingLogin();
      await store.create(login);
      await authenticate(store, login.token);
      expect(await store.takeResult(login.token)).toMatchObject({
        token: login.token,
        status: 'authenticated',
        user: ADA,
      });
      expect(await store.takeResult(login.token)).toBeUndefined();
      expect(await store.find(login.token)).toBeUndefined();
      expect(store.size).toBe(0);
    });

    it('gives the result to exactly one of two racing takers (socket and poll)', async () => {
      const login = pendingLogin();
      await store.create(login);
      await authenticate(store, login.token);
      const results = await Promise.all([
        store.takeResult(login.token),
        store.takeResult(login.token),
        store.takeResult(login.token),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('gives nothing for a login that is not authenticated, and keeps it', async () => {
      const login = pendingLogin();
      await store.create(login);
      expect(await store.takeResult(login.token)).toBeUndefined();
      expect(await store.find(login.token)).toMatchObject({
        status: 'pending',
      });
    });

    it('gives nothing for an unknown token', async () => {
      expect(await store.takeResult('nobody'.padEnd(43, 'z'))).toBeUndefined();
    });

    it('still hands out a result completed in time while it is retained past the expiry', async () => {
      const login = pendingLogin();
      await store.create(login);
      await authenticate(store, login.token);
      jest.setSystemTime(login.expiresAt + EXPIRED_LOGIN_RETENTION_MS - 1);
      expect(await store.takeResult(login.token)).toMatchObject({ user: ADA });
    });
  });

  describe('holds (a push under way)', () => {
    it('keep a held result from polls until the hold ends, but not from the acknowledgement', async () => {
      const login = pendingLogin();
      await store.create(login);
      await authenticate(store, login.token);
      expect(await store.holdResult(login.token, 'push-1', 1_000)).toBe('held');
      expect(
        await store.takeResult(login.token, { respectHold: true }),
      ).toBeUndefined();
      jest.setSystemTime(Date.now() + 1_000);
      expect(
        await store.takeResult(login.token, { respectHold: true }),
      ).toMatchObject({ user: ADA });

      const acknowledged = pendingLogin();
      await store.create(acknowledged);
      await authenticate(store, acknowledged.token);
      await store.holdResult(acknowledged.token, 'push-2', 1_000);
      expect(await store.takeResult(acknowledged.token)).toMatchObject({
        user: ADA,
      });
    });

    it('keep other pushes out until their holder releases them or they lapse', async () => {
      const login = pendingLogin();
      await store.create(login);
      await authenticate(store, login.token);
      expect(await store.holdResult(login.token, 'push-1', 60_000)).toBe(
        'held',
      );
      expect(await store.holdResult(login.token, 'push-2', 60_000)).toBe(
        'busy',
      );
      // Only the holder lets go; it may renew its own hold.
      await store.releaseResult(login.token, 'push-2');
      expect(await store.holdResult(login.token, 'push-1', 1_000)).toBe('held');
      jest.setSystemTime(Date.now() + 1_000);
      expect(await store.holdResult(login.token, 'push-2', 60_000)).toBe(
        'held',
      );
      // A socket that connects takes a hold over when asked to.
      expect(
        await store.holdResult(login.token, 'welcome', 60_000, {
          takeOver: true,
        }),
      ).toBe('held');
      expect(await store.holdResult(login.token, 'push-2', 60_000)).toBe(
        'busy',
      );
      await store.releaseResult(login.token, 'welcome');
      expect(
        await store.takeResult(login.token, { respectHold: true }),
      ).toMatchObject({ user: ADA });
    });

    it('are refused for a login without a result', async () => {
      const login = pendingLogin();
      await store.create(login);
      expect(await store.holdResult(login.token, 'push-1', 1_000)).toBe('none');
      expect(await store.holdResult('nobody'.padEnd(43, 'z'), 'p', 1)).toBe(
        'none',
      );
    });
  });

  describe('retention and TTL', () => {
    it('keeps an expired login until expiresAt + retention, so a late poll learns "expired", then forgets it', async () => {
      const login = pendingLogin();
      await store.create(login);
      jest.setSystemTime(login.expiresAt);
      expect(await store.find(login.token)).toMatchObject({
        status: 'pending',
      });
      jest.setSystemTime(login.expiresAt + EXPIRED_LOGIN_RETENTION_MS - 1);
      expect(await store.find(login.token)).toBeDefined();
      jest.setSystemTime(login.expiresAt + EXPIRED_LOGIN_RETENTION_MS);
      expect(await store.find(login.token)).toBeUndefined();
      expect(store.size).toBe(0);
    });

    it('forgets an undelivered result after the retention too', async () => {
      const login = pendingLogin();
      await store.create(login);
      await authenticate(store, login.token);
      jest.setSystemTime(login.expiresAt + EXPIRED_LOGIN_RETENTION_MS);
      expect(await store.takeResult(login.token)).toBeUndefined();
    });

    it('sweeps logins nobody asks about any more, so memory does not grow with abandoned QR codes', async () => {
      const old = Array.from({ length: 100 }, () => pendingLogin());
      for (const login of old) await store.create(login);
      jest.advanceTimersByTime(TTL_MS / 2);
      const fresh = pendingLogin();
      await store.create(fresh);
      expect(store.size).toBe(101);

      // Past the old ones' retention, not the fresh one's: the periodic sweep alone removes them.
      jest.advanceTimersByTime(
        TTL_MS / 2 + EXPIRED_LOGIN_RETENTION_MS + 10_000,
      );
      expect(store.size).toBe(1);
      expect(await store.find(fresh.token)).toBeDefined();
    });

    it('stops its sweep timer when the module is destroyed', () => {
      const before = jest.getTimerCount();
      store.onModuleDestroy();
      expect(jest.getTimerCount()).toBe(before - 1);
    });
  });
});
