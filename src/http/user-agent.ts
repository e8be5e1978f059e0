import Bowser from 'bowser';
import { isIP } from 'node:net';

/**
 * `text` in at most `max` UTF-16 units (what JavaScript and Telegram count),
 * ending in … when cut, and never in half a surrogate pair.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/**
 * Names bowser gives only to browsers it recognizes. Its catch-all takes
 * whatever the User-Agent calls itself before the first slash, so that
 * "Official Telegram Security Check/1.0" would be shown as a browser.
 * (`Generic` is one of bowser's names, but it stands for no browser.)
 */
const KNOWN_BROWSERS: ReadonlySet<string> = new Set(
  Object.values(Bowser.BROWSER_MAP).filter((name) => name !== 'Generic'),
);
const KNOWN_SYSTEMS: ReadonlySet<string> = new Set(
  Object.values(Bowser.OS_MAP),
);

/** Longer than any description made of bowser's names and short versions; a bound all the same. */
const MAX_BROWSER_LENGTH = 100;
/** The longest textual IPv6 address (with an IPv4 tail). */
const MAX_IP_LENGTH = 45;

/**
 * "Chrome 120 on Windows 10": only names the parser knows and versions of a
 * few short numbers (the User-Agent is the browser's own claim, easy to
 * forge, and its raw text could be any length). Otherwise "unknown browser".
 */
export function describeBrowser(userAgent: string | undefined): string {
  if (!userAgent) return 'unknown';
  const { browser = 'unknown browser', os } = browserAndSystem(userAgent);
  return shorten(os ? `${browser} on ${os}` : browser, MAX_BROWSER_LENGTH);
}

/**
 * The first `parts` numbers of a version made of dot-separated numbers of at
 * most four digits ("17.1.2" → "17.1"); undefined for anything else.
 */
function shortVersion(
  version: string | undefined,
  parts: number,
): string | undefined {
  if (!version || !/^\d{1,4}(?:\.\d{1,4})*$/.test(version)) return undefined;
  return version.split('.').slice(0, parts).join('.');
}

/** The address Express read (from X-Forwarded-For behind a trusted proxy, so any text a proxy passed on). */
export function describeIp(ip: string | undefined): string {
  return ip && isIP(ip) ? shorten(ip, MAX_IP_LENGTH) : 'unknown';
}

/** A browser and its system, each as {@link describeBrowser} names them; undefined where unknown. */
export interface BrowserAndSystem {
  browser?: string;
  os?: string;
}

/** {@link describeBrowser}'s two halves apart, for a list of sessions with a column for each. */
export function browserAndSystem(
  userAgent: string | undefined,
): BrowserAndSystem {
  if (!userAgent) return {};
  const { browser, os } = Bowser.parse(userAgent);
  const result: BrowserAndSystem = {};
  if (browser.name && KNOWN_BROWSERS.has(browser.name))
    result.browser = shorten(
      [browser.name, shortVersion(browser.version, 1)]
        .filter(Boolean)
        .join(' '),
      MAX_BROWSER_LENGTH,
    );
  if (os.name && KNOWN_SYSTEMS.has(os.name))
    result.os = shorten(
      [os.name, os.versionName ?? shortVersion(os.version, 2)]
        .filter(Boolean)
        .join(' '),
      MAX_BROWSER_LENGTH,
    );
  return result;
}
