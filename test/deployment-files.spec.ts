import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { load } from 'js-yaml';
import {
  environmentSchema,
  validateEnvironment,
} from '../src/app/config/env.validation.js';
import { telegramQrAuthOptionsFrom } from '../src/app/config/telegram-qr-auth.config.js';
import { listenHost } from '../src/app/listen-host.js';
import { REQUEST_TIMEOUT_MS } from '../src/app/security/request-limits.js';
import { WEBHOOK_BODY_LIMIT } from '../src/telegram/telegram.constants.js';
import { generateJwks } from '../src/oidc/oidc-keys.js';
import { resolveSettings } from '../src/telegram-qr-auth.settings.js';

// No Docker engine runs the tests: these check the deployment files against the service they deploy.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface ComposeService {
  build?: unknown;
  image?: string;
  env_file?: string | string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
  healthcheck?: { test: string[] };
  volumes?: string[];
}

const compose = load(read('docker-compose.yml')) as {
  services: Record<string, ComposeService>;
};
const nginx = read('deploy/nginx.conf');
const dockerfile = read('Dockerfile');
const envExample = parseEnv(read('.env.example'));
/** The runtime stage's `ENV a=b c=d` lines (continued with a backslash): what the image sets before Compose's env_file and environment. */
const imageEnvironment = Object.fromEntries(
  [
    ...(dockerfile.split(/^FROM /m).at(-1) ?? '').matchAll(
      /^ENV ((?:.*\\\n)*.*)$/gm,
    ),
  ]
    .flatMap((match) => match[1].replace(/\\\n/g, ' ').split(/\s+/))
    .filter(Boolean)
    .map((pair) => pair.split('=', 2)),
) as Record<string, string>;
const defaultShutdownMs = environmentSchema
  .extract('SHUTDOWN_TIMEOUT_MS')
  .validate(undefined).value as number;

describe('docker-compose.yml', () => {
  const { app, redis, nginx: proxy } = compose.services;

  it('runs the app, Redis and nginx', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'app',
      'nginx',
      'redis',
    ]);
  });

  it('runs the app from the Dockerfile with .env, on 8887, on the Redis service, scalable (no published port)', () => {
    expect(app.build).toBe('.');
    expect(app.env_file).toBe('.env');
    expect(app.environment).toMatchObject({
      PORT: '8887',
      REDIS_URL: 'redis://redis:6379',
    });
    expect(app.ports).toBeUndefined();
    expect(app.depends_on?.redis.condition).toBe('service_healthy');
  });

  it('decides NODE_ENV=production itself; .env.example only documents NODE_ENV, commented out', () => {
    expect(app.environment?.NODE_ENV).toBe('production');
    expect(imageEnvironment.NODE_ENV).toBe('production');
    expect(envExample.NODE_ENV).toBeUndefined();
    expect(read('.env.example')).toMatch(/^# NODE_ENV=\w+$/m);
  });

  it('starts in production, on Redis, from a .env copied from .env.example with the three secrets and the signing keys filled in', () => {
    // Compose's precedence: the image's ENV, then env_file, then environment.
    const env = validateEnvironment({
      ...imageEnvironment,
      ...envExample,
      BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0',
      BOT_USERNAME: 'shop_login_bot',
      WEBHOOK_SECRET: 'compose-webhook-secret',
      OIDC_JWKS: JSON.stringify(generateJwks()),
      ...app.environment,
    });
    expect(env).toMatchObject({
      NODE_ENV: 'production',
      PORT: 8887,
      REDIS_URL: 'redis://redis:6379',
    });
    // With a bot and no HOST the app listens on every interface, so nginx reaches it over the Compose network.
    const { demoMode } = resolveSettings(
      telegramQrAuthOptionsFrom(env),
    ).telegram;
    expect(listenHost(env.HOST, demoMode)).toBeUndefined();
  });

  it('gives a stopping app more time than its own shutdown bound before Docker kills it', () => {
    const seconds = Number(/^(\d+)s$/.exec(app.stop_grace_period ?? '')?.[1]);
    expect(seconds * 1000).toBeGreaterThan(defaultShutdownMs);
  });

  it('checks Redis with PING and publishes only nginx, on 8887, with the repository nginx.conf', () => {
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(proxy.ports).toEqual(['8887:8887']);
    const [mounted] = proxy.volumes ?? [];
    const source = mounted.split(':')[0];
    expect(source).toBe('./deploy/nginx.conf');
    expect(existsSync(join(ROOT, source))).toBe(true);
  });
});

