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
import * as client from 'openid-client';
import type { Browser } from 'playwright-core';
import type { OidcClientMetadata } from '../../src/oidc/interfaces/index.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { postUpdate } from '../support/http.js';
import {
  type Authorization,
  authorizationOf,
  CLIENT_SECRET,
  relyingParty,
  startOidcApp,
  type OidcApp,
} from '../support/oidc.js';
import { PATIENCE_MS } from '../support/patience.js';
import {
  callbackUpdate,
  newUser,
  startUpdate,
} from '../support/telegram-updates.js';
import { launchChromium } from './support/chromium.js';
import { LOGO_PNG } from './support/images.js';
import { enforcePageCsp, LoginPageTab } from './support/login-page.js';

const TIMEOUT = 60_000;

/** The sites' redirect URI: a tiny server on loopback, as a site's callback would be. */
async function startCallbackServer(): Promise<{
  server: Server;
  redirectUri: string;
}> {
  const server = createServer((request, response) => {
    // The blog's logo (its logo_uri) is served from the site's own origin.
    if (request.url === '/logo.png') {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(LOGO_PNG);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!DOCTYPE html><title>Back at the site</title><p>Back</p>');
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return { server, redirectUri: `http://127.0.0.1:${port}/callback` };
}

describe('OpenID Connect login through the real page (Chromium)', () => {
  let browser: Browser;
  let bot: FakeBotApi;
  let app: OidcApp;
  let callbacks: Awaited<ReturnType<typeof startCallbackServer>>;
  let shop: client.Configuration;
  let blog: client.Configuration;
  let SHOP_CLIENT: OidcClientMetadata;
  const tabs: LoginPageTab[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    bot = await FakeBotApi.start({ username: 'test_login_bot' });
    callbacks = await startCallbackServer();
    SHOP_CLIENT = {
      client_id: 'shop',
      client_secret: CLIENT_SECRET,
      client_name: 'Example Shop',
      redirect_uris: [callbacks.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
    };
    const BLOG_CLIENT: OidcClientMetadata = {
      ...SHOP_CLIENT,
      client_id: 'blog',
      client_name: 'Ada’s Blog',
      logo_uri: new URL('/logo.png', callbacks.redirectUri).href,
    };
    app = await startOidcApp([SHOP_CLIENT, BLOG_CLIENT], {
      ...bot.env,
      LOGIN_CONFIRMATION: 'button',
      RATE_LIMIT_TOKEN: '1000',
      RATE_LIMIT_POLL: '1000',
    });
    enforcePageCsp(app.app.getHttpServer(), [
      new URL(callbacks.redirectUri).origin,
    ]);
    shop = await relyingParty(app.issuer, SHOP_CLIENT);
    blog = await relyingParty(app.issuer, BLOG_CLIENT);
  }, TIMEOUT);

  afterEach(async () => {
    await Promise.all(tabs.splice(0).map((tab) => tab.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await bot?.close();
    await new Promise((resolve) => callbacks?.server.close(resolve));
  });

  const openTab = async () => {
    const tab = await LoginPageTab.open(browser, app.url);
    tabs.push(tab);
    return tab;
  };

  /** Opens the client's authorization URL; resolves on our page with its QR code. */
  async function landOnPage(tab: LoginPageTab, authorization: Authorization) {
    await tab.page.goto(authorization.url.href);
    expect(new URL(tab.page.url()).pathname).toMatch(
      /^\/oidc\/interaction\/[\w-]+$/,
    );
    await tab.waitForState('pending');
  }

  /** The person scans and taps Confirm; the bot's question names `site`. */
  async function scanAndConfirm(
    tab: LoginPageTab,
    user: ReturnType<typeof newUser>,
    site: string,
  ) {
    const token = await tab.token();
    await postUpdate(app.url, startUpdate(token, user)).expect(200);
    const question = await bot.waitForCall(
      'sendMessage',
      (params) =>
        params.chat_id === user.id &&
        JSON.stringify(params.reply_markup ?? null).includes(token),
    );
    expect(question.text).toContain(`Log in to ${site}?`);
    await tab.waitForState('scanned');
    await postUpdate(app.url, callbackUpdate(`confirm:${token}`, user)).expect(
      200,
    );
    return token;
  }

  const atCallback = (tab: LoginPageTab) =>
    tab.page.waitForURL((url) => url.href.startsWith(callbacks.redirectUri), {
      timeout: PATIENCE_MS,
    });

  it(
    'logs in with code and PKCE: the page headed with the client, the scan, the browser back at the client, tokens and userinfo',
    async () => {
      const ada = newUser({
        first_name: 'Ada',
        last_name: 'Lovelace',
        username: 'ada',
      });
      const tab = await openTab();
      const authorization = await authorizationOf(shop, callbacks.redirectUri);
      await landOnPage(tab, authorization);
      expect(await tab.page.locator('#title').innerText()).toBe(
        'Log in to Example Shop with Telegram',
      );
      expect(await tab.page.title()).toBe(
        'Log in to Example Shop with Telegram',
      );
      expect(await tab.readQr()).toBe(await tab.deepLink());
      await tab.screenshot('oidc-waiting');

      await scanAndConfirm(tab, ada, 'Example Shop');
      await atCallback(tab);
      const edited = await bot.waitForCall(
        'editMessageText',
        (params) => params.chat_id === ada.id,
      );
      expect(edited.text).toContain('You are logged in to Example Shop');

      const callback = new URL(tab.page.url());
      expect(callback.searchParams.get('state')).toBe(authorization.state);
      const tokens = await client.authorizationCodeGrant(shop, callback, {
        pkceCodeVerifier: authorization.codeVerifier,
        expectedState: authorization.state,
        expectedNonce: authorization.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      // openid-client verified the signature against the JWKS, iss, aud, nonce and exp.
      expect(claims).toMatchObject({
        iss: app.issuer,
        aud: 'shop',
        nonce: authorization.nonce,
        sub: String(ada.id),
        telegram_id: ada.id,
        name: 'Ada Lovelace',
      });
      expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
      expect(
        await client.fetchUserInfo(shop, tokens.access_token, String(ada.id)),
      ).toMatchObject({
        sub: String(ada.id),
        telegram_id: ada.id,
        name: 'Ada Lovelace',
        given_name: 'Ada',
        family_name: 'Lovelace',
        preferred_username: 'ada',
      });
      // The page never got an access token, and nothing went wrong on the way.
      expect(
        await Promise.all(
          tab
            .requestsTo('/auth/poll/')
            .map(async (request) => (await request.response())?.text()),
        ),
      ).not.toContainEqual(expect.stringContaining('accessToken'));
      expect(tab.errors).toEqual([]);

      // Single sign-on: another site in the same browser, no QR code, no /start.
      const calls = bot.calls.length;
      const second = await authorizationOf(blog, callbacks.redirectUri);
      await tab.page.goto(second.url.href);
      await atCallback(tab);
      const ssoCallback = new URL(tab.page.url());
      expect(ssoCallback.searchParams.get('state')).toBe(second.state);
      const blogTokens = await client.authorizationCodeGrant(
        blog,
        ssoCallback,
        {
          pkceCodeVerifier: second.codeVerifier,
          expectedState: second.state,
          expectedNonce: second.nonce,
          idTokenExpected: true,
        },
      );
      expect(blogTokens.claims()).toMatchObject({
        aud: 'blog',
        sub: String(ada.id),
      });
      expect(bot.calls.length).toBe(calls);

      // prompt=login: a new scan, however alive the session.
      const forced = await authorizationOf(blog, callbacks.redirectUri, {
        prompt: 'login',
      });
      await landOnPage(tab, forced);
      expect(await tab.page.locator('#title').innerText()).toBe(
        'Log in to Ada’s Blog with Telegram',
      );
      // The client's logo_uri heads its login page, allowed by the CSP of that page only.
      await tab.page
        .locator('#site-logo')
        .waitFor({ state: 'visible', timeout: PATIENCE_MS });
      expect(await tab.page.locator('#site-logo').getAttribute('src')).toBe(
        new URL('/logo.png', callbacks.redirectUri).href,
      );
      await scanAndConfirm(tab, ada, 'Ada’s Blog');
      await atCallback(tab);
      expect(new URL(tab.page.url()).searchParams.get('code')).toEqual(
        expect.any(String),
      );
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'Deny in Telegram: the client gets error=access_denied, and the bot names the client',
    async () => {
      const eve = newUser({ first_name: 'Eve' });
      const tab = await openTab();
      const authorization = await authorizationOf(shop, callbacks.redirectUri);
      await landOnPage(tab, authorization);
      const token = await tab.token();
      await postUpdate(app.url, startUpdate(token, eve)).expect(200);
      await tab.waitForState('scanned');
      await postUpdate(app.url, callbackUpdate(`deny:${token}`, eve)).expect(
        200,
      );
      await atCallback(tab);
      const callback = new URL(tab.page.url());
      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(callback.searchParams.get('state')).toBe(authorization.state);
      const edited = await bot.waitForCall(
        'editMessageText',
        (params) => params.chat_id === eve.id,
      );
      expect(edited.text).toContain('Login to Example Shop denied');
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'an expired QR code is replaced within the same authorization, and polling (no websockets) completes it',
    async () => {
      const quick = await startOidcApp([SHOP_CLIENT], {
        ...bot.env,
        TOKEN_TTL_SECONDS: '5',
        RATE_LIMIT_TOKEN: '1000',
        RATE_LIMIT_POLL: '1000',
      });
      try {
        enforcePageCsp(quick.app.getHttpServer());
        const rp = await relyingParty(quick.issuer, SHOP_CLIENT);
        const tab = await LoginPageTab.open(browser, quick.url, {
          blockWebSockets: () => true,
        });
        tabs.push(tab);
        const authorization = await authorizationOf(rp, callbacks.redirectUri);
        await landOnPage(tab, authorization);
        const uid = new URL(tab.page.url()).pathname.split('/').pop()!;
        const first = await tab.token();
        await tab.page.waitForFunction(
          (previous) =>
            !(globalThis as any).document
              .getElementById('open-telegram')
              ?.getAttribute('href')
              ?.endsWith(previous),
          first,
          { timeout: PATIENCE_MS },
        );
        await tab.waitForState('pending');
        const second = await tab.token();
        expect(second).not.toBe(first);
        expect(
          tab.requestsTo(`/oidc/interaction/${uid}/token`).length,
        ).toBeGreaterThanOrEqual(2);
        expect(tab.requestsTo('/auth/token')).toEqual([]);

        const ada = newUser({ first_name: 'Ada' });
        await postUpdate(quick.url, startUpdate(second, ada)).expect(200);
        await atCallback(tab);
        expect(await tab.transport()).not.toBe('socket');
        const callback = new URL(tab.page.url());
        const tokens = await client.authorizationCodeGrant(rp, callback, {
          pkceCodeVerifier: authorization.codeVerifier,
          expectedState: authorization.state,
          expectedNonce: authorization.nonce,
          idTokenExpected: true,
        });
        expect(tokens.claims()).toMatchObject({ sub: String(ada.id) });
        expect(tab.errors).toEqual([]);
      } finally {
        await quick.close();
      }
    },
    TIMEOUT,
  );

  it(
    'shows a clear page, not a stack, for an unknown or ended interaction',
    async () => {
      const tab = await openTab();
      const response = await tab.page.goto(
        `${app.url}/oidc/interaction/no-such-interaction`,
      );
      expect(response?.status()).toBe(404);
      expect(await tab.page.locator('h1').innerText()).toBe(
        'This login request has ended',
      );
      expect(
        await tab.page
          .getByRole('link', { name: 'Log in with Telegram on this service' })
          .getAttribute('href'),
      ).toBe('/');
      expect(await tab.page.content()).not.toMatch(/node_modules|Error:/);
    },
    TIMEOUT,
  );
});
