import { Inject, Injectable, Optional } from '@nestjs/common';
import { createHash, randomInt } from 'node:crypto';
import {
  LOGIN_STORE,
  LOGIN_TOKEN_PATTERN,
  RESULT_HOLD_MS,
} from './auth.constants.js';
import type { LoginStatusDto } from './dto/login-status.dto.js';
import type {
  Login,
  LoginOidcContext,
  LoginRequester,
  LoginStore,
  ResultHoldOutcome,
  SessionGrant,
  StoredLoginStatus,
  TelegramUser,
} from './interfaces/index.js';
import { LoginEventsService } from './login-events.service.js';
import { LoginPolicy } from './login-policy.js';
import {
  generateLoginSecret,
  generateLoginToken,
  hashLoginSecret,
  loginSecretMatches,
} from './login-secrets.js';
import { SessionService } from '../sessions/session.service.js';
import type { SessionRecord } from '../sessions/interfaces/index.js';
import { AUTH_SETTINGS, ROUTE_PREFIX } from '../telegram-qr-auth.constants.js';
import type { AuthSettings } from '../interfaces/settings.interface.js';
import { oidcCompletePath } from '../oidc/oidc-paths.js';
import { ProfilePhotoLinks } from '../photos/profile-photo-links.service.js';

/** What a `/start <token>` amounted to, so the bot can tell the person. */
export type ScanOutcome =
  /** `login` (when known) names the site that asked, for the bot's answer. */
  | { result: 'authenticated'; login?: Login }
  /** A confirmation mode is on: the person must now confirm in the chat. */
  | { result: 'scanned'; login: Login }
  /** A second `/start` from the person who scanned, while the login still waits for their answer. */
  | { result: 'awaiting-confirmation'; login: Login }
  /** The login policy does not let this Telegram user in; the login is denied. */
  | { result: 'refused'; reason?: string; login?: Login }
  | { result: 'expired' | 'unknown' };

/** What a Confirm, Deny or code button amounted to. */
export type DecisionOutcome =
  | 'authenticated'
  | 'denied'
  /** Code mode: the person picked a number other than the one the page shows. */
  | 'wrong-code'
  | 'expired'
  | 'unknown'
  /** Someone other than the person who scanned pressed the button. */
  | 'wrong-user'
  | 'already-authenticated'
  | 'already-denied';

/** A decision's outcome and the login it was about (when known), whose site the bot names. */
export interface DecisionResult {
  outcome: DecisionOutcome;
  login?: Login;
}

export type Decision =
  { confirm: true; pickedCode?: string } | { confirm: false };

export interface NewLogin {
  login: Login;
  /** Handed to the browser once, never stored. */
  secret: string;
}

/** The life of a login: created, scanned, confirmed or denied, delivered once. */
@Injectable()
export class LoginService {
  constructor(
    @Inject(LOGIN_STORE) private readonly store: LoginStore,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly sessions: SessionService,
    private readonly events: LoginEventsService,
    private readonly policy: LoginPolicy,
    @Optional()
    @Inject(ROUTE_PREFIX)
    private readonly routePrefix: string = '',
    @Optional() private readonly photos?: ProfilePhotoLinks,
  ) {}

  /** `oidc`: the login is an OpenID Connect authorization's interaction (see {@link Login.oidc}). */
  async create(
    requester: LoginRequester,
    now = Date.now(),
    oidc?: LoginOidcContext,
  ): Promise<NewLogin> {
    const secret = generateLoginSecret();
    const login: Login = {
      token: generateLoginToken(),
      secretHash: hashLoginSecret(secret),
      status: 'pending',
      createdAt: now,
      expiresAt: now + this.settings.tokenTtlSeconds * 1000,
      requester,
      ...(oidc ? { oidc: { ...oidc } } : {}),
    };
    // Two digits without a leading zero, so that the page and the buttons read the same.
    if (this.settings.confirmation === 'code')
      login.matchCode = String(randomInt(10, 100));
    await this.store.create(login);
    this.events.publish({ token: login.token, status: 'pending', at: now });
    return { login, secret };
  }

