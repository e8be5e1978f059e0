import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { EXPIRED_LOGIN_RETENTION_MS } from '../auth.constants.js';
import type {
  Login,
  LoginStore,
  LoginTransition,
} from '../interfaces/index.js';

const SWEEP_INTERVAL_MS = 10_000;

/**
 * The default store: one process, no server needed. JavaScript runs one
 * callback at a time, so a check and its write in one synchronous block are atomic.
 */
@Injectable()
export class MemoryLoginStore implements LoginStore, OnModuleDestroy {
  private readonly logins = new Map<string, Login>();
  // One sweep for all logins instead of a timer each: memory stays flat with many waiting logins.
  private readonly sweeper = setInterval(
    () => this.sweep(Date.now()),
    SWEEP_INTERVAL_MS,
  ).unref();

  async create(login: Login): Promise<void> {
    this.logins.set(login.token, { ...login });
  }

  async find(token: string): Promise<Login | undefined> {
    const login = this.live(token, Date.now());
    return login && { ...login };
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
    return { ...login };
  }

  async takeResult(token: string): Promise<Login | undefined> {
    const login = this.live(token, Date.now());
    if (!login || login.status !== 'authenticated') return undefined;
    this.logins.delete(token);
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
      this.logins.delete(token);
      return undefined;
    }
    return login;
  }

  private sweep(now: number): void {
    for (const [token, login] of this.logins) {
      if (now >= login.expiresAt + EXPIRED_LOGIN_RETENTION_MS)
        this.logins.delete(token);
    }
  }
}
