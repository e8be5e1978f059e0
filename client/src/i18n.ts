import {
  FluentBundle,
  FluentResource,
  type FluentVariable,
} from '../vendor/fluent-bundle/index.js';
import { negotiateLanguages } from '../vendor/fluent-langneg/index.js';

/** The languages the server has catalogues of (src/i18n/i18n.constants.ts). */
const LOCALES = ['en', 'ru', 'uk', 'es', 'pt-BR', 'fa', 'id'];
const DEFAULT_LOCALE = 'en';

/** Scripts written right to left, by the language that uses them (a locale may also say so: `-Arab`). */
const RTL_LANGUAGES = new Set([
  'ar',
  'ckb',
  'dv',
  'fa',
  'he',
  'ps',
  'sd',
  'ug',
  'ur',
  'yi',
]);
const RTL_SCRIPTS = new Set([
  'Adlm',
  'Arab',
  'Hebr',
  'Nkoo',
  'Rohg',
  'Syrc',
  'Thaa',
]);

/** Attributes a catalogue may set on an element (`.alt = …`); nothing else. */
const LOCALIZABLE_ATTRIBUTES = new Set(['alt', 'aria-label', 'title']);

export type MessageArgs = Record<string, FluentVariable>;

/**
 * `?lang=` first (to force one), then the browser's languages, matched to the
 * ones there are catalogues of: `pt` gets `pt-BR`, `fa-IR` gets `fa`; else English.
 */
export function requestedLocale(): string {
  const forced = new URLSearchParams(location.search).get('lang');
  const requested = [...(forced ? [forced] : []), ...navigator.languages];
  const [best] = negotiateLanguages(requested, LOCALES, {
    defaultLocale: DEFAULT_LOCALE,
    strategy: 'lookup',
  });
  return best ?? DEFAULT_LOCALE;
}

export function directionOf(locale: string): 'ltr' | 'rtl' {
  const { language, script } = new Intl.Locale(locale);
  return RTL_LANGUAGES.has(language) || (script && RTL_SCRIPTS.has(script))
    ? 'rtl'
    : 'ltr';
}

/**
 * The page's words in one locale: its catalogue, then English's for any
 * message it lacks (or when it could not be loaded at all).
 */
export class Localization {
  readonly dir: 'ltr' | 'rtl';
  private readonly numbers: Intl.NumberFormat;

  constructor(
    readonly locale: string,
    private readonly bundles: readonly FluentBundle[],
  ) {
    this.dir = directionOf(locale);
    this.numbers = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2 });
  }

  /** A message's text; its id if no catalogue has it (a bug, but the page goes on). */
  t(id: string, args?: MessageArgs): string {
    for (const bundle of this.bundles) {
      const message = bundle.getMessage(id);
      if (message?.value) return bundle.formatPattern(message.value, args, []);
    }
    return id;
  }

  /** A message's attribute (`.alt = …`), or undefined. */
  attribute(id: string, name: string, args?: MessageArgs): string | undefined {
    for (const bundle of this.bundles) {
      const pattern = bundle.getMessage(id)?.attributes[name];
      if (pattern) return bundle.formatPattern(pattern, args, []);
    }
    return undefined;
  }

  /** "4:59" in the locale's digits; rounds up so that "0:00" means it has run out. */
  clock(ms: number): string {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const minutes = new Intl.NumberFormat(this.locale).format(
      Math.floor(total / 60),
    );
    return `${minutes}:${this.numbers.format(total % 60)}`;
  }

  /** Puts the catalogue's words on `<html>` (lang, dir) and on every `[data-l10n-id]` element. */
  translateDocument(): void {
    const root = document.documentElement;
    root.lang = this.locale;
    root.dir = this.dir;
    for (const element of document.querySelectorAll<HTMLElement>(
      '[data-l10n-id]',
    ))
      this.translate(element, element.dataset.l10nId!);
  }

  /** The message's text as the element's content (`<strong>` kept as bold), its attributes on the element. */
  translate(element: HTMLElement, id: string, args?: MessageArgs): void {
    const text = this.t(id, args);
    if (text !== id) element.replaceChildren(...withStrong(text));
    for (const name of LOCALIZABLE_ATTRIBUTES) {
      const value = this.attribute(id, name, args);
      if (value !== undefined) element.setAttribute(name, value);
    }
  }
}

/**
 * Text and `<strong>` elements, never HTML: a catalogue (a host's messages
 * included) cannot put markup or script on the page.
 */
function withStrong(text: string): Node[] {
  return text.split(/<strong>(.*?)<\/strong>/s).map((part, index) => {
    if (index % 2 === 0) return document.createTextNode(part);
    const strong = document.createElement('strong');
    strong.textContent = part;
    return strong;
  });
}

/** The catalogue the server serves beside the page (`locales/<locale>/page.ftl`), or undefined. */
async function bundleOf(
  locale: string,
  useIsolating: boolean,
): Promise<FluentBundle | undefined> {
  try {
    const response = await fetch(
      new URL(`../locales/${locale}/page.ftl`, import.meta.url),
    );
    if (!response.ok) return undefined;
    const bundle = new FluentBundle(locale, { useIsolating });
    bundle.addResource(new FluentResource(await response.text()));
    return bundle;
  } catch {
    return undefined;
  }
}

/**
 * The page's language and its catalogues, English loaded beside for what
 * another catalogue lacks. Placeables are isolated (Unicode FSI/PDI) only
 * right to left, where a Latin name or link in Persian text needs it.
 */
export async function loadLocalization(): Promise<Localization> {
  const wanted = requestedLocale();
  const useIsolating = directionOf(wanted) === 'rtl';
  const [own, english] = await Promise.all([
    bundleOf(wanted, useIsolating),
    wanted === DEFAULT_LOCALE
      ? undefined
      : bundleOf(DEFAULT_LOCALE, useIsolating),
  ]);
  const bundles = [own, english].filter(
    (bundle): bundle is FluentBundle => bundle !== undefined,
  );
  return new Localization(own ? wanted : DEFAULT_LOCALE, bundles);
}
