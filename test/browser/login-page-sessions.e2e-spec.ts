import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import type {
  Browser,
  Request as PlaywrightRequest,
  Response,
  WebSocketRoute,
} from 'playwright-core';
import request from 'supertest';
import type { SessionEndReason } from '../../src/sessions/interfaces/index.js';
import { SessionService } from '../../src/sessions/session.service.js';
import type { RunningApp } from '../support/app.js';
import { me, postUpdate } from '../support/http.js';
import {
  newUser,
  startUpdate,
  type TestUser,
} from '../support/telegram-updates.js';
import { launchChromium } from './support/chromium.js';
import {
  LoginPageTab,
  type OpenOptions,
  type PageSession,
} from './support/login-page.js';
import { startServiceForPage } from './support/service.js';

const TIMEOUT = 60_000;
const BOT_USERNAME = 'test_login_bot';

/** What Chromium logs for an answer the test expects to be an error (a refused refresh, a log-out that cannot reach the server). */
const expectedHttpError = (error: string) =>
  /Failed to load resource: the server responded with a status of 401/.test(
    error,
  ) || /Failed to load resource: net::ERR_CONNECTION_REFUSED/.test(error);

/** What Chromium logs when the test blocks a websocket. */
const blockedByTheTest = (error: string) =>
  /WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/socket\.io\/.*' failed/.test(
    error,
  );

interface Claims {
  sid: string;
  iat: number;
  exp: number;
}

function claimsOf(accessToken: string): Claims {
  return JSON.parse(
    Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8'),
  ) as Claims;
}

const isRefresh = (response: Response) =>
  new URL(response.url()).pathname === '/auth/refresh' &&
  response.request().method() === 'POST';

