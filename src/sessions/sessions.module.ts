import { Module } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-client.factory.js';
import type { ReplicaWait } from '../redis/wait-for-replicas.js';
import { SigningKeysModule } from '../oidc/signing-keys.module.js';
import { SigningKeysService } from '../oidc/signing-keys.service.js';
import { RedisModule } from '../redis/redis.module.js';
import { REDIS_CLIENT, REPLICA_WAIT } from '../redis/redis.constants.js';
import type {
  AuthSettings,
  OidcSettings,
  RedisSettings,
} from '../interfaces/settings.interface.js';
import {
  AUTH_SETTINGS,
  OIDC_SETTINGS,
  REDIS_SETTINGS,
} from '../telegram-qr-auth.constants.js';
import { AccessTokenService } from './access-token.service.js';
import {
  type AccessTokenKeys,
  AccessTokens,
  asymmetricAccessTokenKeys,
  hs256AccessTokenKeys,
} from './access-tokens.js';
import { SessionEventsService } from './session-events.service.js';
import { SessionService } from './session.service.js';
import { ACCESS_TOKEN_KEYS, SESSION_STORE } from './sessions.constants.js';
import { MemorySessionStore } from './stores/memory-session.store.js';
import { RedisSessionStore } from './stores/redis-session.store.js';

/**
 * Sessions and their tokens: what every completed login starts, and what
 * the login flow, the bot, the OpenID Provider and a host's guard ask about.
 * Depends on no other feature module, so that each of them may use it.
 */
@Module({
  imports: [SigningKeysModule, RedisModule],
  providers: [
    {
      provide: ACCESS_TOKEN_KEYS,
      inject: [AUTH_SETTINGS, SigningKeysService],
      useFactory: (auth: AuthSettings, signingKeys: SigningKeysService) => {
        const { jwtAlgorithm, jwtSecret } = auth;
        let keys: Promise<AccessTokenKeys> | undefined;
        return (): Promise<AccessTokenKeys> => {
          // Made once the signing keys are read; made again only after a failed read (Redis down).
          keys ??=
            jwtAlgorithm === 'HS256'
              ? Promise.resolve(hs256AccessTokenKeys(jwtSecret!))
              : signingKeys
                  .get()
                  .then((read) =>
                    asymmetricAccessTokenKeys(read, jwtAlgorithm),
                  );
          return keys.catch((error: unknown) => {
            keys = undefined;
            throw error;
          });
        };
      },
    },
    {
      provide: AccessTokens,
      inject: [ACCESS_TOKEN_KEYS, AUTH_SETTINGS, OIDC_SETTINGS],
      useFactory: (
        keys: () => Promise<AccessTokenKeys>,
        auth: AuthSettings,
        oidc: OidcSettings,
      ) =>
        new AccessTokens(keys, {
          issuer: oidc.issuer || undefined,
          ttlSeconds: auth.jwtTtlSeconds,
        }),
    },
    {
      provide: SESSION_STORE,
      inject: [REDIS_CLIENT, REDIS_SETTINGS, REPLICA_WAIT],
      // Where the logins are: shared by every instance with a Redis URL, in this process without one.
      useFactory: (
        redis: RedisClient | null,
        settings: RedisSettings,
        wait: ReplicaWait,
      ) =>
        redis
          ? new RedisSessionStore(redis, settings.keyPrefix, wait)
          : new MemorySessionStore(),
    },
    AccessTokenService,
    SessionEventsService,
    SessionService,
  ],
  exports: [
    SessionService,
    SessionEventsService,
    SESSION_STORE,
    ACCESS_TOKEN_KEYS,
  ],
})
export class SessionsModule {}
