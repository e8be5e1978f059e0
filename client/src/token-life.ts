/**
 * How long an access token lives from when it was issued, read from its own
 * `iat` and `exp` (both by the server's clock, so the device's clock does not
 * matter); undefined when the token does not say. Less a second: `iat` is
 * rounded down, so the token may have been issued up to a second later.
 */
export function lifetimeMsOf(accessToken: string): number | undefined {
  const payload = accessToken.split('.')[1];
  if (!payload) return undefined;
  let claims: { iat?: unknown; exp?: unknown };
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    claims = JSON.parse(new TextDecoder().decode(bytes)) as typeof claims;
  } catch {
    return undefined;
  }
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp <= iat)
    return undefined;
  return Math.max(0, (exp - iat - 1) * 1000);
}

/**
 * How long after receiving an access token the page replaces it: at 80% of
 * its life or a minute before its end, whichever is sooner, but not before
 * half its life (a token of a few seconds is not refreshed in a busy loop).
 */
export function refreshDelayMs(lifetimeMs: number): number {
  return Math.max(
    lifetimeMs / 2,
    Math.min(lifetimeMs * 0.8, lifetimeMs - 60_000),
  );
}
