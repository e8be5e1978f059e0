import type {
  OIDC_CLIENT_AUTH_METHODS,
  OIDC_GRANT_TYPES,
} from '../oidc.constants.js';

/**
 * A relying party, in the standard client metadata names (RFC 7591 §2,
 * OpenID Connect Dynamic Client Registration §2). Other standard fields
 * (`application_type`, `id_token_signed_response_alg`, …) are passed on to
 * oidc-provider, which checks them at start.
 */
export interface OidcClientMetadata {
  client_id: string;
  /** A confidential client's secret, at least 32 characters. Not with `token_endpoint_auth_method: 'none'`. */
  client_secret?: string;
  /**
   * `'none'` for a public client (a single-page or mobile app), which must use PKCE.
   * @default 'client_secret_basic'
   */
  token_endpoint_auth_method?: (typeof OIDC_CLIENT_AUTH_METHODS)[number];
  /** Compared exactly. No fragment; `http:` only for loopback unless `allowHttpRedirectUris`. */
  redirect_uris: string[];
  /** Where RP-initiated logout may send the browser back to; same rules as `redirect_uris`. */
  post_logout_redirect_uris?: string[];
  /**
   * Where the site hears of a logout (OpenID Connect Back-Channel Logout
   * 1.0): a POST of a signed `logout_token` when the person's session ends,
   * however it ends. Same rules as `redirect_uris`.
   */
  backchannel_logout_uri?: string;
  /**
   * The logout token (and so the ID tokens) carry `sid`, the browser session
   * the site's login belongs to; without it the site logs the person out of
   * every session it has of them.
   * @default false
   */
  backchannel_logout_session_required?: boolean;
  /** Shown to the person ("Log in to <client_name>"). */
  client_name?: string;
  /**
   * An http(s) URL of the site's logo, at the head of its login page (the
   * CSP of that page allows its origin).
   */
  logo_uri?: string;
  /**
   * `refresh_token` as well lets the client ask for `offline_access`.
   * @default ['authorization_code']
   */
  grant_types?: (typeof OIDC_GRANT_TYPES)[number][];
  /**
   * How its ID tokens are signed: `RS256`, `PS256` (RSA key) or `ES256` (EC P-256 key).
   * @default 'RS256'
   */
  id_token_signed_response_alg?: string;
  [metadata: string]: unknown;
}

/** A JSON Web Key Set of private keys (RFC 7517 §5), as oidc-provider takes it. */
export interface OidcJwks {
  keys: Record<string, unknown>[];
}

/** The `oidc` option: the module as an OpenID Provider for any site. */
export interface OidcOptions {
  /**
   * The Issuer Identifier: the public URL every endpoint lives under
   * (`<issuer>/.well-known/openid-configuration`), and the `iss` of every
   * token, the access tokens' too. Required with `clients`. Its path is
   * where the JWKS is published (`<issuer>/jwks`), with clients or without.
   * @default publicUrl
   */
  issuer?: string;
  /**
   * The relying parties. The OpenID Provider is on only with at least one.
   * @default [] (off)
   */
  clients?: OidcClientMetadata[];
  /**
   * Private signing keys of every token the module signs (ID tokens, and the
   * access tokens of `jwt.algorithm` ES256 or RS256, with or without
   * clients): an RSA key (RS256, the spec's default) and an EC P-256 key
   * (ES256; required with `jwt.algorithm` ES256). The first key of each
   * type signs; every key is published and verifies, so a retired key can
   * stay until its tokens expire.
   * @default generated at start (per process; shared through Redis with redis.url)
   */
  jwks?: OidcJwks;
  /**
   * How long a person stays logged in at the provider after a scan: within
   * it a second site's login completes without a new QR code.
   * @default 1209600 (14 days)
   */
  sessionTtlSeconds?: number;
  /**
   * Accept `http:` redirect URIs to hosts other than loopback. For
   * development only: a code sent over plain HTTP can be read on the way.
   * @default false
   */
  allowHttpRedirectUris?: boolean;
}
