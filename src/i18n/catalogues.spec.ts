import { describe, expect, it } from '@jest/globals';
import {
  Junk,
  Message,
  type Pattern,
  parse,
  Term,
  Visitor,
  type VariableReference,
} from '@fluent/syntax';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CATALOGUES,
  DEFAULT_LOCALE,
  LOCALES,
  LOCALES_ROOT,
} from './i18n.constants.js';

/** Every variable a message uses, in its value, its variants and its attributes. */
class VariablesOf extends Visitor {
  readonly names = new Set<string>();
  override visitVariableReference(node: VariableReference): void {
    this.names.add(`$${node.id.name}`);
  }
}

interface Entry {
  /** `$a $b` for the value, `.alt: $c` for each attribute. */
  placeholders: string[];
}

/** The messages and terms of a catalogue file, by id; every Fluent syntax error as text. */
function read(locale: string, catalogue: string) {
  const source = readFileSync(
    join(LOCALES_ROOT, locale, `${catalogue}.ftl`),
    'utf8',
  );
  const resource = parse(source, { withSpans: true });
  const junk = resource.body
    .filter((entry): entry is Junk => entry instanceof Junk)
    .map(
      (entry) =>
        `${locale}/${catalogue}.ftl: ${entry.annotations.map((a) => a.message).join('; ')} in ${JSON.stringify(entry.content.trim())}`,
    );
  const entries = new Map<string, Entry>();
  const variables = (pattern: Pattern | null) => {
    const visitor = new VariablesOf();
    if (pattern) visitor.visit(pattern);
    return [...visitor.names].sort().join(' ');
  };
  for (const entry of resource.body) {
    if (!(entry instanceof Message || entry instanceof Term)) continue;
    const id = entry instanceof Term ? `-${entry.id.name}` : entry.id.name;
    entries.set(id, {
      placeholders: [
        variables(entry.value),
        ...entry.attributes
          .map(
            (attribute) =>
              `.${attribute.id.name}: ${variables(attribute.value)}`,
          )
          .sort(),
      ],
    });
  }
  return { junk, entries };
}

const CLIENT = new URL('../../client/', import.meta.url);
const clientFile = (path: string) =>
  readFileSync(new URL(path, CLIENT), 'utf8');

describe('The catalogues (locales/<locale>/<catalogue>.ftl)', () => {
  it('are there for every shipped locale, and for no other', () => {
    expect(readdirSync(LOCALES_ROOT).sort()).toEqual([...LOCALES].sort());
    for (const locale of LOCALES)
      expect(readdirSync(join(LOCALES_ROOT, locale)).sort()).toEqual(
        CATALOGUES.map((catalogue) => `${catalogue}.ftl`).sort(),
      );
  });

  it('are the ones the page asks for', () => {
    const list = /const LOCALES = \[([^\]]*)\]/.exec(clientFile('src/i18n.ts'));
    expect(list?.[1].match(/[\w-]+/g)).toEqual([...LOCALES]);
  });

  it('have every message the page names', () => {
    const sources = [
      clientFile('public/index.html'),
      ...readdirSync(new URL('src/', CLIENT)).map((name) =>
        clientFile(`src/${name}`),
      ),
    ].join('\n');
    const named = new Set(
      [
        ...sources.matchAll(/\bt\(\s*'([a-z0-9-]+)'/g),
        ...sources.matchAll(/data-l10n-id="([a-z0-9-]+)"/g),
        ...sources.matchAll(/'(session-[a-z-]+|status-[a-z-]+)'/g),
      ].map((match) => match[1]),
    );
    const english = read(DEFAULT_LOCALE, 'page').entries;
    expect(named.size).toBeGreaterThan(30);
    expect([...named].filter((id) => !english.has(id))).toEqual([]);
  });

  describe.each(CATALOGUES)('%s.ftl', (catalogue) => {
    const english = read(DEFAULT_LOCALE, catalogue);

    it('has messages in English, without syntax errors', () => {
      expect(english.junk).toEqual([]);
      expect(english.entries.size).toBeGreaterThan(0);
    });

    const others = LOCALES.filter((locale) => locale !== DEFAULT_LOCALE);
    describe.each(others)('in %s', (locale) => {
      const translated = read(locale, catalogue);

      it('has no syntax errors', () => {
        expect(translated.junk).toEqual([]);
      });

      it('has every message of English, and none that English lacks', () => {
        expect({
          missing: [...english.entries.keys()].filter(
            (id) => !translated.entries.has(id),
          ),
          extra: [...translated.entries.keys()].filter(
            (id) => !english.entries.has(id),
          ),
        }).toEqual({ missing: [], extra: [] });
      });

      it("uses the same placeholders and attributes as English's", () => {
        const differences = [...english.entries].flatMap(([id, entry]) => {
          const theirs = translated.entries.get(id);
          return theirs &&
            theirs.placeholders.join('|') !== entry.placeholders.join('|')
            ? [
                {
                  id,
                  english: entry.placeholders,
                  [locale]: theirs.placeholders,
                },
              ]
            : [];
        });
        expect(differences).toEqual([]);
      });
    });
  });
});
