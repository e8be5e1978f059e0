import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateJwks } from '../../oidc/oidc-keys.js';
import { validateEnvironment } from './env.validation.js';

const BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const JWKS = JSON.stringify(generateJwks());
const PRODUCTION = {
  NODE_ENV: 'production',
  BOT_TOKEN,
  BOT_USERNAME: 'shop_login_bot',
  WEBHOOK_SECRET: 'production-webhook-secret',
  OIDC_JWKS: JWKS,
};
/** Production with the HS256 opt-in instead of keys. */
const PRODUCTION_HS256 = {
  NODE_ENV: 'production',
  BOT_TOKEN,
  BOT_USERNAME: 'shop_login_bot',
  WEBHOOK_SECRET: 'production-webhook-secret',
  JWT_ALGORITHM: 'HS256',
  JWT_SECRET: 'production-jwt-secret-0123456789abcdef',
};

/** The message of the error validateEnvironment throws for `raw`. */
function problemsWith(raw: Record<string, unknown>): string {
  try {
    validateEnvironment(raw);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('validateEnvironment', () => {
  it('starts from documented defaults with an empty environment', () => {
    expect(validateEnvironment({})).toMatchObject({
      NODE_ENV: 'development',
      PORT: 8887,
      APP_NAME: 'Telegram QR Auth',
      CORS_ORIGINS: [],
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
      TELEGRAM_MODE: 'webhook',
      LOGIN_CONFIRMATION: 'off',
      TOKEN_TTL_SECONDS: 300,
      JWT_ALGORITHM: 'ES256',
      JWT_TTL_SECONDS: 600,
      SESSION_TTL_SECONDS: 14 * 24 * 3600,
      PROFILE_PHOTOS: 'on',
    });
    const env = validateEnvironment({});
    for (const name of [
      'BOT_TOKEN',
      'BOT_USERNAME',
      'WEBHOOK_SECRET',
      'JWT_SECRET',
      'REDIS_URL',
      'PUBLIC_URL',
    ] as const) {
      expect(env[name]).toBeUndefined();
    }
  });

  it('turns numbers into numbers', () => {
    const env = validateEnvironment({
      PORT: '3000',
      TOKEN_TTL_SECONDS: '60',
      JWT_TTL_SECONDS: '120',
    });
    expect(env.PORT).toBe(3000);
    expect(env.TOKEN_TTL_SECONDS).toBe(60);
    expect(env.JWT_TTL_SECONDS).toBe(120);
  });

  it('treats empty strings as unset, like the blanks of a copied .env.example', () => {
    const env = validateEnvironment({
      PORT: '',
      BOT_TOKEN: '',
      BOT_USERNAME: '',
      WEBHOOK_SECRET: '',
      JWT_SECRET: '',
      LOGIN_CONFIRMATION: '',
    });
    expect(env.PORT).toBe(8887);
    expect(env.BOT_TOKEN).toBeUndefined();
    expect(env.LOGIN_CONFIRMATION).toBe('off');
  });

  it('reads CORS_ORIGINS as a comma-separated list', () => {
    expect(
      validateEnvironment({
        CORS_ORIGINS: 'https://a.example, https://b.example ,',
      }).CORS_ORIGINS,
    ).toEqual(['https://a.example', 'https://b.example']);
    expect(validateEnvironment({ CORS_ORIGINS: '*' }).CORS_ORIGINS).toEqual([
      '*',
    ]);
  });

  it('accepts every confirmation mode and update mode', () => {
    for (const mode of ['off', 'button', 'code'])
      expect(
        validateEnvironment({ LOGIN_CONFIRMATION: mode }).LOGIN_CONFIRMATION,
      ).toBe(mode);
    for (const mode of ['webhook', 'polling'])
      expect(validateEnvironment({ TELEGRAM_MODE: mode }).TELEGRAM_MODE).toBe(
        mode,
      );
  });

  it('turns profile photos on or off with PROFILE_PHOTOS=on|off, and nothing else', () => {
    expect(validateEnvironment({ PROFILE_PHOTOS: 'off' }).PROFILE_PHOTOS).toBe(
      'off',
    );
    expect(validateEnvironment({ PROFILE_PHOTOS: 'on' }).PROFILE_PHOTOS).toBe(
      'on',
    );
    expect(problemsWith({ PROFILE_PHOTOS: 'no' })).toContain(
      '"PROFILE_PHOTOS" must be on or off',
    );
  });

  it('accepts a bot the way @BotFather gives it, with or without @ in the username', () => {
    expect(
      validateEnvironment({ BOT_TOKEN, BOT_USERNAME: '@shop_login_bot' }),
    ).toMatchObject({ BOT_TOKEN, BOT_USERNAME: '@shop_login_bot' });
    expect(
      validateEnvironment({ BOT_TOKEN, BOT_USERNAME: 'shop_login_bot' })
        .BOT_USERNAME,
    ).toBe('shop_login_bot');
  });

  it('keeps variables it does not know, untouched', () => {
    expect(validateEnvironment({ HOME: '/home/ada' })).toMatchObject({
      HOME: '/home/ada',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['NODE_ENV', 'staging'],
    ['LOGIN_CONFIRMATION', 'maybe'],
    ['TELEGRAM_MODE', 'both'],
    ['LOG_LEVEL', 'loud'],
    ['TOKEN_TTL_SECONDS', '0'],
    ['TOKEN_TTL_SECONDS', '1.5'],
    ['TOKEN_TTL_SECONDS', '86401'],
    ['JWT_TTL_SECONDS', '0'],
    ['SHUTDOWN_TIMEOUT_MS', '-1'],
    ['TELEGRAM_API_ROOT', 'api.telegram.org'],
    ['PUBLIC_URL', 'not a url'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['APP_NAME', 'x'.repeat(65)],
    ['APP_LOGO_URL', 'logo.png'],
    ['APP_LOGO_URL', 'javascript:alert(1)'],
    ['BOT_USERNAME', 'ab'],
    ['BOT_USERNAME', '1starts_with_digit'],
    ['WEBHOOK_SECRET', 'has space'],
    ['WEBHOOK_SECRET', 'x'.repeat(257)],
    ['JWT_SECRET', 'short'],
    ['JWT_ALGORITHM', 'none'],
    ['JWT_ALGORITHM', 'HS512'],
    ['HOST', 'not a host'],
    ['HOST', 'http://0.0.0.0'],
    ['HOST', '0.0.0.0:8887'],
  ])('refuses %s=%j and names it', (name, value) => {
    const message = problemsWith({ [name]: value });
    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toContain(`"${name}"`);
  });

  it("refuses a BOT_TOKEN that is not in @BotFather's format and explains the format", () => {
    const message = problemsWith({
      BOT_TOKEN: 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0',
      BOT_USERNAME: 'shop_login_bot',
    });
    expect(message).toContain('"BOT_TOKEN" must look like 123456789:AA...');
  });

  it('requires BOT_USERNAME when BOT_TOKEN is set, and says so outside production', () => {
    const message = problemsWith({ BOT_TOKEN });
    expect(message).toContain(
      '"BOT_USERNAME" is required when BOT_TOKEN is set',
    );
    expect(message).not.toContain('NODE_ENV=production');
    expect(problemsWith({ NODE_ENV: 'development', BOT_TOKEN })).not.toContain(
      'NODE_ENV=production',
    );
  });

  describe('the ways to reach Redis', () => {
    it('reads Cluster seeds and Sentinels as host:port lists', () => {
      expect(
        validateEnvironment({
          REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b:7001,[::1]:7002',
        }).REDIS_CLUSTER_NODES,
      ).toEqual([
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-b', port: 7001 },
        { host: '::1', port: 7002 },
      ]);
      expect(
        validateEnvironment({
          REDIS_SENTINELS: 's1:26379,s2:26379',
          REDIS_SENTINEL_NAME: 'tqa',
          REDIS_TLS: 'true',
        }),
      ).toMatchObject({
        REDIS_SENTINELS: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26379 },
        ],
        REDIS_SENTINEL_NAME: 'tqa',
        REDIS_TLS: true,
      });
    });

    it('refuses a second way, naming both and not their values', () => {
      const message = problemsWith({
        REDIS_URL: 'redis://:url-password@127.0.0.1:6379',
        REDIS_CLUSTER_NODES: 'secret-host-a:7000',
      });
      expect(message).toContain(
        '"REDIS_URL" and "REDIS_CLUSTER_NODES" are set: set only one of REDIS_URL (one Redis), REDIS_CLUSTER_NODES (a Redis Cluster) and REDIS_SENTINELS (Redis with Sentinel)',
      );
      expect(message).not.toContain('url-password');
      expect(message).not.toContain('secret-host-a');
    });

    it('refuses malformed node lists and Sentinels without a name', () => {
      const message = problemsWith({
        REDIS_CLUSTER_NODES: 'host-without-port',
        REDIS_SENTINELS: 's1:26379',
        REDIS_PASSWORD: 'the-acl-password',
        REDIS_SENTINEL_PASSWORD: 'the-sentinel-password',
      });
      expect(message).toContain(
        '"REDIS_CLUSTER_NODES" must be host:port pairs separated by commas',
      );
      expect(message).toContain(
        '"REDIS_SENTINEL_NAME" is required when REDIS_SENTINELS is set',
      );
      expect(message).not.toContain('host-without-port');
      expect(message).not.toContain('the-acl-password');
      expect(message).not.toContain('the-sentinel-password');
    });

    it('requires JWT_SECRET with a Cluster and HS256 too', () => {
      expect(
        problemsWith({
          REDIS_CLUSTER_NODES: '127.0.0.1:7000',
          JWT_ALGORITHM: 'HS256',
        }),
      ).toContain(
        '"JWT_SECRET" is required when REDIS_CLUSTER_NODES is set and JWT_ALGORITHM=HS256',
      );
    });
  });

  it('needs no secret with REDIS_URL: the generated keys are shared through Redis', () => {
    expect(
      validateEnvironment({ REDIS_URL: 'redis://127.0.0.1:6379' }).REDIS_URL,
    ).toBe('redis://127.0.0.1:6379');
  });

  it('requires JWT_SECRET with REDIS_URL and JWT_ALGORITHM=HS256, naming both: instances on one Redis must share the secret', () => {
    expect(
      problemsWith({
        REDIS_URL: 'redis://127.0.0.1:6379',
        JWT_ALGORITHM: 'HS256',
      }),
    ).toContain(
      '"JWT_SECRET" is required when REDIS_URL is set and JWT_ALGORITHM=HS256',
    );
    expect(
      validateEnvironment({
        REDIS_URL: 'redis://127.0.0.1:6379',
        JWT_ALGORITHM: 'HS256',
        JWT_SECRET: 'shared-by-every-instance-0123456789abcdef',
      }).JWT_ALGORITHM,
    ).toBe('HS256');
  });

  it('refuses JWT_SECRET without JWT_ALGORITHM=HS256, saying how to keep it: a host verifying HS256 would refuse every new token', () => {
    const secret = 'left-over-secret-of-an-hs256-setup-0123456789';
    const message = problemsWith({ JWT_SECRET: secret });
    expect(message).toContain(
      '"JWT_SECRET" is only used with JWT_ALGORITHM=HS256',
    );
    expect(message).toContain('Set JWT_ALGORITHM=HS256');
    expect(message).not.toContain(secret);
  });

  it('refuses keys without a key for JWT_ALGORITHM', () => {
    const { keys } = JSON.parse(JWKS) as { keys: { kty: string }[] };
    const rsaOnly = JSON.stringify({
      keys: keys.filter((key) => key.kty === 'RSA'),
    });
    expect(problemsWith({ OIDC_JWKS: rsaOnly })).toContain(
      '"OIDC_JWKS" must include a key that signs ES256 (an EC P-256 key)',
    );
    expect(
      validateEnvironment({ OIDC_JWKS: rsaOnly, JWT_ALGORITHM: 'RS256' })
        .JWT_ALGORITHM,
    ).toBe('RS256');
  });

  it('lists every bad variable in one message, one per line', () => {
    const message = problemsWith({
      PORT: 'abc',
      LOGIN_CONFIRMATION: 'maybe',
      TOKEN_TTL_SECONDS: '0',
    });
    const lines = message.split('\n').slice(1);
    expect(lines).toHaveLength(3);
    expect(message).toContain('"PORT"');
    expect(message).toContain('"LOGIN_CONFIRMATION"');
    expect(message).toContain('"TOKEN_TTL_SECONDS"');
  });

  it('never echoes a rejected value, which may be a secret', () => {
    const values = {
      BOT_TOKEN: 'secret-but-malformed-bot-token-value',
      BOT_USERNAME: 'shop_login_bot',
      WEBHOOK_SECRET: 'secret with spaces!',
      JWT_ALGORITHM: 'HS256',
      JWT_SECRET: 'short-secret',
      REDIS_URL: 'http://user:redis-password@127.0.0.1',
    };
    const message = problemsWith(values);
    for (const name of [
      'BOT_TOKEN',
      'WEBHOOK_SECRET',
      'JWT_SECRET',
      'REDIS_URL',
    ])
      expect(message).toContain(`"${name}"`);
    for (const value of Object.values(values).filter(
      (value) => !['shop_login_bot', 'HS256'].includes(value),
    ))
      expect(message).not.toContain(value);
    expect(message).not.toContain('redis-password');
  });

  describe('NODE_ENV=production', () => {
    it('starts with everything required set', () => {
      expect(validateEnvironment(PRODUCTION)).toMatchObject({
        NODE_ENV: 'production',
        BOT_TOKEN,
      });
    });

    it.each(['BOT_TOKEN', 'BOT_USERNAME', 'WEBHOOK_SECRET'])(
      'refuses to start without %s',
      (name) => {
        const { [name as keyof typeof PRODUCTION]: _left, ...rest } =
          PRODUCTION;
        expect(problemsWith(rest)).toContain(
          `"${name}" is required when NODE_ENV=production`,
        );
      },
    );

    it('refuses to start without signing keys, saying how to make them and what the alternative is', () => {
      const { OIDC_JWKS: _keys, ...rest } = PRODUCTION;
      const message = problemsWith(rest);
      expect(message).toContain(
        '"OIDC_JWKS" (or OIDC_JWKS_FILE) is required when NODE_ENV=production: its keys sign the access tokens',
      );
      expect(message).toContain('`npm run keys`');
      expect(message).toContain('JWT_ALGORITHM=HS256 and JWT_SECRET');
    });

    it('starts with the HS256 opt-in and a secret instead of keys, and requires the secret then', () => {
      expect(validateEnvironment(PRODUCTION_HS256)).toMatchObject({
        JWT_ALGORITHM: 'HS256',
      });
      expect(problemsWith({ ...PRODUCTION_HS256, JWT_SECRET: '' })).toContain(
        '"JWT_SECRET" is required when NODE_ENV=production and JWT_ALGORITHM=HS256',
      );
    });

    it('names all missing variables at once', () => {
      const message = problemsWith({ NODE_ENV: 'production' });
      for (const name of ['BOT_TOKEN', 'BOT_USERNAME', 'WEBHOOK_SECRET']) {
        expect(message).toContain(
          `"${name}" is required when NODE_ENV=production`,
        );
      }
      expect(message).toContain('"OIDC_JWKS" (or OIDC_JWKS_FILE) is required');
    });
  });
});

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, 'loopback'],
    ['true', true],
    ['false', false],
    ['1', 1],
    ['loopback, uniquelocal', 'loopback, uniquelocal'],
    ['10.0.0.0/8', '10.0.0.0/8'],
  ])('reads %p as %p', (raw, expected) => {
    expect(
      validateEnvironment(raw === undefined ? {} : { TRUST_PROXY: raw })
        .TRUST_PROXY,
    ).toEqual(expected);
  });

  it('names the variable for a value it cannot use', () => {
    expect(() =>
      validateEnvironment({ TRUST_PROXY: 'loopback; rm -rf' }),
    ).toThrow(/"TRUST_PROXY" must be/);
  });
});

