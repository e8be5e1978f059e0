import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as client from 'openid-client';
import type { OidcClientMetadata } from '../src/oidc/interfaces/index.js';
import type { EndedSession } from '../src/sessions/interfaces/index.js';
import { SessionEventsService } from '../src/sessions/session-events.service.js';
import { SessionService } from '../src/sessions/session.service.js';
import { SESSION_STORE } from '../src/sessions/sessions.constants.js';
import type { SessionStore } from '../src/sessions/interfaces/index.js';
import { CapturingLogger } from './support/app.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { eventually } from './support/http.js';
import {
  authorizationOf,
  browse,
  CookieJar,
  logInThroughPage,
  LogoutReceiver,
  openLoginPage,
  POST_LOGOUT_URI,
  postForm,
  REDIRECT_URI,
  relyingParty,
  SHOP,
  startOidcApp,
  type OidcApp,
} from './support/oidc.js';
import { newUser } from './support/telegram-updates.js';

const ADA = newUser({
  id: 4242,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
});

const BACKCHANNEL_LOGOUT = 'http://schemas.openid.net/event/backchannel-logout';
const OFFLINE = { scope: 'openid offline_access', prompt: 'consent' };

/** The RFC 6749 error a request got through openid-client. */
async function oauthError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return (error as { error?: unknown }).error;
  }
  throw new Error('expected the request to be refused');
}

