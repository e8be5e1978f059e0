import { expect } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import {
  createServer,
  IncomingMessage,
  type Server,
  ServerResponse,
} from 'node:http';
import { type AddressInfo, Socket } from 'node:net';
import * as client from 'openid-client';
import type {
  OidcAccount,
  OidcClientMetadata,
} from '../../src/oidc/interfaces/index.js';
import { OidcAccountStore } from '../../src/oidc/oidc-account.store.js';
import { OidcProviderService } from '../../src/oidc/oidc-provider.service.js';
import { type RunningApp, startApp, type StartAppOptions } from './app.js';
import { eventually, poll, postUpdate } from './http.js';
import { PATIENCE_MS } from './patience.js';
import { freePort } from './redis.js';
import { startUpdate } from './telegram-updates.js';

/** Where the test clients send the browser back; nothing listens there, the tests read the redirect. */
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
export const POST_LOGOUT_URI = 'http://127.0.0.1:9/logged-out';
export const CLIENT_SECRET = 'shop-client-secret-0123456789abcdefghij';

/** A confidential client (a site's backend) that may refresh. */
export const SHOP: OidcClientMetadata = {
  client_id: 'shop',
  client_secret: CLIENT_SECRET,
  client_name: 'Example Shop',
  redirect_uris: [REDIRECT_URI],
  post_logout_redirect_uris: [POST_LOGOUT_URI],
  grant_types: ['authorization_code', 'refresh_token'],
};

/** A public client (a single-page app): no secret, PKCE required. */
export const SPA: OidcClientMetadata = {
  client_id: 'spa',
  token_endpoint_auth_method: 'none',
  redirect_uris: [REDIRECT_URI],
};

/** The account a test logs in as, as the interaction would store it. */
export const ADA: OidcAccount = {
  accountId: '4242',
  telegramId: 4242,
  profile: {
    name: 'Ada Lovelace',
    given_name: 'Ada',
    family_name: 'Lovelace',
    preferred_username: 'ada',
  },
};

export interface OidcApp extends RunningApp {
  issuer: string;
}

/**
 * The service on a port chosen beforehand, so that its issuer
 * (`http://127.0.0.1:<port>` plus `issuerPath`) can be configured.
 */
