/** Injection token of the storage behind oidc-provider: memory, or Redis with `redis.url` (an `AdapterFactory`). */
export const OIDC_ADAPTER_FACTORY = Symbol('OIDC_ADAPTER_FACTORY');

/**
 * The provider's endpoints, relative to the issuer's path. Spelled out
 * rather than left to oidc-provider's defaults (`/auth`, `/me`, …): with the
 * issuer at the origin's root they sit beside this module's own routes
 * (`/auth/token`), and the names here are the ones people look for.
 */
export const OIDC_ROUTES = {
  authorization: '/authorize',
  token: '/token',
  userinfo: '/userinfo',
  jwks: '/jwks',
  revocation: '/token/revocation',
  introspection: '/token/introspection',
  end_session: '/logout',
} as const;

/** Discovery documents oidc-provider answers, relative to the issuer's path. */
export const OIDC_DISCOVERY_PATHS = [
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
] as const;

/** POST endpoints that read a form body (RFC 6749 §3.2, RFC 7009, RFC 7662, OIDC Core §5.3.1, the logout form). */
export const OIDC_BODY_ROUTES = [
  OIDC_ROUTES.token,
  OIDC_ROUTES.revocation,
  OIDC_ROUTES.introspection,
  OIDC_ROUTES.userinfo,
  `${OIDC_ROUTES.end_session}/confirm`,
] as const;

/**
 * Where an authorization request goes for the person to log in, under the
 * module's `routePrefix` (not under the issuer: it is one of our Nest routes).
 */
export const OIDC_INTERACTION_PATH = 'oidc/interaction';

/** Names of the provider's cookies: oidc-provider's defaults (`_session`, …) are common enough to clash with a host app's. */
export const OIDC_COOKIE_NAMES = {
  session: 'tqa_oidc_session',
  interaction: 'tqa_oidc_interaction',
  resume: 'tqa_oidc_resume',
} as const;

/** Lifetimes, in seconds, of what the provider issues (the session's is an option). */
export const OIDC_TTL_SECONDS = {
  /** RFC 6749 §4.1.2 recommends at most ten minutes; a client redeems its code at once. */
  authorizationCode: 60,
  accessToken: 3600,
  idToken: 3600,
  /** An authorization request waiting for its QR scan (and its confirmation). */
  interaction: 3600,
  /**
   * A grant (what a client may do for a person) and so every refresh token
   * of it: rotation does not stretch it, a new authorization does.
   */
  grant: 30 * 24 * 3600,
} as const;

/** Claims by scope (oidc-provider's `claims`); `telegram_id` comes with `openid`, so every client gets it. */
export const OIDC_CLAIMS = {
  openid: ['sub', 'telegram_id'],
  profile: [
    'name',
    'given_name',
    'family_name',
    'preferred_username',
    'picture',
  ],
} as const;

/** Scopes besides the claim scopes above. */
export const OIDC_EXTRA_SCOPES = ['offline_access'] as const;

/** Grant types a client may register. */
export const OIDC_GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
] as const;

/** Client authentication at the token endpoint: a secret (basic or in the body), or none with PKCE. */
export const OIDC_CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'none',
] as const;

/** A client secret shorter than this is refused: it is all that stands between a stolen code and tokens. */
export const MIN_CLIENT_SECRET_LENGTH = 32;

/** The Redis key (after the prefix) of the generated signing keys every instance shares. */
export const OIDC_JWKS_REDIS_KEY = 'oidc:jwks';

/**
 * Key of the interaction result (`interactionFinished`) that names the
 * session the login started: oidc-provider keeps the result as given until
 * the authorization ends, where the session is linked to its grant.
 */
export const OIDC_SESSION_RESULT = 'telegramQrAuthSession';

/** How long a client's back-channel logout endpoint may take to answer (oidc-provider's own is 2.5 s). */
export const BACKCHANNEL_LOGOUT_TIMEOUT_MS = 2_500;
