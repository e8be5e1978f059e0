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
import { LoginPageTab, type OpenOptions } from './support/login-page.js';
import { startServiceForPage } from './support/service.js';

const BOT_USERNAME = 'test_login_bot';
const TIMEOUT = 60_000;

/** Fluent isolates placeables right to left (FSI … PDI); what a person reads is the text between. */
const withoutIsolation = (text: string) => text.replace(/[\u2068\u2069]/g, '');

describe('The login page in the browser’s language', () => {
  let browser: Browser;
  let service: RunningApp;
  const tabs: LoginPageTab[] = [];

  const openTab = async (options: OpenOptions = {}, search = '') => {
    const tab = await LoginPageTab.open(browser, service.url, options);
    tabs.push(tab);
    await tab.goto('pending', search);
    return tab;
  };

  const documentLanguage = (tab: LoginPageTab) =>
    tab.page.evaluate(() => {
      const { documentElement, title } = (globalThis as any).document;
      return { lang: documentElement.lang, dir: documentElement.dir, title };
    });

  beforeAll(async () => {
    browser = await launchChromium();
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
    'speaks Russian to a browser set to Russian, from the QR code to the user card',
    async () => {
      const tab = await openTab({ locale: 'ru-RU' });

      expect(await documentLanguage(tab)).toEqual({
        lang: 'ru',
        dir: 'ltr',
        title: 'Вход через Telegram',
      });
      expect(
        await tab.page.getByRole('heading', { level: 1 }).innerText(),
      ).toBe('Вход через Telegram');
      expect(await tab.status()).toBe('Ждём, когда вы отсканируете QR-код');
      expect(await tab.page.getByRole('listitem').allInnerTexts()).toEqual([
        expect.stringContaining('Откройте камеру или Telegram на телефоне'),
        expect.stringContaining('Отсканируйте этот QR-код'),
        expect.stringContaining('Нажмите Запустить в чате с ботом'),
      ]);
      expect(await tab.page.getByRole('timer').innerText()).toMatch(
        /^Истекает через (5:00|4:5\d)$/,
      );
      expect(
        await tab.page.getByRole('timer').getAttribute('aria-label'),
      ).toMatch(/^QR-код истекает через (5 минут|4 минуты \d+ секунд[уы]?)$/);
      expect(
        await tab.page.getByRole('img', { name: /^QR-код для входа/ }).count(),
      ).toBe(1);
      const deepLink = await tab.page
        .getByRole('link', { name: 'Открыть в Telegram' })
        .getAttribute('href');
      expect(await tab.readQr()).toBe(deepLink);

      const token = new URL(deepLink!).searchParams.get('start')!;
      const user = newUser({
        first_name: 'Ада',
        last_name: 'Лавлейс',
        username: 'ada',
      });
      await postUpdate(service.url, startUpdate(token, user)).expect(200);
      await tab.waitForState('authenticated');
      expect(await tab.status()).toBe('Вы вошли как Ада Лавлейс');
      expect(
        await tab.page.getByRole('heading', { level: 1 }).innerText(),
      ).toBe('Вы вошли');
      expect(await tab.page.locator('#user .fact').allInnerTexts()).toEqual([
        `ID в Telegram\n${user.id}`,
      ]);
      expect(
        await tab.page.getByRole('button', { name: 'Выйти' }).count(),
      ).toBe(1);
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'lays itself out right to left in Persian (?lang=fa), the QR code unmirrored and still reading as the deep link',
    async () => {
      const tab = await openTab({ locale: 'en-US' }, '?lang=fa');

      expect(await documentLanguage(tab)).toEqual({
        lang: 'fa',
        dir: 'rtl',
        title: 'ورود با تلگرام',
      });
      expect(withoutIsolation(await tab.status())).toBe(
        'منتظر اسکن کد QR هستیم',
      );
      // Persian digits, from Intl.
      expect(
        withoutIsolation(await tab.page.getByRole('timer').innerText()),
      ).toMatch(/^زمان باقی‌مانده: (۵:۰۰|۴:۵[۰-۹])$/);

      const deepLink = await tab.page
        .getByRole('link', { name: 'باز کردن در تلگرام' })
        .getAttribute('href');
      expect(deepLink).toMatch(
        new RegExp(`^https://t\\.me/${BOT_USERNAME}\\?start=`),
      );
      expect(await tab.readQr()).toBe(deepLink);

      const layout = await tab.page.evaluate(() => {
        const { document, getComputedStyle } = globalThis as any;
        const box = (selector: string) =>
          document.querySelector(selector).getBoundingClientRect();
        return {
          qrLeft: box('#qr-box').left,
          stepsLeft: box('.steps').left,
          qrTransform: getComputedStyle(document.querySelector('#qr'))
            .transform,
          qrDirection: getComputedStyle(document.querySelector('#qr-box'))
            .direction,
          stepsDirection: getComputedStyle(document.querySelector('.steps'))
            .direction,
        };
      });
      // Mirrored: on a desktop the code is on the right and the steps on its left.
      expect(layout.qrLeft).toBeGreaterThan(layout.stepsLeft);
      expect(layout).toMatchObject({
        qrTransform: 'none',
        qrDirection: 'ltr',
        stepsDirection: 'rtl',
      });
      await tab.screenshot('login-page-fa');
      expect(tab.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it.each([
    ['ja-JP', '', 'en', 'Log in with Telegram'],
    ['ja-JP', '?lang=xx', 'en', 'Log in with Telegram'],
    ['pt-PT', '', 'pt-BR', 'Entrar com o Telegram'],
    ['fa-IR', '', 'fa', 'ورود با تلگرام'],
    ['es-MX', '', 'es', 'Inicia sesión con Telegram'],
    ['ru-RU', '?lang=uk', 'uk', 'Вхід через Telegram'],
    ['en-US', '?lang=id', 'id', 'Masuk dengan Telegram'],
  ])(
    'a browser in %s at /%s gets %s',
    async (locale, search, lang, heading) => {
      const tab = await openTab({ locale }, search);
      expect(await documentLanguage(tab)).toMatchObject({ lang });
      expect(
        await tab.page.getByRole('heading', { level: 1 }).innerText(),
      ).toBe(heading);
    },
    TIMEOUT,
  );

  it(
    'falls back to English when its language’s catalogue cannot be loaded',
    async () => {
      const tab = await LoginPageTab.open(browser, service.url, {
        locale: 'ru-RU',
      });
      tabs.push(tab);
      await tab.page.route('**/locales/ru/page.ftl', (route) =>
        route.fulfill({ status: 503, body: 'unavailable' }),
      );
      await tab.goto();

      expect(await documentLanguage(tab)).toEqual({
        lang: 'en',
        dir: 'ltr',
        title: 'Log in with Telegram',
      });
      expect(await tab.status()).toBe('Waiting for you to scan the QR code');
      expect(await tab.page.getByRole('timer').innerText()).toMatch(
        /^Expires in (5:00|4:5\d)$/,
      );
    },
    TIMEOUT,
  );
});
