import { describe, expect, it } from '@jest/globals';
import {
  botLocaleOf,
  botTime,
  createBotI18n,
  formatBotTime,
  translatorFor,
} from './bot-i18n.js';
import { botMessages, buttonAnswers } from './bot-messages.js';

/** Fluent's isolation marks around a variable (FSI … PDI), put in Persian messages only. */
const ISOLATION_MARKS = /[\u2068\u2069]/g;

const NOON = Date.UTC(2026, 0, 1, 12, 5);

describe('botLocaleOf', () => {
  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['en-gb', 'en'],
    ['ru', 'ru'],
    ['ru-RU', 'ru'],
    ['uk', 'uk'],
    ['es', 'es'],
    ['es-419', 'es'],
    ['es_MX', 'es'],
    ['pt', 'pt-BR'],
    ['pt-br', 'pt-BR'],
    ['pt-BR', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['fa', 'fa'],
    ['fa-IR', 'fa'],
    ['id', 'id'],
  ])('speaks %p to Telegram’s language_code %p', (code, locale) => {
    expect(botLocaleOf(code)).toBe(locale);
  });

  it.each([
    [undefined],
    [''],
    ['xx'],
    ['de'],
    ['zh-hans'],
    ['x'.repeat(100)],
    ['ru; DROP'],
    ['--'],
  ])('falls back to English for %p', (code) => {
    expect(botLocaleOf(code)).toBe('en');
  });
});

describe('createBotI18n', () => {
  const i18n = createBotI18n();
  const say = (locale: Parameters<typeof translatorFor>[1]) =>
    botMessages(translatorFor(i18n, locale));

  it('speaks each locale, naming the site as it is (never translated)', () => {
    expect(say('en').loggedIn('Acme Shop')).toBe(
      '✅ You are logged in to Acme Shop; you can go back to your browser.',
    );
    expect(say('ru').loggedIn('Acme Shop')).toBe(
      '✅ Вы вошли в Acme Shop; можно вернуться в браузер.',
    );
    expect(say('es').loggedIn('Acme Shop')).toContain('Acme Shop');
    expect(say('id').loggedIn('Acme Shop')).toMatch(/^✅ Anda sudah masuk/);
  });

  it('isolates the names put in Persian (right-to-left) messages, and only there', () => {
    expect(say('fa').loggedIn('Acme Shop')).toContain('\u2068Acme Shop\u2069');
    expect(say('fa').loggedIn('Acme Shop').replace(ISOLATION_MARKS, '')).toBe(
      '✅ وارد Acme Shop شدید؛ می‌توانید به مرورگر برگردید.',
    );
    for (const locale of ['en', 'ru', 'uk', 'es', 'pt-BR', 'id'] as const)
      expect(say(locale).loggedIn('Acme Shop')).not.toMatch(ISOLATION_MARKS);
  });

  it.each([
    [1, 'Завершён 1 сеанс.'],
    [2, 'Завершено 2 сеанса.'],
    [5, 'Завершено 5 сеансов.'],
    [21, 'Завершён 21 сеанс.'],
  ])('puts %p sessions in the right Russian plural', (count, text) => {
    expect(buttonAnswers(translatorFor(i18n, 'ru')).sessionsEnded(count)).toBe(
      text,
    );
  });

  it('keeps each message in its own language when locales alternate, a missing one in English', () => {
    // The bundles a locale matches are remembered: the second round must still say what the first said.
    const withEnglishOnly = createBotI18n({
      en: 'only-in-english = Only English',
    });
    for (let round = 0; round < 2; round++) {
      expect(withEnglishOnly.t('ru', 'no-sessions')).toBe(
        i18n.t('ru', 'no-sessions'),
      );
      expect(withEnglishOnly.t('ru', 'no-sessions')).not.toBe(
        i18n.t('en', 'no-sessions'),
      );
      expect(withEnglishOnly.t('ru', 'only-in-english')).toBe('Only English');
      expect(withEnglishOnly.t('en', 'no-sessions')).toBe(
        i18n.t('en', 'no-sessions'),
      );
    }
  });

  it('says one and many in English', () => {
    const answers = buttonAnswers(translatorFor(i18n, 'en'));
    expect(answers.sessionsEnded(1)).toBe('Ended 1 session.');
    expect(answers.sessionsEnded(3)).toBe('Ended 3 sessions.');
  });

  it('writes numbers the Persian way', () => {
    expect(
      buttonAnswers(translatorFor(i18n, 'fa'))
        .sessionsPage(2, 3)
        .replace(ISOLATION_MARKS, ''),
    ).toBe('صفحهٔ ۲ از ۳');
  });

  it.each([
    ['en', /^Jan 1, 2026, 12:05\sPM UTC$/],
    ['ru', /^1 янв\. 2026 г\., 12:05 UTC$/],
    ['pt-BR', /^1 de jan\. de 2026, 12:05 UTC$/],
    ['fa', /^۱۱ دی ۱۴۰۴، ۱۲:۰۵ \(UTC\)$/],
  ] as const)(
    'formats a time the %s way, in UTC, saying so',
    (locale, time) => {
      expect(formatBotTime(NOON, locale)).toMatch(time);
      expect(
        i18n
          .t(locale, 'confirm-time', { time: botTime(NOON) })
          .replace(ISOLATION_MARKS, ''),
      ).toContain(formatBotTime(NOON, locale));
    },
  );
});

describe('a host’s messages', () => {
  it('replace the shipped ones key by key, leaving the others', () => {
    const i18n = createBotI18n({
      en: 'logged-in = 🎉 Welcome to { $site }!',
      ru: 'logged-in = 🎉 Добро пожаловать в { $site }!',
    });
    expect(botMessages(translatorFor(i18n, 'en')).loggedIn('Acme')).toBe(
      '🎉 Welcome to Acme!',
    );
    expect(botMessages(translatorFor(i18n, 'ru')).loggedIn('Acme')).toBe(
      '🎉 Добро пожаловать в Acme!',
    );
    expect(botMessages(translatorFor(i18n, 'en')).denied('Acme')).toBe(
      '🚫 Login to Acme denied. Nobody was logged in with your account.',
    );
    expect(botMessages(translatorFor(i18n, 'es')).loggedIn('Acme')).toMatch(
      /^✅ Has iniciado sesión en Acme/,
    );
  });
});
