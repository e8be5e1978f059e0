import {
  LOGIN_SECRET_HEADER,
  type LoginStatusBody,
  type LoginTicket,
  type SessionTokens,
  type TelegramUser,
} from './contract.js';

/** A failed call, with what the page needs to decide: retry, start over, or say so. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** 0 when the server could not be reached at all. */
    readonly status: number,
    /** From `Retry-After` on a 429, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** `interaction`: the login is for an OpenID Connect authorization (interaction mode). */
export function createLogin(
  signal?: AbortSignal,
  interaction?: string,
): Promise<LoginTicket> {
  const path = interaction
    ? `${interactionPath(interaction)}/token`
    : 'auth/token';
  return call<LoginTicket>(path, { method: 'POST', signal });
}

/** The interaction's route, relative to the page's base (the module's route prefix). */
export function interactionPath(uid: string): string {
  return `oidc/interaction/${encodeURIComponent(uid)}`;
}

/**
 * Sends the browser on to `action` with a top-level form POST of the login's
 * token and secret: the interaction's cookie goes along, and the answer's
 * redirects (back to the site) are followed as a navigation.
 */
export function continueTo(
  action: string,
  login: { token: string; secret: string },
): void {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = action;
  form.hidden = true;
  for (const [name, value] of Object.entries({
    token: login.token,
    secret: login.secret,
  })) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
}

export function pollLogin(
  token: string,
  secret: string,
  signal?: AbortSignal,
): Promise<LoginStatusBody> {
  return call<LoginStatusBody>(`auth/poll/${encodeURIComponent(token)}`, {
    headers: { [LOGIN_SECRET_HEADER]: secret },
    signal,
  });
}

export function fetchMe(
  accessToken: string,
  signal?: AbortSignal,
): Promise<TelegramUser> {
  return call<TelegramUser>('auth/me', {
    headers: { Authorization: `Bearer ${accessToken}` },
    signal,
  });
}

/** The session's next tokens; the refresh token sent is spent (sent twice, it ends the session). */
export function refreshSession(
  refreshToken: string,
  signal?: AbortSignal,
): Promise<SessionTokens> {
  return call<SessionTokens>('auth/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
    signal,
  });
}

/** Ends the access token's session on the server (204). */
export async function logOut(
  accessToken: string,
  signal?: AbortSignal,
): Promise<void> {
  await call<undefined>('auth/logout', {
    method: 'POST',
    headers: { Authorization: `Bearer ${accessToken}` },
    signal,
  });
}

async function call<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError('The server cannot be reached', 0);
  }
  if (!response.ok)
    throw new ApiError(
      `${response.status} ${response.statusText}`,
      response.status,
      retryAfter(response),
    );
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('Retry-After');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
