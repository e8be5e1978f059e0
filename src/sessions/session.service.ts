import { Inject, Injectable } from '@nestjs/common';
import type {
  LoginRequester,
  SessionGrant,
  TelegramUser,
} from '../auth/interfaces/index.js';
import { browserAndSystem } from '../http/user-agent.js';
import type { AuthSettings } from '../interfaces/settings.interface.js';
import { AUTH_SETTINGS } from '../telegram-qr-auth.constants.js';
import { AccessTokenService, type Session } from './access-token.service.js';
import type {
  SessionEndReason,
  SessionInfo,
  SessionOidcLinks,
  SessionRecord,
  SessionStore,
} from './interfaces/index.js';
import {
  generateRefreshKey,
  generateSessionId,
  parseRefreshToken,
  refreshTokenIsGenuine,
  refreshTokenOf,
  SESSION_ID_PATTERN,
} from './refresh-tokens.js';
import { SessionCheckCache } from './session-check.cache.js';
import { SessionEventsService } from './session-events.service.js';
import { SESSION_STORE } from './sessions.constants.js';

/** What a completed login starts a session with. */
export interface NewSession {
  user: TelegramUser;
  grant?: SessionGrant;
  /** The `language_code` of the person's Telegram at the login, when Telegram told it. */
  language?: string;
  /** The site logged in to, as the person will see it listed. */
  site: string;
  /** The OpenID client, when the site is one. */
  clientId?: string;
  /** The browser that asked for the login. */
  requester: LoginRequester;
  /** The id, when the caller must be able to make the same session again; a random one otherwise. */
  sid?: string;
  /**
   * When it ends by itself (epoch ms), if sooner than a whole session's
   * lifetime: a site logged in to through an earlier scan (single sign-on)
   * lasts as long as that scan's session.
   * @default now + sessionTtlSeconds
   */
  expiresAt?: number;
}

/** A session's tokens, as the browser gets them at the login and at each refresh. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * The sessions of people who logged in: started by each completed login,
 * listed and ended by the person (page, API, bot), by the site (OpenID
 * logout) or by the host. An access token works only while its session goes
 * on; a refresh token gives the next pair once, and one spent before ends the
 * session (someone else may hold its tokens).
 */
@Injectable()
export class SessionService {
  private readonly checked = new SessionCheckCache();

  constructor(
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly accessTokens: AccessTokenService,
    private readonly events: SessionEventsService,
  ) {}

  /** Starts a session, told to nobody yet: see {@link announce}. */
  async start(input: NewSession, now = Date.now()): Promise<SessionRecord> {
    const session: SessionRecord = {
      sid: input.sid ?? generateSessionId(),
      user: { ...input.user },
      ...(input.grant ? { grant: input.grant } : {}),
      ...(input.language ? { language: input.language } : {}),
      site: input.site,
      ...(input.clientId ? { clientId: input.clientId } : {}),
      ...browserAndSystem(input.requester.userAgent),
      ...(input.requester.ip ? { ip: input.requester.ip } : {}),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: Math.min(
        input.expiresAt ?? Infinity,
        now + this.settings.sessionTtlSeconds * 1000,
      ),
      refreshKey: generateRefreshKey(),
      refreshGeneration: 0,
    };
    await this.store.create(session);
    return session;
  }

  /** Tells everyone that a session started (once the login it belongs to is sure to complete). */
  announce(session: SessionRecord): void {
    this.events.publishCreated(infoOf(session));
  }

  /** The session while it goes on, with what makes its tokens: for the parts of this module only. */
  findRecord(
    sid: string,
    now = Date.now(),
  ): Promise<SessionRecord | undefined> {
    return SESSION_ID_PATTERN.test(sid)
      ? this.store.find(sid, now)
      : Promise.resolve(undefined);
  }

  /** The session while it goes on. */
  async find(sid: string, now = Date.now()): Promise<SessionInfo | undefined> {
    const session = await this.findRecord(sid, now);
    return session && infoOf(session);
  }

  /** The tokens of a session as it is now: what the browser gets at the end of its login. */
  async tokensOf(session: SessionRecord): Promise<SessionTokens> {
    return {
      accessToken: await this.accessTokenOf(session),
      refreshToken: refreshTokenOf(session, session.refreshGeneration),
    };
  }

  accessTokenOf(session: SessionInfo): Promise<string> {
    return this.accessTokens.issue(session.user, session.sid, session.grant);
  }

