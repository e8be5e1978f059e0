import { readFileSync } from 'node:fs';
import { FluentDateTime } from '@fluent/bundle';
import type { FluentVariable } from '@fluent/bundle';
import { negotiateLanguages } from '@fluent/langneg';
import {
  I18n,
  type I18nFlavor,
  TranslateWarnings,
  type Warning,
} from '@grammyjs/i18n';
import type { Context } from 'grammy';
import {
  DEFAULT_LOCALE,
  type Locale,
  LOCALES,
} from '../i18n/i18n.constants.js';

/** The languages the bot speaks: those shipped, the page's too. */
export const BOT_LOCALES = LOCALES;
export type BotLocale = Locale;
export const DEFAULT_BOT_LOCALE: BotLocale = DEFAULT_LOCALE;

/** Written right to left: their messages isolate the names put in them (see createBotI18n). */
const RIGHT_TO_LEFT: ReadonlySet<BotLocale> = new Set(['fa']);

/** `locales/<locale>/bot.ftl`, beside `src/` and `dist/` alike. */
const LOCALES_DIRECTORY = new URL('../../locales/', import.meta.url);

/** The longest `language_code` worth matching (BCP 47 tags in use are far shorter). */
const MAX_LANGUAGE_CODE_LENGTH = 35;

/**
 * How many `language_code`s (and locale lists, see rememberBundleMatches) a
 * process remembers the match of. Telegram sends a few dozen codes; past this
 * bound a code is matched again each time, so that memory stays bounded.
 */
const MAX_REMEMBERED_MATCHES = 1000;

/** A message of the catalogue with its variables, in the language chosen for the person. */
export type Translate = (
  key: string,
  variables?: Record<string, FluentVariable>,
) => string;

/** The bot's catalogues (grammY's Fluent plugin), one bundle per shipped locale. */
export type BotI18n = I18n<Context & I18nFlavor>;

/**
 * The shipped locale for a Telegram `language_code` (an IETF tag the app
 * takes from the phone: `ru`, `en-US`, `pt-br`, `es-419`…): the tag itself,
 * else its language alone (`es-419` → `es`), each with Fluent's likely
 * regions (`pt` → `pt-BR`); English for anything else, none included.
 */
export function botLocaleOf(languageCode: string | undefined): BotLocale {
  if (
    !languageCode ||
    languageCode.length > MAX_LANGUAGE_CODE_LENGTH ||
    !/^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/.test(languageCode)
  )
    return DEFAULT_BOT_LOCALE;
  // Fluent's negotiation costs tens of µs, and every update asks it (see rememberBundleMatches).
  return remembered(localeByLanguageCode, languageCode, negotiateBotLocale);
}

const localeByLanguageCode = new Map<string, BotLocale>();

function negotiateBotLocale(languageCode: string): BotLocale {
  const tag = languageCode.replace(/_/g, '-');
  const [match] = negotiateLanguages([tag, tag.split('-')[0]], BOT_LOCALES, {
    strategy: 'lookup',
    defaultLocale: DEFAULT_BOT_LOCALE,
  });
  return (match as BotLocale | undefined) ?? DEFAULT_BOT_LOCALE;
}

/** The shipped catalogue of one locale (Fluent source). */
export function shippedBotCatalogue(locale: BotLocale): string {
  return readFileSync(new URL(`${locale}/bot.ftl`, LOCALES_DIRECTORY), 'utf8');
}

/**
 * The bot's catalogues: the shipped one of each locale, then the host's
 * messages for it (`extra`, Fluent source by locale), which replace ours key
 * by key (the settings have checked them: shipped locales, valid Fluent).
 *
 * Names put into a right-to-left message (a Latin site or browser name in
 * Persian) are wrapped in Unicode isolation marks, so that they do not turn
 * the sentence around them; in the other locales they are not, so that the
 * text is exactly what was written (and copies and searches as such).
 */
export function createBotI18n(
  extra: Readonly<Record<string, string>> = {},
  warn: (message: string) => void = () => {},
): BotI18n {
  const i18n: BotI18n = new I18n({
    defaultLocale: DEFAULT_BOT_LOCALE,
    localeNegotiator: (ctx) => botLocaleOf(ctx.from?.language_code),
    fluentOptions: { warningHandler: (warning) => warn(describe(warning)) },
  });
  for (const locale of BOT_LOCALES)
    i18n.loadLocaleSync(locale, {
      source: `${shippedBotCatalogue(locale)}\n${extra[locale] ?? ''}`,
      bundleOptions: { useIsolating: RIGHT_TO_LEFT.has(locale) },
    });
  rememberBundleMatches(i18n);
  return i18n;
}

/** What rememberBundleMatches reaches of grammY's Fluent: a private method, so typed here. */
interface BundleMatching {
  matchBundles?: (locales: string[]) => unknown;
}

/**
 * grammY's Fluent matches the bundles for the locale anew for every message it
 * formats: Fluent's language negotiation over every shipped locale, about a
 * tenth of a login's CPU in the bench's profile (see the README's Benchmarks).
 * The bundles never change once loaded, so the match for a locale list is
 * remembered. Should a later version of the plugin not have the method, the
 * bot is as correct as before, only slower.
 */
function rememberBundleMatches(i18n: BotI18n): void {
  const fluent = i18n.fluent as unknown as BundleMatching;
  const match = fluent.matchBundles;
  if (typeof match !== 'function') return;
  const matches = new Map<string, unknown>();
  fluent.matchBundles = (locales) =>
    remembered(matches, locales.join('\n'), () => match.call(fluent, locales));
}

/** `compute(key)`, kept in `cache` while it holds fewer than MAX_REMEMBERED_MATCHES entries. */
function remembered<V>(
  cache: Map<string, V>,
  key: string,
  compute: (key: string) => V,
): V {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute(key);
  if (cache.size < MAX_REMEMBERED_MATCHES) cache.set(key, value);
  return value;
}

/** The messages of one locale, for what is sent outside an update (a notice): ctx.t is the same in a handler. */
export function translatorFor(i18n: BotI18n, locale: BotLocale): Translate {
  return (key, variables) => i18n.t(locale, key, variables);
}

/**
 * A moment as the bot shows it: to the minute, in the locale's way, and in
 * UTC, said so ("Jan 1, 2026, 12:00 PM UTC"); the bot does not know the
 * person's time zone.
 */
export const BOT_TIME_FORMAT: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
};

/** A moment (epoch ms) for a message, formatted by Fluent for the message's locale. */
export const botTime = (epochMs: number): FluentDateTime =>
  new FluentDateTime(epochMs, BOT_TIME_FORMAT);

/** {@link botTime} as the messages of `locale` show it. */
export const formatBotTime = (epochMs: number, locale: BotLocale): string =>
  new Intl.DateTimeFormat(locale, BOT_TIME_FORMAT).format(epochMs);

/** Our warnings name the key, never the variables (a person's IP, say). */
function describe(warning: Warning): string {
  return `Bot message "${warning.path}" is missing in ${warning.locales.join(', ')} (${TranslateWarnings[warning.type]})`;
}
