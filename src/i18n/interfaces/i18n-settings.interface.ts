import type { Locale } from '../i18n.constants.js';

/** The `messages` option, checked: Fluent source per shipped locale. */
export interface I18nSettings {
  messages: Readonly<Partial<Record<Locale, string>>>;
}