describe('The login page keeps its session (Chromium)', () => {
  let browser: Browser;
  /** Access tokens of the default ten minutes. */
  let service: RunningApp;
  /** Access tokens of four seconds: the page refreshes every second and a half. */
  let shortLived: RunningApp;
  const tabs: LoginPageTab[] = [];

  const openTab = async (url: string, options?: OpenOptions) => {
    const tab = await LoginPageTab.open(browser, url, options);
    tabs.push(tab);
    return tab;
  };

  /** Logs the tab in as `user` through the webhook; resolves once the session's socket is connected. */
  const logIn = async (
    tab: LoginPageTab,
    url: string,
    user: TestUser = newUser({ first_name: 'Ada' }),
  ): Promise<PageSession> => {
    await tab.goto();
    await tab.waitForTransport('socket');
    await postUpdate(url, startUpdate(await tab.token(), user)).expect(200);
    await tab.waitForState('authenticated');
    await tab.waitForTransport('socket');
    const stored = await tab.storedSession();
    if (!stored) throw new Error('the page kept no session');
    return stored;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    service = await startServiceForPage({ BOT_USERNAME });
    shortLived = await startServiceForPage({
      BOT_USERNAME,
      JWT_TTL_SECONDS: '4',
    });
  });

  afterEach(async () => {
    await Promise.all(tabs.splice(0).map((tab) => tab.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await shortLived?.close();
  });

  describe('Log out', () => {
    it(
      'ends the session on the server (its tokens are refused), forgets it and offers a new QR code',
      async () => {
        const tab = await openTab(service.url);
        const stored = await logIn(tab, service.url);
        expect(stored.refreshToken).toMatch(/^[\w-]+\.0\.[\w-]+$/);
        await me(service.url, stored.accessToken).expect(200);

        const logout = tab.page.waitForResponse(
          (response) => new URL(response.url()).pathname === '/auth/logout',
        );
        await tab.page.getByRole('button', { name: 'Log out' }).click();
        const response = await logout;
        expect(response.status()).toBe(204);
        expect(response.request().method()).toBe('POST');
        expect(response.request().headers().authorization).toBe(
          `Bearer ${stored.accessToken}`,
        );
        await tab.waitForState('pending');

        await me(service.url, stored.accessToken).expect(401);
        await request(service.url)
          .post('/auth/refresh')
          .send({ refreshToken: stored.refreshToken })
          .expect(401);
        expect(await tab.status()).toBe(
          'Logged out. Scan the new QR code to log in again',
        );
        expect(await tab.readQr()).toBe(await tab.deepLink());
        expect(await tab.storageLength()).toBe(0);
        // Its own end is no news to the page: it shows no "You were logged out".
        expect(await tab.page.locator('#problem').isVisible()).toBe(false);
        expect(tab.errors).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'forgets the session even when the server cannot be reached, and says it goes on there',
      async () => {
        const tab = await openTab(service.url);
        const stored = await logIn(tab, service.url);
        await tab.page.route('**/auth/logout', (route) =>
          route.abort('connectionrefused'),
        );

        await tab.page.getByRole('button', { name: 'Log out' }).click();
        await tab.waitForState('ended');

        expect(await tab.page.locator('#problem-heading').innerText()).toBe(
          'Logged out in this browser only',
        );
        expect(await tab.page.locator('#problem-text').innerText()).toMatch(
          /could not be reached to end it, so it stays valid there until it expires/,
        );
        expect(await tab.status()).toBe('Logged out in this browser only');
        expect(await tab.storageLength()).toBe(0);
        expect(await tab.focusedId()).toBe('retry');
        // What the page said: the session goes on at the server.
        await me(service.url, stored.accessToken).expect(200);

        await tab.page.getByRole('button', { name: 'Log in again' }).click();
        await tab.waitForState('pending');
        expect(await tab.readQr()).toBe(await tab.deepLink());
        expect(tab.errors.filter((error) => !expectedHttpError(error))).toEqual(
          [],
        );
      },
      TIMEOUT,
    );
  });

  describe('A session ended elsewhere', () => {
    it(
      'shows "You were logged out" at once, without a reload, announced with its reason, and "Log in again" starts a new QR code',
      async () => {
        const tab = await openTab(service.url);
        const stored = await logIn(tab, service.url);

        await service.app
          .get(SessionService)
          .end(claimsOf(stored.accessToken).sid, 'ended-in-telegram');
        await tab.waitForState('ended');

        expect(await tab.page.locator('#problem-heading').innerText()).toBe(
          'You were logged out',
        );
        expect(await tab.page.locator('#problem-text').innerText()).toBe(
          'You ended this session in Telegram.',
        );
        const status = tab.page.getByRole('status');
        expect(await status.innerText()).toBe(
          'You were logged out. You ended this session in Telegram.',
        );
        expect(await status.getAttribute('aria-live')).toBe('polite');
        expect(await tab.focusedId()).toBe('retry');
        expect(await tab.page.locator('#user').isVisible()).toBe(false);
        // Without a reload: the page was loaded once.
        expect(
          tab.requests.filter((sent) => new URL(sent.url()).pathname === '/'),
        ).toHaveLength(1);
        expect(await tab.storageLength()).toBe(0);
        expect(await tab.transport()).toBe('none');
        await tab.screenshot('session-ended');

        const tokens = tab.requestsTo('/auth/token').length;
        await tab.page.getByRole('button', { name: 'Log in again' }).click();
        await tab.waitForState('pending');
        expect(tab.requestsTo('/auth/token')).toHaveLength(tokens + 1);
        expect(await tab.readQr()).toBe(await tab.deepLink());
        expect(await tab.status()).toBe('Waiting for you to scan the QR code');
        expect(await tab.focusedId()).toBe('login-heading');
        expect(tab.errors).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'ended from another browser of the same person (DELETE /auth/sessions/:sid): that one stays logged in',
      async () => {
        const ada = newUser({ first_name: 'Ada' });
        const here = await openTab(service.url);
        const there = await openTab(service.url);
        const ours = await logIn(here, service.url, ada);
        const theirs = await logIn(there, service.url, ada);

        await request(service.url)
          .delete(`/auth/sessions/${claimsOf(ours.accessToken).sid}`)
          .set('Authorization', `Bearer ${theirs.accessToken}`)
          .expect(204);
        await here.waitForState('ended');

        expect(await here.page.locator('#problem-text').innerText()).toBe(
          'You ended this session from another browser.',
        );
        expect(await there.state()).toBe('authenticated');
        await me(service.url, theirs.accessToken).expect(200);
        await me(service.url, ours.accessToken).expect(401);
        expect(here.errors).toEqual([]);
        expect(there.errors).toEqual([]);
      },
      TIMEOUT,
    );

    it.each<[string, string]>([
      ['logged-out', 'You logged out.'],
      [
        'refresh-token-reused',
        'Your session was ended because its refresh token was used twice (someone may have copied it).',
      ],
      ['logged-out-of-site', 'You logged out of the site.'],
      ['ended-by-site', 'The site ended your session.'],
      ['ended-by-something-new', 'Your session has ended.'],
    ])(
      'says why: %s → "%s"',
      async (reason, words) => {
        const tab = await openTab(service.url);
        const stored = await logIn(tab, service.url);

        await service.app
          .get(SessionService)
          .end(claimsOf(stored.accessToken).sid, reason as SessionEndReason);
        await tab.waitForState('ended');

        expect(await tab.page.locator('#problem-text').innerText()).toBe(words);
        expect(await tab.status()).toBe(`You were logged out. ${words}`);
        expect(tab.errors).toEqual([]);
      },
      TIMEOUT,
    );
  });

  describe('Refresh', () => {
    it(
      'replaces both tokens before the access token expires, one refresh at a time, and stays logged in past the first one',
      async () => {
        const tab = await openTab(shortLived.url);
        const refreshes: {
          sent: string;
          status: number;
          body: Promise<PageSession>;
        }[] = [];
        tab.page.on('response', (response) => {
          if (!isRefresh(response)) return;
          const { refreshToken } = response.request().postDataJSON() as {
            refreshToken: string;
          };
          refreshes.push({
            sent: refreshToken,
            status: response.status(),
            body: response.json() as Promise<PageSession>,
          });
        });
        // Refreshes on their way at once, and the most there ever were.
        let inFlight = 0;
        let mostInFlight = 0;
        const isRefreshRequest = (sent: PlaywrightRequest) =>
          new URL(sent.url()).pathname === '/auth/refresh';
        tab.page.on('request', (sent) => {
          if (isRefreshRequest(sent))
            mostInFlight = Math.max(mostInFlight, ++inFlight);
        });
        const settled = (sent: PlaywrightRequest) => {
          if (isRefreshRequest(sent)) inFlight--;
        };
        tab.page.on('requestfinished', settled);
        tab.page.on('requestfailed', settled);
        const first = await logIn(tab, shortLived.url);
        const firstClaims = claimsOf(first.accessToken);
        expect(firstClaims.exp - firstClaims.iat).toBe(4);

        const response = await tab.page.waitForResponse(isRefresh);
        expect(response.request().headers()['content-type']).toBe(
          'application/json',
        );
        expect(response.request().postDataJSON()).toEqual({
          refreshToken: first.refreshToken,
        });
        // Waits for refreshes (not the clock) until the first access token has expired.
        while (Date.now() <= firstClaims.exp * 1000 + 1000)
          await tab.page.waitForResponse(isRefresh);

        expect(await tab.state()).toBe('authenticated');
        await me(shortLived.url, first.accessToken).expect(401);
        const current = await tab.storedSession();
        expect(current?.accessToken).not.toBe(first.accessToken);
        await me(shortLived.url, current?.accessToken).expect(200);

        // Each refresh spent the token the one before brought, once that had come back.
        expect(refreshes.length).toBeGreaterThanOrEqual(2);
        expect(refreshes.every(({ status }) => status === 200)).toBe(true);
        const bodies = await Promise.all(refreshes.map(({ body }) => body));
        expect(refreshes.map(({ sent }) => sent)).toEqual([
          first.refreshToken,
          ...bodies.slice(0, -1).map(({ refreshToken }) => refreshToken),
        ]);
        expect(mostInFlight).toBe(1);
        // The socket is still the session's, and still hears its end.
        await shortLived.app
          .get(SessionService)
          .end(firstClaims.sid, 'ended-in-telegram');
        await tab.waitForState('ended');
        expect(await tab.page.locator('#problem-text').innerText()).toBe(
          'You ended this session in Telegram.',
        );
        expect(tab.errors).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'shows the session ended when the refresh is refused (401), even with no socket to say so',
      async () => {
        let blocked = false;
        const tab = await openTab(shortLived.url, {
          blockWebSockets: () => blocked,
        });
        await tab.goto();
        await tab.waitForTransport('socket');
        // The login's socket is open already; the session's cannot connect.
        blocked = true;
        await postUpdate(
          shortLived.url,
          startUpdate(await tab.token(), newUser()),
        ).expect(200);
        await tab.waitForState('authenticated');
        const stored = await tab.storedSession();
        if (!stored) throw new Error('the page kept no session');

        // Ended where the page cannot hear it: only the next refresh can tell.
        const refused = tab.page.waitForResponse(
          (response) => isRefresh(response) && response.status() === 401,
        );
        await shortLived.app
          .get(SessionService)
          .end(claimsOf(stored.accessToken).sid, 'ended-by-site');
        await refused;
        await tab.waitForState('ended');

        expect(await tab.page.locator('#problem-heading').innerText()).toBe(
          'You were logged out',
        );
        expect(await tab.page.locator('#problem-text').innerText()).toBe(
          'Your session has ended.',
        );
        expect(await tab.storageLength()).toBe(0);
        expect(
          tab.errors.filter(
            (error) => !expectedHttpError(error) && !blockedByTheTest(error),
          ),
        ).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'a refresh token used by someone else too ends the session, and the page says so',
      async () => {
        const tab = await openTab(shortLived.url);
        const stored = await logIn(tab, shortLived.url);

        // Someone who copied the page's tokens refreshes first; the page then presents a spent one.
        await request(shortLived.url)
          .post('/auth/refresh')
          .send({ refreshToken: stored.refreshToken });
        await tab.waitForState('ended');

        expect(await tab.page.locator('#problem-text').innerText()).toBe(
          'Your session was ended because its refresh token was used twice (someone may have copied it).',
        );
        await me(shortLived.url, stored.accessToken).expect(401);
        expect(tab.errors.filter((error) => !expectedHttpError(error))).toEqual(
          [],
        );
      },
      TIMEOUT,
    );
  });

  describe('The session socket', () => {
    /** Routes the tab's websockets through the test, which may rewrite what the page sends. */
    const throughTheTest = async (
      tab: LoginPageTab,
      rewrite: (message: string) => string = (message) => message,
    ): Promise<WebSocketRoute[]> => {
      const routes: WebSocketRoute[] = [];
      await tab.context.routeWebSocket(
        (url) => url.pathname.startsWith('/socket.io/'),
        (route) => {
          routes.push(route);
          const server = route.connectToServer();
          route.onMessage((message) =>
            server.send(
              typeof message === 'string' ? rewrite(message) : message,
            ),
          );
        },
      );
      return routes;
    };

    it(
      'turned away as "Session not active", checks with a refresh and connects again with the new token',
      async () => {
        const tab = await openTab(service.url);
        let refusedToken: string | undefined;
        // The first connection to /sessions carries a token the server refuses (as an expired one is).
        await throughTheTest(tab, (message) => {
          if (refusedToken || !message.startsWith('40/sessions,'))
            return message;
          refusedToken = (
            JSON.parse(message.slice('40/sessions,'.length)) as {
              accessToken: string;
            }
          ).accessToken;
          return '40/sessions,{"accessToken":"expired"}';
        });
        const refreshed = tab.page.waitForResponse(
          (response) => isRefresh(response) && response.status() === 200,
        );
        // Resolves once connected again, after the refusal.
        const current = await logIn(tab, service.url);
        await refreshed;

        expect(
          tab.framesReceived.some(({ payload }) =>
            payload.startsWith('44/sessions,{"message":"Session not active"'),
          ),
        ).toBe(true);
        // What reached the server: the spoiled token, then the refreshed one.
        expect(tab.sessionSocketTokens()).toEqual([
          'expired',
          current.accessToken,
        ]);
        if (!refusedToken)
          throw new Error('the page never asked for /sessions');
        expect(current.accessToken).not.toBe(refusedToken);
        expect(claimsOf(current.accessToken).sid).toBe(
          claimsOf(refusedToken).sid,
        );
        expect(await tab.state()).toBe('authenticated');

        await service.app
          .get(SessionService)
          .end(claimsOf(current.accessToken).sid, 'ended-in-telegram');
        await tab.waitForState('ended');
        expect(await tab.page.locator('#problem-text').innerText()).toBe(
          'You ended this session in Telegram.',
        );
        expect(tab.errors).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'reconnects after a dropped connection with the access token of the moment, not the first one',
      async () => {
        const tab = await openTab(shortLived.url);
        const routes = await throughTheTest(tab);
        const first = await logIn(tab, shortLived.url);
        const { exp, sid } = claimsOf(first.accessToken);
        while (Date.now() <= exp * 1000 + 1000)
          await tab.page.waitForResponse(isRefresh);

        const sessionRoute = routes[routes.length - 1];
        await sessionRoute.close({ code: 1001, reason: 'dropped by the test' });
        await tab.waitForTransport('none');
        await tab.waitForTransport('socket');

        const tokens = tab.sessionSocketTokens();
        expect(tokens).toHaveLength(2);
        expect(tokens[0]).toBe(first.accessToken);
        expect(claimsOf(tokens[1]).iat).toBeGreaterThan(exp - 4);
        // Accepted at once: no refusal of an expired token on the way.
        expect(
          tab.framesReceived.filter(({ payload }) =>
            payload.startsWith('44/sessions,'),
          ),
        ).toEqual([]);

        await shortLived.app.get(SessionService).end(sid, 'ended-in-telegram');
        await tab.waitForState('ended');
        expect(await tab.page.locator('#problem-text').innerText()).toBe(
          'You ended this session in Telegram.',
        );
        expect(tab.errors.filter((error) => !blockedByTheTest(error))).toEqual(
          [],
        );
      },
      TIMEOUT,
    );
  });
});
