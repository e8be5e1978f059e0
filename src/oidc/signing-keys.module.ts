import { Inject, Module, type NestModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Application, Request, Response } from 'express';
import type { OidcSettings } from '../interfaces/settings.interface.js';
import { RedisModule } from '../redis/redis.module.js';
import { RedisUnavailableError } from '../redis/redis-unavailable.error.js';
import { OIDC_SETTINGS } from '../telegram-qr-auth.constants.js';
import { OIDC_ROUTES } from './oidc.constants.js';
import { SigningKeysService } from './signing-keys.service.js';

/**
 * The signing keys, for the sessions and the OpenID Provider alike; and,
 * when the provider is off, their publication at `<issuer>/jwks`, where the
 * provider publishes them when on: one URL for a backend to configure,
 * whether clients come later or not.
 */
@Module({
  imports: [RedisModule],
  providers: [SigningKeysService],
  exports: [SigningKeysService],
})
export class SigningKeysModule implements NestModule {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly keys: SigningKeysService,
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
  ) {}

  /** As the provider's mount (oidc.module.ts): on Express, at the issuer's path, before Nest's routes. */
  configure(): void {
    if (this.settings.enabled || !this.keys.needed) return;
    const { httpAdapter } = this.adapterHost;
    if (httpAdapter.getType() !== 'express') return;
    const path = `${this.settings.mountPath}${OIDC_ROUTES.jwks}`;
    httpAdapter
      .getInstance<Application>()
      .get(path, (_request: Request, response: Response) => {
        this.keys.get().then(
          (keys) => {
            // As oidc-provider answers it: public keys, readable from any origin.
            response.setHeader('Access-Control-Allow-Origin', '*');
            response
              .type('application/jwk-set+json; charset=utf-8')
              .send(JSON.stringify(keys.public));
          },
          (error: unknown) => {
            const status =
              error instanceof RedisUnavailableError ? error.getStatus() : 500;
            response.status(status).json({
              statusCode: status,
              message:
                error instanceof RedisUnavailableError
                  ? error.message
                  : 'Internal server error',
            });
          },
        );
      });
  }
}
