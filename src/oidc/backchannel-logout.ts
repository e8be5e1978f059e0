import { randomUUID } from 'node:crypto';
import type Provider from 'oidc-provider';
import { BACKCHANNEL_LOGOUT_TIMEOUT_MS } from './oidc.constants.js';

type Client = NonNullable<Awaited<ReturnType<Provider['Client']['find']>>>;

/** The event a logout token carries (OpenID Connect Back-Channel Logout 1.0 §2.4). */
const BACKCHANNEL_LOGOUT_EVENT =
  'http://schemas.openid.net/event/backchannel-logout';

/**
 * Makes every logout token of `provider` leave through {@link sendLogoutToken}:
 * the ones this module sends when a session ends, and the ones oidc-provider
 * sends at RP-initiated logout (it calls `Client#backchannelLogout`). Its
 * own sender goes through a guard meant for URIs that anyone registered: it
 * refuses loopback and private networks (where a site's backend often is)
 * and, where it cannot be set up, says so on the console. Ours are the
 * operator's own clients.
 */
export function sendLogoutTokensOurselves(provider: Provider): void {
  Object.defineProperty(provider.Client.prototype, 'backchannelLogout', {
    configurable: true,
    writable: true,
    value(this: Client, sub: string, sid?: string): Promise<void> {
      return sendLogoutToken(provider, this, sub, sid);
    },
  });
}

/**
 * A logout token for `sub` (and `sid`, if the client asked for it),
 * signed with the provider's keys as its ID tokens are, POSTed to the
 * client's `backchannel_logout_uri`; rejects unless it answers 200 or 204.
 * The error never holds the token.
 */
export async function sendLogoutToken(
  provider: Provider,
  client: Client,
  sub: string,
  sid: string | undefined,
): Promise<void> {
  const uri = client.backchannelLogoutUri;
  if (!uri) return;
  const token = new provider.IdToken({ sub }, { client });
  // Of the claims given, only sub: as oidc-provider's own logout tokens.
  (token as unknown as { mask: Record<string, null> }).mask = { sub: null };
  token.set('events', { [BACKCHANNEL_LOGOUT_EVENT]: {} });
  token.set('jti', randomUUID());
  if (client.backchannelLogoutSessionRequired && sid) token.set('sid', sid);
  const response = await fetch(uri, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      logout_token: await token.issue({ use: 'logout' }),
    }),
    signal: AbortSignal.timeout(BACKCHANNEL_LOGOUT_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (response.status !== 200 && response.status !== 204)
    throw new Error(`expected 200 OK from ${uri}, got ${response.status}`);
}