describe('the documented variables', () => {
  // The service's variables, and the one scripts/simulate.mjs reads besides them.
  const variables = [
    ...Object.keys(environmentSchema.describe().keys ?? {}),
    'SIMULATE_URL',
  ];

  it("README's configuration table has a row for every variable", () => {
    const rows = [...read('README.md').matchAll(/^\| `([A-Z_]+)` \|/gm)].map(
      (match) => match[1],
    );
    expect(rows.sort()).toEqual(expect.arrayContaining(variables.sort()));
  });

  it('.env.example names every variable, set or commented out', () => {
    const named = [
      ...read('.env.example').matchAll(/^(?:# )?([A-Z_]+)=/gm),
    ].map((match) => match[1]);
    expect(named).toEqual(expect.arrayContaining(variables));
  });
});

describe('deploy/nginx.conf', () => {
  const directives = (name: string) =>
    [...nginx.matchAll(new RegExp(`^\\s*${name}\\s+([^;]+);`, 'gm'))].map(
      (match) => match[1],
    );

  it('balances over the app service with sticky sessions (ip_hash) for the polling transport', () => {
    const upstream = /upstream qr_auth \{([\s\S]*?)\n\}/.exec(nginx)?.[1] ?? '';
    expect(upstream).toMatch(/^\s*ip_hash;/m);
    expect(upstream).toMatch(/^\s*server app:8887\b/m);
    expect(directives('listen')).toEqual(['8887']);
    expect(
      directives('proxy_pass').every((target) => target === 'http://qr_auth'),
    ).toBe(true);
  });

  it('passes the WebSocket upgrade, the request id and the client address on every location', () => {
    expect(directives('proxy_set_header')).toEqual(
      expect.arrayContaining([
        'Upgrade $http_upgrade',
        'Connection $connection_upgrade',
        'X-Request-Id $request_id',
        'X-Forwarded-For $proxy_add_x_forwarded_for',
      ]),
    );
    // A location with a proxy_set_header of its own would silently drop all of the server's.
    const locations = [...nginx.matchAll(/location [^{]+\{([^}]*)\}/g)].map(
      (match) => match[1],
    );
    expect(locations.length).toBeGreaterThan(0);
    for (const body of locations) expect(body).not.toMatch(/proxy_set_header/);
    expect(directives('proxy_http_version')).toEqual(['1.1']);
  });

  it('refuses bodies over what the webhook reads, and gives slow clients seconds as the service does', () => {
    const [size] = directives('client_max_body_size');
    expect(Number(/^(\d+)k$/.exec(size)?.[1]) * 1024).toBe(WEBHOOK_BODY_LIMIT);
    for (const name of ['client_header_timeout', 'client_body_timeout'])
      expect(Number(/^(\d+)s$/.exec(directives(name)[0])?.[1]) * 1000).toBe(
        REQUEST_TIMEOUT_MS,
      );
  });

  it('holds idle sockets longer than Socket.IO pings them, and keeps /metrics internal', () => {
    expect(
      Number(directives('proxy_read_timeout')[0].replace(/s$/, '')),
    ).toBeGreaterThan(45);
    expect(nginx).toMatch(/location ~\* \^\/metrics \{\s*return 404;\s*\}/);
  });
});

describe('Dockerfile', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? '';

  it('builds and runs every stage on Node 24 LTS (node:24-bookworm-slim)', () => {
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=24$/m);
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map(
      (match) => match[1],
    );
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases)
      expect(base).toBe('node:${NODE_VERSION}-bookworm-slim');
  });

  it('builds with npm run build (service and page) and runs node dist/app/main.js as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/app\/main\.js"\]$/m);
    expect(runtime).toMatch(/^EXPOSE 8887$/m);
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*\/health'/);
    // Loopback answers whatever HOST defaults to (loopback in demo mode, every interface with a bot).
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*'http:\/\/127\.0\.0\.1:'/);
    expect(imageEnvironment.HOST).toBeUndefined();
  });

  it('ships production dependencies only, the compiled service, the client page and its catalogues', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(
      /COPY --from=\w+ \/app\/node_modules \.\/node_modules/,
    );
    expect(runtime).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(runtime).toMatch(/COPY --from=build \/app\/client \.\/client/);
    // The catalogues are read at run time (src/i18n), beside dist/ as in the repository.
    expect(runtime).toMatch(/^COPY locales \.\/locales$/m);
    expect(runtime).not.toMatch(/^COPY (src|test)\b/m);
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#') && !line.startsWith('!'));
    const sources = [
      ...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm),
    ].flatMap((match) => match[1].split(/\s+/));
    expect(sources).toEqual(
      expect.arrayContaining([
        'package.json',
        'package-lock.json',
        'src',
        'client',
      ]),
    );
    for (const source of sources) {
      expect(existsSync(join(ROOT, source))).toBe(true);
      expect(ignored).not.toContain(source);
    }
    const scripts = (
      JSON.parse(read('package.json')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts.build).toMatch(/build:client/);
  });
});

