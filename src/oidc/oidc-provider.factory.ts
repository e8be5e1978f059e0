import type { Logger } from '@nestjs/common';
import Provider, {
  errors,
  interactionPolicy,
  type AdapterFactory,
  type Configuration,
  type ErrorOut,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { OidcSettings } from '../interfaces/settings.interface.js';
import type { OidcJwks } from './interfaces/index.js';
import type { OidcAccountStore } from './oidc-account.store.js';
import { cookieKeysFrom } from './oidc-keys.js';
import {
  OIDC_CLAIMS,
  OIDC_CLIENT_AUTH_METHODS,
  OIDC_COOKIE_NAMES,
  OIDC_EXTRA_SCOPES,
  OIDC_ROUTES,
  OIDC_SESSION_RESULT,
  OIDC_TTL_SECONDS,
} from './oidc.constants.js';
import { escapeHtml } from './html.js';
import { jsonCopy } from './json-copy.js';

export interface OidcProviderParts {
  settings: OidcSettings;
  jwks: OidcJwks;
  adapter: AdapterFactory;
  accounts: OidcAccountStore;
  /** The path (or URL) of our page for an authorization's interaction. */
  interactionUrl: (uid: string) => string;
  /** Whether one of our sessions goes on in the provider's browser session of this uid. */
  sessionGoesOn: (sessionUid: string) => Promise<boolean>;
  /** The `picture` claim of a Telegram user: our photo URL with a fresh ticket, or undefined (photos off). */
  pictureOf?: (telegramId: number) => Promise<string | undefined>;
  logger: Logger;
}

/**
 * The OpenID Provider: oidc-provider configured for this module. Every
 * default that oidc-provider asks to be replaced is replaced (its notices
 * would otherwise go to the console); everything not needed is off.
 */
export function createOidcProvider(parts: OidcProviderParts): Provider {
  const provider = new Provider(parts.settings.issuer, configuration(parts));
  // The mount (oidc-mount.ts) hands it the issuer's scheme and host and the client IP as Express
  // decided them (TRUST_PROXY); it must believe those headers, and only those, which the mount rewrites.
  provider.proxy = true;
  provider.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) =>
    parts.logger.error(`OpenID Provider error: ${error.message}`, error.stack),
  );
  // Koa's own handler would print the error to stderr; errors of a response already under way end here.
  (provider as unknown as NodeJS.EventEmitter).on('error', (error: Error) =>
    parts.logger.error(`OpenID Provider error: ${error.message}`),
  );
  return provider;
}

function configuration(parts: OidcProviderParts): Configuration {
  const { settings, accounts } = parts;
  return {
    adapter: parts.adapter,
    clients: jsonCopy([...settings.clients]) as Configuration['clients'],
    jwks: jsonCopy(parts.jwks),
    cookies: {
      keys: cookieKeysFrom(parts.jwks),
      names: { ...OIDC_COOKIE_NAMES },
    },
    routes: { ...OIDC_ROUTES },
    responseTypes: ['code'],
    // What a client may register (oidc-clients.ts), and so what discovery offers.
    clientAuthMethods: [...OIDC_CLIENT_AUTH_METHODS],
    scopes: ['openid', ...OIDC_EXTRA_SCOPES],
    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: [...OIDC_CLAIMS.openid],
      profile: [...OIDC_CLAIMS.profile],
    },
    // The claims of the granted scopes go into the ID token as well, not only to userinfo:
    // Grafana, oauth2-proxy and others read the ID token alone.
    conformIdTokenClaims: false,
    // oidc-provider 9 requires PKCE of public clients by default; said here so it stays so.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    // Every refresh rotates, and a spent refresh token presented again revokes the grant
    // (oidc-provider's own reuse detection; the adapter makes the spend itself atomic).
    rotateRefreshToken: true,
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true, allowedPolicy: mayRevoke },
      introspection: { enabled: true, allowedPolicy: mayIntrospect },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource,
        postLogoutSuccessSource,
      },
      // Clients with a backchannel_logout_uri hear of every logout: RP-initiated, or of a session ended here.
      backchannelLogout: { enabled: true },
      // Not offered: each would be an endpoint with its own defaults to get right.
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
    },
    clientBasedCORS: allowsCorsFrom,
    ttl: {
      AccessToken: OIDC_TTL_SECONDS.accessToken,
      AuthorizationCode: OIDC_TTL_SECONDS.authorizationCode,
      IdToken: OIDC_TTL_SECONDS.idToken,
      Interaction: OIDC_TTL_SECONDS.interaction,
      Grant: OIDC_TTL_SECONDS.grant,
      // A rotated refresh token lives on with what was left of the one it replaces.
      RefreshToken: (ctx) =>
        ctx?.oidc?.entities.RotatedRefreshToken?.remainingTTL ??
        OIDC_TTL_SECONDS.grant,
      // Counted from the last login (scan), not stretched by each site that uses the session.
      Session: (_ctx, session) =>
        session.loginTs
          ? Math.max(
              1,
              session.loginTs + settings.sessionTtlSeconds - epochSeconds(),
            )
          : settings.sessionTtlSeconds,
    },
    interactions: {
      url: (_ctx, interaction) => parts.interactionUrl(interaction.uid),
      policy: interactionPolicyOf(parts),
    },
    findAccount: async (_ctx, sub) => {
      const account = await accounts.find(sub);
      if (!account) return undefined;
      return {
        accountId: account.accountId,
        // The picture is made for each ID token and userinfo answer: a URL stored with the account would expire long before it.
        claims: async () => {
          const picture = await parts.pictureOf?.(account.telegramId);
          return {
            ...account.profile,
            ...(picture ? { picture } : {}),
            sub: account.accountId,
            telegram_id: account.telegramId,
          };
        },
      };
    },
    renderError,
  };
}

