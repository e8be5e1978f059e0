import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Subscription } from 'rxjs';
import type { LoginRequester } from '../auth/interfaces/index.js';
import type { OidcSettings } from '../interfaces/settings.interface.js';
import type {
  EndedSession,
  SessionEndReason,
  SessionInfo,
} from '../sessions/interfaces/index.js';
import { SessionEventsService } from '../sessions/session-events.service.js';
import { SessionService } from '../sessions/session.service.js';
import { OIDC_SETTINGS } from '../telegram-qr-auth.constants.js';
import {
  sendLogoutToken,
  sendLogoutTokensOurselves,
} from './backchannel-logout.js';
import { oidcAccountFrom } from './oidc-account.store.js';
import { OIDC_SESSION_RESULT } from './oidc.constants.js';

/** What the interaction's result carries to the end of the authorization: the session the login started. */
export interface OidcSessionResult {
  sid: string;
}

/** A client to tell of a logout: the `sid` its ID tokens carry, and its grants to revoke. */
interface ClientLogout {
  sid?: string;
  grantIds: Set<string>;
}

type BrowserSession = NonNullable<
  Awaited<ReturnType<Provider['Session']['findByUid']>>
>;

/**
 * Ties the OpenID Provider's records to our sessions, both ways:
 *
 * - An authorization that ends with one of our sessions (the interaction's
 *   result names it) links it to the grant, the provider's browser session
 *   and the client's `sid` (`SessionService.linkOidc`).
 * - When one of our sessions ends, for any reason, on this instance: every
 *   grant of its browser session is revoked (tokens, refresh tokens, codes),
 *   the browser session is ended (the next authorization asks for a new
 *   scan), the other sites' sessions of that browser end too, and every
 *   client with a `backchannel_logout_uri` gets a logout token.
 * - The other way: RP-initiated logout ends the sessions it logged out of,
 *   and a client revoking its refresh token ends the session of that grant
 *   (`logged-out-of-site`); a spent refresh token presented again ends the
 *   browser's sessions (`refresh-token-reused`).
 */
