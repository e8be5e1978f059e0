/**
 * The access token lives in sessionStorage: it survives a reload but not the
 * tab, and log-out forgets it. Storage can be unavailable (private modes,
 * blocked cookies); the page then simply forgets on reload.
 */
const KEY = 'telegram-qr-auth.accessToken';

export const session = {
  load(): string | undefined {
    try {
      return sessionStorage.getItem(KEY) ?? undefined;
    } catch {
      return undefined;
    }
  },
  save(accessToken: string): void {
    try {
      sessionStorage.setItem(KEY, accessToken);
    } catch {
      // Unavailable storage only costs the reload.
    }
  },
  forget(): void {
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // Nothing was stored.
    }
  },
};
