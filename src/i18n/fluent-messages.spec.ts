import { describe, expect, it } from '@jest/globals';
import { resolveI18nSettings } from '../telegram-qr-auth.settings.js';
import { fluentProblems, mergeMessages } from './fluent-messages.js';

describe('mergeMessages', () => {
  const ours = [
    '# About the title',
    'page-title = Log in with Telegram',
    'log-out = Log out',
    '',
  ].join('\n');

  it("replaces our message of the same id where it stands, and adds the host's others", () => {
    const merged = mergeMessages(
      ours,
      'page-title = Sign in to Acme\nacme-motto = Fast logins\n',
    );
    expect(merged).toBe(
      [
        '# About the title',
        'page-title = Sign in to Acme',
        'log-out = Log out',
        'acme-motto = Fast logins',
        '',
      ].join('\n'),
    );
  });

  it('keeps terms and messages of one name apart', () => {
    const merged = mergeMessages(ours, '-log-out = Sign off\n');
    expect(merged).toContain('log-out = Log out');
    expect(merged).toContain('-log-out = Sign off');
  });
});

describe('The messages option', () => {
  it('names the locale and line of a syntax error', () => {
    expect(fluentProblems('ok = fine\nbroken = { oops\n')).toEqual([
      expect.stringMatching(/^line 2: /),
    ]);
    expect(() =>
      resolveI18nSettings({ ru: 'ok = хорошо\nbroken = { oops\n' }),
    ).toThrow(/messages\.ru: line 2: /);
  });

  it('takes shipped locales only', () => {
    expect(() =>
      resolveI18nSettings({ de: 'page-title = Anmelden' } as never),
    ).toThrow(
      /messages\.de: not a shipped locale \(en, ru, uk, es, pt-BR, fa, id\)/,
    );
  });

  it('keeps valid Fluent per locale', () => {
    expect(
      resolveI18nSettings({ 'pt-BR': 'page-title = Entrar na Acme' }),
    ).toEqual({ messages: { 'pt-BR': 'page-title = Entrar na Acme' } });
    expect(resolveI18nSettings(undefined)).toEqual({ messages: {} });
  });
});
