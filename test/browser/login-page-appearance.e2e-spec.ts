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

const TIMEOUT = 60_000;
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

interface ContrastPair {
  what: string;
  ratio: number;
}

/**
 * WCAG contrast of the page's text against what is behind it, measured from
 * the computed colours. Runs in the page; the tests have no DOM types.
 */
function measureContrast(): ContrastPair[] {
  const { document, getComputedStyle } = globalThis as any;
  const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = ([r, g, b]: number[]) =>
    [r, g, b]
      .map((channel) => channel / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (element: any): number[] => {
    for (let node = element; node; node = node.parentElement) {
      const color = rgb(getComputedStyle(node).backgroundColor);
      if (color.length === 3 || color[3] !== 0) return color.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const ratio = (element: any) => {
    const [a, b] = [
      luminance(rgb(getComputedStyle(element).color)),
      luminance(background(element)),
    ].sort((x, y) => y - x);
    return Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100;
  };
  const checks: [string, string][] = [
    ['heading', 'h1'],
    ['status', '#status'],
    ['step', '.steps li span'],
    ['countdown', '#countdown-text'],
    ['button', '#open-telegram'],
    ['copy button', '#copy-link'],
    ['site name', '#site-name'],
    ['footer', '#transport'],
  ];
  return checks.map(([what, selector]) => ({
    what,
    ratio: ratio(document.querySelector(selector)),
  }));
}

describe('The login page on phones, desktops and in dark mode', () => {
  let browser: Browser;
  let service: RunningApp;
  const tabs: LoginPageTab[] = [];

  const openTab = async (
    options: Parameters<typeof LoginPageTab.open>[2] = {},
  ) => {
    const tab = await LoginPageTab.open(browser, service.url, options);
    tabs.push(tab);
    await tab.goto();
    await tab.waitForTransport('socket');
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

  it.each(['light', 'dark'] as const)(
    'keeps text readable (WCAG AA contrast, 4.5:1) in the %s scheme',
    async (colorScheme) => {
      const tab = await openTab({ colorScheme });
      const pairs = await tab.page.evaluate(measureContrast);
      expect(pairs.filter((pair) => pair.ratio < 4.5)).toEqual([]);
      expect(pairs).toHaveLength(8);
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'follows the dark scheme on a phone, without sideways scrolling, and the QR code still reads',
    async () => {
      const tab = await openTab({ ...PHONE, colorScheme: 'dark' });

      const layout = await tab.page.evaluate(() => {
        const { document, getComputedStyle, innerWidth } = globalThis as any;
        const box = document.querySelector('#qr-box').getBoundingClientRect();
        const button = document
          .querySelector('#open-telegram')
          .getBoundingClientRect();
        return {
          scrollWidth: document.documentElement.scrollWidth as number,
          innerWidth: innerWidth as number,
          qrLeft: box.left as number,
          qrRight: box.right as number,
          qrWidth: box.width as number,
          buttonHeight: button.height as number,
          background: getComputedStyle(document.body).backgroundColor as string,
          qrPaper: getComputedStyle(document.querySelector('#qr-box'))
            .backgroundColor as string,
        };
      });
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.qrLeft).toBeGreaterThanOrEqual(0);
      expect(layout.qrRight).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.qrWidth).toBeGreaterThanOrEqual(200);
      expect(layout.buttonHeight).toBeGreaterThanOrEqual(44); // a comfortable touch target
      expect(layout.background).toBe('rgb(14, 22, 33)');
      // Cameras read dark modules on light paper: the code keeps its white background.
      expect(layout.qrPaper).toBe('rgb(255, 255, 255)');
      expect(await tab.readQr()).toBe(await tab.deepLink());
      await tab.screenshot('phone-dark-waiting');

      await postUpdate(
        service.url,
        startUpdate(
          await tab.token(),
          newUser({
            first_name: 'Ada',
            last_name: 'Lovelace',
            username: 'ada',
          }),
        ),
      ).expect(200);
      await tab.waitForState('authenticated');
      expect(
        await tab.page.evaluate(
          () => (globalThis as any).document.documentElement.scrollWidth,
        ),
      ).toBeLessThanOrEqual(390);
      await tab.screenshot('phone-dark-logged-in');
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'gives screen readers a named QR image, a status region, a timer and Copy link; Tab reaches the button first',
    async () => {
      const tab = await openTab();
      const tree = await tab.page.locator('main').ariaSnapshot();

      expect(tree).toContain('heading "Log in with Telegram" [level=1]');
      expect(tree).toContain('status: Waiting for you to scan the QR code');
      expect(tree).toContain(
        'img "QR code to log in with Telegram; the Open in Telegram button opens the same login"',
      );
      expect(tree).toMatch(
        /timer "The QR code expires in (5 minutes|4 minutes \d+ seconds)"/,
      );
      expect(tree).toContain('link "Open in Telegram"');
      expect(tree).toContain('button "Copy link"');
      expect(await tab.page.locator('#status').getAttribute('aria-live')).toBe(
        'polite',
      );

      await tab.page.keyboard.press('Tab');
      expect(await tab.focusedId()).toBe('open-telegram');
      await tab.page.keyboard.press('Tab');
      expect(await tab.focusedId()).toBe('copy-link');
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );
});
