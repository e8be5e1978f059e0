import {
  Inject,
  Module,
  type NestModule,
  type Provider as NestProvider,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Application } from 'express';
import type { RedisClient } from '../redis/redis-client.factory.js';
import type { AdapterFactory } from 'oidc-provider';
import type {
  OidcSettings,
  RedisSettings,
} from '../interfaces/settings.interface.js';
import { AuthModule } from '../auth/auth.module.js';
import { ProfilePhotoLinksModule } from '../photos/profile-photo-links.module.js';
import { REDIS_CLIENT } from '../redis/redis.constants.js';
import { RedisModule } from '../redis/redis.module.js';
import {
  OIDC_SETTINGS,
  REDIS_SETTINGS,
} from '../telegram-qr-auth.constants.js';
import { memoryOidcAdapterFactory } from './adapters/memory-oidc.adapter.js';
import { redisOidcAdapterFactory } from './adapters/redis-oidc.adapter.js';
import { OidcAccountStore } from './oidc-account.store.js';
import { OidcInteractionController } from './oidc-interaction.controller.js';
import { oidcRequestHandler } from './oidc-mount.js';
import { OidcProviderService } from './oidc-provider.service.js';
import { OidcSessionsService } from './oidc-sessions.service.js';
import { OIDC_ADAPTER_FACTORY, OIDC_TTL_SECONDS } from './oidc.constants.js';
import { SigningKeysModule } from './signing-keys.module.js';

const providers: NestProvider[] = [
  {
    provide: OIDC_ADAPTER_FACTORY,
    inject: [REDIS_CLIENT, REDIS_SETTINGS],
    // With a Redis URL every instance shares what the provider stores; without it one process keeps it in memory.
    useFactory: (redis: RedisClient | null, settings: RedisSettings) =>
      redis
        ? redisOidcAdapterFactory(redis, settings.keyPrefix)
        : memoryOidcAdapterFactory(),
  },
  {
    provide: OidcAccountStore,
    inject: [OIDC_ADAPTER_FACTORY, OIDC_SETTINGS],
    useFactory: (adapter: AdapterFactory, settings: OidcSettings) =>
      new OidcAccountStore(
        adapter,
        settings.sessionTtlSeconds + OIDC_TTL_SECONDS.grant,
      ),
  },
  OidcSessionsService,
  OidcProviderService,
];

/**
 * The OpenID Provider (oidc-provider) inside the app, active with at least
 * one client: its endpoints under the issuer's path, the interaction page
 * under the module's route prefix.
 */
@Module({
  // The interaction's login is one of AuthModule's (a QR code, the bot, the socket).
  imports: [
    RedisModule,
    AuthModule,
    SigningKeysModule,
    ProfilePhotoLinksModule,
  ],
  controllers: [OidcInteractionController],
  providers,
  exports: [OidcProviderService, OidcAccountStore],
})
export class OidcModule implements NestModule {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly oidcProvider: OidcProviderService,
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
  ) {}

  /**
   * Mounts the provider on Express itself, not as Nest middleware: its paths
   * come from the issuer (a host's global prefix must not move them), and
   * the provider reads its own request bodies. Nest calls this after its
   * body parsers (a host app's, if on, parse first; oidc-provider then reads
   * `req.body`) and before it registers the routes, so within the issuer's
   * path the provider's endpoints come first.
   */
  configure(): void {
    if (!this.settings.enabled) return;
    const { httpAdapter } = this.adapterHost;
    if (httpAdapter.getType() !== 'express')
      throw new Error(
        'TelegramQrAuthModule: the OpenID Provider (oidc) needs @nestjs/platform-express',
      );
    const app = httpAdapter.getInstance<Application>();
    app.use(
      this.settings.mountPath || '/',
      oidcRequestHandler(this.settings, this.oidcProvider),
    );
  }
}
