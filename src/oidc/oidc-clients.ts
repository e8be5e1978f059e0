import {
  MIN_CLIENT_SECRET_LENGTH,
  OIDC_CLIENT_AUTH_METHODS,
  OIDC_GRANT_TYPES,
} from './oidc.constants.js';

export interface ClientRules {
  /** Accept `http:` redirect URIs to hosts other than loopback (development). */
  allowHttpRedirectUris: boolean;
}

/** Printable ASCII without spaces: it travels in Basic auth, form bodies and URLs. */
const CLIENT_ID = /^[\x21-\x7e]{1,255}$/;

/** RFC 8252 §7.3: a native app's loopback redirect. `localhost` is common in development too. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * What is wrong with the configured clients, one sentence each, naming the
 * client and the field; empty when nothing is. Never quotes a secret.
 * oidc-provider checks the remaining metadata itself when the provider starts.
 */
export function clientProblems(clients: unknown, rules: ClientRules): string[] {
  if (!Array.isArray(clients)) return ['must be an array of clients'];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  clients.forEach((client: unknown, index) => {
    if (
      typeof client !== 'object' ||
      client === null ||
      Array.isArray(client)
    ) {
      problems.push(`clients[${index}] must be an object`);
      return;
    }
    const entry = client as Record<string, unknown>;
    const id = entry.client_id;
    if (typeof id !== 'string' || !CLIENT_ID.test(id)) {
      problems.push(
        `clients[${index}]: "client_id" must be 1-255 printable characters without spaces`,
      );
      return;
    }
    const name = `client "${id}"`;
    const first = seen.get(id);
    if (first !== undefined)
      problems.push(
        `${name}: duplicate "client_id" (clients[${first}] and clients[${index}])`,
      );
    else seen.set(id, index);
    problems.push(
      ...entryProblems(entry, rules).map((problem) => `${name}: ${problem}`),
    );
  });
  return problems;
}

function entryProblems(
  client: Record<string, unknown>,
  rules: ClientRules,
): string[] {
  const problems: string[] = [];
  const method = client.token_endpoint_auth_method;
  if (
    method !== undefined &&
    !(OIDC_CLIENT_AUTH_METHODS as readonly unknown[]).includes(method)
  )
    problems.push(
      `"token_endpoint_auth_method" must be one of ${OIDC_CLIENT_AUTH_METHODS.join(', ')}`,
    );
  const secret = client.client_secret;
  if (method === 'none') {
    if (secret !== undefined)
      problems.push(
        '"client_secret" must not be set with token_endpoint_auth_method "none": a public client cannot keep a secret',
      );
  } else if (secret === undefined) {
    problems.push(
      '"client_secret" is required (or token_endpoint_auth_method "none" for a public client, which then must use PKCE)',
    );
  } else if (
    typeof secret !== 'string' ||
    secret.length < MIN_CLIENT_SECRET_LENGTH
  ) {
    problems.push(
      `"client_secret" must be a string of at least ${MIN_CLIENT_SECRET_LENGTH} characters`,
    );
  }

  problems.push(...uriListProblems(client, 'redirect_uris', true, rules));
  problems.push(
    ...uriListProblems(client, 'post_logout_redirect_uris', false, rules),
  );
  problems.push(...backchannelLogoutProblems(client, rules));

  if (
    client.client_name !== undefined &&
    (typeof client.client_name !== 'string' || !client.client_name.trim())
  )
    problems.push('"client_name" must be a non-empty string');

  const grantTypes = client.grant_types;
  if (grantTypes !== undefined) {
    if (
      !Array.isArray(grantTypes) ||
      !grantTypes.every((type) =>
        (OIDC_GRANT_TYPES as readonly unknown[]).includes(type),
      )
    )
      problems.push(
        `"grant_types" must be a list of ${OIDC_GRANT_TYPES.join(', ')}`,
      );
    else if (!grantTypes.includes('authorization_code'))
      problems.push('"grant_types" must include authorization_code');
  }

  const responseTypes = client.response_types;
  if (
    responseTypes !== undefined &&
    !(
      Array.isArray(responseTypes) &&
      responseTypes.length === 1 &&
      responseTypes[0] === 'code'
    )
  )
    problems.push('"response_types" must be ["code"] (the code flow only)');
  return problems;
}

function backchannelLogoutProblems(
  client: Record<string, unknown>,
  rules: ClientRules,
): string[] {
  const problems: string[] = [];
  const uri = client.backchannel_logout_uri;
  if (uri !== undefined) {
    if (typeof uri !== 'string')
      problems.push('"backchannel_logout_uri" must be a URL');
    else
      problems.push(
        ...uriProblems(uri, '"backchannel_logout_uri"', rules, {
          webOnly: true,
          what: 'a logout token',
        }),
      );
  }
  const required = client.backchannel_logout_session_required;
  if (required !== undefined && typeof required !== 'boolean')
    problems.push(
      '"backchannel_logout_session_required" must be true or false',
    );
  else if (required && uri === undefined)
    problems.push(
      '"backchannel_logout_session_required" needs a "backchannel_logout_uri"',
    );
  return problems;
}

function uriListProblems(
  client: Record<string, unknown>,
  field: 'redirect_uris' | 'post_logout_redirect_uris',
  required: boolean,
  rules: ClientRules,
): string[] {
  const uris = client[field];
  if (uris === undefined)
    return required
      ? [`"${field}" is required: a list of at least one URL`]
      : [];
  if (
    !Array.isArray(uris) ||
    (required && uris.length === 0) ||
    !uris.every((uri) => typeof uri === 'string')
  )
    return [
      `"${field}" must be a list of URLs${required ? ', at least one' : ''}`,
    ];
  return uris.flatMap((uri, index) =>
    uriProblems(uri, `${field}[${index}]`, rules, {
      webOnly: false,
      what: 'a code',
    }),
  );
}

/**
 * One URL the service sends a browser or a logout token to: what is wrong
 * with it, if anything. `webOnly`: http(s) only (a native app's redirect may
 * use its own scheme); `what`: what travels to it, for the message.
 */
function uriProblems(
  uri: string,
  field: string,
  rules: ClientRules,
  { webOnly, what }: { webOnly: boolean; what: string },
): string[] {
  const where = `${field} (${JSON.stringify(uri)})`;
  const url = URL.parse(uri);
  if (!url) return [`${where} is not an absolute URL`];
  // URL drops an empty fragment ("…/cb#"): look at the text as written too.
  if (uri.includes('#'))
    return [`${where} must not have a fragment (RFC 6749 §3.1.2)`];
  if (webOnly && url.protocol !== 'https:' && url.protocol !== 'http:')
    return [`${where} must use https:`];
  if (
    url.protocol === 'http:' &&
    !isLoopbackHost(url.hostname) &&
    !rules.allowHttpRedirectUris
  )
    return [
      `${where} must use https: (http: only for localhost, 127.0.0.1 or [::1]): ${what} sent over plain HTTP can be read on the way`,
    ];
  return [];
}
