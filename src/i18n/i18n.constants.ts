import { fileURLToPath } from 'node:url';

/** The languages shipped, as BCP 47 tags; a catalogue of each lives in `locales/<locale>/`. */
export const LOCALES = ['en', 'ru', 'uk', 'es', 'pt-BR', 'fa', 'id'] as const;
export type Locale = (typeof LOCALES)[number];

/** Every catalogue is complete in it, and the others fall back to it. */
export const DEFAULT_LOCALE: Locale = 'en';

/** A catalogue per part that speaks: `page.ftl` is the login page's, `bot.ftl` the bot's. */
export const CATALOGUES = ['page', 'bot'] as const;
export type Catalogue = (typeof CATALOGUES)[number];

/** The shipped catalogues, beside `src/` or `dist/` alike. */
export const LOCALES_ROOT = fileURLToPath(
  new URL('../../locales', import.meta.url),
);

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}
