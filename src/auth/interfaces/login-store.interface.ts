import type { Login, LoginTransition } from './login.interface.js';

/** How {@link LoginStore.takeResult} treats a result that a push holds. */
export interface TakeResultOptions {
  /**
   * A poll passes true: a result held by a push under way stays where it is, so
   * that the browser gets it once (over its socket, or by a poll once the hold
   * ends). The socket's acknowledgement takes it whatever the hold.
   * @default false
   */
  respectHold?: boolean;
}

/** How {@link LoginStore.holdResult} treats another holder's hold. */
export interface HoldResultOptions {
  /**
   * True: the hold passes to this holder even while another's lasts. A socket
   * that has just connected passes it after waiting a while: the other
   * holder's push may have gone to a socket that died with its instance.
   * @default false
   */
  takeOver?: boolean;
}

/** What {@link LoginStore.holdResult} found. */
export type ResultHoldOutcome = 'held' | 'busy' | 'none';

/**
 * Where logins live between the QR and the browser learning the result.
 * Implementations keep a login until `expiresAt + EXPIRED_LOGIN_RETENTION_MS`
 * and must make `transition`, `holdResult` and `takeResult` atomic: of two
 * racing callers, exactly one wins.
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
   * Reserves an authenticated login's result for a push under way, for `holdMs`
   * (measured by the store's own clock, so instances with skewed clocks agree):
   * polls meanwhile leave it alone, and so does any other push. `held` when
   * `holder` has it now (a holder may renew its own hold), `busy` while another
   * holder's hold lasts (unless `takeOver`), `none` when there is no result to
   * push (taken already, or not authenticated).
   */
  holdResult(
    token: string,
    holder: string,
    holdMs: number,
    options?: HoldResultOptions,
  ): Promise<ResultHoldOutcome>;
  /** Ends the hold if it is still `holder`'s: the push was not acknowledged, and a poll may now take the result. */
  releaseResult(token: string, holder: string): Promise<void>;
  /**
   * Removes an authenticated login and returns it, once: later calls (and finds) return undefined.
   * Called when the browser has the result: a poll answered, or a socket acknowledged the push.
   */
  takeResult(
    token: string,
    options?: TakeResultOptions,
  ): Promise<Login | undefined>;
}