export async function startOidcApp(
  clients: readonly OidcClientMetadata[],
  env: Record<string, string | undefined> = {},
  options: StartAppOptions & { issuerPath?: string } = {},
): Promise<OidcApp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}${options.issuerPath ?? ''}`;
  const running = await startApp(
    { OIDC_ISSUER: issuer, OIDC_CLIENTS: JSON.stringify(clients), ...env },
    { ...options, port },
  );
  return { ...running, issuer };
}

/** openid-client as a site would set it up: from the discovery document alone (over http on loopback). */
export function relyingParty(
  issuer: string,
  metadata: OidcClientMetadata,
): Promise<client.Configuration> {
  const auth = metadata.client_secret
    ? client.ClientSecretBasic(metadata.client_secret)
    : client.None();
  return client.discovery(
    new URL(issuer),
    metadata.client_id,
    undefined,
    auth,
    { execute: [client.allowInsecureRequests] },
  );
}

/** A browser's cookies, by name (paths ignored: the tests send them where they belong). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get header(): string {
    return [...this.cookies]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }
}

/** A GET as a browser makes it, redirects not followed. */
export async function browse(
  url: URL | string,
  jar: CookieJar,
): Promise<Response> {
  const response = await fetch(url, {
    redirect: 'manual',
    headers: { cookie: jar.header, accept: 'text/html' },
  });
  jar.store(response);
  return response;
}

/**
 * What the login page will do once the person has scanned the QR code:
 * store the account and finish the interaction with a login and a grant of
 * the requested scopes. Done here on a request made of the browser's
 * cookies, as the page's route will on its own request.
 */
export async function finishInteraction(
  app: INestApplication,
  jar: CookieJar,
  account: OidcAccount,
): Promise<string> {
  const provider = await app.get(OidcProviderService).get();
  await app.get(OidcAccountStore).save(account);
  const request = new IncomingMessage(new Socket());
  request.headers = { cookie: jar.header, host: '127.0.0.1' };
  request.method = 'GET';
  request.url = '/';
  const response = new ServerResponse(request);
  const details = await provider.interactionDetails(request, response);
  const grant = new provider.Grant({
    accountId: account.accountId,
    clientId: String(details.params.client_id),
  });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  return provider.interactionResult(request, response, {
    login: { accountId: account.accountId },
    consent: { grantId },
  });
}

/** A client's authorization request as a site builds it: code flow, PKCE S256, state and nonce. */
export interface Authorization {
  url: URL;
  codeVerifier: string;
  state: string;
  nonce: string;
}

export async function authorizationOf(
  rp: client.Configuration,
  redirectUri: string = REDIRECT_URI,
  parameters: Record<string, string> = {},
): Promise<Authorization> {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: redirectUri,
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...parameters,
  });
  return { url, codeVerifier, state, nonce };
}

export interface AuthorizationResult {
  callback: URL;
  codeVerifier: string;
  state: string;
  nonce: string;
  jar: CookieJar;
}

/**
 * A whole authorization as a browser goes through it: the client's
 * authorization URL, the redirect to our interaction page, the interaction
 * finished, and the redirect back to the client with its code.
 */
export async function authorize(
  app: OidcApp,
  rp: client.Configuration,
  account: OidcAccount = ADA,
  parameters: Record<string, string> = {},
  jar = new CookieJar(),
): Promise<AuthorizationResult> {
  const { url, codeVerifier, state, nonce } = await authorizationOf(
    rp,
    REDIRECT_URI,
    parameters,
  );
  const start = await browse(url, jar);
  expect(start.status).toBe(303);
  const interaction = new URL(start.headers.get('location')!, app.url);
  expect(interaction.pathname).toMatch(
    /^(\/[\w-]+)?\/oidc\/interaction\/[\w-]+$/,
  );
  const returnTo = await finishInteraction(app.app, jar, account);
  const resumed = await browse(returnTo, jar);
  expect(resumed.status).toBe(303);
  return {
    callback: new URL(resumed.headers.get('location')!),
    codeVerifier,
    state,
    nonce,
    jar,
  };
}

/**
 * The code exchange a site makes with what came back to its redirect URI. An
 * answer openid-client cannot read as OAuth (any 5xx) fails with its status
 * and body in the message, where openid-client says only "unexpected HTTP
 * response status code".
 */
export async function exchange(
  rp: client.Configuration,
  result: AuthorizationResult,
): ReturnType<typeof client.authorizationCodeGrant> {
  try {
    return await client.authorizationCodeGrant(rp, result.callback, {
      pkceCodeVerifier: result.codeVerifier,
      expectedState: result.state,
      expectedNonce: result.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw await withResponseTold(error);
  }
}

async function withResponseTold(error: unknown): Promise<unknown> {
  const answer = (error as { cause?: unknown }).cause;
  if (!(error instanceof client.ClientError) || !(answer instanceof Response))
    return error;
  const body = await answer.text().catch(() => '(unreadable)');
  error.message += `: ${answer.status} ${body}`;
  return error;
}

/** A JWT's protected header, read without verifying it. */
export function jwtHeader(token: string): Record<string, unknown> {
  return JSON.parse(
    Buffer.from(token.split('.')[0], 'base64url').toString('utf8'),
  ) as Record<string, unknown>;
}

/** A form POST as any HTTP client (or a browser's form) makes it, redirects not followed. */
export function postForm(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    body: new URLSearchParams(form).toString(),
  });
}

export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** A browser at our login page for an authorization: its interaction, cookies and the client's PKCE values. */
export interface PageVisit {
  /** The interaction page, `…/oidc/interaction/<uid>`, on the instance that answered. */
  interaction: URL;
  jar: CookieJar;
  codeVerifier: string;
  state: string;
  nonce: string;
}

/** The client's authorization URL opened on `instance` (any of one issuer's instances): where the browser lands. */
export async function openLoginPage(
  instance: Pick<RunningApp, 'url'>,
  rp: client.Configuration,
  parameters: Record<string, string> = {},
  jar = new CookieJar(),
): Promise<PageVisit> {
  const {
    url: authorization,
    codeVerifier,
    state,
    nonce,
  } = await authorizationOf(rp, REDIRECT_URI, parameters);
  authorization.host = new URL(instance.url).host;
  const start = await browse(authorization, jar);
  expect(start.status).toBe(303);
  const interaction = new URL(start.headers.get('location')!, instance.url);
  expect(interaction.pathname).toMatch(/\/oidc\/interaction\/[\w-]+$/);
  return { interaction, jar, codeVerifier, state, nonce };
}

/** What the page does first: a login (QR code) of the interaction, `POST …/token` with its cookie. */
export async function pageLogin(
  visit: PageVisit,
): Promise<{ token: string; secret: string; deepLink: string }> {
  const response = await fetch(`${visit.interaction.href}/token`, {
    method: 'POST',
    headers: { cookie: visit.jar.header },
  });
  expect(response.status).toBe(201);
  return (await response.json()) as {
    token: string;
    secret: string;
    deepLink: string;
  };
}

/**
 * What the page does once it learned `continueTo`: the form POST of token and
 * secret to the complete endpoint on `instance`, then the browser following
 * the redirects to the client's redirect URI (returned, with the code).
 */
export async function completeOnPage(
  instance: Pick<RunningApp, 'url'>,
  visit: PageVisit,
  continueTo: string,
  ticket: { token: string; secret: string },
): Promise<URL> {
  const completed = await postForm(
    new URL(continueTo, instance.url).href,
    { token: ticket.token, secret: ticket.secret },
    { cookie: visit.jar.header },
  );
  expect(completed.status).toBe(303);
  visit.jar.store(completed);
  const resumed = await browse(
    new URL(completed.headers.get('location')!, instance.url),
    visit.jar,
  );
  expect(resumed.status).toBe(303);
  return new URL(resumed.headers.get('location')!);
}

/** A logout token as a client's back-channel logout endpoint received it. */
export interface ReceivedLogout {
  /** The path it was POSTed to: which client. */
  path: string;
  logoutToken: string;
}

/**
 * The back-channel logout endpoints of test clients: one loopback server,
 * a path per client (`uriFor`). Answers 200, or what `respondWith` set for a path.
 */
export class LogoutReceiver {
  readonly received: ReceivedLogout[] = [];
  private readonly statuses = new Map<string, number>();
  private readonly waiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<LogoutReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = server.address() as AddressInfo;
    const receiver = new LogoutReceiver(server, `http://127.0.0.1:${port}`);
    server.on('request', (request, response) =>
      receiver.handle(request, response),
    );
    return receiver;
  }

  uriFor(path: string): string {
    return `${this.origin}${path}`;
  }

  respondWith(path: string, status: number): void {
    this.statuses.set(path, status);
  }

  /** The logout tokens POSTed to `path` so far. */
  tokensFor(path: string): string[] {
    return this.received
      .filter((logout) => logout.path === path)
      .map((logout) => logout.logoutToken);
  }

  /** Waits until `count` logout tokens have come to `path` (the patience of the tests at most). */
  async waitFor(path: string, count = 1): Promise<string[]> {
    const deadline = Date.now() + PATIENCE_MS;
    while (this.tokensFor(path).length < count) {
      if (Date.now() > deadline)
        throw new Error(
          `expected ${count} logout token(s) at ${path}, got ${this.tokensFor(path).length}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.tokensFor(path);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', this.origin).pathname;
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const logoutToken = form.get('logout_token');
      if (request.method === 'POST' && logoutToken)
        this.received.push({ path, logoutToken });
      response.statusCode = this.statuses.get(path) ?? 200;
      response.end();
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
}

/**
 * The whole login of a browser (`jar`) through our page as a person goes
 * through it: the client's authorization, the page's QR login, `/start` from
 * Telegram, the page's completion, and the client's code exchange.
 */
export async function logInThroughPage(
  app: OidcApp,
  rp: client.Configuration,
  user: Parameters<typeof startUpdate>[1],
  parameters: Record<string, string> = {},
  jar = new CookieJar(),
): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers> {
  const visit = await openLoginPage(app, rp, parameters, jar);
  expect((await browse(visit.interaction, jar)).status).toBe(200);
  const ticket = await pageLogin(visit);
  await postUpdate(app.url, startUpdate(ticket.token, user)).expect(200);
  const { continueTo } = await eventually(async () => {
    const body = (await poll(app.url, ticket.token, ticket.secret).expect(200))
      .body as { status: string; continueTo?: string };
    expect(body.status).toBe('authenticated');
    return body as { continueTo: string };
  });
  const callback = await completeOnPage(app, visit, continueTo, ticket);
  return exchange(rp, { ...visit, callback });
}
