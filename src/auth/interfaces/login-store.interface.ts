import type { Login, LoginTransition } from './login.interface.js';

/**
 * Where logins live between the QR and the browser learning the result.
 * Implementations keep a login until `expiresAt + EXPIRED_LOGIN_RETENTION_MS`
 * and must make `transition` and `takeResult` atomic: of two racing callers,
 * exactly one wins.
 */
export interface LoginStore {
  create(login: Login): Promise<void>;
  find(token: string): Promise<Login | undefined>;
  /** Applies the transition if the login is still in `from` and not expired; returns the updated login or undefined. */
  transition(
    token: string,
    change: LoginTransition,
  ): Promise<Login | undefined>;
  /**
   * Removes an authenticated login and returns it, once: later calls (and finds) return undefined.
   * With `ifWatched`, only while at least one socket waits for it (see `addWatcher`): a result
   * that no socket would receive stays for the browser's poll.
   */
  takeResult(
    token: string,
    options?: TakeResultOptions,
  ): Promise<Login | undefined>;
  /**
   * Counts a socket that waits for the login, across every instance sharing the store; a no-op
   * for a login that is gone. Pushing a result then needs no cluster-wide question "who is listening?".
   */
  addWatcher(token: string): Promise<void>;
  /** Uncounts a socket counted by `addWatcher` (it disconnected). */
  removeWatcher(token: string): Promise<void>;
}

export interface TakeResultOptions {
  /** Take the result only if a socket waits for it (the watcher count is above zero). */
  ifWatched?: boolean;
}
