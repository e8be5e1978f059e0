import type { TelegramUser } from './contract.js';

/** 299_400 ms → "4:59"; rounds up so that "0:00" means it has run out. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** "4 minutes 59 seconds", for the countdown's accessible name. */
export function describeRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`);
  if (seconds || !minutes)
    parts.push(`${seconds} second${seconds === 1 ? '' : 's'}`);
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

const SESSION_END_REASONS: ReadonlyMap<string, string> = new Map([
  ['ended-in-telegram', 'You ended this session in Telegram.'],
  [
    'ended-from-another-session',
    'You ended this session from another browser.',
  ],
  ['logged-out', 'You logged out.'],
  [
    'refresh-token-reused',
    'Your session was ended because its refresh token was used twice (someone may have copied it).',
  ],
  ['logged-out-of-site', 'You logged out of the site.'],
  ['ended-by-site', 'The site ended your session.'],
]);

/** Why the session ended, in words; a reason the page does not know (or none) reads as the plain fact. */
export function describeSessionEnd(reason: string | undefined): string {
  return (
    (reason === undefined ? undefined : SESSION_END_REASONS.get(reason)) ??
    'Your session has ended.'
  );
}
