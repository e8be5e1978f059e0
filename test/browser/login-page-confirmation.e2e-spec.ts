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
import {
  callbackUpdate,
  newUser,
  startUpdate,
} from '../support/telegram-updates.js';
import { launchChromium } from './support/chromium.js';
import { LoginPageTab } from './support/login-page.js';
import { startServiceForPage } from './support/service.js';

const TIMEOUT = 60_000;

describe('The login page with confirmation on the phone', () => {
  let browser: Browser;
  let service: RunningApp | undefined;
  const tabs: LoginPageTab[] = [];

  const boot = async (mode: 'button' | 'code') => {
    service = await startServiceForPage({
      BOT_USERNAME: 'test_login_bot',
      LOGIN_CONFIRMATION: mode,
    });
    return service.url;
  };

  const openTab = async (url: string) => {
    const tab = await LoginPageTab.open(browser, url);
    tabs.push(tab);
    await tab.goto();
    await tab.waitForTransport('socket');
    return tab;
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

  describe('LOGIN_CONFIRMATION=button', () => {
    it(
      'says "Confirm in Telegram, Ada" once scanned, and shows the user after Confirm',
      async () => {
        const url = await boot('button');
        const tab = await openTab(url);
        const token = await tab.token();
        const ada = newUser({
          first_name: 'Ada',
          last_name: 'Lovelace',
          username: 'ada',
        });
        expect(await tab.page.locator('#match').isVisible()).toBe(false);

        await postUpdate(url, startUpdate(token, ada)).expect(200);
        await tab.waitForState('scanned');
        expect(await tab.status()).toBe('Confirm in Telegram, Ada');
        // The code is done with: it is covered, not offered for another scan.
        expect(await tab.page.locator('.qr-scanned-mark').isVisible()).toBe(
          true,
        );
        expect(await tab.page.getByRole('listitem').last().innerText()).toBe(
          'Tap Confirm in the chat with the bot',
        );
        await tab.screenshot('scanned');

        await postUpdate(url, callbackUpdate(`confirm:${token}`, ada)).expect(
          200,
        );
        await tab.waitForState('authenticated');
        expect(await tab.page.locator('#user-heading').innerText()).toBe(
          'Ada Lovelace',
        );
        expect(tab.errors).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'shows the denied message after Deny, with "Try again" for a new code',
      async () => {
        const url = await boot('button');
        const tab = await openTab(url);
        const token = await tab.token();
        const ada = newUser({ first_name: 'Ada' });

        await postUpdate(url, startUpdate(token, ada)).expect(200);
        await tab.waitForState('scanned');
        await postUpdate(url, callbackUpdate(`deny:${token}`, ada)).expect(200);
        await tab.waitForState('denied');

        expect(await tab.status()).toBe('Login denied');
        expect(await tab.page.locator('#problem-text').innerText()).toMatch(
          /denied in Telegram/,
        );
        const tryAgain = tab.page.getByRole('button', { name: 'Try again' });
        expect(await tryAgain.isVisible()).toBe(true);
        expect(await tab.focusedId()).toBe('retry');
        expect(await tab.page.locator('#qr').isVisible()).toBe(false);
        await tab.screenshot('denied');

        // Nothing is left running while the page waits for the person.
        expect(tab.websockets.every((socket) => socket.isClosed())).toBe(true);
        const before = tab.requests.length;
        await tab.page.waitForTimeout(3500);
        expect(
          tab.requests.slice(before).map((request) => request.url()),
        ).toEqual([]);

        await tryAgain.click();
        await tab.waitForState('pending');
        expect(await tab.token()).not.toBe(token);
        expect(await tab.readQr()).toBe(await tab.deepLink());
        expect(tab.errors).toEqual([]);
      },
      TIMEOUT,
    );
  });

  describe('LOGIN_CONFIRMATION=code', () => {
    it(
      'says a number will come, shows it once, big, after the scan, and logs in after the right pick',
      async () => {
        const url = await boot('code');
        const tab = await openTab(url);
        const token = await tab.token();
        const [tokenResponse] = tab.requestsTo('/auth/token');
        const { matchCode } =
          (await (await tokenResponse.response())!.json()) as {
            matchCode: string;
          };
        expect(matchCode).toMatch(/^[1-9]\d$/);

        // Before the scan the number means nothing yet: step 3 says one will come.
        expect(await tab.page.locator('#match').isVisible()).toBe(false);
        expect(await tab.page.getByRole('listitem').last().innerText()).toBe(
          'Tap Start in the chat with the bot, then pick the number this page shows',
        );
        expect(await tab.page.locator('body').innerText()).not.toContain(
          `Pick ${matchCode}`,
        );

        const ada = newUser({ first_name: 'Ada' });
        await postUpdate(url, startUpdate(token, ada)).expect(200);
        await tab.waitForState('scanned');
        expect(
          (await tab.page.locator('#match').innerText())
            .replace(/\s+/g, ' ')
            .trim(),
        ).toBe(`Pick ${matchCode} in Telegram`);
        const codeSize = await tab.page.locator('#match-code').evaluate(
          (element) =>
            (
              globalThis as unknown as {
                getComputedStyle(e: unknown): { fontSize: string };
              }
            ).getComputedStyle(element).fontSize,
        );
        expect(parseFloat(codeSize)).toBeGreaterThanOrEqual(40);
        // Shown once: the status and the step do not repeat it; screen readers hear it in the status.
        expect(await tab.status()).toBe('Confirm in Telegram, Ada');
        expect(await tab.spokenStatus()).toBe(
          `Confirm in Telegram, Ada: pick ${matchCode}`,
        );
        expect(await tab.page.getByRole('listitem').last().innerText()).toBe(
          'Pick the same number in the chat with the bot',
        );
        // A step still to take: not in success green, and Open in Telegram is no longer the main button.
        expect(
          await tab.page.locator('#status').getAttribute('data-tone'),
        ).toBe('info');
        expect(
          await tab.page.locator('#open-telegram').getAttribute('class'),
        ).not.toContain('button-primary');
        await tab.screenshot('code-scanned');

        await postUpdate(
          url,
          callbackUpdate(`pick:${matchCode}:${token}`, ada),
        ).expect(200);
        await tab.waitForState('authenticated');
        expect(tab.errors).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      'shows the denied message after a wrong pick',
      async () => {
        const url = await boot('code');
        const tab = await openTab(url);
        const token = await tab.token();
        const shown = await tab.page.locator('#match-code').innerText();
        const wrong = shown === '10' ? '11' : '10';
        const ada = newUser({ first_name: 'Ada' });

        await postUpdate(url, startUpdate(token, ada)).expect(200);
        await tab.waitForState('scanned');
        await postUpdate(
          url,
          callbackUpdate(`pick:${wrong}:${token}`, ada),
        ).expect(200);
        await tab.waitForState('denied');
        expect(await tab.status()).toBe('Login denied');
        expect(tab.errors).toEqual([]);
      },
      TIMEOUT,
    );
  });
});
