import type { NextFunction, Request, Response } from 'express';
import type { OidcSettings } from '../interfaces/settings.interface.js';
import { RedisUnavailableError } from '../redis/redis-unavailable.error.js';
import { OIDC_DISCOVERY_PATHS, OIDC_ROUTES } from './oidc.constants.js';

/** What the mount needs of the provider: its request handler, once it is built. */
export interface OidcCallbackSource {
  callback(): Promise<(request: Request, response: Response) => unknown>;
}

/** Whether a path under the mount is one of the provider's: a request to any other path goes on to the app's own routes. */
function isProviderRoute(): (path: string) => boolean {
  const { authorization, end_session } = OIDC_ROUTES;
  const exact = new Set<string>([
    ...OIDC_DISCOVERY_PATHS,
    ...Object.values(OIDC_ROUTES),
    `${end_session}/confirm`,
    `${end_session}/success`,
  ]);
  // The authorization resumed after the interaction: /authorize/<uid>.
  const resume = new RegExp(`^${authorization}/[^/]+$`);
  return (path) => exact.has(path) || resume.test(path);
}

/**
 * Whether a whole request path (with the issuer's) is the provider's, for
 * what the app puts in front of every route: the app's CORS, for one, must
 * leave these to oidc-provider's own (per client).
 */
export function oidcProviderPaths(
  settings: OidcSettings,
): (path: string) => boolean {
  if (!settings.enabled) return () => false;
  const isRoute = isProviderRoute();
  const { mountPath } = settings;
  return (path) =>
    mountPath === ''
      ? isRoute(path)
      : path.startsWith(`${mountPath}/`) &&
        isRoute(path.slice(mountPath.length));
}

/**
 * Where the provider's pages may submit forms: itself, and the clients'
 * redirect and post-logout URIs, where `form_post` answers and the logout
 * confirmation (a POST answered with a redirect) send the browser. A
 * browser checks `form-action` against redirects too.
 */
export function formTargets(settings: OidcSettings): string[] {
  const targets = new Set([new URL(settings.issuer).origin]);
  for (const client of settings.clients)
    for (const uri of [
      ...client.redirect_uris,
      ...(client.post_logout_redirect_uris ?? []),
    ]) {
      const url = new URL(uri);
      targets.add(
        url.protocol === 'http:' || url.protocol === 'https:'
          ? url.origin
          : url.protocol,
      );
    }
  return [...targets];
}

/**
 * The provider's pages (errors, the logout question, `form_post`) have no
 * styles or scripts of their own; `script-src` is there so that
 * oidc-provider can add the hash of its `form_post` script to it.
 */
export function providerContentSecurityPolicy(settings: OidcSettings): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action 'self' ${formTargets(settings).join(' ')}`,
  ].join('; ');
}

/**
 * The Express middleware that hands the provider's own paths to
 * oidc-provider, mounted at the issuer's path (Express strips it from
 * `req.url` and keeps `req.originalUrl`, from which oidc-provider works out
 * its mount). Everything else goes on (`next`).
 *
 * oidc-provider (Koa with `proxy = true`) builds every URL from the request's
 * scheme and host and takes the client IP from X-Forwarded-For. Those
 * headers are set here: scheme and host always the issuer's, so every
 * endpoint in discovery is under the issuer however the request came in (an
 * internal URL, a proxy that leaves out X-Forwarded-Proto), and the IP as
 * Express decided it (TRUST_PROXY), so that Koa trusts no client's word.
 */
export function oidcRequestHandler(
  settings: OidcSettings,
  source: OidcCallbackSource,
): (request: Request, response: Response, next: NextFunction) => void {
  const isRoute = isProviderRoute();
  const issuer = new URL(settings.issuer);
  const contentSecurityPolicy = providerContentSecurityPolicy(settings);
  return (request, response, next) => {
    if (!isRoute(request.path)) {
      next();
      return;
    }
    const { headers } = request;
    headers['x-forwarded-proto'] = issuer.protocol.slice(0, -1);
    headers['x-forwarded-host'] = issuer.host;
    headers['x-forwarded-for'] =
      request.ip ?? request.socket.remoteAddress ?? '';
    response.setHeader('Content-Security-Policy', contentSecurityPolicy);
    source.callback().then(
      (handle) => handle(request, response),
      (error: unknown) => {
        if (error instanceof RedisUnavailableError) {
          // The generated signing keys live in Redis, and it cannot be reached: as oidc-provider answers then.
          response.status(503).json({
            error: 'temporarily_unavailable',
            error_description:
              'the login service cannot reach its storage right now; try again in a few seconds',
          });
          return;
        }
        next(error);
      },
    );
  };
}
