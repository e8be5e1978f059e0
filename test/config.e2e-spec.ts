import { afterEach, describe, expect, it } from '@jest/globals';
import { generateJwks } from '../src/oidc/oidc-keys.js';
import { startApp } from './support/app.js';

/** Valid production settings; each test breaks one thing. */
const PRODUCTION = {
  NODE_ENV: 'production',
  BOT_TOKEN: '123456789:AAHsecretsecretsecretsecretsecret123',
  BOT_USERNAME: 'shop_login_bot',
  WEBHOOK_SECRET: 'production-webhook-secret',
  OIDC_JWKS: JSON.stringify(generateJwks()),
  TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
};

describe('configuration is validated when the app is created', () => {
  const envBefore = { ...process.env };

  afterEach(() => {
    // A failed start must not leave any of its variables behind.
    expect(process.env).toEqual(envBefore);
  });

  it.each([
    ['PORT', 'not-a-port'],
    ['PORT', '70000'],
    ['LOGIN_CONFIRMATION', 'sometimes'],
    ['TELEGRAM_MODE', 'carrier-pigeon'],
    ['TOKEN_TTL_SECONDS', '0'],
    ['TOKEN_TTL_SECONDS', 'soon'],
    ['JWT_TTL_SECONDS', '-5'],
    ['TELEGRAM_API_ROOT', 'not a url'],
    ['BOT_USERNAME', 'no spaces allowed'],
    ['PUBLIC_URL', 'ftp://example.com'],
  ])(
    'refuses %s=%j with a message naming the variable',
    async (name, value) => {
      await expect(startApp({ [name]: value })).rejects.toThrow(
        new RegExp(`Invalid configuration:[\\s\\S]*"${name}"`),
      );
    },
  );

  it('names every bad variable at once', async () => {
    const failure = startApp({ PORT: 'x', LOGIN_CONFIRMATION: 'y' });
    await expect(failure).rejects.toThrow(/"PORT"/);
    await expect(failure).rejects.toThrow(/"LOGIN_CONFIRMATION"/);
  });

  it.each(['BOT_TOKEN', 'BOT_USERNAME', 'WEBHOOK_SECRET'])(
    'refuses to start in production without %s, and says so',
    async (name) => {
      await expect(
        startApp({ ...PRODUCTION, [name]: undefined }),
      ).rejects.toThrow(`"${name}" is required when NODE_ENV=production`);
    },
  );

  it('refuses to start in production without signing keys: generated ones would not survive a restart', async () => {
    await expect(
      startApp({ ...PRODUCTION, OIDC_JWKS: undefined }),
    ).rejects.toThrow(
      '"OIDC_JWKS" (or OIDC_JWKS_FILE) is required when NODE_ENV=production',
    );
  });

  it('starts in production when everything required is set', async () => {
    const running = await startApp(PRODUCTION);
    await running.close();
  });

  it('starts in production with the HS256 opt-in and a secret instead of keys', async () => {
    const running = await startApp({
      ...PRODUCTION,
      OIDC_JWKS: undefined,
      JWT_ALGORITHM: 'HS256',
      JWT_SECRET: 'production-jwt-secret-0123456789abcdef',
    });
    await running.close();
  });

  it('requires BOT_USERNAME with BOT_TOKEN, so that deep links point at the right bot', async () => {
    await expect(startApp({ BOT_TOKEN: PRODUCTION.BOT_TOKEN })).rejects.toThrow(
      /"BOT_USERNAME"/,
    );
  });

  it("refuses REDIS_URL with JWT_ALGORITHM=HS256 but without JWT_SECRET in any mode, naming both: instances with random keys refuse each other's sessions", async () => {
    await expect(
      startApp({ REDIS_URL: 'redis://127.0.0.1:6379', JWT_ALGORITHM: 'HS256' }),
    ).rejects.toThrow('"JWT_SECRET" is required when REDIS_URL is set');
  });

  it('does not echo a rejected secret in the message', async () => {
    const badToken = 'not-a-token-but-secret-looking-value-123';
    const badSecret = 'has spaces and $ymbols in it';
    const badJwt = 'too-short-jwt-secret';
    const failure = startApp({
      BOT_TOKEN: badToken,
      BOT_USERNAME: 'shop_login_bot',
      WEBHOOK_SECRET: badSecret,
      JWT_ALGORITHM: 'HS256',
      JWT_SECRET: badJwt,
    });
    const error: Error = await failure.then(
      () => {
        throw new Error('expected the start to fail');
      },
      (reason: Error) => reason,
    );
    expect(error.message).toMatch(/"BOT_TOKEN"/);
    expect(error.message).toMatch(/"WEBHOOK_SECRET"/);
    expect(error.message).toMatch(/"JWT_SECRET"/);
    for (const value of [badToken, badSecret, badJwt])
      expect(error.message).not.toContain(value);
  });

  it('treats an empty value like an unset one (a copied .env.example with blanks)', async () => {
    const running = await startApp({
      BOT_TOKEN: '',
      BOT_USERNAME: '',
      WEBHOOK_SECRET: '',
      PORT: '',
    });
    await running.close();
  });
});
