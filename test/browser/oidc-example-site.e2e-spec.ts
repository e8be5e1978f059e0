import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { startSite } from '../../examples/oidc-site/site.mjs';
import type { OidcClientMetadata } from '../../src/oidc/interfaces/index.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { postUpdate } from '../support/http.js';
import { startOidcApp, type OidcApp } from '../support/oidc.js';
import { PATIENCE_MS } from '../support/patience.js';
import { freePort } from '../support/redis.js';
import { newUser, startUpdate } from '../support/telegram-updates.js';
import { launchChromium } from './support/chromium.js';
import { enforcePageCsp, LoginPageTab } from './support/login-page.js';

const TIMEOUT = 60_000;
const SECRET = 'example-site-secret-0123456789abcdefghijkl';

/**
 * The example relying party (examples/oidc-site, what `npm run example:oidc`
 * starts) against the service: a site that knows only the discovery URL, a
 * client id and a secret, driven in Chromium as a person would.
 */
describe('the example site (openid-client) logs in through the service (Chromium)', () => {
  let browser: Browser;
  let bot: FakeBotApi;
  let app: OidcApp;
  let site: Server;
  let siteUrl: string;
  let tab: LoginPageTab | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    bot = await FakeBotApi.start({ username: 'test_login_bot' });
    const sitePort = await freePort();
    siteUrl = `http://127.0.0.1:${sitePort}`;
    const exampleSite: OidcClientMetadata = {
      client_id: 'example-site',
      client_secret: SECRET,
      client_name: 'Example Site',
      redirect_uris: [`${siteUrl}/callback`],
      post_logout_redirect_uris: [`${siteUrl}/`],
      grant_types: ['authorization_code', 'refresh_token'],
    };
    app = await startOidcApp([exampleSite], bot.env);
    enforcePageCsp(app.app.getHttpServer());
    site = await startSite({
      issuer: app.issuer,
      clientId: exampleSite.client_id,
      clientSecret: SECRET,
      url: siteUrl,
      port: sitePort,
    });
  }, TIMEOUT);

  afterAll(async () => {
    await tab?.close();
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await app?.close();
    await bot?.close();
  });

  it(
    'logs in from the site with a scan, shows the name and claims, and logs out after the question',
    async () => {
      const ada = newUser({
        first_name: 'Ada',
        last_name: 'Lovelace',
        username: 'ada',
      });
      tab = await LoginPageTab.open(browser, app.url);
      const { page } = tab;
      // Errors but the service's /favicon.ico: its own pages (oidc-provider's logout question) link none.
      const errors: string[] = [];
      page.on('console', (message) => {
        if (
          message.type() === 'error' &&
          message.location().url !== `${app.url}/favicon.ico`
        )
          errors.push(`${message.location().url}: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${siteUrl}/`);
      await page.getByText('You are not logged in.').waitFor();
      await page.getByRole('link', { name: 'Log in with Telegram' }).click();

      // Our page, as the interaction of the site's authorization.
      await page.waitForURL(
        (url) =>
          url.origin === app.url &&
          /^\/oidc\/interaction\/[\w-]+$/.test(url.pathname),
        { timeout: PATIENCE_MS },
      );
      await tab.waitForState('pending');
      expect(await page.locator('#title').innerText()).toBe(
        'Log in to Example Site with Telegram',
      );

      // Telegram's part: the person scans the QR code and taps START.
      await postUpdate(app.url, startUpdate(await tab.token(), ada)).expect(
        200,
      );
      await page.waitForURL(`${siteUrl}/`, { timeout: PATIENCE_MS });
      await expect(page.locator('#greeting').innerText()).resolves.toContain(
        'Ada Lovelace',
      );
      const claims = await page.locator('#claims').innerText();
      expect(claims).toContain('telegram_id');
      expect(claims).toContain(String(ada.id));
      await tab.screenshot('oidc-example-site-logged-in');

      // RP-initiated logout: our page asks first, then back to the site, logged out.
      await page.goto(`${siteUrl}/logout`);
      await page.getByRole('heading', { name: 'Log out?' }).waitFor();
      expect(await page.locator('body').innerText()).toContain(
        'Example Site asks to log you out',
      );
      await page.getByRole('button', { name: 'Yes, log me out' }).click();
      await page.waitForURL(`${siteUrl}/`, { timeout: PATIENCE_MS });
      await page.getByText('You are not logged in.').waitFor();
      expect(await page.locator('#greeting').count()).toBe(0);

      // The provider's session is over too: logging in again needs a new scan.
      await page.getByRole('link', { name: 'Log in with Telegram' }).click();
      await page.waitForURL((url) => url.origin === app.url, {
        timeout: PATIENCE_MS,
      });
      await tab.waitForState('pending');
      expect(errors).toEqual([]);
    },
    TIMEOUT,
  );
});
