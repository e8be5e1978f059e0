import type { Server } from 'node:http';

export interface SiteOptions {
  /** The service's OIDC_ISSUER (its discovery document is `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the site is reached, without a trailing slash; its redirect URI is `${url}/callback`. */
  url: string;
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
}

/** Starts the example relying party; resolves once it listens. */
export function startSite(options: SiteOptions): Promise<Server>;
