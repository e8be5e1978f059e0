import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../config/index.js';
import { LOGIN_STORE, LOGIN_TOKEN_PATTERN } from './auth.constants.js';
import type { LoginStatusDto } from './dto/login-status.dto.js';
import type { Login, LoginRequester, LoginStore, TelegramUser } from './interfaces/index.js';
import { LoginEventsService } from './login-events.service.js';
import { generateLoginSecret, generateLoginToken, hashLoginSecret, loginSecretMatches } from './login-secrets.js';
import { SessionService } from './session.service.js';

/** What happened to a `/start <token>`, so the bot can tell the person. */
export type TelegramLoginOutcome = 'authenticated' | 'expired' | 'unknown';

export interface NewLogin {
  login: Login;
  /** Handed to the browser once, never stored. */
  secret: string;
}

/** The life of a login: created, completed from Telegram, delivered once. */
@Injectable()
export class LoginService {
  constructor(
    @Inject(LOGIN_STORE) private readonly store: LoginStore,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly sessions: SessionService,
    private readonly events: LoginEventsService,
  ) {}

  async create(requester: LoginRequester, now = Date.now()): Promise<NewLogin> {
    const secret = generateLoginSecret();
    const login: Login = {
      token: generateLoginToken(),
      secretHash: hashLoginSecret(secret),
      status: 'pending',
      createdAt: now,
      expiresAt: now + this.config.tokenTtlSeconds * 1000,
      requester,
    };
    await this.store.create(login);
    return { login, secret };
  }

  /** The login, if the caller holds its secret; undefined for an unknown token and a wrong secret alike. */
  async authorize(token: unknown, secret: unknown): Promise<Login | undefined> {
    if (typeof token !== 'string' || !LOGIN_TOKEN_PATTERN.test(token)) return undefined;
    const login = await this.store.find(token);
    return login && loginSecretMatches(login.secretHash, secret) ? login : undefined;
  }

  /**
   * The status for a caller already authorized. An authenticated result is
   * handed out once: this takes it, and later calls get undefined.
   */
  async statusOf(token: string, now = Date.now()): Promise<LoginStatusDto | undefined> {
    const login = await this.store.find(token);
    if (!login) return undefined;
    if (login.status === 'authenticated') return this.takeResult(token);
    return { status: now >= login.expiresAt ? 'expired' : 'pending' };
  }

  /** Takes an authenticated login's result, once, with a fresh access token. */
  async takeResult(token: string): Promise<LoginStatusDto | undefined> {
    const login = await this.store.takeResult(token);
    if (!login?.user) return undefined;
    return { status: 'authenticated', user: login.user, accessToken: await this.sessions.issue(login.user) };
  }

  /** `/start <token>` from Telegram: logs the browser in if the token is still pending. */
  async completeFromTelegram(token: string, user: TelegramUser, now = Date.now()): Promise<TelegramLoginOutcome> {
    const login = await this.store.transition(token, { from: 'pending', to: 'authenticated', set: { user }, now });
    if (login) {
      this.events.publish({ token, status: 'authenticated' });
      return 'authenticated';
    }
    const current = await this.store.find(token);
    return current?.status === 'pending' && now >= current.expiresAt ? 'expired' : 'unknown';
  }
}
