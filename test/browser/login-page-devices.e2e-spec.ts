import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { CapturingLogger } from '../support/app.js';
import { postUpdate } from '../support/http.js';
import {
  callbackUpdate,
  newUser,
  startUpdate,
} from '../support/telegram-updates.js';
import { launchChromium } from './support/chromium.js';
import { LOGO_PNG, PHOTO_JPEG } from './support/images.js';
import { LoginPageTab, type OpenOptions } from './support/login-page.js';
import { type PageService, startServiceForPage } from './support/service.js';

const TIMEOUT = 60_000;

/** A phone: a touch screen, so `(pointer: coarse)`. */
const PHONE: OpenOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

const DESKTOP: OpenOptions = { viewport: { width: 1280, height: 800 } };

/** Set as text: the quote and the ampersand show as written. */
const APP_NAME = "Ada's Books & Co";

type Box = { x: number; y: number; width: number; height: number };

async function boxOf(tab: LoginPageTab, selector: string): Promise<Box> {
  const box = await tab.page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not shown`);
  return box;
}

/** Whether the <img> has loaded a picture (a failed one has no natural size). */
function loadedImage(tab: LoginPageTab, selector: string): Promise<boolean> {
  return tab.page
    .locator(selector)
    .evaluate(
      (image: any) => image.complete && image.naturalWidth > 0 && !image.hidden,
    );
}

/** Serves the site's logo from another origin, as a site's own CDN would. */
async function startLogoServer(): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'image/png' });
    response.end(LOGO_PNG);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('The login page on phones and desktops', () => {
  let browser: Browser;
  let service: PageService;
  let logoServer: Server;
  let logoOrigin: string;
  const logger = new CapturingLogger();
  const tabs: LoginPageTab[] = [];

  const openTab = async (options: OpenOptions = {}, search = '') => {
    const tab = await LoginPageTab.open(browser, service.url, options);
    tabs.push(tab);
    await tab.goto('pending', search);
    await tab.waitForTransport('socket');
    return tab;
  };

  const scan = async (tab: LoginPageTab, user = newUser()) => {
    await postUpdate(service.url, startUpdate(await tab.token(), user)).expect(
      200,
    );
    await tab.waitForState('scanned');
  };

  const confirm = async (tab: LoginPageTab, user: { id: number }) => {
    await postUpdate(
      service.url,
      callbackUpdate(`confirm:${await tab.token()}`, user as never),
    ).expect(200);
    await tab.waitForState('authenticated');
  };

  beforeAll(async () => {
    browser = await launchChromium();
    logoServer = await startLogoServer();
    logoOrigin = `http://127.0.0.1:${(logoServer.address() as AddressInfo).port}`;
    service = await startServiceForPage(
      {
        BOT_USERNAME: 'test_login_bot',
        LOGIN_CONFIRMATION: 'button',
        APP_NAME,
        APP_LOGO_URL: `${logoOrigin}/logo.png`,
      },
      { logger, imageOrigins: [logoOrigin] },
    );
  });

  afterEach(async () => {
    await Promise.all(tabs.splice(0).map((tab) => tab.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await new Promise((resolve) => logoServer?.close(resolve));
  });

  it(
    'on a phone, puts Open in Telegram first and the QR code second, for another device, and speaks of tapping',
    async () => {
      const tab = await openTab(PHONE);
      const button = await boxOf(tab, '#open-telegram');
      const other = await boxOf(tab, '#other-device');
      const qr = await boxOf(tab, '#qr-box');
      expect(button.y + button.height).toBeLessThanOrEqual(other.y);
      expect(other.y + other.height).toBeLessThanOrEqual(qr.y);
      expect(await tab.page.locator('#other-device').innerText()).toBe(
        'On another device? Scan this QR code',
      );
      expect(await tab.page.getByRole('listitem').allInnerTexts()).toEqual([
        'Tap Open in Telegram',
        'Telegram opens the chat with the bot',
        'Tap Start in the chat with the bot',
      ]);
      expect(await tab.readQr()).toBe(await tab.deepLink());
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'on a phone in Russian, says the same in Russian',
    async () => {
      const tab = await openTab({ ...PHONE, locale: 'ru-RU' });
      expect(
        await tab.page
          .getByRole('link', { name: 'Открыть в Telegram' })
          .count(),
      ).toBe(1);
      expect(await tab.page.locator('#other-device').innerText()).toBe(
        'На другом устройстве? Отсканируйте этот QR-код',
      );
      await tab.screenshot('phone-ru');
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'on a desktop, puts the QR code first, with the steps of scanning',
    async () => {
      const tab = await openTab(DESKTOP);
      const qr = await boxOf(tab, '#qr-box');
      const button = await boxOf(tab, '#open-telegram');
      // The code on the left, what to do on the right.
      expect(qr.x + qr.width).toBeLessThanOrEqual(button.x);
      expect(await tab.page.locator('#other-device').isVisible()).toBe(false);
      expect(await tab.page.getByRole('listitem').allInnerTexts()).toEqual([
        'Open the camera or Telegram on your phone',
        'Scan this QR code',
        'Tap Start in the chat with the bot',
      ]);
      await tab.screenshot('desktop');
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it.each([
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ])(
    'on a %s, keeps the countdown no wider than the QR code',
    async (_device, options) => {
      const tab = await openTab(options);
      const qr = await boxOf(tab, '#qr-box');
      const bar = await boxOf(tab, '#countdown-bar');
      expect(bar.width).toBeLessThanOrEqual(qr.width);
      expect(bar.x).toBeGreaterThanOrEqual(qr.x - 0.5);
      expect(bar.x + bar.width).toBeLessThanOrEqual(qr.x + qr.width + 0.5);
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "heads the page with the site's name, as text, and its logo, which the CSP allows from that origin only",
    async () => {
      const tab = await openTab(DESKTOP);
      const brand = tab.page.locator('header.brand');
      expect(await brand.locator('#site-name').innerText()).toBe(APP_NAME);
      expect(
        await tab.page.getByRole('heading', { level: 1 }).innerText(),
      ).toBe('Log in with Telegram');
      await tab.page
        .locator('#site-logo')
        .waitFor({ state: 'visible', timeout: 10_000 });
      expect(await loadedImage(tab, '#site-logo')).toBe(true);
      expect(await tab.page.locator('#site-logo').getAttribute('src')).toBe(
        `${logoOrigin}/logo.png`,
      );
      expect(await tab.page.locator('#telegram-logo').isVisible()).toBe(false);

      const response = await tab.page.request.get(`${service.url}/`);
      const policies = response.headers()['content-security-policy'];
      expect(policies).toContain(`img-src 'self' data: ${logoOrigin}`);
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "shows who scanned with their Telegram photo, from this service, then the same in the logged-in card; the bot's token is nowhere",
    async () => {
      const tab = await openTab(DESKTOP);
      const ada = newUser({
        first_name: 'Ada',
        last_name: 'Lovelace',
        username: 'ada',
      });
      service.bot!.setProfilePhoto(ada.id, PHOTO_JPEG);

      await scan(tab, ada);
      expect(await tab.status()).toBe('Confirm in Telegram, Ada');
      const scannerPhoto = tab.page.locator('#scanner .avatar-photo');
      await scannerPhoto.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await loadedImage(tab, '#scanner .avatar-photo')).toBe(true);
      expect(
        new URL(await scannerPhoto.evaluate((image: any) => image.src))
          .pathname,
      ).toMatch(/^\/auth\/photos\/[\w.-]+$/);
      // A step still to take: Telegram is now where it happens.
      expect(
        await tab.page.locator('#open-telegram').getAttribute('class'),
      ).toContain('button-secondary');

      await confirm(tab, ada);
      const card = tab.page.locator('#user');
      expect(
        await tab.page.getByRole('heading', { level: 1 }).innerText(),
      ).toBe('Logged in');
      expect(await card.innerText()).not.toMatch(/Log in with Telegram/);
      await card
        .locator('.avatar-photo')
        .waitFor({ state: 'visible', timeout: 10_000 });
      expect(await loadedImage(tab, '#avatar .avatar-photo')).toBe(true);
      // Each fact once: the name heads the card, the username under it.
      const text = await card.innerText();
      expect(text.split('Ada').length - 1).toBe(1);
      expect(text.split('@ada').length - 1).toBe(1);
      expect(tab.requestsTo('/auth/photos/').length).toBeGreaterThan(0);

      const token = service.bot!.token;
      expect(await tab.page.content()).not.toContain(token);
      expect(
        tab.requests.filter((request) => request.url().includes(token)),
      ).toEqual([]);
      expect(logger.lines.length).toBeGreaterThan(0);
      expect(logger.text).not.toContain(token);
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'shows initials for a person without a photo, at the scan and once logged in, without waiting for one',
    async () => {
      const tab = await openTab(DESKTOP);
      const grace = newUser({ first_name: 'Grace', last_name: 'Hopper' });

      await scan(tab, grace);
      expect(
        await tab.page.locator('#scanner .avatar-initials').innerText(),
      ).toBe('G');
      await confirm(tab, grace);
      expect(
        await tab.page.locator('#avatar .avatar-initials').innerText(),
      ).toBe('GH');
      // The photo's 404 (no photo) leaves the initials showing.
      await tab.page.waitForFunction(() => {
        const image = (globalThis as any).document.querySelector(
          '#avatar .avatar-photo',
        );
        return image.getAttribute('src') && image.complete;
      });
      expect(await tab.page.locator('#avatar .avatar-photo').isVisible()).toBe(
        false,
      );
      expect(
        await tab.page.locator('#avatar .avatar-initials').isVisible(),
      ).toBe(true);
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'logs in without waiting for the photo, and keeps the initials when it cannot be shown',
    async () => {
      const tab = await openTab(DESKTOP);
      const ada = newUser({ first_name: 'Ada', last_name: 'Lovelace' });
      service.bot!.setProfilePhoto(ada.id, PHOTO_JPEG);
      // Every photo request is held until the login is shown, then fails.
      const held: (() => Promise<void>)[] = [];
      let heldOne!: () => void;
      const firstHeld = new Promise<void>((resolve) => (heldOne = resolve));
      await tab.page.route('**/auth/photos/**', (route) => {
        held.push(() => route.fulfill({ status: 500, body: 'broken' }));
        heldOne();
      });

      await scan(tab, ada);
      await confirm(tab, ada);
      expect(
        await tab.page.locator('#avatar .avatar-initials').innerText(),
      ).toBe('AL');
      await firstHeld;
      await Promise.all(held.map((release) => release()));
      await tab.page.waitForFunction(() => {
        const image = (globalThis as any).document.querySelector(
          '#avatar .avatar-photo',
        );
        return image.getAttribute('src') && image.complete;
      });
      expect(await tab.page.locator('#avatar .avatar-photo').isVisible()).toBe(
        false,
      );
      expect(
        await tab.page.locator('#avatar .avatar-initials').isVisible(),
      ).toBe(true);
      expect(tab.errors.filter((error) => !error.includes('500'))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'on a phone with reduced motion: Tab goes Open in Telegram then Copy link, each with a visible focus ring, and nothing moves',
    async () => {
      const tab = await openTab({ ...PHONE, reducedMotion: 'reduce' });
      const ring = () =>
        tab.page.evaluate(() => {
          const { document, getComputedStyle } = globalThis as any;
          const style = getComputedStyle(document.activeElement);
          return {
            id: document.activeElement.id as string,
            outline: `${style.outlineStyle} ${parseFloat(style.outlineWidth)}`,
          };
        });
      await tab.page.keyboard.press('Tab');
      expect(await ring()).toEqual({ id: 'open-telegram', outline: 'solid 3' });
      await tab.page.keyboard.press('Tab');
      expect(await ring()).toEqual({ id: 'copy-link', outline: 'solid 3' });
      const durations = await tab.page.evaluate(() => {
        const { document, getComputedStyle } = globalThis as any;
        return ['#qr', '#copy-link'].map((selector) =>
          parseFloat(
            getComputedStyle(document.querySelector(selector))
              .transitionDuration,
          ),
        );
      });
      for (const seconds of durations) expect(seconds).toBeLessThan(0.001);
      // What Copy link did is announced where it happened.
      expect(await tab.page.locator('#copy-result').getAttribute('role')).toBe(
        'status',
      );
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'copies the login link with Copy link, and says so',
    async () => {
      const tab = await openTab({
        ...DESKTOP,
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      await tab.page.getByRole('button', { name: 'Copy link' }).click();
      await tab.page
        .locator('#copy-result', { hasText: 'Link copied' })
        .waitFor({ timeout: 10_000 });
      const copied = await tab.page.evaluate(() =>
        (globalThis as any).navigator.clipboard.readText(),
      );
      expect(copied).toBe(await tab.deepLink());
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'when too many codes were asked for (429), counts down the wait instead of a spinner, then asks again',
    async () => {
      const tab = await LoginPageTab.open(browser, service.url, DESKTOP);
      tabs.push(tab);
      let refused = 0;
      await tab.page.route('**/auth/token', async (route) => {
        if (refused++ > 0) return route.continue();
        await route.fulfill({
          status: 429,
          headers: { 'Retry-After': '4' },
          contentType: 'application/json',
          body: JSON.stringify({
            statusCode: 429,
            message: 'Too Many Requests',
          }),
        });
      });
      await tab.goto('rate-limited');
      expect(await tab.status()).toMatch(
        /^Too many new codes from this network\. Trying again in [45] seconds…$/,
      );
      expect(await tab.page.locator('#countdown-text').innerText()).toMatch(
        /^Trying again in 0:0[1-5]$/,
      );
      expect(await tab.page.locator('#qr-box').isVisible()).toBe(false);
      expect(await tab.page.locator('#qr-box').getAttribute('aria-busy')).toBe(
        'false',
      );
      await tab.screenshot('rate-limited');

      await tab.waitForState('pending', 15_000);
      expect(refused).toBe(2);
      expect(await tab.readQr()).toBe(await tab.deepLink());
      expect(tab.errors.filter((error) => !error.includes('429'))).toEqual([]);
    },
    TIMEOUT,
  );
});
