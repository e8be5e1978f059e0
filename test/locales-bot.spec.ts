import { readdirSync, existsSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { FluentBundle, FluentResource } from '@fluent/bundle';
import {
  FluentParser,
  Message,
  Resource,
  Visitor,
  type VariableReference,
} from '@fluent/syntax';
import {
  BOT_LOCALES,
  type BotLocale,
  DEFAULT_BOT_LOCALE,
  fluentSyntaxErrors,
  shippedBotCatalogue,
} from '../src/telegram/bot-i18n.js';

/**
 * Each bot catalogue (locales/<locale>/bot.ftl) is complete: the same keys
 * as English, each with the same variables, and nothing Fluent cannot read.
 */

const LOCALES_DIRECTORY = new URL('../locales/', import.meta.url);
const OTHERS = BOT_LOCALES.filter((locale) => locale !== DEFAULT_BOT_LOCALE);

/** The variables a pattern uses, selectors and variants included. */
class Variables extends Visitor {
  readonly names = new Set<string>();
  override visitVariableReference(node: VariableReference): void {
    this.names.add(node.id.name);
  }
}

function parse(locale: BotLocale): Resource {
  return new FluentParser({ withSpans: false }).parse(
    shippedBotCatalogue(locale),
  );
}

/** Each message's id and the variables it uses (sorted). */
function messagesOf(locale: BotLocale): Map<string, string[]> {
  const messages = new Map<string, string[]>();
  for (const entry of parse(locale).body) {
    if (!(entry instanceof Message)) continue;
    const variables = new Variables();
    variables.visit(entry);
    messages.set(entry.id.name, [...variables.names].sort());
  }
  return messages;
}

const english = messagesOf(DEFAULT_BOT_LOCALE);

/** A value of the right kind for each variable any message uses. */
const SAMPLE_VARIABLES = {
  site: 'Acme Shop',
  reason: 'Members only.',
  browser: 'Chrome 120',
  os: 'Windows 10',
  device: 'Chrome 120 on Windows 10',
  ip: '203.0.113.7',
  time: new Date(Date.UTC(2026, 0, 1, 12)),
  createdAt: new Date(Date.UTC(2026, 0, 1, 12)),
  lastUsedAt: new Date(Date.UTC(2026, 0, 1, 13)),
  count: 3,
  n: 2,
  page: 1,
  pages: 2,
};

describe('the bot catalogues', () => {
  it('are shipped for exactly the locales the bot speaks', () => {
    const withBotCatalogue = readdirSync(LOCALES_DIRECTORY).filter((name) =>
      existsSync(new URL(`${name}/bot.ftl`, LOCALES_DIRECTORY)),
    );
    expect(withBotCatalogue.sort()).toEqual([...BOT_LOCALES].sort());
  });

  it('English has messages, each with a value', () => {
    expect(english.size).toBeGreaterThan(50);
    for (const entry of parse(DEFAULT_BOT_LOCALE).body)
      if (entry instanceof Message) expect(entry.value).not.toBeNull();
  });

  it.each(BOT_LOCALES.map((locale) => [locale]))(
    '%s has no Fluent syntax errors (no junk)',
    (locale) => {
      expect(fluentSyntaxErrors(shippedBotCatalogue(locale))).toEqual([]);
    },
  );

  it.each(OTHERS.map((locale) => [locale]))(
    '%s has every English key, and no other',
    (locale) => {
      const keys = [...messagesOf(locale).keys()];
      expect(keys.filter((key) => !english.has(key))).toEqual([]);
      expect([...english.keys()].filter((key) => !keys.includes(key))).toEqual(
        [],
      );
    },
  );

  it.each(OTHERS.map((locale) => [locale]))(
    '%s uses the same variables as English in each message, none missing or extra',
    (locale) => {
      const differences = [...messagesOf(locale)]
        .filter(([key]) => english.has(key))
        .filter(
          ([key, variables]) => variables.join() !== english.get(key)!.join(),
        )
        .map(([key, variables]) => ({
          key,
          [locale]: variables,
          en: english.get(key),
        }));
      expect(differences).toEqual([]);
    },
  );

  it.each(BOT_LOCALES.map((locale) => [locale]))(
    '%s formats every message without an error',
    (locale) => {
      const bundle = new FluentBundle(locale);
      expect(
        bundle.addResource(new FluentResource(shippedBotCatalogue(locale))),
      ).toEqual([]);
      for (const key of english.keys()) {
        const errors: Error[] = [];
        const text = bundle.formatPattern(
          bundle.getMessage(key)!.value!,
          SAMPLE_VARIABLES,
          errors,
        );
        expect({ key, errors }).toEqual({ key, errors: [] });
        expect(text.trim()).not.toBe('');
      }
    },
  );
});

describe('the completeness checks', () => {
  it('find a missing key, an extra variable and junk', () => {
    const broken = new FluentParser({ withSpans: false }).parse(
      'logged-in = Hi { $who }\nthis is not fluent\n',
    );
    const ids = broken.body
      .filter((entry): entry is Message => entry instanceof Message)
      .map((entry) => entry.id.name);
    expect(ids).toEqual(['logged-in']);
    const variables = new Variables();
    variables.visit(broken.body[0]);
    expect([...variables.names]).toEqual(['who']);
    expect(english.get('logged-in')).toEqual(['site']);
    expect(fluentSyntaxErrors('this is not fluent\n')).toHaveLength(1);
  });
});
