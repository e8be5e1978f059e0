import { LOGIN_SECRET_HEADER } from '../../auth/auth.constants.js';
import { PROFILE_PHOTOS_PATH } from '../../photos/profile-photos.constants.js';
import { WEBHOOK_SECRET_HEADER } from '../../telegram/telegram.constants.js';

/** What replaces a secret in the logs. */
export const REDACTED = '[redacted]';

/** A proxy's request id is kept (nginx: `proxy_set_header X-Request-Id $request_id`); otherwise one is made. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** An incoming request id is used only if it looks like one, so a client cannot write arbitrary text into the logs. */
export const INCOMING_REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request headers that carry secrets (lower case, as Node gives them): their values are not logged. */
export const REDACTED_HEADERS: readonly string[] = [
  'authorization',
  'cookie',
  LOGIN_SECRET_HEADER,
  WEBHOOK_SECRET_HEADER,
];

/**
 * A file's path: `/` (the login page) or a last segment with an extension
 * (`/dist/app.js`, `/styles.css`, `/socket.io/socket.io.js`). No API route
 * looks like one.
 */
export const STATIC_FILE_PATH =
  /^(?:\/|[^?#]*\/[^/?#]+\.[A-Za-z0-9]+)(?:[?#]|$)/;

/** Probes and scrapes every few seconds would drown the request log. */
export const UNLOGGED_PATHS = /^\/(health(\/ready)?|metrics)(\?|$)/;

/** Shorter configured secrets are not searched for in log lines (they would match ordinary text). */
export const MIN_SCRUBBED_SECRET_LENGTH = 8;

/**
 * Query parameters whose values are credentials: OpenID Connect's logout takes the ID token
 * (`id_token_hint`) in a GET, and a client may send a token or a code in a URL. Their values
 * are replaced in the logged URL; the rest of the URL stays, so a request can still be told apart.
 */
export const REDACTED_QUERY_PARAMETERS: readonly string[] = [
  'id_token_hint',
  'code',
  'code_verifier',
  'access_token',
  'refresh_token',
  'token',
  'client_secret',
];

/**
 * A path segment that is a credential: the ticket of a photo URL (`/auth/photos/<ticket>`, under
 * any route prefix) lets whoever holds it see the person's photo for up to a day. The segment
 * before it is kept (group 1), so a request can still be told apart.
 */
export const REDACTED_PATH_SEGMENT = new RegExp(
  `(/${PROFILE_PHOTOS_PATH}/)[^/?#]+`,
);