@Injectable()
export class OidcSessionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('OpenIdProvider');
  private provider?: Provider;
  private subscription?: Subscription;
  /** Sessions this instance is ending whose records at the provider are dealt with already. */
  private readonly settled = new Set<string>();
  /** Work the provider's answer to a request waits for, by request. */
  private readonly pending = new WeakMap<object, Promise<void>[]>();

  constructor(
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
    private readonly sessions: SessionService,
    private readonly events: SessionEventsService,
  ) {}

  onModuleInit(): void {
    if (!this.settings.enabled) return;
    this.subscription = this.events.ended.subscribe((ended) => {
      if (this.settled.has(ended.session.sid)) return;
      void this.logOutBrowserOf(ended).catch((error: unknown) =>
        this.logger.error(
          `Could not end the OpenID sessions of an ended session: ${(error as Error).message}`,
        ),
      );
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Hooks into the provider once it is built: its events, and a middleware that lets its answers wait for their work. */
  attach(provider: Provider): void {
    this.provider = provider;
    sendLogoutTokensOurselves(provider);
    provider.use(async (ctx, next) => {
      await next();
      await Promise.all(this.pending.get(ctx) ?? []);
    });
    provider.on('authorization.success', (ctx) =>
      this.before(ctx, this.link(ctx), 'link a session'),
    );
    provider.on('end_session.success', (ctx) =>
      this.before(ctx, this.loggedOutOfSite(ctx), 'end logged-out sessions'),
    );
    // oidc-provider's own logout tokens (RP-initiated logout), sent through ours too.
    provider.on('backchannel.error', (_ctx, error, client) =>
      this.backchannelFailed(client.clientId, error),
    );
    provider.on('grant.revoked', (ctx, grantId) =>
      this.before(
        ctx,
        this.grantRevoked(ctx, grantId),
        'end a revoked session',
      ),
    );
  }

  /**
   * Whether one of our sessions goes on in the provider's browser session
   * `sessionUid`; if not, the browser must log in again rather than pass by
   * single sign-on (its login ended where the provider could not hear of it).
   */
  async goesOn(sessionUid: string): Promise<boolean> {
    return (await this.sessions.listForOidcSession(sessionUid)).length > 0;
  }

  /**
   * The session a site logs in to through an earlier login of this browser
   * (single sign-on, no scan): the site's own session there if it has one;
   * else a new one for this site, of the same person, ending with the session
   * it came from (one entry per site in the person's list). Undefined when
   * none of that browser's sessions goes on.
   */
  async sessionForSingleSignOn(
    browser: { uid?: string; accountId: string },
    site: { clientId: string; name: string },
    requester: LoginRequester,
  ): Promise<SessionInfo | undefined> {
    if (!browser.uid) return undefined;
    const live = (await this.sessions.listForOidcSession(browser.uid)).filter(
      (session) => accountIdOf(session) === browser.accountId,
    );
    const own = live.find((session) => session.clientId === site.clientId);
    if (own) return own;
    const from = live[0];
    if (!from) return undefined;
    const session = await this.sessions.start({
      user: from.user,
      grant: from.grant,
      site: site.name,
      clientId: site.clientId,
      requester,
      expiresAt: from.expiresAt,
    });
    this.sessions.announce(session);
    return session;
  }

  /** Runs `work` before the provider answers the request (logging its failure: the answer goes on). */
  private before(
    ctx: KoaContextWithOIDC,
    work: Promise<void>,
    what: string,
  ): void {
    const caught = work.catch((error: unknown) =>
      this.logger.error(
        `Could not ${what} for the OpenID Provider: ${(error as Error).message}`,
      ),
    );
    const list = this.pending.get(ctx) ?? [];
    list.push(caught);
    this.pending.set(ctx, list);
  }

  /** At the end of an authorization our interaction finished: what ties its session to the provider. */
  private async link(ctx: KoaContextWithOIDC): Promise<void> {
    const result = ctx.oidc.result?.[OIDC_SESSION_RESULT] as
      OidcSessionResult | undefined;
    const clientId = ctx.oidc.client?.clientId;
    const browser = ctx.oidc.session;
    if (!result?.sid || !clientId || !browser) return;
    await this.sessions.linkOidc(result.sid, {
      grantId: browser.grantIdFor(clientId),
      sessionUid: browser.uid,
      clientSid: browser.sidFor(clientId),
    });
  }

  /**
   * RP-initiated logout: out of every site of the browser ("Yes, log me
   * out"), or only of the client that asked. The provider has told the
   * clients and revoked their grants (but an `offline_access` grant, which
   * outlives a logout by its rules: ours are tied to the session).
   */
  private async loggedOutOfSite(ctx: KoaContextWithOIDC): Promise<void> {
    const { session: browser, client, params } = ctx.oidc;
    if (!browser?.uid) return;
    const everywhere = Boolean(params?.logout);
    const ended = (await this.sessions.listForOidcSession(browser.uid)).filter(
      (session) => everywhere || session.clientId === client?.clientId,
    );
    await this.endSettled(ended, 'logged-out-of-site');
  }

  /**
   * A grant the provider revoked: by the client (its refresh token revoked:
   * it logged the person out) or for a spent refresh token presented again.
   */
  private async grantRevoked(
    ctx: KoaContextWithOIDC,
    grantId: string,
  ): Promise<void> {
    const { route, params, entities } = ctx.oidc;
    const reused = route === 'token' && params?.grant_type === 'refresh_token';
    if (route !== 'revocation' && !reused) return;
    const token = entities.RefreshToken ?? entities.AccessToken;
    if (!token?.sessionUid) return;
    const ended = (
      await this.sessions.listForOidcSession(token.sessionUid)
    ).filter((session) => session.oidc?.grantId === grantId);
    if (!reused) return this.endSettled(ended, 'logged-out-of-site');
    // Someone else may hold the tokens: the whole browser is logged out, as for any other end.
    for (const session of ended)
      await this.sessions.end(session.sid, 'refresh-token-reused');
  }

  /** Ends sessions whose browser session the provider has dealt with: only their grants are left to revoke. */
  private async endSettled(
    sessions: SessionInfo[],
    reason: SessionEndReason,
  ): Promise<void> {
    const provider = this.provider!;
    for (const session of sessions) {
      if (session.oidc?.grantId)
        await revokeGrant(provider, session.oidc.grantId);
      await this.endQuietly(session.sid, reason);
    }
  }

  private async endQuietly(
    sid: string,
    reason: SessionEndReason,
  ): Promise<void> {
    this.settled.add(sid);
    try {
      await this.sessions.end(sid, reason);
    } finally {
      this.settled.delete(sid);
    }
  }

  /**
   * One of our sessions ended: everything of its browser session at the
   * provider ends too, and the sites are told. The session's own links
   * count even if the browser session has gone (expired, or ended before).
   */
  private async logOutBrowserOf({
    session,
    reason,
  }: EndedSession): Promise<void> {
    if (!session.clientId) return;
    const provider = this.provider;
    if (!provider) {
      this.logger.warn(
        'An OpenID session ended before the OpenID Provider started: its tokens stay valid until they expire',
      );
      return;
    }
    const uid = session.oidc?.sessionUid;
    const browser = uid ? await provider.Session.findByUid(uid) : undefined;
    const others = uid
      ? (await this.sessions.listForOidcSession(uid)).filter(
          (other) => other.sid !== session.sid,
        )
      : [];
    const clients = clientsToLogOut([session, ...others], browser);

    const grantIds = [...clients.values()].flatMap((client) => [
      ...client.grantIds,
    ]);
    await Promise.all(
      grantIds.map((grantId) => revokeGrant(provider, grantId)),
    );
    await browser?.destroy();
    for (const other of others) await this.endQuietly(other.sid, reason);

    const accountId = browser?.accountId ?? accountIdOf(session);
    await Promise.all(
      [...clients].map(([clientId, { sid }]) =>
        this.backchannelLogout(provider, clientId, accountId, sid),
      ),
    );
  }

  /** OpenID Connect Back-Channel Logout 1.0: a logout token, signed with our keys, POSTed to the client. */
  private async backchannelLogout(
    provider: Provider,
    clientId: string,
    accountId: string,
    sid: string | undefined,
  ): Promise<void> {
    const client = await provider.Client.find(clientId);
    if (!client?.backchannelLogoutUri) return;
    try {
      await sendLogoutToken(provider, client, accountId, sid);
    } catch (error) {
      this.backchannelFailed(clientId, error);
    }
  }

  private backchannelFailed(clientId: string, error: unknown): void {
    this.logger.warn(
      `Back-channel logout of client "${clientId}" failed: ${(error as Error).message}`,
    );
  }
}

/** The clients of a browser session, and of our sessions in it, each with its `sid` and grants. */
function clientsToLogOut(
  sessions: SessionInfo[],
  browser: BrowserSession | undefined,
): Map<string, ClientLogout> {
  const clients = new Map<string, ClientLogout>();
  const add = (clientId: string, sid?: string, grantId?: string) => {
    const client = clients.get(clientId) ?? { grantIds: new Set<string>() };
    client.sid ??= sid;
    if (grantId) client.grantIds.add(grantId);
    clients.set(clientId, client);
  };
  for (const [clientId, authorization] of Object.entries(
    browser?.authorizations ?? {},
  ))
    add(clientId, authorization.sid, authorization.grantId);
  for (const session of sessions)
    if (session.clientId)
      add(session.clientId, session.oidc?.clientSid, session.oidc?.grantId);
  return clients;
}

/**
 * What oidc-provider does when it revokes a grant (its helpers/revoke.js):
 * every token, refresh token and code issued under it, and the grant itself.
 */
async function revokeGrant(provider: Provider, grantId: string): Promise<void> {
  const grant = await provider.Grant.find(grantId);
  await Promise.all([
    provider.AccessToken.revokeByGrantId(grantId),
    provider.RefreshToken.revokeByGrantId(grantId),
    provider.AuthorizationCode.revokeByGrantId(grantId),
    grant?.destroy(),
  ]);
}

/** The provider's account id (`sub`) of a session's person, as the interaction made it. */
function accountIdOf(session: SessionInfo): string {
  return oidcAccountFrom(session.user, session.grant?.subject).accountId;
}
