// A small site that logs people in through the service as any OpenID Connect
// relying party would: openid-client 6, authorization code with PKCE, state and
// nonce, the ID token checked against the service's JWKS, userinfo, and
// RP-initiated logout. It knows nothing of Telegram: only the discovery URL, a
// client id and a secret. `npm run example:oidc` starts it beside the service.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import * as oidc from 'openid-client';

/** Sessions and logins in flight, in memory: a demo keeps nothing across restarts. */
const sessions = new Map();
const pending = new Map();
const COOKIE = 'example_site_session';
const FLOW_COOKIE = 'example_site_flow';

const escapeHtml = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[
        char
      ],
  );

function cookiesOf(request) {
  const cookies = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 1) continue;
    const value = part.slice(at + 1).trim();
    try {
      if (value) cookies[part.slice(0, at).trim()] = decodeURIComponent(value);
    } catch {
      // Not ours (a malformed cookie of another app on this host): ignored.
    }
  }
  return cookies;
}

function page(response, status, body) {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Example Site</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>Example Site</h1>
${body}
</body></html>
`);
}

/** A login not finished within this time is forgotten (its callback then asks to start again). */
const FLOW_TTL_MS = 10 * 60_000;

function redirect(response, location, cookies = []) {
  response.writeHead(303, {
    location,
    'set-cookie': cookies,
    'cache-control': 'no-store',
  });
  response.end();
}

/**
 * Starts the site. `issuer` is the service's OIDC_ISSUER; `url` is where this
 * site is reached (its redirect URI is `${url}/callback`).
 */
export async function startSite({
  issuer,
  clientId,
  clientSecret,
  url: siteUrl,
  port,
  host = '127.0.0.1',
}) {
  const url = siteUrl.replace(/\/+$/, '');
  // Discovery is fetched on the first login, so the site can start before the service.
  let configuration;
  const discover = async () =>
    (configuration ??= await oidc.discovery(
      new URL(issuer),
      clientId,
      clientSecret,
      undefined,
      // Plain http is for a laptop: the service and the site on localhost.
      new URL(issuer).protocol === 'http:'
        ? { execute: [oidc.allowInsecureRequests] }
        : undefined,
    ));
  const redirectUri = `${url}/callback`;

  const routes = {
    async '/'(request, response) {
      const session = sessions.get(cookiesOf(request)[COOKIE]);
      if (!session)
        return page(
          response,
          200,
          `<p>You are not logged in.</p>
<p><a href="/login">Log in with Telegram</a></p>`,
        );
      const rows = Object.entries(session.userinfo)
        .map(
          ([claim, value]) =>
            `<tr><th align="left">${escapeHtml(claim)}</th><td><code>${escapeHtml(JSON.stringify(value))}</code></td></tr>`,
        )
        .join('\n');
      return page(
        response,
        200,
        `<p id="greeting">Logged in as <strong>${escapeHtml(session.userinfo.name ?? session.userinfo.sub)}</strong>.</p>
<table id="claims">${rows}</table>
<p><a href="/logout">Log out</a></p>`,
      );
    },

    async '/login'(_request, response) {
      const config = await discover();
      const flow = {
        verifier: oidc.randomPKCECodeVerifier(),
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
      };
      const id = randomBytes(16).toString('base64url');
      pending.set(id, flow);
      setTimeout(() => pending.delete(id), FLOW_TTL_MS).unref();
      const location = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      redirect(response, location.href, [
        `${FLOW_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`,
      ]);
    },

    async '/callback'(request, response) {
      const config = await discover();
      const flowId = cookiesOf(request)[FLOW_COOKIE];
      const flow = pending.get(flowId);
      pending.delete(flowId);
      const current = new URL(request.url, url);
      if (current.searchParams.has('error'))
        return page(
          response,
          200,
          `<p id="error">Not logged in: <code>${escapeHtml(current.searchParams.get('error'))}</code> ${escapeHtml(current.searchParams.get('error_description') ?? '')}</p>
<p><a href="/login">Try again</a></p>`,
        );
      if (!flow)
        return page(
          response,
          400,
          '<p>This login was not started here. <a href="/login">Start again</a></p>',
        );
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      const userinfo = await oidc.fetchUserInfo(
        config,
        tokens.access_token,
        claims.sub,
      );
      const id = randomBytes(16).toString('base64url');
      sessions.set(id, { userinfo, idToken: tokens.id_token });
      redirect(response, '/', [
        `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`,
        `${FLOW_COOKIE}=; Path=/; Max-Age=0`,
      ]);
    },

    async '/logout'(request, response) {
      const config = await discover();
      const id = cookiesOf(request)[COOKIE];
      const session = sessions.get(id);
      sessions.delete(id);
      const clear = [`${COOKIE}=; Path=/; Max-Age=0`];
      if (!session) return redirect(response, '/', clear);
      // Ends the provider's session too (single sign-on), then comes back here.
      const location = oidc.buildEndSessionUrl(config, {
        id_token_hint: session.idToken,
        post_logout_redirect_uri: `${url}/`,
      });
      redirect(response, location.href, clear);
    },
  };

  const server = createServer((request, response) => {
    const path = new URL(request.url, url).pathname;
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!route || request.method !== 'GET')
      return page(response, 404, '<p>Not found. <a href="/">Home</a></p>');
    route(request, response).catch((error) => {
      console.error(`example site: ${path}: ${error.message}`);
      if (response.headersSent) return response.destroy();
      // What went wrong, without the stack: a relying party's error (e.g. a state mismatch) is for the person to retry.
      page(
        response,
        502,
        `<p id="error">The login did not work: ${escapeHtml(error.message)}</p><p><a href="/login">Try again</a></p>`,
      );
    });
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  return server;
}
