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
   * Called when the browser has the result: a poll answered, or a socket acknowledged the push.
   */
  takeResult(token: string): Promise<Login | undefined>;
}
