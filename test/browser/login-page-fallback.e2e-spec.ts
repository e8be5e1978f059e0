import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import type { Browser } from 'playwright-core';
import type { RunningApp } from '../support/app.js';
import { postUpdate } from '../support/http.js';
import { newUser, startUpdate } from '../support/telegram-updates.js';
import { launchChromium } from './support/chromium.js';
import { LoginPageTab } from './support/login-page.js';
import { startServiceForPage } from './support/service.js';
import { PATIENCE_MS } from '../support/patience.js';

const TIMEOUT = 60_000;
const POLL = '/auth/poll/';

/** What Chromium itself logs when a websocket or a script cannot load: expected when a test blocks them. */
const blockedByTheTest = (error: string) =>
  /WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/socket\.io\/.*' failed/.test(
    error,
  ) || /Failed to load resource: net::ERR_FAILED/.test(error);

describe('The login page without a websocket', () => {
  let browser: Browser;
  let service: RunningApp;
  const tabs: LoginPageTab[] = [];

  const openTab = async (options: Parameters<typeof LoginPageTab.open>[2]) => {
    const tab = await LoginPageTab.open(browser, service.url, options);
    tabs.push(tab);
    return tab;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    service = await startServiceForPage({ BOT_USERNAME: 'test_login_bot' });
  });

  afterEach(async () => {
    await Promise.all(tabs.splice(0).map((tab) => tab.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it(
    'polls every 2-3 s with jitter and still completes the login, then stops polling',
    async () => {
      const tab = await openTab({ blockWebSockets: () => true });
      await tab.goto();
      await tab.waitForTransport('polling');
      expect((await tab.page.locator('#transport').innerText()).trim()).toBe(
        'Checks for updates every few seconds',
      );
      await tab.waitForRequests(POLL, 4, 15_000);

      const times = tab.timesOf(POLL);
      const intervals = times
        .slice(1)
        .map((time, index) => time - times[index]);
      for (const interval of intervals) {
        // Timers never fire early; a busy machine may fire them late, hence the margin above 3 s.
        expect(interval).toBeGreaterThanOrEqual(1900);
        expect(interval).toBeLessThanOrEqual(4500);
      }
      // Jitter: the page does not poll like a metronome (in step with every other page).
      expect(Math.max(...intervals) - Math.min(...intervals)).toBeGreaterThan(
        10,
      );
      await tab.screenshot('polling');

      const user = newUser({ first_name: 'Ada', last_name: 'Lovelace' });
      const pollsBefore = tab.requestsTo(POLL).length;
      await postUpdate(
        service.url,
        startUpdate(await tab.token(), user),
      ).expect(200);
      await tab.waitForState('authenticated');
      // The next poll brings it (one more may have been in flight already).
      expect(tab.requestsTo(POLL).length - pollsBefore).toBeLessThanOrEqual(2);
      expect(await tab.page.locator('#user-heading').innerText()).toBe(
        'Ada Lovelace',
      );

      // Logged in: no more polls, and the session's socket (which tells the page if the
      // session ends) tries again with backoff, not in a loop: attempts at 0, ~1 and ~3 s.
      const after = tab.requests.length;
      const socketsAfter = tab.websockets.length;
      await tab.page.waitForTimeout(3500);
      expect(tab.requests.slice(after).map((request) => request.url())).toEqual(
        [],
      );
      expect(tab.websockets.length - socketsAfter).toBeLessThanOrEqual(3);
      expect(tab.errors.filter((error) => !blockedByTheTest(error))).toEqual(
        [],
      );
    },
    TIMEOUT,
  );

  it(
    'goes back to the socket when it can connect again, and stops polling',
    async () => {
      let blocked = true;
      const tab = await openTab({ blockWebSockets: () => blocked });
      await tab.goto();
      await tab.waitForTransport('polling');
      await tab.waitForRequests(POLL, 2);

      blocked = false;
      // Socket.IO retries with backoff (1 s doubling to 5 s, ±50%).
      await tab.waitForTransport('socket', 2 * PATIENCE_MS);
      const polls = tab.requestsTo(POLL).length;
      await tab.page.waitForTimeout(3500);
      expect(tab.requestsTo(POLL).length).toBe(polls);

      await postUpdate(
        service.url,
        startUpdate(await tab.token(), newUser()),
      ).expect(200);
      await tab.waitForState('authenticated');
      // Pushed over the socket: not a single poll more.
      expect(tab.requestsTo(POLL).length).toBe(polls);
      expect(tab.errors.filter((error) => !blockedByTheTest(error))).toEqual(
        [],
      );
    },
    TIMEOUT,
  );

  it(
    'completes by polling when the Socket.IO client script cannot load',
    async () => {
      const tab = await openTab({});
      await tab.page.route('**/socket.io/socket.io.js', (route) =>
        route.abort(),
      );
      await tab.goto();
      await tab.waitForTransport('polling');
      expect(tab.websockets).toEqual([]);

      await postUpdate(
        service.url,
        startUpdate(await tab.token(), newUser()),
      ).expect(200);
      await tab.waitForState('authenticated');
      expect(tab.errors.filter((error) => !blockedByTheTest(error))).toEqual(
        [],
      );
    },
    TIMEOUT,
  );
});