const epochSeconds = () => Math.floor(Date.now() / 1000);

/**
 * oidc-provider's prompts, and one more reason to log in: the browser has a
 * provider session but none of our sessions goes on in it (ended where the
 * provider could not hear of it, or from before sessions were linked), so
 * single sign-on would pass a login nobody can see or end. Not asked at the
 * end of an interaction: a login just happened, or its result names the session.
 */
function interactionPolicyOf(
  parts: OidcProviderParts,
): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(
    new interactionPolicy.Check(
      'session_ended',
      'the Telegram login of this browser has ended',
      'login_required',
      async (ctx) => {
        const { session, result } = ctx.oidc;
        if (
          !session?.accountId ||
          result?.login ||
          result?.[OIDC_SESSION_RESULT]
        )
          return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        return (await parts.sessionGoesOn(session.uid))
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
  );
  return policy;
}

type Client = KoaContextWithOIDC['oidc']['client'] & object;
type Token = { clientId?: string };

/**
 * A client may revoke only its own tokens; a confidential client that tries
 * another's is told so (RFC 7009 §2.1), a public one (which anyone can act
 * as) is answered as if it had worked. oidc-provider's default, spelled out.
 */
function mayRevoke(
  _ctx: KoaContextWithOIDC,
  client: Client,
  token: Token,
): boolean {
  if (token.clientId === client.clientId) return true;
  if (client.clientAuthMethod === 'none') return false;
  throw new errors.InvalidRequest(
    'client is not authorized to revoke the presented token',
  );
}

/**
 * A client may introspect only its own tokens: stricter than oidc-provider's
 * default (any confidential client, any token), since an answer tells who
 * the person is.
 */
function mayIntrospect(
  _ctx: KoaContextWithOIDC,
  client: Client,
  token: Token,
): boolean {
  return token.clientId === client.clientId;
}

/** A browser app (a public client) may call the token and userinfo endpoints from its redirect URIs' origins. */
function allowsCorsFrom(
  ctx: KoaContextWithOIDC,
  origin: string,
  client: Client,
): boolean {
  if (origin === 'null') return false;
  if (ctx.oidc.route !== 'userinfo' && client.clientAuthMethod !== 'none')
    return false;
  return (client.redirectUris ?? []).some(
    (uri: string) => URL.parse(uri)?.origin === origin,
  );
}

/** No styles or scripts of its own: the page passes the strict policy (oidc-mount.ts) as it is. */
function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/**
 * An error shown to the person (a browser asked for HTML): the error code
 * and its description, nothing else. oidc-provider's own page lists every
 * field of the error; a stack trace never reaches either.
 */
async function renderError(
  ctx: KoaContextWithOIDC,
  out: ErrorOut,
): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    'Login failed',
    `<h1>Login failed</h1>
<p><code>${escapeHtml(out.error)}</code>${out.error_description ? `: ${escapeHtml(out.error_description)}` : ''}</p>
<p>Go back to the site you came from and try again.</p>`,
  );
}

/** RP-initiated logout asks first: a link alone must not log a person out (CSRF); `form` carries the check. */
async function logoutSource(
  ctx: KoaContextWithOIDC,
  form: string,
): Promise<void> {
  const client = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
  ctx.type = 'html';
  ctx.body = page(
    'Log out',
    `<h1>Log out?</h1>
<p>${client ? `${escapeHtml(client)} asks to log you out. ` : ''}You will have to scan a QR code again to log in to any site.</p>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, log me out</button>
<button type="submit" form="op.logoutForm">No, stay logged in</button>`,
  );
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  ctx.body = page('Logged out', '<h1>You are logged out</h1>');
}
