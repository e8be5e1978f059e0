import type { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type {
  AuthSettings,
  OidcSettings,
} from '../../interfaces/settings.interface.js';
import { oidcProviderPaths } from '../../oidc/oidc-mount.js';
import {
  AUTH_SETTINGS,
  OIDC_SETTINGS,
} from '../../telegram-qr-auth.constants.js';
import { appConfig } from '../config/index.js';
import { corsOptionsFor } from './cors.js';

/** Directives every page gets; the client page loads its script and Socket.IO's from this origin, nothing inline. */
const BASE_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
};

export const APP_CONTENT_SECURITY_POLICY = {
  ...BASE_DIRECTIVES,
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'", 'ws:', 'wss:'],
};

/** {@link APP_CONTENT_SECURITY_POLICY}, with the configured logo's origin (and no other) allowed as an image. */
export function appContentSecurityPolicy(
  logoUrl: string | undefined,
): typeof APP_CONTENT_SECURITY_POLICY {
  const origin = logoUrl ? new URL(logoUrl).origin : undefined;
  return origin
    ? {
        ...APP_CONTENT_SECURITY_POLICY,
        imgSrc: [...APP_CONTENT_SECURITY_POLICY.imgSrc, origin],
      }
    : APP_CONTENT_SECURITY_POLICY;
}

/** Swagger UI (/docs) needs inline styles (its scripts are files); only its pages get this looser policy. */
export const DOCS_CONTENT_SECURITY_POLICY = {
  ...BASE_DIRECTIVES,
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
};

const DOCS_PATH = /^\/docs(?:[/-]|$)/;

/**
 * helmet's headers (with our CSP), CORS from CORS_ORIGINS and `no-store` on
 * every /auth answer, errors included: a token, a secret or an access token
 * must never sit in a cache. Call before static files and routes are set up.
 */
export function applyHttpSecurity(app: NestExpressApplication): void {
  // upgrade-insecure-requests is left out: it would turn ws: into wss: on a plain-HTTP LAN demo.
  const { appLogoUrl } = app.get<AuthSettings>(AUTH_SETTINGS);
  const appHeaders = headersWorkedOutOnce(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: appContentSecurityPolicy(appLogoUrl),
      },
    }),
  );
  const docsHeaders = headersWorkedOutOnce(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: DOCS_CONTENT_SECURITY_POLICY,
      },
    }),
  );
  app.use((request: Request, response: Response, next: NextFunction) =>
    (DOCS_PATH.test(request.path) ? docsHeaders : appHeaders)(
      request,
      response,
      next,
    ),
  );

  app.use(
    '/auth',
    (_request: Request, response: Response, next: NextFunction) => {
      response.setHeader('Cache-Control', 'no-store');
      next();
    },
  );

  const { corsOrigins } = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  const cors = corsOptionsFor(corsOrigins);
  // The OpenID Provider answers CORS itself, per client (its redirect URIs' origins), preflights included.
  const isProviderPath = oidcProviderPaths(
    app.get<OidcSettings>(OIDC_SETTINGS),
  );
  if (cors)
    app.enableCors((request: Request, callback) =>
      callback(null, isProviderPath(request.path) ? { origin: false } : cors),
    );
}

/**
 * The headers a middleware sets (and removes), recorded once and then set in
 * one call. helmet's are the same for every request when no directive is a
 * function (none of ours is), and its dozen middlewares for each request
 * were ~6 % of a webhook update's CPU profile (see the README's Benchmarks).
 * A middleware that does anything else (reads the request, waits) is refused
 * at start-up rather than recorded wrong.
 */
export function headersWorkedOutOnce(
  middleware: RequestHandler,
): RequestHandler {
  const set = new Map<string, string | number | readonly string[]>();
  const removed: string[] = [];
  let calledNext = false;
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.set(name, value);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  middleware(
    new Proxy({}, { get: refuseRequestReads }) as Request,
    recorder as unknown as Response,
    (error?: unknown) => {
      if (error)
        throw new Error('headersWorkedOutOnce: the middleware failed', {
          cause: error,
        });
      calledNext = true;
    },
  );
  if (!calledNext)
    throw new Error(
      'headersWorkedOutOnce: the middleware did not call next at once',
    );
  return (_request, response, next) => {
    response.setHeaders(set);
    for (const name of removed) response.removeHeader(name);
    next();
  };
}

function refuseRequestReads(_target: object, property: string | symbol): never {
  throw new Error(
    `headersWorkedOutOnce: the middleware reads the request (${String(property)}), so its headers may differ per request`,
  );
}
