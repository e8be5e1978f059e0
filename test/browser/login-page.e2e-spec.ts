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
import { LoginService } from '../../src/auth/login.service.js';
import { delay, eventually, postUpdate } from '../support/http.js';
import { newUser, startUpdate } from '../support/telegram-updates.js';
import { launchChromium } from './support/chromium.js';
import { LoginPageTab } from './support/login-page.js';
import { startServiceForPage } from './support/service.js';

const BOT_USERNAME = 'test_login_bot';
const DEEP_LINK = new RegExp(
  `^https://t\\.me/${BOT_USERNAME}\\?start=[A-Za-z0-9_-]{43}$`,
);
const TIMEOUT = 60_000;

describe('The login page in Chromium (LOGIN_CONFIRMATION off)', () => {
  let browser: Browser;
  let service: RunningApp;
  const tabs: LoginPageTab[] = [];

  const openTab = async (options?: Parameters<typeof LoginPageTab.open>[2]) => {
    const tab = await LoginPageTab.open(browser, service.url, options);
    tabs.push(tab);
    return tab;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    // With a bot (the fake Bot API plays it): the page as people see it in production.
    service = await startServiceForPage({ BOT_USERNAME });
  });

  afterEach(async () => {
    await Promise.all(tabs.splice(0).map((tab) => tab.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it(
    'shows a QR code that reads as the deep link, and the "Open in Telegram" button',
    async () => {
      const tab = await openTab();
      await tab.goto();

      const deepLink = await tab.deepLink();
      expect(deepLink).toMatch(DEEP_LINK);
      expect(await tab.readQr()).toBe(deepLink);
      // The link is no longer written out (it wrapped over three lines): Copy link copies it.
      expect(
        await tab.page.getByRole('button', { name: 'Copy link' }).isVisible(),
      ).toBe(true);
      expect(await tab.status()).toBe('Waiting for you to scan the QR code');
      expect(await tab.page.getByRole('timer').innerText()).toMatch(
        /^Expires in (5:00|4:5\d)$/,
      );
      expect(
        await tab.page.getByRole('heading', { level: 1 }).innerText(),
      ).toBe('Log in with Telegram');
      await tab.waitForTransport('socket');
      await tab.screenshot('waiting');
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'loads everything from the service itself, the Socket.IO client included (no CDN)',
    async () => {
      const tab = await openTab();
      await tab.goto();
      await tab.waitForTransport('socket');

      const origins = new Set(
        tab.requests.map((request) => new URL(request.url()).origin),
      );
      expect(
        [...origins].filter(
          (origin) => origin !== 'data:' && origin !== 'null',
        ),
      ).toEqual([service.url]);
      const script = tab.requestsTo('/socket.io/socket.io.js')[0];
      expect(script).toBeDefined();
      const response = await script.response();
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-type']).toMatch(/javascript/);
      expect(
        tab.websockets.map((socket) => new URL(socket.url()).pathname),
      ).toEqual(['/socket.io/']);
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'turns into the user card when /start arrives through the webhook, pushed over the socket',
    async () => {
      const tab = await openTab();
      await tab.goto();
      await tab.waitForTransport('socket');
      const user = newUser({
        first_name: 'Ada',
        last_name: 'Lovelace',
        username: 'ada',
      });

      const token = await tab.token();
      await postUpdate(service.url, startUpdate(token, user)).expect(200);
      await tab.waitForState('authenticated');
      // Pushed, not polled: how fast is the benchmarks' business (npm run bench).
      expect(tab.requestsTo('/auth/poll/')).toEqual([]);
      // The session's own socket, which tells the page if the session ends.
      await tab.waitForTransport('socket');
      // The page acknowledged the result, so the service no longer keeps it.
      const logins = service.app.get(LoginService);
      await eventually(async () =>
        expect(await logins.peek(token)).toBeUndefined(),
      );
      // The server has let the login's socket go; the page takes that as the end, not as a reason to poll or reconnect.
      const before = tab.requests.length;
      const socketsBefore = tab.websockets.length;
      await tab.page.waitForTimeout(3500);
      expect(
        tab.requests.slice(before).map((request) => request.url()),
      ).toEqual([]);
      expect(tab.websockets.length).toBe(socketsBefore);

      const card = tab.page.locator('#user');
      expect(await card.getByRole('heading', { level: 2 }).innerText()).toBe(
        'Ada Lovelace',
      );
      // Each fact once: the name is the heading, the username under it.
      expect(await card.locator('.fact').allInnerTexts()).toEqual([
        `Telegram ID\n${user.id}`,
      ]);
      expect(await card.locator('.user-username').innerText()).toBe('@ada');
      expect(
        await tab.page.getByRole('heading', { level: 1 }).innerText(),
      ).toBe('Logged in');
      expect(await tab.status()).toBe('Logged in as Ada Lovelace');
      // The QR code is gone and the keyboard focus is on the new content.
      expect(await tab.page.locator('#login').isVisible()).toBe(false);
      expect(await tab.focusedId()).toBe('user-heading');
      await tab.screenshot('logged-in');
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'shows only the fields Telegram sent',
    async () => {
      const tab = await openTab();
      await tab.goto();
      await tab.waitForTransport('socket');
      const user = newUser({
        first_name: 'Grace',
        last_name: undefined,
        username: undefined,
      });

      await postUpdate(
        service.url,
        startUpdate(await tab.token(), user),
      ).expect(200);
      await tab.waitForState('authenticated');

      const card = tab.page.locator('#user');
      expect(await card.getByRole('heading', { level: 2 }).innerText()).toBe(
        'Grace',
      );
      expect(await card.locator('.fact:visible').allInnerTexts()).toEqual([
        `Telegram ID\n${user.id}`,
      ]);
      expect(await card.locator('.user-username').isVisible()).toBe(false);
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "once logged in, closes the login's socket and polls nothing; only the session's socket stays open",
    async () => {
      const tab = await openTab();
      await tab.goto();
      await tab.waitForTransport('socket');

      await postUpdate(
        service.url,
        startUpdate(await tab.token(), newUser()),
      ).expect(200);
      await tab.waitForState('authenticated');
      await tab.waitForTransport('socket');
      const after = tab.requests.length;
      await delay(3500); // longer than the longest poll interval

      expect(tab.requests.slice(after).map((request) => request.url())).toEqual(
        [],
      );
      const open = tab.websockets.filter((socket) => !socket.isClosed());
      expect(open).toHaveLength(1);
      expect(tab.sessionWebSockets()).toEqual(open);
      expect(tab.websockets.length).toBe(2);
      expect(await tab.page.locator('#transport').innerText()).toBe(
        'Updates as soon as something happens',
      );
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'keeps the session across a reload (checked with GET /auth/me) and forgets it on log out',
    async () => {
      const tab = await openTab();
      await tab.goto();
      await tab.waitForTransport('socket');
      const firstToken = await tab.token();
      await postUpdate(
        service.url,
        startUpdate(firstToken, newUser({ first_name: 'Ada' })),
      ).expect(200);
      await tab.waitForState('authenticated');

      await tab.page.reload();
      await tab.waitForState('authenticated');
      // After a reload too, the page listens for the session's end.
      await tab.waitForTransport('socket');
      expect(tab.requestsTo('/auth/me').length).toBe(1);
      expect(tab.requestsTo('/auth/token').length).toBe(1);
      expect(await tab.page.locator('#user-heading').innerText()).toMatch(
        /^Ada/,
      );

      await tab.page.getByRole('button', { name: 'Log out' }).click();
      await tab.waitForState('pending');
      expect(await tab.token()).not.toBe(firstToken);
      expect(await tab.readQr()).toBe(await tab.deepLink());
      expect(await tab.status()).toBe(
        'Logged out. Scan the new QR code to log in again',
      );
      expect(await tab.storageLength()).toBe(0);
      expect(await tab.focusedId()).toBe('login-heading');

      await tab.page.reload();
      await tab.waitForState('pending');
      expect(tab.requestsTo('/auth/me').length).toBe(1);
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );
});