  /** The login, if the caller holds its secret; undefined for an unknown token and a wrong secret alike. */
  async authorize(token: unknown, secret: unknown): Promise<Login | undefined> {
    if (typeof token !== 'string' || !LOGIN_TOKEN_PATTERN.test(token))
      return undefined;
    const login = await this.store.find(token);
    return login && loginSecretMatches(login.secretHash, secret)
      ? login
      : undefined;
  }

  /**
   * The status for a caller already authorized (a poll). An authenticated result is
   * handed out once: this takes it, and later calls get undefined. While a push to the
   * login's socket holds it, the poll hears `pending`: the result is on its way there,
   * and comes to a later poll if that socket does not acknowledge it.
   */
  async statusOf(
    token: string,
    now = Date.now(),
  ): Promise<LoginStatusDto | undefined> {
    const login = await this.store.find(token);
    if (!login) return undefined;
    if (login.status !== 'authenticated')
      return await this.describe(login, now);
    // An interaction's result only says where to go on, and stays for that endpoint to take.
    if (login.oidc) return this.resultOf(login);
    const taken = await this.store.takeResult(token, { respectHold: true });
    if (taken) return this.resultOf(taken);
    return (await this.store.find(token)) ? { status: 'pending' } : undefined;
  }

  /**
   * Reserves an authenticated login's result for a push that `holder` is making, so that a
   * poll or another push meanwhile does not send it as well: see {@link LoginStore.holdResult}.
   */
  holdResult(
    token: string,
    holder: string,
    takeOver = false,
  ): Promise<ResultHoldOutcome> {
    return this.store.holdResult(token, holder, RESULT_HOLD_MS, { takeOver });
  }

  /** The push was not acknowledged: a poll may take the result now. */
  releaseResult(token: string, holder: string): Promise<void> {
    return this.store.releaseResult(token, holder);
  }

  /**
   * What a socket is told: the status, or for an authenticated login its result with a fresh
   * access token, which stays in the store until {@link forgetResult} (the socket acknowledged
   * it) or a poll takes it. Undefined for a login that is gone.
   */
  async peek(
    token: string,
    now = Date.now(),
  ): Promise<LoginStatusDto | undefined> {
    const login = await this.store.find(token);
    if (!login) return undefined;
    return login.status === 'authenticated'
      ? await this.resultOf(login)
      : await this.describe(login, now);
  }

  /** Removes an authenticated login whose result the browser has acknowledged; true if this call removed it. */
  async forgetResult(token: string): Promise<boolean> {
    return (await this.store.takeResult(token)) !== undefined;
  }

  /**
   * Takes an authenticated login's result, once, whatever a push holds: for the
   * OpenID interaction's complete endpoint. Undefined if it is gone already.
   */
  takeResult(token: string): Promise<Login | undefined> {
    return this.store.takeResult(token);
  }

  /** Like {@link statusOf} but never takes a result: undefined once the login is authenticated. */
  async peekStatus(
    token: string,
    now = Date.now(),
  ): Promise<LoginStatusDto | undefined> {
    const login = await this.store.find(token);
    return login && login.status !== 'authenticated'
      ? this.describe(login, now)
      : undefined;
  }

  private async resultOf(login: Login): Promise<LoginStatusDto | undefined> {
    if (!login.user) return undefined;
    // No access token for an interaction's browser: it goes on to the complete endpoint with its secret.
    if (login.oidc)
      return {
        status: 'authenticated',
        continueTo: oidcCompletePath(
          this.routePrefix,
          login.oidc.interactionUid,
        ),
      };
    // Ended already (in the bot, say) before the browser heard of its login: nothing to hand out.
    const session = login.sid && (await this.sessions.findRecord(login.sid));
    if (!session) return undefined;
    return {
      status: 'authenticated',
      user: login.user,
      ...(await this.photoUrlOf(login.user)),
      ...(await this.sessions.tokensOf(session)),
    };
  }

  /** `photoUrl` for the page, when photos are on: made here, without asking Telegram, so that it never holds a login up. */
  private async photoUrlOf(
    user: TelegramUser | undefined,
  ): Promise<Pick<LoginStatusDto, 'photoUrl'>> {
    const photoUrl = user && (await this.photos?.pagePath(user.id));
    return photoUrl ? { photoUrl } : {};
  }

