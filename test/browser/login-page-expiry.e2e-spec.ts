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

describe('The login page when codes expire', () => {
  let browser: Browser;
  let service: RunningApp | undefined;
  const tabs: LoginPageTab[] = [];

  const openTab = async (env: Record<string, string>) => {
    service = await startServiceForPage({
      BOT_USERNAME: 'test_login_bot',
      ...env,
    });
    const tab = await LoginPageTab.open(browser, service.url);
    tabs.push(tab);
    await tab.goto();
    return { tab, url: service.url };
  };

  /** Resolves with the next token the page shows instead of `token`. */
  const nextToken = async (
    tab: LoginPageTab,
    token: string,
    timeout = PATIENCE_MS,
  ): Promise<string> => {
    const deadline = Date.now() + timeout;
    for (;;) {
      if ((await tab.state()) === 'pending') {
        const shown = await tab.token();
        if (shown !== token) return shown;
      }
      if (Date.now() > deadline) throw new Error('the page kept the old code');
      await tab.page.waitForTimeout(50);
    }
  };

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterEach(async () => {
    await Promise.all(tabs.splice(0).map((tab) => tab.close()));
    await service?.close();
    service = undefined;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'counts down and replaces the QR code shortly before it expires, leaving the old socket',
    async () => {
      const { tab } = await openTab({ TOKEN_TTL_SECONDS: '5' });
      const first = await tab.token();
      expect(await tab.page.getByRole('timer').innerText()).toMatch(
        /^Expires in 0:0[345]$/,
      );
      await tab.waitForTransport('socket');

      const second = await nextToken(tab, first);
      // Before the old code ran out, not after: asked for less than its lifetime after the first
      // (which was created after its own request, so expired later still).
      const [firstAsked, secondAsked] = tab.timesOf('/auth/token');
      expect(secondAsked - firstAsked).toBeLessThan(5000);
      expect(await tab.readQr()).toBe(
        `https://t.me/test_login_bot?start=${second}`,
      );
      expect(await tab.status()).toBe(
        'New QR code: the last one expired. Waiting for you to scan it',
      );
      await tab.waitForTransport('socket');
      expect(tab.websockets).toHaveLength(2);
      expect(tab.websockets[0].isClosed()).toBe(true);
      expect(tab.websockets[1].isClosed()).toBe(false);
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'after a few codes nobody scanned, says the code expired and offers a new one, then goes quiet',
    async () => {
      const { tab } = await openTab({ TOKEN_TTL_SECONDS: '1' });

      await tab.waitForState('expired', 2 * PATIENCE_MS);
      // The first code and three automatic replacements.
      expect(tab.requestsTo('/auth/token')).toHaveLength(4);
      expect(await tab.status()).toBe('This QR code has expired');
      const button = tab.page.getByRole('button', {
        name: 'Show a new QR code',
      });
      expect(await button.isVisible()).toBe(true);
      expect(await tab.focusedId()).toBe('retry');
      await tab.screenshot('expired');

      const before = tab.requests.length;
      await tab.page.waitForTimeout(3500);
      expect(
        tab.requests.slice(before).map((request) => request.url()),
      ).toEqual([]);
      expect(tab.websockets.every((socket) => socket.isClosed())).toBe(true);

      await button.click();
      await tab.waitForState('pending');
      // A fresh code was asked for. (Not compared with the QR here: at TOKEN_TTL_SECONDS=1 the
      // page may already be replacing it; the other tests check that the QR is the deep link.)
      expect(tab.requestsTo('/auth/token').length).toBeGreaterThanOrEqual(5);
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'does not ask for codes while the tab is in the background, and gets one when it comes back',
    async () => {
      service = await startServiceForPage({
        BOT_USERNAME: 'test_login_bot',
        // Seconds of margin to hide the tab before the first code is due for replacement.
        TOKEN_TTL_SECONDS: '4',
      });
      const tab = await LoginPageTab.open(browser, service.url);
      tabs.push(tab);
      // Headless Chromium is always "visible"; this stands in for switching tabs.
      await tab.page.addInitScript(() => {
        const page = globalThis as any;
        page.__hidden = false;
        Object.defineProperty(page.document, 'visibilityState', {
          get: () => (page.__hidden ? 'hidden' : 'visible'),
        });
        page.__setHidden = (hidden: boolean) => {
          page.__hidden = hidden;
          page.document.dispatchEvent(new page.Event('visibilitychange'));
        };
      });
      await tab.goto();
      await tab.page.evaluate(() => (globalThis as any).__setHidden(true));

      await tab.waitForState('expired');
      expect(tab.requestsTo('/auth/token')).toHaveLength(1);
      const before = tab.requests.length;
      await tab.page.waitForTimeout(3000);
      expect(
        tab.requests.slice(before).map((request) => request.url()),
      ).toEqual([]);

      await tab.page.evaluate(() => (globalThis as any).__setHidden(false));
      await tab.waitForState('pending');
      expect(tab.requestsTo('/auth/token')).toHaveLength(2);
      expect(await tab.readQr()).toBe(await tab.deepLink());
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'does not replace a code that was scanned and is being confirmed; says when it ran out',
    async () => {
      const { tab, url } = await openTab({
        // Seconds of margin for the scan to land before the expiry.
        TOKEN_TTL_SECONDS: '5',
        LOGIN_CONFIRMATION: 'button',
      });
      await tab.waitForTransport('socket');
      await postUpdate(
        url,
        startUpdate(await tab.token(), newUser({ first_name: 'Ada' })),
      ).expect(200);
      await tab.waitForState('scanned');

      await tab.waitForState('expired');
      expect(tab.requestsTo('/auth/token')).toHaveLength(1);
      expect(await tab.page.locator('#problem-text').innerText()).toMatch(
        /not confirmed in Telegram in time/,
      );
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );
});
