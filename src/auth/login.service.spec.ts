import { describe, expect, it } from '@jest/globals';
import type { LoginChange } from './login-events.service.js';
import { LoginEventsService } from './login-events.service.js';
import { AllowListLoginPolicy } from './login-policy.js';
import { LoginService } from './login.service.js';
import { InstantAccessTokens } from '../../test/support/access-tokens.js';
import { AccessTokenService } from '../sessions/access-token.service.js';
import { SessionEventsService } from '../sessions/session-events.service.js';
import { SessionService } from '../sessions/session.service.js';
import { MemorySessionStore } from '../sessions/stores/memory-session.store.js';
import { MemoryLoginStore } from './stores/memory-login.store.js';
import type { AuthSettings } from '../interfaces/settings.interface.js';

const ADA = { id: 4242, first_name: 'Ada' };
const MALLORY = { id: 666, first_name: 'Mallory' };

/**
 * Redis after a stall: it runs a transition that the client had stopped waiting for, and the
 * handler sees only the timeout. Armed for one transition at a time.
 */
class StalledAnswerStore extends MemoryLoginStore {
  failNextTransition = false;
  /** The other stall: the transition times out and is never applied. */
  dropNextTransition = false;

  override async transition(
    ...args: Parameters<MemoryLoginStore['transition']>
  ): ReturnType<MemoryLoginStore['transition']> {
    if (this.dropNextTransition) {
      this.dropNextTransition = false;
      throw new Error('Command timed out');
    }
    const applied = await super.transition(...args);
    if (!this.failNextTransition) return applied;
    this.failNextTransition = false;
    throw new Error('Command timed out');
  }
}

function loginService(confirmation: 'off' | 'button' | 'code') {
  const store = new StalledAnswerStore();
  const settings: AuthSettings = {
    allowedTelegramIds: [],
    tokenTtlSeconds: 60,
    confirmation,
    jwtAlgorithm: 'ES256',
    jwtSecretIsEphemeral: false,
    jwtTtlSeconds: 60,
    appName: 'Test site',
    sessionTtlSeconds: 3600,
    rateLimit: { ttlSeconds: 60, tokenCreations: 20, polls: 120 },
  };
  const events = new LoginEventsService();
  const changes: LoginChange[] = [];
  events.changes.subscribe((change) => changes.push(change));
  const sessionEvents = new SessionEventsService();
  const announced: string[] = [];
  sessionEvents.created.subscribe(({ sid }) => announced.push(sid));
  const sessions = new SessionService(
    new MemorySessionStore(),
    settings,
    new AccessTokenService(new InstantAccessTokens()),
    sessionEvents,
  );
  const service = new LoginService(
    store,
    settings,
    sessions,
    events,
    new AllowListLoginPolicy(settings),
  );
  return { service, store, changes, sessions, announced };
}

/** The sids of ADA's sessions. */
const sidsOf = async (sessions: SessionService) =>
  (await sessions.list(ADA.id)).map(({ sid }) => sid);