  /**
   * The session a login starts: for the site that asked (the OpenID client, or this app), from
   * the browser that asked. Its id follows from the login and the update that completes it, so
   * that a copy of an update whose handling failed (Telegram sends it again) makes the same
   * session again rather than leaving the first one behind, listed but never used.
   */
  private startSession(
    login: Login,
    user: TelegramUser,
    grant: SessionGrant | undefined,
    now: number,
    updateId: number | undefined,
    language: string | undefined,
  ): Promise<SessionRecord> {
    return this.sessions.start(
      {
        user,
        grant,
        language,
        site: login.oidc?.clientName ?? this.settings.appName,
        clientId: login.oidc?.clientId,
        requester: login.requester,
        sid: updateId === undefined ? undefined : sessionIdOf(login, updateId),
      },
      now,
    );
  }

  /** Tells of the session of a login whose completion is told late (a replay): once it is sure. */
  private async announceSessionOf(login: Login): Promise<void> {
    const session = login.sid && (await this.sessions.findRecord(login.sid));
    if (session) this.sessions.announce(session);
  }

  /**
   * `/start <token>` from Telegram. Without confirmation it logs the browser
   * in; with it, the login waits for the person's answer in the chat, and a
   * later `/start` of theirs is `awaiting-confirmation`. `language` is the
   * `language_code` of the person's Telegram, kept with the session for the
   * bot's messages about it.
   */
  async scan(
    token: string,
    user: TelegramUser,
    chatId: number,
    now = Date.now(),
    updateId?: number,
    language?: string,
  ): Promise<ScanOutcome> {
    const current = await this.store.find(token);
    if (current && isReplay(current, user, updateId))
      return await this.replayScan(current, now);
    if (current?.status === 'scanned')
      return this.scanAgain(current, user, now);
    if (current?.status !== 'pending') return { result: 'unknown' };
    if (now >= current.expiresAt) return { result: 'expired' };

    // Asked only for a login that can still happen, so a host's policy never sees junk tokens.
    const decision = await this.policy.decide(user);
    if (!decision.allowed) {
      const refused = await this.store.transition(token, {
        from: 'pending',
        to: 'denied',
        set: { user, chatId, updateId },
        now,
      });
      if (!refused)
        return this.scan(token, user, chatId, now, updateId, language);
      this.events.publish({ token, status: 'denied', user, at: now });
      return { result: 'refused', reason: decision.reason, login: refused };
    }

    const to: StoredLoginStatus =
      this.settings.confirmation === 'off' ? 'authenticated' : 'scanned';
    const grant: SessionGrant = {
      subject: decision.subject,
      claims: decision.claims,
    };
    // Started first, so that no authenticated login is without its session; taken back if the race is lost.
    const session =
      to === 'authenticated'
        ? await this.startSession(current, user, grant, now, updateId, language)
        : undefined;
    const login = await this.store.transition(token, {
      from: 'pending',
      to,
      set: { user, chatId, grant, updateId, sid: session?.sid },
      now,
    });
    // Lost a race with another /start of the same token: it is no longer pending, so report what it is now.
    if (!login) {
      if (session) await this.sessions.discard(session.sid, now);
      return this.scan(token, user, chatId, now, updateId, language);
    }
    if (session) this.sessions.announce(session);
    this.events.publish({ token, status: to, user, at: now });
    return to === 'scanned'
      ? { result: 'scanned', login }
      : { result: 'authenticated', login };
  }

  /**
   * A copy of the update whose scan the store applied while its handling failed (Redis ran the
   * change after the handler had stopped waiting, and Telegram was answered 503). The browser
   * was never told and the person never answered: both happen now, as they would have then.
   */
  private async replayScan(login: Login, now: number): Promise<ScanOutcome> {
    const { token, user } = login;
    switch (login.status) {
      case 'authenticated':
        await this.announceSessionOf(login);
        this.events.publish({ token, status: 'authenticated', user, at: now });
        return { result: 'authenticated', login };
      case 'scanned':
        this.events.publish({ token, status: 'scanned', user, at: now });
        return { result: 'scanned', login };
      default:
        this.events.publish({ token, status: 'denied', user, at: now });
        return { result: 'refused', login };
    }
  }