describe('package.json scripts', () => {
  const manifest = JSON.parse(read('package.json')) as {
    scripts: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const { scripts } = manifest;

  it('npm run start:dev watches the service and the page (client/src), stopping both together', () => {
    expect(scripts['start:dev']).toMatch(/^concurrently -k /);
    expect(scripts['start:dev']).toContain('"nest start --watch"');
    expect(scripts['start:dev']).toMatch(
      /"tsc -p client\/tsconfig\.json --watch[^"]*"/,
    );
    expect(scripts['prestart:dev']).toBe('npm run build:client');
  });

  it('nest start runs the service entry the Dockerfile runs (dist/app/main.js)', () => {
    const cli = JSON.parse(read('nest-cli.json')) as {
      sourceRoot: string;
      entryFile?: string;
    };
    // `nest start` runs <outDir>/<entryFile>.js, compiled from <sourceRoot>/<entryFile>.ts.
    const entry = cli.entryFile ?? 'main';
    expect(existsSync(join(ROOT, cli.sourceRoot, `${entry}.ts`))).toBe(true);
    expect(`dist/${entry}.js`).toBe('dist/app/main.js');
  });

  it('npm run start:pretty pipes the logs through the installed pino-pretty, not npx', () => {
    expect(scripts['start:pretty']).toBe(
      'npm run build && node dist/app/main.js | pino-pretty',
    );
    expect(manifest.devDependencies['pino-pretty']).toBeDefined();
  });
});

describe('The package', () => {
  it('ships the catalogues the service reads at run time (locales/)', () => {
    const manifest = JSON.parse(read('package.json')) as { files: string[] };
    expect(manifest.files).toContain('locales');
  });
});

describe('LICENSE', () => {
  it('is the MIT license that package.json names, and ships in the package', () => {
    const manifest = JSON.parse(read('package.json')) as {
      license: string;
      files: string[];
    };
    const license = read('LICENSE');
    expect(manifest.license).toBe('MIT');
    expect(license).toMatch(/^MIT License\n/);
    expect(license).toContain(
      'Copyright (c) 2026 Telegram QR Auth contributors',
    );
    expect(license).toContain(
      'Permission is hereby granted, free of charge, to any person obtaining a copy',
    );
    expect(manifest.files).toContain('LICENSE');
  });
});
