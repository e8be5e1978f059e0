import { errors } from 'oidc-provider';

/** Models whose records are redeemed once (`consume`), as oidc-provider names them. */
const LABELS: Record<string, string> = {
  AuthorizationCode: 'authorization code',
  RefreshToken: 'refresh token',
  DeviceCode: 'device code',
  BackchannelAuthenticationRequest: 'backchannel authentication request',
  PushedAuthorizationRequest: 'pushed authorization request',
  PreAuthorizedCode: 'pre-authorized code',
};

/**
 * oidc-provider finds a code or refresh token, checks `consumed`, then
 * consumes it. Two requests with the same one, on two instances (or
 * interleaved on one), can both pass the check; the adapter's `consume` is
 * atomic, and the one that comes second gets this: `invalid_grant`, as for
 * any reuse. The adapter revokes the grant first (RFC 6749 §4.1.2, and what
 * oidc-provider itself does with a reused refresh token): whichever request
 * redeemed it, the tokens it got stop working.
 */
export function alreadyUsed(model: string): Error {
  return new errors.InvalidGrant(`${LABELS[model] ?? model} already used`);
}

/** Consumed between its `find` and its `consume` by a revocation or expiry: gone, so refused the same way. */
export function vanished(model: string): Error {
  return new errors.InvalidGrant(`${LABELS[model] ?? model} not found`);
}

/** oidc-provider's 'temporarily_unavailable' with 503: the storage cannot be reached right now. */
export function storageUnavailable(cause: unknown): Error {
  const error = new errors.TemporarilyUnavailable(
    'the login service cannot reach its storage right now; try again in a few seconds',
    { cause },
  );
  return Object.assign(error, { status: 503, statusCode: 503 });
}