  /**
   * `/start` of a login already scanned. Only the person who scanned hears that it
   * waits for them: to anyone else it is a token in use, as if unknown, so that a
   * stranger holding the QR code learns nothing and gets no buttons.
   */
  private scanAgain(
    login: Login,
    user: TelegramUser,
    now: number,
  ): ScanOutcome {
    if (login.user?.id !== user.id) return { result: 'unknown' };
    if (now >= login.expiresAt) return { result: 'expired' };
    return { result: 'awaiting-confirmation', login };
  }

  /** The person's answer to the confirmation message. Only the person who scanned may answer, once. */
  async decide(
    token: string,
    user: TelegramUser,
    decision: Decision,
    now = Date.now(),
    updateId?: number,
  ): Promise<DecisionOutcome> {
    return (await this.decideFor(token, user, decision, now, updateId)).outcome;
  }

  /** {@link decide}, with the login the answer was about, for the bot to name its site; `language` as in {@link scan}. */
  async decideFor(
    token: string,
    user: TelegramUser,
    decision: Decision,
    now = Date.now(),
    updateId?: number,
    language?: string,
  ): Promise<DecisionResult> {
    const login = await this.store.find(token);
    // The press was applied while its handling failed (see replayScan): tell everyone now.
    if (
      login &&
      login.status !== 'scanned' &&
      isReplay(login, user, updateId)
    ) {
      const status =
        login.status === 'authenticated' ? 'authenticated' : 'denied';
      if (status === 'authenticated') await this.announceSessionOf(login);
      this.events.publish({ token, status, user, at: now });
      return { outcome: status, login };
    }
    const refusal = login ? this.refusal(login, user, now) : 'unknown';
    if (refusal) return { outcome: refusal, login };

    const wrongCode =
      decision.confirm &&
      login!.matchCode !== undefined &&
      decision.pickedCode !== login!.matchCode;
    const to: StoredLoginStatus =
      decision.confirm && !wrongCode ? 'authenticated' : 'denied';
    const session =
      to === 'authenticated' && login!.user
        ? await this.startSession(
            login!,
            login!.user,
            login!.grant,
            now,
            updateId,
            language,
          )
        : undefined;
    const changed = await this.store.transition(token, {
      from: 'scanned',
      to,
      set: { updateId, sid: session?.sid },
      now,
    });
    if (!changed && session) await this.sessions.discard(session.sid, now);
    if (changed && session) this.sessions.announce(session);
    if (!changed) {
      // Another press won the race (or the login expired in between): report what it is now.
      const current = await this.store.find(token);
      return {
        outcome: (current && this.refusal(current, user, now)) || 'unknown',
        login: current ?? login,
      };
    }
    this.events.publish({ token, status: to, user, at: now });
    return {
      outcome:
        to === 'authenticated'
          ? 'authenticated'
          : wrongCode
            ? 'wrong-code'
            : 'denied',
      login: changed,
    };
  }

  private async describe(login: Login, now: number): Promise<LoginStatusDto> {
    if (login.status === 'denied') return { status: 'denied' };
    if (now >= login.expiresAt) return { status: 'expired' };
    return login.status === 'scanned'
      ? {
          status: 'scanned',
          firstName: login.user?.first_name,
          ...(await this.photoUrlOf(login.user)),
        }
      : { status: 'pending' };
  }

  private refusal(
    login: Login,
    user: TelegramUser,
    now: number,
  ): DecisionOutcome | undefined {
    if (login.status === 'authenticated') return 'already-authenticated';
    if (login.status === 'denied') return 'already-denied';
    if (now >= login.expiresAt) return 'expired';
    if (login.status !== 'scanned') return 'unknown';
    if (login.user?.id !== user.id) return 'wrong-user';
    return undefined;
  }
}

/**
 * A session id made from the login and the update that completes it. The secret's hash is in
 * it so that someone who saw the QR code (the token) cannot work the id out; ids are not
 * secrets, but nothing about a login should follow from the QR alone.
 */
function sessionIdOf(login: Login, updateId: number): string {
  return createHash('sha256')
    .update(`session:${login.secretHash}:${login.token}:${updateId}`)
    .digest('base64url')
    .slice(0, 22);
}

/** The login's last change came from this very update, by this very person. */
function isReplay(
  login: Login,
  user: TelegramUser,
  updateId: number | undefined,
): boolean {
  return (
    updateId !== undefined &&
    login.updateId === updateId &&
    login.user?.id === user.id
  );
}