describe('OpenID sessions tied to ours, and back-channel logout', () => {
  let bot: FakeBotApi;
  let receiver: LogoutReceiver;
  let logs: CapturingLogger;
  let app: OidcApp;
  let shop: client.Configuration;
  let blog: client.Configuration;
  let forum: client.Configuration;
  let sessions: SessionService;
  const ended: EndedSession[] = [];

  beforeAll(async () => {
    bot = await FakeBotApi.start();
    receiver = await LogoutReceiver.start();
    // The forum's endpoint fails: the others are told all the same.
    receiver.respondWith('/forum', 500);
    const clients: OidcClientMetadata[] = [
      {
        ...SHOP,
        backchannel_logout_uri: receiver.uriFor('/shop'),
        backchannel_logout_session_required: true,
      },
      {
        ...SHOP,
        client_id: 'blog',
        client_name: 'Blog',
        backchannel_logout_uri: receiver.uriFor('/blog'),
        backchannel_logout_session_required: true,
      },
      {
        ...SHOP,
        client_id: 'forum',
        client_name: 'Forum',
        backchannel_logout_uri: receiver.uriFor('/forum'),
      },
    ];
    logs = new CapturingLogger();
    app = await startOidcApp(clients, bot.env, { logger: logs });
    [shop, blog, forum] = await Promise.all(
      clients.map((metadata) => relyingParty(app.issuer, metadata)),
    );
    sessions = app.app.get(SessionService);
    app.app.get(SessionEventsService).ended.subscribe((one) => ended.push(one));
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await bot?.close();
  });

  /** The logout token's claims, verified with the provider's published keys. */
  async function verifiedLogoutToken(
    token: string,
    audience: string,
  ): Promise<JWTPayload> {
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(`${app.issuer}/jwks`)),
      { issuer: app.issuer, audience, typ: 'logout+jwt' },
    );
    expect(protectedHeader.alg).toBe('RS256');
    return payload;
  }

  const sessionOf = async (clientId: string) =>
    (await sessions.list(ADA.id)).find(
      (session) => session.clientId === clientId,
    );

  /** What a site's access token is worth at userinfo (the status) and at introspection. */
  async function accessTokenState(
    rp: client.Configuration,
    accessToken: string,
  ): Promise<{ userinfo: number; active: boolean }> {
    const userinfo = await fetch(`${app.issuer}/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const { active } = await client.tokenIntrospection(rp, accessToken);
    return { userinfo: userinfo.status, active };
  }

  it('a session ended in Telegram logs the site out: a verified logout token, its tokens refused, a new scan needed', async () => {
    const jar = new CookieJar();
    const tokens = await logInThroughPage(app, shop, ADA, OFFLINE, jar);
    const { sid } = tokens.claims()!;
    expect(sid).toEqual(expect.any(String));
    expect(await accessTokenState(shop, tokens.access_token)).toEqual({
      userinfo: 200,
      active: true,
    });
    const session = (await sessionOf('shop'))!;
    expect(session).toMatchObject({
      site: 'Example Shop',
      oidc: {
        grantId: expect.any(String),
        sessionUid: expect.any(String),
        clientSid: sid,
      },
    });

    await sessions.end(session.sid, 'ended-in-telegram');

    const [logoutToken] = await receiver.waitFor('/shop');
    const claims = await verifiedLogoutToken(logoutToken, 'shop');
    expect(claims).toMatchObject({ sub: '4242', sid, jti: expect.any(String) });
    expect(claims.events).toEqual({ [BACKCHANNEL_LOGOUT]: {} });
    expect(claims).not.toHaveProperty('nonce');
    expect(await accessTokenState(shop, tokens.access_token)).toEqual({
      userinfo: 401,
      active: false,
    });
    expect(
      await oauthError(client.refreshTokenGrant(shop, tokens.refresh_token!)),
    ).toBe('invalid_grant');
    // The browser's provider session ended with it: no single sign-on, the page asks for a scan.
    const again = await openLoginPage(app, shop, {}, jar);
    const page = await browse(again.interaction, jar);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-interaction=');
    expect(JSON.stringify(logs.lines)).not.toContain(logoutToken);
  });

  it('single sign-on gives each site its own session; ending one logs the browser out of every site, each told once', async () => {
    receiver.received.length = 0;
    const jar = new CookieJar();
    const shopTokens = await logInThroughPage(app, shop, ADA, OFFLINE, jar);
    const viaSso = async (rp: client.Configuration) => {
      const visit = await openLoginPage(app, rp, OFFLINE, jar);
      const consented = await browse(visit.interaction, jar);
      expect(consented.status).toBe(303);
      const resumed = await browse(
        new URL(consented.headers.get('location')!, app.url),
        jar,
      );
      expect(resumed.status).toBe(303);
      return client.authorizationCodeGrant(
        rp,
        new URL(resumed.headers.get('location')!),
        {
          pkceCodeVerifier: visit.codeVerifier,
          expectedState: visit.state,
          expectedNonce: visit.nonce,
          idTokenExpected: true,
        },
      );
    };
    const blogTokens = await viaSso(blog);
    await viaSso(forum);

    const [shopSession, blogSession, forumSession] = await Promise.all(
      ['shop', 'blog', 'forum'].map(sessionOf),
    );
    expect(blogSession).toMatchObject({
      site: 'Blog',
      user: { id: ADA.id },
      expiresAt: shopSession!.expiresAt,
      oidc: {
        sessionUid: shopSession!.oidc!.sessionUid,
        clientSid: blogTokens.claims()!.sid,
      },
    });
    expect(forumSession?.site).toBe('Forum');
    // Back to the shop by single sign-on: its session, not a second one.
    await viaSso(shop);
    expect(
      (await sessions.list(ADA.id)).filter((one) => one.clientId === 'shop'),
    ).toHaveLength(1);

    ended.length = 0;
    await sessions.end(blogSession!.sid, 'ended-from-another-session');

    const [blogLogout] = await receiver.waitFor('/blog');
    const [shopLogout] = await receiver.waitFor('/shop');
    expect(await verifiedLogoutToken(blogLogout, 'blog')).toMatchObject({
      sid: blogTokens.claims()!.sid,
      sub: '4242',
    });
    expect(await verifiedLogoutToken(shopLogout, 'shop')).toMatchObject({
      sid: shopTokens.claims()!.sid,
    });
    await receiver.waitFor('/forum');
    await eventually(async () =>
      expect(logs.text).toContain(
        'Back-channel logout of client "forum" failed: expected 200 OK',
      ),
    );
    expect(await sessions.list(ADA.id)).toEqual([]);
    expect(
      ended.map(({ session, reason }) => [session.clientId, reason]).sort(),
    ).toEqual([
      ['blog', 'ended-from-another-session'],
      ['forum', 'ended-from-another-session'],
      ['shop', 'ended-from-another-session'],
    ]);
    for (const [rp, tokens] of [
      [shop, shopTokens],
      [blog, blogTokens],
    ] as const) {
      expect((await accessTokenState(rp, tokens.access_token)).active).toBe(
        false,
      );
      expect(
        await oauthError(client.refreshTokenGrant(rp, tokens.refresh_token!)),
      ).toBe('invalid_grant');
    }
    // Each site heard once.
    expect(receiver.tokensFor('/shop')).toHaveLength(1);
    expect(receiver.tokensFor('/blog')).toHaveLength(1);
  });

  it('RP-initiated logout ends our session as logged-out-of-site, and takes its refresh token along', async () => {
    const jar = new CookieJar();
    const tokens = await logInThroughPage(app, shop, ADA, OFFLINE, jar);
    const session = (await sessionOf('shop'))!;
    ended.length = 0;

    const question = await browse(
      client.buildEndSessionUrl(shop, {
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: POST_LOGOUT_URI,
      }),
      jar,
    );
    const html = await question.text();
    const action =
      /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)![1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1];
    const confirmed = await postForm(
      action,
      { xsrf, logout: 'yes' },
      { cookie: jar.header },
    );
    expect(confirmed.status).toBe(303);

    // Ended before the browser was sent back.
    expect(await sessions.find(session.sid)).toBeUndefined();
    expect(ended).toEqual([
      expect.objectContaining({
        session: expect.objectContaining({ sid: session.sid }),
        reason: 'logged-out-of-site',
      }),
    ]);
    // offline_access outlives a logout in oidc-provider's rules; tied to our session, it does not.
    expect(
      await oauthError(client.refreshTokenGrant(shop, tokens.refresh_token!)),
    ).toBe('invalid_grant');
  });

  it("a site revoking its refresh token ends that site's session, the browser's other sites stay logged in", async () => {
    const jar = new CookieJar();
    const shopTokens = await logInThroughPage(app, shop, ADA, OFFLINE, jar);
    const visit = await openLoginPage(app, blog, OFFLINE, jar);
    expect((await browse(visit.interaction, jar)).status).toBe(303);
    const [shopSession, blogSession] = await Promise.all(
      ['shop', 'blog'].map(sessionOf),
    );
    expect(blogSession).toBeDefined();
    ended.length = 0;

    await client.tokenRevocation(shop, shopTokens.refresh_token!);

    expect(await sessions.find(shopSession!.sid)).toBeUndefined();
    expect(ended).toEqual([
      expect.objectContaining({
        session: expect.objectContaining({ sid: shopSession!.sid }),
        reason: 'logged-out-of-site',
      }),
    ]);
    expect(await sessions.find(blogSession!.sid)).toBeDefined();
    await sessions.end(blogSession!.sid, 'ended-by-site');
  });

  it('a spent refresh token presented again ends the session (refresh-token-reused) and logs the browser out', async () => {
    const tokens = await logInThroughPage(app, shop, ADA, OFFLINE);
    const session = (await sessionOf('shop'))!;
    receiver.received.length = 0;
    ended.length = 0;
    await client.refreshTokenGrant(shop, tokens.refresh_token!);

    expect(
      await oauthError(client.refreshTokenGrant(shop, tokens.refresh_token!)),
    ).toBe('invalid_grant');

    expect(await sessions.find(session.sid)).toBeUndefined();
    expect(ended).toEqual([
      expect.objectContaining({
        session: expect.objectContaining({ sid: session.sid }),
        reason: 'refresh-token-reused',
      }),
    ]);
    const [logoutToken] = await receiver.waitFor('/shop');
    expect(await verifiedLogoutToken(logoutToken, 'shop')).toMatchObject({
      sid: tokens.claims()!.sid,
    });
  });

  it('asks for a scan again when the browser has a provider session but none of ours goes on', async () => {
    const jar = new CookieJar();
    await logInThroughPage(app, shop, ADA, {}, jar);
    const session = (await sessionOf('shop'))!;
    // Gone from the store without the provider hearing of it (as if ended where nobody linked it).
    await app.app.get<SessionStore>(SESSION_STORE).end(session.sid, Date.now());

    const visit = await openLoginPage(app, blog, {}, jar);
    const page = await browse(visit.interaction, jar);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-interaction=');
    // prompt=none cannot pass either: the client is told to log the person in.
    const silent = await browse(
      (await authorizationOf(blog, REDIRECT_URI, { prompt: 'none' })).url,
      jar,
    );
    expect(silent.status).toBe(303);
    const back = new URL(silent.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(REDIRECT_URI);
    expect(back.searchParams.get('error')).toBe('login_required');
  });
});
