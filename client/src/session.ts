import type { SessionTokens } from './contract.js';

/** A session's tokens as the page keeps them. */
export interface StoredSession extends SessionTokens {
  /** Date.now() when the page got them: the access token's life is counted from here. */
  receivedAt: number;
}

/**
 * The session's tokens live together in sessionStorage: they survive a reload
 * but not the tab, and log-out forgets them. Not localStorage: each tab has
 * its own login and session, and two tabs sharing one refresh token would
 * spend it twice, which ends the session. The refresh token is as sensitive
 * as the access token, so it is kept no longer and no wider. Storage can be
 * unavailable (private modes, blocked cookies); the page then simply forgets
 * on reload.
 */
const KEY = 'telegram-qr-auth.session';
/** Where earlier versions kept the access token alone (it cannot be refreshed). */
const LEGACY_KEY = 'telegram-qr-auth.accessToken';

export const session = {
  load(): StoredSession | undefined {
    try {
      return parse(sessionStorage.getItem(KEY));
    } catch {
      return undefined;
    }
  },
  save(tokens: StoredSession): void {
    try {
      sessionStorage.setItem(KEY, JSON.stringify(tokens));
    } catch {
      // Unavailable storage only costs the reload.
    }
  },
  forget(): void {
    try {
      sessionStorage.removeItem(KEY);
      sessionStorage.removeItem(LEGACY_KEY);
    } catch {
      // Nothing was stored.
    }
  },
};

function parse(text: string | null): StoredSession | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<StoredSession> | null;
    return typeof value?.accessToken === 'string' &&
      typeof value.refreshToken === 'string' &&
      typeof value.receivedAt === 'number'
      ? {
          accessToken: value.accessToken,
          refreshToken: value.refreshToken,
          receivedAt: value.receivedAt,
        }
      : undefined;
  } catch {
    return undefined;
  }
}
