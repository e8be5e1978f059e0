import type { TelegramUser } from './contract.js';
import type { Localization } from './i18n.js';

/** "4 minutes 59 seconds", for the countdown's accessible name. */
export function describeRemaining(ms: number, l10n: Localization): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts = [];
  if (minutes) parts.push(l10n.t('duration-minutes', { minutes }));
  if (seconds || !minutes) parts.push(l10n.t('duration-seconds', { seconds }));
  return parts.join(' ');
}

export function fullName(user: TelegramUser): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ');
}

/** Up to two letters for the avatar: "Ada Lovelace" → "AL". */
export function initials(user: TelegramUser): string {
  const letters = [user.first_name, user.last_name]
    .filter((name): name is string => Boolean(name))
    .map((name) => Array.from(name.trim())[0] ?? '')
    .join('');
  return letters.toUpperCase() || '?';
}

/** The catalogue's message for each reason the server gives (src/sessions). */
const SESSION_END_MESSAGES: ReadonlyMap<string, string> = new Map([
  ['ended-in-telegram', 'session-ended-in-telegram'],
  ['ended-from-another-session', 'session-ended-from-another-session'],
  ['logged-out', 'session-logged-out'],
  ['refresh-token-reused', 'session-refresh-token-reused'],
  ['logged-out-of-site', 'session-logged-out-of-site'],
  ['ended-by-site', 'session-ended-by-site'],
]);

/** Why the session ended, in words; a reason the page does not know (or none) reads as the plain fact. */
export function describeSessionEnd(
  reason: string | undefined,
  l10n: Localization,
): string {
  const id =
    (reason === undefined ? undefined : SESSION_END_MESSAGES.get(reason)) ??
    'session-ended';
  return l10n.t(id);
}
