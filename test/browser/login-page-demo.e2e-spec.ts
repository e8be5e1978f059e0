import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import type { RunningApp } from '../support/app.js';
import { launchChromium } from './support/chromium.js';
import { LoginPageTab } from './support/login-page.js';
import { startServiceForPage } from './support/service.js';

const SIMULATE = fileURLToPath(
  new URL('../../scripts/simulate.mjs', import.meta.url),
);
const COMMAND =
  /^npm run simulate -- '(https:\/\/demo\.invalid\/\?start=[A-Za-z0-9_-]{43})'$/;
const BANNER_TEXT =
  "Demo mode: no Telegram bot is connected. Complete the login from the project's folder with:";
const TIMEOUT = 30_000;

/** Every link on the page a person could follow, wherever it points. */
const followableLinks = (tab: LoginPageTab) =>
  tab.page
    .locator('a[href]:visible')
    .evaluateAll((links) =>
      links.map((link) => (link as unknown as { href: string }).href),
    );

describe('The login page in demo mode and with a bot', () => {
  let browser: Browser;
  let demo: RunningApp;
  let withBot: RunningApp;
  const tabs: LoginPageTab[] = [];

  const openTab = async (service: RunningApp) => {
    const tab = await LoginPageTab.open(browser, service.url);
    tabs.push(tab);
    await tab.goto();
    return tab;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    // BOT_USERNAME without BOT_TOKEN is still demo mode: no bot would answer that name.
    demo = await startServiceForPage(
      { BOT_USERNAME: 'test_login_bot' },
      { demoMode: true },
    );
    withBot = await startServiceForPage({ BOT_USERNAME: 'test_login_bot' });
  });

  afterEach(async () => {
    await Promise.all(tabs.splice(0).map((tab) => tab.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await withBot?.close();
  });

  it(
    'in demo mode says so, offers no link to Telegram, and the command it shows completes the login',
    async () => {
      const tab = await openTab(demo);
      await tab.waitForTransport('socket');

      const banner = tab.page.getByRole('note');
      expect(await banner.isVisible()).toBe(true);
      expect(await banner.locator('p').innerText()).toBe(BANNER_TEXT);
      const command = await banner.locator('code').innerText();
      const [, deepLink] = COMMAND.exec(command) ?? [];
      expect(deepLink).toBeDefined();
      expect(await tab.readQr()).toBe(deepLink);
      expect(
        await tab.page.getByRole('link', { name: 'Open in Telegram' }).count(),
      ).toBe(0);
      expect(await followableLinks(tab)).toEqual([]);
      expect(await tab.page.locator('main').innerText()).not.toContain('t.me');
      await tab.screenshot('demo');

      // What a person does with the banner: paste the command (here without npm) and watch the page.
      await promisify(execFile)(
        process.execPath,
        [SIMULATE, deepLink, '--url', demo.url, '--first-name', 'Ada'],
        { cwd: tmpdir(), env: { PATH: process.env.PATH } },
      );
      await tab.waitForState('authenticated');
      expect(await tab.page.locator('#user-heading').innerText()).toBe('Ada');
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'with a bot shows no demo banner, and "Open in Telegram" opens the bot',
    async () => {
      const tab = await openTab(withBot);

      expect(await tab.page.getByRole('note').count()).toBe(0);
      expect(await tab.page.locator('main').innerText()).not.toContain('Demo');
      const deepLink = await tab.deepLink();
      expect(deepLink).toMatch(
        /^https:\/\/t\.me\/test_login_bot\?start=[A-Za-z0-9_-]{43}$/,
      );
      expect(await tab.readQr()).toBe(deepLink);
      // The button only: the link is copied with Copy link, not written out.
      expect(await followableLinks(tab)).toEqual([deepLink]);
      expect(
        await tab.page.getByRole('button', { name: 'Copy link' }).isVisible(),
      ).toBe(true);
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );
});
