import {
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import type { AdapterFactory } from 'oidc-provider';
import type { OidcSettings } from '../interfaces/settings.interface.js';
import { ProfilePhotoLinks } from '../photos/profile-photo-links.service.js';
import { RedisUnavailableError } from '../redis/redis-unavailable.error.js';
import { OIDC_SETTINGS, ROUTE_PREFIX } from '../telegram-qr-auth.constants.js';
import { OidcAccountStore } from './oidc-account.store.js';
import type { OidcCallbackSource } from './oidc-mount.js';
import { createOidcProvider } from './oidc-provider.factory.js';
import { OIDC_ADAPTER_FACTORY } from './oidc.constants.js';
import { oidcInteractionPath } from './oidc-paths.js';
import { OidcSessionsService } from './oidc-sessions.service.js';
import { SigningKeysService } from './signing-keys.service.js';

/**
 * The oidc-provider instance, built once at start (after its signing keys
 * are known). For the interaction: `get()` gives the provider for
 * `interactionDetails` and `interactionFinished`.
 */
@Injectable()
export class OidcProviderService implements OnModuleInit, OidcCallbackSource {
  private readonly logger = new Logger('OpenIdProvider');
  private starting?: Promise<Provider>;
  private handler?: (request: Request, response: Response) => unknown;

  constructor(
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
    private readonly keys: SigningKeysService,
    @Inject(OIDC_ADAPTER_FACTORY) private readonly adapter: AdapterFactory,
    private readonly accounts: OidcAccountStore,
    @Inject(ROUTE_PREFIX) private readonly routePrefix: string,
    private readonly sessions: OidcSessionsService,
    @Optional() private readonly photos?: ProfilePhotoLinks,
  ) {}

  /**
   * Builds the provider, so that a bad client or key stops the start. Only
   * when its keys (SigningKeysService) must come from a Redis that cannot be reached is it
   * left for the first request (which answers 503 until Redis is back).
   */
  async onModuleInit(): Promise<void> {
    if (!this.settings.enabled) return;
    try {
      await this.get();
    } catch (error) {
      if (!(error instanceof RedisUnavailableError)) throw error;
      this.logger.error(
        'The OpenID Provider waits for Redis, where its signing keys are: its endpoints answer 503 until Redis answers',
      );
    }
  }

  /** The provider; rejects with RedisUnavailableError while its keys cannot be read, and tries again next time. */
  get(): Promise<Provider> {
    if (!this.settings.enabled)
      return Promise.reject(
        new Error('The OpenID Provider is off: no oidc.clients'),
      );
    this.starting ??= this.build().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  /** The provider's Node request handler (Koa's `callback()`), made once. */
  async callback(): Promise<(request: Request, response: Response) => unknown> {
    if (this.handler) return this.handler;
    const provider = await this.get();
    this.handler ??= provider.callback();
    return this.handler;
  }

  /** The path of our page for an interaction. */
  interactionPath(uid: string): string {
    return oidcInteractionPath(this.routePrefix, uid);
  }

  private async build(): Promise<Provider> {
    const provider = createOidcProvider({
      settings: this.settings,
      jwks: (await this.keys.get()).jwks,
      adapter: this.adapter,
      accounts: this.accounts,
      interactionUrl: (uid) => this.interactionPath(uid),
      sessionGoesOn: (uid) => this.sessions.goesOn(uid),
      pictureOf: (telegramId) =>
        this.photos?.pictureUrl(telegramId) ?? Promise.resolve(undefined),
      logger: this.logger,
    });
    await this.checkClients(provider);
    this.sessions.attach(provider);
    return provider;
  }

  /**
   * oidc-provider checks a client's metadata when it is first used; asking
   * for each client here turns a mistake into a start-up error.
   */
  private async checkClients(provider: Provider): Promise<void> {
    const problems: string[] = [];
    for (const { client_id } of this.settings.clients) {
      try {
        await provider.Client.find(client_id);
      } catch (error) {
        const { error_description, message } = error as {
          error_description?: string;
          message?: string;
        };
        problems.push(
          `  - oidc.clients: client "${client_id}": ${error_description ?? message ?? String(error)}`,
        );
      }
    }
    if (problems.length)
      throw new Error(
        `TelegramQrAuthModule: invalid oidc options:\n${problems.join('\n')}`,
      );
  }
}
