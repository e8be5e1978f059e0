import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { EXPIRED_LOGIN_RETENTION_MS } from '../auth.constants.js';
import type {
  Login,
  HoldResultOptions,
  LoginStore,
  LoginTransition,
  ResultHoldOutcome,
  TakeResultOptions,
} from '../interfaces/index.js';

interface ResultHold {
  holder: string;
  /** Epoch ms. */
  until: number;
}

const SWEEP_INTERVAL_MS = 10_000;

/** What the store hands out or keeps is its own copy (the OpenID context included). */
function copyOf(login: Login): Login {
  return login.oidc ? { ...login, oidc: { ...login.oidc } } : { ...login };
}

/**
 * The default store: one process, no server needed. JavaScript runs one
 * callback at a time, so a check and its write in one synchronous block are atomic.
 */
@Injectable()
export class MemoryLoginStore implements LoginStore, OnModuleDestroy {
  private readonly logins = new Map<string, Login>();
  private readonly holds = new Map<string, ResultHold>();
  // One sweep for all logins instead of a timer each: memory stays flat with many waiting logins.
  private readonly sweeper = setInterval(
    () => this.sweep(Date.now()),
    SWEEP_INTERVAL_MS,
  ).unref();

  async create(login: Login): Promise<void> {
    this.logins.set(login.token, copyOf(login));
  }

  async find(token: string): Promise<Login | undefined> {
    const login = this.live(token, Date.now());
    return login && copyOf(login);
  }

  async transition(
    token: string,
    change: LoginTransition,
  ): Promise<Login | undefined> {
    const login = this.live(token, change.now);
    if (!login || login.status !== change.from || change.now >= login.expiresAt)
      return undefined;
    login.status = change.to;
    Object.assign(login, change.set);
    return copyOf(login);
  }

  async holdResult(
    token: string,
    holder: string,
    holdMs: number,
    { takeOver = false }: HoldResultOptions = {},
  ): Promise<ResultHoldOutcome> {
    const now = Date.now();
    if (this.live(token, now)?.status !== 'authenticated') return 'none';
    const current = this.holds.get(token);
    if (
      !takeOver &&
      current &&
      current.holder !== holder &&
      now < current.until
    )
      return 'busy';
    this.holds.set(token, { holder, until: now + holdMs });
    return 'held';
  }

  async releaseResult(token: string, holder: string): Promise<void> {
    if (this.holds.get(token)?.holder === holder) this.holds.delete(token);
  }

  async takeResult(
    token: string,
    { respectHold = false }: TakeResultOptions = {},
  ): Promise<Login | undefined> {
    const now = Date.now();
    const login = this.live(token, now);
    if (!login || login.status !== 'authenticated') return undefined;
    if (respectHold && now < (this.holds.get(token)?.until ?? 0))
      return undefined;
    this.forget(token);
    return login;
  }

  /** How many logins are held; for tests and metrics. */
  get size(): number {
    return this.logins.size;
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private live(token: string, now: number): Login | undefined {
    const login = this.logins.get(token);
    if (login && now >= login.expiresAt + EXPIRED_LOGIN_RETENTION_MS) {
      this.forget(token);
      return undefined;
    }
    return login;
  }

  private sweep(now: number): void {
    for (const [token, login] of this.logins) {
      if (now >= login.expiresAt + EXPIRED_LOGIN_RETENTION_MS)
        this.forget(token);
    }
  }

  private forget(token: string): void {
    this.logins.delete(token);
    this.holds.delete(token);
  }
}