describe('LoginService', () => {
  it("an OpenID interaction's login: the browser is told where to go on, never given a token, and the result stays until taken", async () => {
    const { service, store } = loginService('off');
    const oidc = {
      interactionUid: 'abc',
      clientId: 'shop',
      clientName: 'Example Shop',
    };
    const { login } = await service.create({}, Date.now(), oidc);
    expect(login.oidc).toEqual(oidc);
    expect(await service.scan(login.token, ADA, ADA.id)).toMatchObject({
      result: 'authenticated',
      login: { oidc },
    });
    const onward = {
      status: 'authenticated',
      continueTo: '/oidc/interaction/abc/complete',
    };
    // Polls, again and again: the answer holds no secret, and takes nothing.
    expect(await service.statusOf(login.token)).toEqual(onward);
    expect(await service.statusOf(login.token)).toEqual(onward);
    expect(await service.peek(login.token)).toEqual(onward);
    expect((await service.takeResult(login.token))?.user).toEqual(ADA);
    expect(await service.takeResult(login.token)).toBeUndefined();
    expect(await service.statusOf(login.token)).toBeUndefined();
    store.onModuleDestroy();
  });

  it('without confirmation, /start authenticates and the result is taken once', async () => {
    const { service, store, changes } = loginService('off');
    const { login } = await service.create({});
    expect(await service.scan(login.token, ADA, ADA.id)).toMatchObject({
      result: 'authenticated',
      login: { token: login.token, user: ADA },
    });
    const first = await service.statusOf(login.token);
    expect(first).toMatchObject({ status: 'authenticated', user: ADA });
    expect(await service.statusOf(login.token)).toBeUndefined();
    expect(changes.map((change) => change.status)).toEqual([
      'pending',
      'authenticated',
    ]);
    store.onModuleDestroy();
  });

  it.each([['off'], ['button']] as const)(
    'keeps the language of the person’s Telegram with the session of the login (confirmation %s), not with the user',
    async (confirmation) => {
      const { service, store, sessions } = loginService(confirmation);
      const { login } = await service.create({});
      await service.scan(login.token, ADA, ADA.id, Date.now(), 1, 'ru');
      if (confirmation === 'button')
        await service.decideFor(
          login.token,
          ADA,
          { confirm: true },
          Date.now(),
          2,
          'ru',
        );
      const [session] = await sessions.list(ADA.id);
      expect(session.language).toBe('ru');
      expect(session.user).toEqual(ADA);
      store.onModuleDestroy();
    },
  );

  it("starts one session per completed login, for this app's site, announced once, whose tokens the result carries", async () => {
    const { service, store, sessions, announced } = loginService('off');
    const { login } = await service.create({
      userAgent: 'curl/8.0',
      ip: '::1',
    });
    expect(await sidsOf(sessions)).toEqual([]);
    const { login: done } = (await service.scan(login.token, ADA, ADA.id)) as {
      login: { sid: string };
    };
    expect(await sidsOf(sessions)).toEqual([done.sid]);
    expect(announced).toEqual([done.sid]);
    expect(await sessions.find(done.sid)).toMatchObject({
      site: 'Test site',
      ip: '::1',
      user: ADA,
    });
    const result = await service.statusOf(login.token);
    expect(result?.refreshToken).toMatch(new RegExp(`^${done.sid}\\.0\\.`));
    store.onModuleDestroy();
  });

  it('hands out nothing for a login whose session ended before the browser heard of it', async () => {
    const { service, store, sessions } = loginService('off');
    const { login } = await service.create({});
    await service.scan(login.token, ADA, ADA.id);
    const [sid] = await sidsOf(sessions);
    await sessions.end(sid, 'ended-in-telegram');
    expect(await service.peek(login.token)).toBeUndefined();
    store.onModuleDestroy();
  });

  it('of two racing Confirms only one wins, and one "authenticated" is published', async () => {
    const { service, store, changes, sessions, announced } =
      loginService('button');
    const { login } = await service.create({});
    await service.scan(login.token, ADA, ADA.id);
    const outcomes = await Promise.all([
      service.decide(login.token, ADA, { confirm: true }),
      service.decide(login.token, ADA, { confirm: true }),
      service.decide(login.token, ADA, { confirm: false }),
    ]);
    expect(
      outcomes.filter(
        (outcome) => outcome === 'authenticated' || outcome === 'denied',
      ),
    ).toHaveLength(1);
    expect(
      changes.filter(
        (change) =>
          change.status === 'authenticated' || change.status === 'denied',
      ),
    ).toHaveLength(1);
    // The losers' sessions are taken back: at most the winner's is left.
    expect((await sidsOf(sessions)).length).toBe(
      outcomes.includes('authenticated') ? 1 : 0,
    );
    expect(announced).toEqual(await sidsOf(sessions));
    store.onModuleDestroy();
  });

  it('refuses a decision from someone who did not scan, and before any scan', async () => {
    const { service, store } = loginService('button');
    const { login } = await service.create({});
    expect(await service.decide(login.token, ADA, { confirm: true })).toBe(
      'unknown',
    );
    await service.scan(login.token, ADA, ADA.id);
    expect(await service.decide(login.token, MALLORY, { confirm: true })).toBe(
      'wrong-user',
    );
    expect(await service.peekStatus(login.token)).toEqual({
      status: 'scanned',
      firstName: 'Ada',
    });
    store.onModuleDestroy();
  });

  it('in code mode denies a wrong or missing code', async () => {
    const { service, store } = loginService('code');
    const { login } = await service.create({});
    expect(login.matchCode).toMatch(/^[1-9]\d$/);
    await service.scan(login.token, ADA, ADA.id);
    const wrong = login.matchCode === '10' ? '11' : '10';
    expect(
      await service.decide(login.token, ADA, {
        confirm: true,
        pickedCode: wrong,
      }),
    ).toBe('wrong-code');
    expect(await service.statusOf(login.token)).toEqual({ status: 'denied' });
    store.onModuleDestroy();
  });

  it('reports an expired login as expired to /start and to buttons', async () => {
    const { service, store } = loginService('button');
    const { login } = await service.create({}, Date.now() - 61_000);
    expect(await service.scan(login.token, ADA, ADA.id)).toEqual({
      result: 'expired',
    });
    expect(await service.decide(login.token, ADA, { confirm: true })).toBe(
      'expired',
    );
    expect(await service.statusOf(login.token)).toEqual({ status: 'expired' });
    store.onModuleDestroy();
  });

  describe('a second /start of a scanned login', () => {
    it('tells the person who scanned that it waits for them, changing nothing', async () => {
      const { service, store, changes } = loginService('button');
      const { login } = await service.create({});
      await service.scan(login.token, ADA, ADA.id);
      const again = await service.scan(login.token, ADA, ADA.id);
      expect(again).toMatchObject({
        result: 'awaiting-confirmation',
        login: { token: login.token, status: 'scanned', user: ADA },
      });
      expect(changes.map((change) => change.status)).toEqual([
        'pending',
        'scanned',
      ]);
      expect(await service.decide(login.token, ADA, { confirm: true })).toBe(
        'authenticated',
      );
      store.onModuleDestroy();
    });

    it('is an unknown token to anyone else', async () => {
      const { service, store } = loginService('code');
      const { login } = await service.create({});
      await service.scan(login.token, ADA, ADA.id);
      expect(await service.scan(login.token, MALLORY, MALLORY.id)).toEqual({
        result: 'unknown',
      });
      store.onModuleDestroy();
    });

    it('says expired once the login has expired', async () => {
      const { service, store } = loginService('button');
      const createdAt = Date.now();
      const { login } = await service.create({}, createdAt);
      await service.scan(login.token, ADA, ADA.id, createdAt);
      expect(
        await service.scan(login.token, ADA, ADA.id, login.expiresAt),
      ).toEqual({ result: 'expired' });
      store.onModuleDestroy();
    });

    it('answers the loser of two racing /starts by the same person as a second /start', async () => {
      const { service, store, changes } = loginService('button');
      const { login } = await service.create({});
      const results = await Promise.all([
        service.scan(login.token, ADA, ADA.id),
        service.scan(login.token, ADA, ADA.id),
      ]);
      expect(results.map((scan) => scan.result).sort()).toEqual([
        'awaiting-confirmation',
        'scanned',
      ]);
      expect(changes.filter((change) => change.status === 'scanned')).toEqual([
        expect.objectContaining({ token: login.token }),
      ]);
      store.onModuleDestroy();
    });
  });

  describe('a copy of an update whose change the store applied while its handling failed', () => {
    const UPDATE_ID = 7001;

    it('makes the same session again for a copy of an update whose change was never applied, leaving none behind', async () => {
      const { service, store, sessions, announced } = loginService('off');
      const { login } = await service.create({});
      store.dropNextTransition = true;
      await expect(
        service.scan(login.token, ADA, ADA.id, Date.now(), UPDATE_ID),
      ).rejects.toThrow('timed out');
      await service.scan(login.token, ADA, ADA.id, Date.now(), UPDATE_ID);
      const sids = await sidsOf(sessions);
      expect(sids).toHaveLength(1);
      expect((await store.find(login.token))?.sid).toBe(sids[0]);
      expect(announced).toEqual(sids);
      store.onModuleDestroy();
    });

    it('logs the browser in after all, instead of calling the login used up', async () => {
      const { service, store, changes, sessions, announced } =
        loginService('off');
      const { login } = await service.create({});
      store.failNextTransition = true;
      await expect(
        service.scan(login.token, ADA, ADA.id, Date.now(), UPDATE_ID),
      ).rejects.toThrow('timed out');
      expect(changes.map((change) => change.status)).toEqual(['pending']);

      await expect(
        service.scan(login.token, ADA, ADA.id, Date.now(), UPDATE_ID),
      ).resolves.toMatchObject({ result: 'authenticated' });
      expect(changes.map((change) => change.status)).toEqual([
        'pending',
        'authenticated',
      ]);
      // Its session, announced only now that the login is sure.
      expect(announced).toEqual(await sidsOf(sessions));
      expect(announced).toHaveLength(1);
      // Another /start (a new update) of the used login is what it always was.
      await expect(
        service.scan(login.token, ADA, ADA.id, Date.now(), UPDATE_ID + 1),
      ).resolves.toEqual({ result: 'unknown' });
      // And a stranger replaying the number learns nothing.
      await expect(
        service.scan(login.token, MALLORY, MALLORY.id, Date.now(), UPDATE_ID),
      ).resolves.toEqual({ result: 'unknown' });
      store.onModuleDestroy();
    });

    it('asks for the confirmation that was never sent, and finishes a press the same way', async () => {
      const { service, store, changes } = loginService('button');
      const { login } = await service.create({});
      store.failNextTransition = true;
      await expect(
        service.scan(login.token, ADA, ADA.id, Date.now(), UPDATE_ID),
      ).rejects.toThrow();
      await expect(
        service.scan(login.token, ADA, ADA.id, Date.now(), UPDATE_ID),
      ).resolves.toMatchObject({ result: 'scanned' });

      store.failNextTransition = true;
      const press = UPDATE_ID + 1;
      const confirm = { confirm: true } as const;
      await expect(
        service.decide(login.token, ADA, confirm, Date.now(), press),
      ).rejects.toThrow();
      await expect(
        service.decide(login.token, ADA, confirm, Date.now(), press),
      ).resolves.toBe('authenticated');
      // A later press is told the truth: it is done.
      await expect(
        service.decide(login.token, ADA, confirm, Date.now(), press + 1),
      ).resolves.toBe('already-authenticated');
      expect(changes.map((change) => change.status)).toEqual([
        'pending',
        'scanned',
        'authenticated',
      ]);
      store.onModuleDestroy();
    });
  });

  describe('a result that a push holds', () => {
    it('is not handed to a poll meanwhile, which hears "pending"; once released, a poll takes it', async () => {
      const { service, store } = loginService('off');
      const { login } = await service.create({});
      await service.scan(login.token, ADA, ADA.id);

      expect(await service.holdResult(login.token, 'push-1')).toBe('held');
      expect(await service.statusOf(login.token)).toEqual({
        status: 'pending',
      });
      // Only the holder lets go.
      await service.releaseResult(login.token, 'push-2');
      expect(await service.statusOf(login.token)).toEqual({
        status: 'pending',
      });
      await service.releaseResult(login.token, 'push-1');
      expect(await service.statusOf(login.token)).toMatchObject({
        status: 'authenticated',
        user: ADA,
      });
      // Taken: nothing left to hold, nothing left to poll.
      expect(await service.holdResult(login.token, 'push-3')).toBe('none');
      expect(await service.statusOf(login.token)).toBeUndefined();
      store.onModuleDestroy();
    });

    it('is taken by the acknowledgement of the push that holds it', async () => {
      const { service, store } = loginService('off');
      const { login } = await service.create({});
      await service.scan(login.token, ADA, ADA.id);
      await service.holdResult(login.token, 'push-1');
      expect(await service.forgetResult(login.token)).toBe(true);
      expect(await service.statusOf(login.token)).toBeUndefined();
      store.onModuleDestroy();
    });

    it('cannot be held before the login is authenticated', async () => {
      const { service, store } = loginService('button');
      const { login } = await service.create({});
      await service.scan(login.token, ADA, ADA.id);
      expect(await service.holdResult(login.token, 'push-1')).toBe('none');
      store.onModuleDestroy();
    });
  });
});
