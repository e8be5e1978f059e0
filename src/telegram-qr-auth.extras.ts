import type { DynamicModule, Provider } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { Redis } from 'ioredis';
import { fileURLToPath } from 'node:url';
import { LOGIN_STORE } from './auth/auth.constants.js';
import { AuthModule } from './auth/auth.module.js';
import { OidcModule } from './oidc/oidc.module.js';
import { ProfilePhotosModule } from './photos/profile-photos.module.js';
import { AllowListLoginPolicy, LoginPolicy } from './auth/login-policy.js';
import { MemoryLoginStore } from './auth/stores/memory-login.store.js';
import { RedisLoginStore } from './auth/stores/redis-login.store.js';
import type { RedisSettings } from './interfaces/settings.interface.js';
import type { TelegramQrAuthExtras } from './interfaces/telegram-qr-auth-extras.interface.js';
import { REDIS_CLIENT } from './redis/redis.constants.js';
import { REDIS_SETTINGS, ROUTE_PREFIX } from './telegram-qr-auth.constants.js';
import { TelegramModule } from './telegram/telegram.module.js';

/** The bundled page, beside `src/` or `dist/` alike. */
export const LOGIN_PAGE_ROOT = fileURLToPath(
  new URL('../client/public', import.meta.url),
);

/**
 * Adds what the extras decide to the module `forRoot`/`forRootAsync` built.
 * The module is global so that the policy, the store, the guard and the
 * settings reach every module of the host, ours included.
 */
export function applyExtras(
  definition: DynamicModule,
  extras: TelegramQrAuthExtras,
): DynamicModule {
  const routePrefix = (extras.routePrefix ?? '').replace(/^\/+|\/+$/g, '');
  const providers: Provider[] = [
    { provide: ROUTE_PREFIX, useValue: routePrefix },
    {
      provide: LoginPolicy,
      useClass: extras.loginPolicy ?? AllowListLoginPolicy,
    },
    extras.loginStore
      ? { provide: LOGIN_STORE, useClass: extras.loginStore }
      : {
          provide: LOGIN_STORE,
          inject: [REDIS_CLIENT, REDIS_SETTINGS],
          // With a Redis URL every instance shares the logins; without it one process keeps them in memory.
          useFactory: (redis: Redis | null, settings: RedisSettings) =>
            redis
              ? new RedisLoginStore(redis, settings.keyPrefix)
              : new MemoryLoginStore(),
        },
  ];
  const imports: DynamicModule['imports'] = [];
  if (routePrefix) {
    imports.push(
      RouterModule.register([
        {
          path: routePrefix,
          children: [
            AuthModule,
            TelegramModule,
            OidcModule,
            ProfilePhotosModule,
          ],
        },
      ]),
    );
  }
  // ConfigurableModuleBuilder has merged DEFAULT_EXTRAS in: serveLoginPage is set.
  if (extras.serveLoginPage) {
    imports.push(
      ServeStaticModule.forRoot({
        rootPath: LOGIN_PAGE_ROOT,
        serveRoot: routePrefix ? `/${routePrefix}` : '/',
        // Only the page's own files; any other path stays the app's (a JSON 404 included).
        renderPath: routePrefix ? `/${routePrefix}` : '/',
        serveStaticOptions: { fallthrough: true, index: 'index.html' },
      }),
    );
  }
  return {
    ...definition,
    global: true,
    imports: [...(definition.imports ?? []), ...imports],
    providers: [...(definition.providers ?? []), ...providers],
    exports: [
      ...(definition.exports ?? []),
      LoginPolicy,
      LOGIN_STORE,
      ROUTE_PREFIX,
    ],
  };
}
