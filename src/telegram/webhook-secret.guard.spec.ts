import { describe, expect, it } from '@jest/globals';
import { type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WebhookSecretGuard } from './webhook-secret.guard.js';
import { TELEGRAM_SETTINGS } from '../telegram-qr-auth.constants.js';

const SECRET = 'Webhook_Secret-0123456789';

async function guardWith(
  webhookSecret: string | undefined,
): Promise<WebhookSecretGuard> {
  const module = await Test.createTestingModule({
    providers: [
      WebhookSecretGuard,
      {
        provide: TELEGRAM_SETTINGS,
        useValue: {
          webhookSecret,
          botToken: undefined,
          botUsername: 'test_bot',
          demoMode: true,
          apiRoot: 'http://127.0.0.1:1',
          mode: 'webhook',
        },
      },
    ],
  }).compile();
  return module.get(WebhookSecretGuard);
}

/** A request as Express hands it to the guard: header names in lower case. */
function requestWith(headers: Record<string, unknown>): ExecutionContext {
  // Complete: the body has arrived (whether or not it was read).
  const request = { headers, complete: true };
  return {
    switchToHttp: () => ({
      getRequest: () => request,
      getResponse: () => ({ headersSent: false, setHeader: () => undefined }),
      getNext: () => undefined,
    }),
    getType: () => 'http',
  } as unknown as ExecutionContext;
}

const withHeader = (value: unknown) =>
  requestWith({ 'x-telegram-bot-api-secret-token': value });

describe('WebhookSecretGuard', () => {
  describe('with WEBHOOK_SECRET set', () => {
    it('lets through a request carrying the exact secret', async () => {
      const guard = await guardWith(SECRET);
      expect(guard.canActivate(withHeader(SECRET))).toBe(true);
    });

    it.each([
      ['a different secret', 'Webhook_Secret-0123456780'],
      ['the secret in another case', SECRET.toLowerCase()],
      ['a prefix of the secret', SECRET.slice(0, -1)],
      ['the secret plus a character', `${SECRET}0`],
      ['the secret with surrounding spaces', ` ${SECRET} `],
      ['an empty header', ''],
      ['a header repeated (Express joins them)', `${SECRET}, ${SECRET}`],
    ])('refuses %s with 401', async (_name, value) => {
      const guard = await guardWith(SECRET);
      expect(() => guard.canActivate(withHeader(value))).toThrow(
        UnauthorizedException,
      );
    });

    it('refuses a request without the header, and one whose header is not a string', async () => {
      const guard = await guardWith(SECRET);
      expect(() => guard.canActivate(requestWith({}))).toThrow(
        UnauthorizedException,
      );
      expect(() => guard.canActivate(withHeader([SECRET]))).toThrow(
        UnauthorizedException,
      );
      expect(() => guard.canActivate(withHeader(undefined))).toThrow(
        UnauthorizedException,
      );
    });

    it('does not put the expected secret in its error', async () => {
      const guard = await guardWith(SECRET);
      let error: unknown;
      try {
        guard.canActivate(withHeader('wrong'));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UnauthorizedException);
      const response = JSON.stringify(
        (error as UnauthorizedException).getResponse(),
      );
      expect(response).not.toContain(SECRET);
      expect((error as Error).message).not.toContain(SECRET);
    });

    it('only reads the Telegram header, not look-alikes', async () => {
      const guard = await guardWith(SECRET);
      expect(() =>
        guard.canActivate(
          requestWith({
            'x-telegram-bot-api-secret': SECRET,
            authorization: SECRET,
          }),
        ),
      ).toThrow(UnauthorizedException);
    });
  });

  describe('without WEBHOOK_SECRET', () => {
    it('lets every request through (the check is off; main.ts warns about it)', async () => {
      const guard = await guardWith(undefined);
      expect(guard.canActivate(requestWith({}))).toBe(true);
      expect(guard.canActivate(withHeader('anything'))).toBe(true);
    });
  });
});
