import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as client from 'openid-client';
import type { CreateTokenResponseDto } from '../src/auth/dto/create-token-response.dto.js';
import type { OidcClientMetadata } from '../src/oidc/interfaces/index.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { delay, eventually, poll, postUpdate } from './support/http.js';
import {
  browse,
  CookieJar,
  openLoginPage,
  type PageVisit,
  postForm,
  REDIRECT_URI,
  relyingParty,
  SHOP,
  startOidcApp,
  type OidcApp,
} from './support/oidc.js';
import { newUser, startUpdate } from './support/telegram-updates.js';

/** A second site, with a name that must be escaped on the page. */
const BLOG: OidcClientMetadata = {
  ...SHOP,
  client_id: 'blog',
  client_name: 'Ada\'s <Blog> & "Notes"',
};

/** Refused by ALLOWED_TELEGRAM_IDS. */
const STRANGER = newUser({ id: 555_000_111, first_name: 'Eve' });
const ADA = newUser({
  id: 4242,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
});

interface Started extends PageVisit {
  uid: string;
}

describe('the login page as the OpenID interaction (HTTP)', () => {
  let bot: FakeBotApi;
  let app: OidcApp;
  let shop: client.Configuration;
  let blog: client.Configuration;

  beforeAll(async () => {
    bot = await FakeBotApi.start();
    app = await startOidcApp([SHOP, BLOG], {
      ...bot.env,
      ALLOWED_TELEGRAM_IDS: String(ADA.id),
    });
    shop = await relyingParty(app.issuer, SHOP);
    blog = await relyingParty(app.issuer, BLOG);
  });

  afterAll(async () => {
    await app?.close();
    await bot?.close();
  });

  /** The client's authorization URL opened in a browser (`jar`): where it lands. */
  async function begin(
    rp: client.Configuration,
    jar = new CookieJar(),
    parameters: Record<string, string> = {},
  ): Promise<Started> {
    const visit = await openLoginPage(app, rp, parameters, jar);
    return { ...visit, uid: visit.interaction.pathname.split('/').pop()! };
  }

  const newToken = (started: Started, cookie = started.jar.header) =>
    fetch(`${started.interaction.href}/token`, {
      method: 'POST',
      headers: { cookie },
    });

  async function ticketOf(started: Started): Promise<CreateTokenResponseDto> {
    const response = await newToken(started);
    expect(response.status).toBe(201);
    return (await response.json()) as CreateTokenResponseDto;
  }

  const complete = (
    started: Started,
    ticket: { token: string; secret: string },
    cookie = started.jar.header,
  ) =>
    postForm(
      `${started.interaction.href}/complete`,
      { token: ticket.token, secret: ticket.secret },
      { cookie },
    );

  /** The redirects after the complete endpoint, to the client's redirect URI. */
  async function followToClient(
    started: Started,
    response: Response,
  ): Promise<URL> {
    expect(response.status).toBe(303);
    started.jar.store(response);
    const resumed = await browse(
      new URL(response.headers.get('location')!, app.url),
      started.jar,
    );
    expect(resumed.status).toBe(303);
    return new URL(resumed.headers.get('location')!);
  }

  async function scan(ticket: { token: string; secret: string }, user = ADA) {
    await postUpdate(app.url, startUpdate(ticket.token, user)).expect(200);
    return eventually(async () => {
      const body = (
        await poll(app.url, ticket.token, ticket.secret).expect(200)
      ).body as Record<string, unknown>;
      expect(body.status).toMatch(/authenticated|denied/);
      return body;
    });
  }

  it("serves the login page headed with the client's name (escaped), in interaction mode, forms allowed to the client", async () => {
    const started = await begin(blog);
    const page = await browse(started.interaction, started.jar);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    const heading =
      'Log in to Ada&#39;s &lt;Blog&gt; &amp; &quot;Notes&quot; with Telegram';
    expect(html).toContain(`<h1 id="title">${heading}</h1>`);
    expect(html).toContain(`<title>${heading}</title>`);
    expect(html).toContain(`data-interaction="${started.uid}"`);
    expect(html).toContain('<base href="/" />');
    expect(html).not.toMatch(/<script>(?!<)/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/form-action 'self' [^;]*http:\/\/127\.0\.0\.1:9/);
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('logs in through the interaction: no access token for the browser, the result stays for the complete endpoint, the client gets its code', async () => {
    const started = await begin(shop);
    const ticket = await ticketOf(started);
    const onward = await scan(ticket);
    expect(onward).toEqual({
      status: 'authenticated',
      continueTo: `${started.interaction.pathname}/complete`,
    });
    // Asked again, the same answer: nothing was handed out.
    expect(
      (await poll(app.url, ticket.token, ticket.secret).expect(200)).body,
    ).toEqual(onward);

    const callback = await followToClient(
      started,
      await complete(started, ticket),
    );
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    const tokens = await client.authorizationCodeGrant(shop, callback, {
      pkceCodeVerifier: started.codeVerifier,
      expectedState: started.state,
      expectedNonce: started.nonce,
      idTokenExpected: true,
    });
    expect(tokens.claims()).toMatchObject({
      sub: '4242',
      telegram_id: 4242,
      name: 'Ada Lovelace',
      aud: 'shop',
      nonce: started.nonce,
    });
    // Taken once: the login is gone.
    await poll(app.url, ticket.token, ticket.secret).expect(404);
    const again = await complete(started, ticket);
    expect(again.status).toBe(404);
    // The bot named the client.
    await bot.waitForCall(
      'sendMessage',
      (params) =>
        params.chat_id === ADA.id &&
        String(params.text).includes('logged in to Example Shop'),
    );
  });

  it('refuses a wrong secret, a token of another interaction and a missing cookie, each changing nothing', async () => {
    const first = await begin(shop);
    const second = await begin(shop);
    const ticket = await ticketOf(first);
    const other = await ticketOf(second);
    // The token endpoint needs the interaction's cookie.
    expect((await newToken(first, '')).status).toBe(404);
    expect((await newToken(first, second.jar.header)).status).toBe(404);
    await scan(ticket);
    await scan(other);

    for (const refused of [
      complete(first, { ...ticket, secret: other.secret }),
      complete(first, other),
      complete(first, ticket, ''),
      complete(first, ticket, second.jar.header),
      complete(second, ticket),
    ]) {
      const response = await refused;
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/html/);
      expect(await response.text()).toContain(
        'This login cannot be completed here',
      );
    }
    // Both logins are as they were, and each completes its own interaction.
    expect(
      (await poll(app.url, ticket.token, ticket.secret).expect(200)).body,
    ).toMatchObject({ status: 'authenticated' });
    for (const [started, own] of [
      [first, ticket],
      [second, other],
    ] as const) {
      const callback = await followToClient(
        started,
        await complete(started, own),
      );
      expect(callback.searchParams.get('code')).toEqual(expect.any(String));
    }
  });

  it('sends access_denied to the client for a login the login policy refuses', async () => {
    const started = await begin(shop);
    const ticket = await ticketOf(started);
    expect(await scan(ticket, STRANGER)).toEqual({ status: 'denied' });
    const callback = await followToClient(
      started,
      await complete(started, ticket),
    );
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(started.state);
  });

  it('answers a login not yet over with a page, changing nothing', async () => {
    const started = await begin(shop);
    const ticket = await ticketOf(started);
    const early = await complete(started, ticket);
    expect(early.status).toBe(409);
    await scan(ticket);
    const callback = await followToClient(
      started,
      await complete(started, ticket),
    );
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('single sign-on: a second client completes without a page, prompt=login asks for a scan again', async () => {
    const jar = new CookieJar();
    const first = await begin(shop, jar);
    const ticket = await ticketOf(first);
    await scan(ticket);
    await followToClient(first, await complete(first, ticket));

    const second = await begin(blog, jar);
    const consented = await browse(second.interaction, jar);
    const callback = await followToClient(second, consented);
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
    const tokens = await client.authorizationCodeGrant(blog, callback, {
      pkceCodeVerifier: second.codeVerifier,
      expectedState: second.state,
      expectedNonce: second.nonce,
      idTokenExpected: true,
    });
    expect(tokens.claims()).toMatchObject({ sub: '4242', aud: 'blog' });

    const forced = await begin(blog, jar, { prompt: 'login' });
    const page = await browse(forced.interaction, jar);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-interaction=');
  });

  it('honours max_age: a session younger than it is used, an older one asks for a scan again', async () => {
    const jar = new CookieJar();
    const first = await begin(shop, jar);
    const ticket = await ticketOf(first);
    await scan(ticket);
    await followToClient(first, await complete(first, ticket));
    const scannedAt = Math.floor(Date.now() / 1000);

    const young = await begin(blog, jar, { max_age: '3600' });
    const callback = await followToClient(
      young,
      await browse(young.interaction, jar),
    );
    const tokens = await client.authorizationCodeGrant(blog, callback, {
      pkceCodeVerifier: young.codeVerifier,
      expectedState: young.state,
      expectedNonce: young.nonce,
      maxAge: 3600,
      idTokenExpected: true,
    });
    // With max_age the ID token says when the person last scanned.
    expect(tokens.claims()?.auth_time).toBeLessThanOrEqual(scannedAt);

    // max_age=1 is past once the clock has moved two whole seconds on from the scan.
    while (Math.floor(Date.now() / 1000) <= scannedAt + 1) await delay(100);
    const old = await begin(blog, jar, { max_age: '1' });
    const page = await browse(old.interaction, jar);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-interaction=');
  });

  it('shows a clear page for an unknown interaction, and for one opened without its cookie', async () => {
    for (const jar of [new CookieJar()]) {
      const unknown = await browse(
        `${app.url}/oidc/interaction/no-such-interaction`,
        jar,
      );
      expect(unknown.status).toBe(404);
      const html = await unknown.text();
      expect(html).toContain('This login request has ended');
      expect(html).toContain('<a href="/">');
      expect(html).not.toMatch(/\bat \S+ \(|node_modules|Error:/);
    }
    const started = await begin(shop);
    expect((await browse(started.interaction, new CookieJar())).status).toBe(
      404,
    );
  });
});
