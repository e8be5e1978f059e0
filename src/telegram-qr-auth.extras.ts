import type { DynamicModule, Provider } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { RedisClient } from './redis/redis-client.factory.js';
import type { ReplicaWait } from './redis/wait-for-replicas.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOGIN_STORE, LOGINS_IN_THIS_PROCESS } from './auth/auth.constants.js';
import { AuthModule } from './auth/auth.module.js';
import { PageLocalesModule } from './i18n/page-locales.module.js';
import { OidcModule } from './oidc/oidc.module.js';
import { ProfilePhotosModule } from './photos/profile-photos.module.js';
import { AllowListLoginPolicy, LoginPolicy } from './auth/login-policy.js';
import { MemoryLoginStore } from './auth/stores/memory-login.store.js';
import { RedisLoginStore } from './auth/stores/redis-login.store.js';
import type { RedisSettings } from './interfaces/settings.interface.js';
import type { TelegramQrAuthExtras } from './interfaces/telegram-qr-auth-extras.interface.js';
import { REDIS_CLIENT, REPLICA_WAIT } from './redis/redis.constants.js';
import { REDIS_SETTINGS, ROUTE_PREFIX } from './telegram-qr-auth.constants.js';
import { TelegramModule } from './telegram/telegram.module.js';

/** The bundled page, beside `src/` or `dist/` alike. */
export const LOGIN_PAGE_ROOT = fileURLToPath(
  new URL('../client/public', import.meta.url),
);

const require = createRequire(import.meta.url);

/**
 * The browser builds (ES modules, relative imports only) of the Fluent
 * libraries the page imports from `vendor/<name>/index.js`: loaded as they
 * are, with no bundler and nothing inline.
 */
export const PAGE_VENDOR_MODULES: Readonly<Record<string, string>> = {
  'fluent-bundle': esmBuildOf('@fluent/bundle'),
  'fluent-langneg': esmBuildOf('@fluent/langneg'),
};

function esmBuildOf(name: string): string {
  return join(dirname(require.resolve(`${name}/package.json`)), 'esm');
}

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
          inject: [REDIS_CLIENT, REDIS_SETTINGS, REPLICA_WAIT],
          // With a Redis URL every instance shares the logins; without it one process keeps them in memory.
          useFactory: (
            redis: RedisClient | null,
            settings: RedisSettings,
            wait: ReplicaWait,
          ) =>
            redis
              ? new RedisLoginStore(redis, settings.keyPrefix, wait)
              : new MemoryLoginStore(),
        },
    {
      provide: LOGINS_IN_THIS_PROCESS,
      inject: [LOGIN_STORE],
      useFactory: (store: unknown) => store instanceof MemoryLoginStore,
    },
  ];
  const imports: DynamicModule['imports'] = [];
  // ConfigurableModuleBuilder has merged DEFAULT_EXTRAS in: serveLoginPage is set.
  const pageModules = extras.serveLoginPage ? [PageLocalesModule] : [];
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
            ...pageModules,
          ],
        },
      ]),
    );
  }
  if (extras.serveLoginPage) {
    const pageRoot = routePrefix ? `/${routePrefix}` : '';
    imports.push(
      ...pageModules,
      ServeStaticModule.forRoot(
        {
          rootPath: LOGIN_PAGE_ROOT,
          serveRoot: pageRoot || '/',
          // Only the page's own files; any other path stays the app's (a JSON 404 included).
          renderPath: pageRoot || '/',
          serveStaticOptions: { fallthrough: true, index: 'index.html' },
        },
        ...Object.entries(PAGE_VENDOR_MODULES).map(([name, rootPath]) => ({
          rootPath,
          serveRoot: `${pageRoot}/vendor/${name}`,
          // Nothing to render: a file that is not there is the app's 404.
          renderPath: '/index.js',
          serveStaticOptions: { fallthrough: true, index: false as const },
        })),
      ),
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
      LOGINS_IN_THIS_PROCESS,
      ROUTE_PREFIX,
    ],
  };
}