  /**
   * The next tokens for a refresh token, whose generation is then spent;
   * undefined for anything else. A spent one (a genuine token of an earlier
   * generation) ends the session: either its holder or someone who copied
   * it is not who the session is for.
   */
  async refresh(
    refreshToken: unknown,
    now = Date.now(),
  ): Promise<SessionTokens | undefined> {
    const token = parseRefreshToken(refreshToken);
    const session = token && (await this.store.find(token.sid, now));
    if (!token || !session || !refreshTokenIsGenuine(session, token))
      return undefined;
    const rotation = await this.store.rotateRefresh(
      session.sid,
      token.generation,
      now,
    );
    if (rotation === 'reused')
      await this.end(session.sid, 'refresh-token-reused', now);
    if (rotation !== 'rotated') return undefined;
    this.checked.remember(session.sid, true, now);
    return this.tokensOf({
      ...session,
      refreshGeneration: token.generation + 1,
    });
  }

  /**
   * The session of an access token that this module signed, unexpired, whose
   * session goes on; undefined for anything else. A session ended on another
   * instance may pass here for up to SESSION_CHECK_CACHE_MS.
   */
  async verify(
    accessToken: string,
    now = Date.now(),
  ): Promise<Session | undefined> {
    const session = await this.accessTokens.verify(accessToken);
    return session && (await this.goesOn(session.sid, now))
      ? session
      : undefined;
  }

  /**
   * Whether the session goes on, as checked at most SESSION_CHECK_CACHE_MS ago (`fresh`: as the
   * store says now); marks it used.
   */
  async goesOn(
    sid: string,
    now = Date.now(),
    { fresh = false } = {},
  ): Promise<boolean> {
    const cached = this.checked.lookup(sid, now);
    if (cached === false || (cached && !fresh)) return cached;
    const goesOn =
      SESSION_ID_PATTERN.test(sid) && (await this.store.touch(sid, now));
    this.checked.remember(sid, goesOn, now);
    return goesOn;
  }

  /** The user's sessions that go on, newest first. */
  async list(userId: number, now = Date.now()): Promise<SessionInfo[]> {
    return (await this.store.listForUser(userId, now)).map(infoOf);
  }

  /**
   * Ends a session, whoever's it is: its tokens stop working, its page is
   * told, and the sites it logged in to are told. Undefined if it had ended
   * already (or never was).
   */
  async end(
    sid: string,
    reason: SessionEndReason,
    now = Date.now(),
  ): Promise<SessionInfo | undefined> {
    if (!SESSION_ID_PATTERN.test(sid)) return undefined;
    const ended = await this.store.end(sid, now);
    this.checked.remember(sid, false, now);
    if (!ended) return undefined;
    const session = infoOf(ended);
    this.events.publishEnded({ session, reason, at: now });
    return session;
  }

  /**
   * Ends a session only if it is `userId`'s: another person's is answered
   * like one that does not exist, so that nobody learns which ids are in use.
   */
  async endOwn(
    userId: number,
    sid: string,
    reason: SessionEndReason,
    now = Date.now(),
  ): Promise<SessionInfo | undefined> {
    const session = await this.findRecord(sid, now);
    if (session?.user.id !== userId) return undefined;
    return this.end(sid, reason, now);
  }

  /** Ends every session of the user but `except` (when given); the ones this call ended. */
  async endAll(
    userId: number,
    reason: SessionEndReason,
    { except }: { except?: string } = {},
    now = Date.now(),
  ): Promise<SessionInfo[]> {
    const ended: SessionInfo[] = [];
    for (const session of await this.store.listForUser(userId, now)) {
      if (session.sid === except) continue;
      const one = await this.end(session.sid, reason, now);
      if (one) ended.push(one);
    }
    return ended;
  }

  /** Takes back a session whose login lost a race: nobody was told of it. */
  async discard(sid: string, now = Date.now()): Promise<void> {
    await this.store.end(sid, now);
  }

  /** Records the OpenID Provider's records of the session, for its end to end them too. */
  linkOidc(sid: string, links: SessionOidcLinks): Promise<void> {
    return this.store.linkOidc(sid, links);
  }

  /** The sessions that go on of one OpenID Provider browser session (its `uid`), newest first. */
  async listForOidcSession(
    sessionUid: string,
    now = Date.now(),
  ): Promise<SessionInfo[]> {
    return (await this.store.listForOidcSession(sessionUid, now)).map(infoOf);
  }
}

function infoOf(session: SessionRecord): SessionInfo {
  const { refreshKey: _key, refreshGeneration: _generation, ...info } = session;
  return info;
}