describe('the OpenID Provider (OIDC_*)', () => {
  const CLIENT = {
    client_id: 'shop',
    client_secret: 'shop-client-secret-0123456789abcdefghij',
    redirect_uris: ['https://shop.example/callback'],
  };
  const WITH_CLIENT = {
    OIDC_CLIENTS: JSON.stringify([CLIENT]),
    PUBLIC_URL: 'https://login.example.com',
  };
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'tqa-oidc-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const file = (name: string, content: string) => {
    const path = join(directory, name);
    writeFileSync(path, content);
    return path;
  };

  it('is off by default, with a 14-day session', () => {
    expect(validateEnvironment({})).toMatchObject({
      OIDC_CLIENTS: [],
      OIDC_SESSION_TTL_SECONDS: 14 * 24 * 3600,
    });
    expect(validateEnvironment({}).OIDC_JWKS).toBeUndefined();
  });

  it('reads the clients and keys from the variables or from the files they name', () => {
    expect(validateEnvironment(WITH_CLIENT).OIDC_CLIENTS).toEqual([CLIENT]);
    const env = validateEnvironment({
      PUBLIC_URL: 'https://login.example.com',
      OIDC_CLIENTS_FILE: file('clients.json', JSON.stringify([CLIENT])),
      OIDC_JWKS_FILE: file('jwks.json', JWKS),
    });
    expect(env.OIDC_CLIENTS).toEqual([CLIENT]);
    expect(env.OIDC_JWKS).toEqual(JSON.parse(JWKS));
  });

  it('stops the start naming the client and the field of a bad entry', () => {
    const message = problemsWith({
      ...WITH_CLIENT,
      OIDC_CLIENTS: JSON.stringify([
        { ...CLIENT, redirect_uris: ['https://shop.example/cb#x'] },
        CLIENT,
      ]),
    });
    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toContain(
      '"OIDC_CLIENTS": client "shop": redirect_uris[0] ("https://shop.example/cb#x") must not have a fragment',
    );
    expect(message).toContain(
      '"OIDC_CLIENTS": client "shop": duplicate "client_id"',
    );
    expect(message).not.toContain(CLIENT.client_secret);
  });

  it('refuses http: redirect URIs other than loopback in production only', () => {
    const clients = JSON.stringify([
      {
        ...CLIENT,
        redirect_uris: ['http://shop.example/cb', 'http://127.0.0.1:3000/cb'],
      },
    ]);
    expect(
      validateEnvironment({ ...WITH_CLIENT, OIDC_CLIENTS: clients })
        .OIDC_CLIENTS,
    ).toHaveLength(1);
    const message = problemsWith({
      ...PRODUCTION,
      ...WITH_CLIENT,
      OIDC_CLIENTS: clients,
      OIDC_JWKS: JWKS,
    });
    expect(message).toContain(
      '"OIDC_CLIENTS": client "shop": redirect_uris[0] ("http://shop.example/cb") must use https:',
    );
    expect(message).not.toContain('redirect_uris[1]');
  });

  it('requires keys in production, and an issuer (or PUBLIC_URL) with clients', () => {
    const { OIDC_JWKS: _keys, ...withoutKeys } = PRODUCTION;
    expect(problemsWith({ ...withoutKeys, ...WITH_CLIENT })).toContain(
      '"OIDC_JWKS" (or OIDC_JWKS_FILE) is required when NODE_ENV=production: its keys sign the ID tokens and the access tokens',
    );
    // The HS256 opt-in is for access tokens only: ID tokens still need keys.
    expect(problemsWith({ ...PRODUCTION_HS256, ...WITH_CLIENT })).toContain(
      '"OIDC_JWKS" (or OIDC_JWKS_FILE) is required when NODE_ENV=production: its keys sign the ID tokens,',
    );
    expect(
      validateEnvironment({ ...PRODUCTION, ...WITH_CLIENT, OIDC_JWKS: JWKS })
        .OIDC_JWKS,
    ).toEqual(JSON.parse(JWKS));
    expect(problemsWith({ OIDC_CLIENTS: WITH_CLIENT.OIDC_CLIENTS })).toContain(
      '"OIDC_ISSUER" is required when OIDC_CLIENTS is set and PUBLIC_URL is not',
    );
    expect(
      problemsWith({
        ...PRODUCTION,
        ...WITH_CLIENT,
        OIDC_JWKS: JWKS,
        OIDC_ISSUER: 'http://login.example.com',
      }),
    ).toContain('"OIDC_ISSUER" must be an https: URL when NODE_ENV=production');
  });

  it('says what is wrong with JSON without quoting it (it may hold a secret or a private key)', () => {
    const text =
      '[{"client_id": "shop", "client_secret": "s3cr3t-value-that-must-not-leak" oops}]';
    const message = problemsWith({ OIDC_CLIENTS: text });
    expect(message).toMatch(
      /"OIDC_CLIENTS" must be an array of clients in JSON; it is not valid JSON \(at character \d+\)/,
    );
    expect(message).not.toContain('s3cr3t');
    const keys = problemsWith({ OIDC_JWKS: JWKS.slice(0, -2) });
    expect(keys).toContain('"OIDC_JWKS" must be a private JWK set in JSON');
    expect(keys).not.toContain(JSON.parse(JWKS).keys[0].d.slice(0, 16));
  });

  it('names a bad key without quoting it', () => {
    const { keys } = JSON.parse(JWKS);
    const message = problemsWith({
      OIDC_JWKS: JSON.stringify({ keys: [keys[1]] }),
    });
    expect(message).toContain('"OIDC_JWKS": must include an RSA key');
    expect(message).not.toContain(keys[1].d);
  });

  it('refuses a variable and its _FILE both set, and a file it cannot read', () => {
    expect(
      problemsWith({
        ...WITH_CLIENT,
        OIDC_CLIENTS_FILE: file('both.json', '[]'),
      }),
    ).toContain('"OIDC_CLIENTS" and "OIDC_CLIENTS_FILE" are both set: set one');
    expect(
      problemsWith({ OIDC_JWKS_FILE: join(directory, 'missing.json') }),
    ).toContain('"OIDC_JWKS_FILE" names a file that cannot be read');
  });

  it.each([
    ['OIDC_ISSUER', 'https://login.example.com/?tenant=1'],
    ['OIDC_ISSUER', 'not a url'],
    ['OIDC_SESSION_TTL_SECONDS', '10'],
  ])('refuses %s=%j and names it', (name, value) => {
    expect(problemsWith({ [name]: value })).toContain(`"${name}"`);
  });
});
