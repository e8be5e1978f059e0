import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Login, TelegramUser } from '../auth/interfaces/index.js';
import { generateLoginToken } from '../auth/login-secrets.js';
import type { LoginService } from '../auth/login.service.js';
import type {
  AuthSettings,
  TelegramSettings,
} from '../interfaces/settings.interface.js';
import { createBotI18n } from './bot-i18n.js';
import type { BotClientService } from './bot-client.service.js';
import { BotMessages, ButtonAnswers } from './bot-messages.js';
import { confirmationRequest } from './confirmation-request.js';
import { MemoryProcessedUpdates } from './processed-updates/memory-processed-updates.js';
import {
  CLAIM_RELEASE_RETRY_MS,
  MIN_UPDATE_DEDUPE_MS,
  UPDATE_CLAIM_TTL_MS,
} from './telegram.constants.js';
import {
  type HandledUpdate,
  TelegramUpdateService,
} from './telegram-update.service.js';
import { UpdateInProgressError } from './update-in-progress.error.js';

Logger.overrideLogger(false);

const APP = 'Acme Shop';
const ADA: TelegramUser = { id: 4242, first_name: 'Ada', username: 'ada' };
const RECEIVED_AT = Date.UTC(2026, 0, 1, 12);

let nextUpdateId = 1;

function startUpdate(text: string, user: TelegramUser = ADA) {
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: 1,
      from: { ...user, is_bot: false },
      chat: { id: user.id, type: 'private' },
      date: 1,
      text,
    },
  };
}

/** A button press; `messageId: null` when Telegram no longer has the message the button was under. */
function pressUpdate(
  data: string,
  {
    user = ADA,
    messageId = 77,
  }: { user?: TelegramUser; messageId?: number | null } = {},
) {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: `query-${nextUpdateId}`,
      from: { ...user, is_bot: false },
      ...(messageId !== null && {
        message: {
          message_id: messageId,
          chat: { id: user.id, type: 'private' },
          date: 1,
        },
      }),
      chat_instance: '1',
      data,
    },
  };
}

function scannedLogin(overrides: Partial<Login> = {}): Login {
  return {
    token: generateLoginToken(),
    secretHash: 'a'.repeat(64),
    status: 'scanned',
    createdAt: RECEIVED_AT - 5000,
    expiresAt: RECEIVED_AT + 55_000,
    requester: { ip: '203.0.113.7' },
    user: ADA,
    chatId: ADA.id,
    ...overrides,
  };
}

describe('TelegramUpdateService', () => {
  let processed: MemoryProcessedUpdates;
  let handled: HandledUpdate[];
  const logins = {
    scan: jest.fn<LoginService['scan']>(),
    decideFor: jest.fn<LoginService['decideFor']>(),
  };
  const bot = {
    sendMessage: jest.fn<BotClientService['sendMessage']>(),
    editMessageText: jest.fn<BotClientService['editMessageText']>(),
    answerCallbackQuery: jest.fn<BotClientService['answerCallbackQuery']>(),
  };
  let service: TelegramUpdateService;
  const i18n = createBotI18n();

  beforeEach(() => {
    jest.resetAllMocks();
    bot.sendMessage.mockResolvedValue(true);
    bot.editMessageText.mockResolvedValue(true);
    bot.answerCallbackQuery.mockResolvedValue(true);
    processed = new MemoryProcessedUpdates();
    service = new TelegramUpdateService(
      logins as unknown as LoginService,
      bot as unknown as BotClientService,
      processed,
      { appName: APP, botUsername: 'acme_login_bot' } as TelegramSettings,
      { tokenTtlSeconds: 600 } as AuthSettings,
      i18n,
    );
    handled = [];
    service.handled.subscribe((update) => handled.push(update));
  });

  afterEach(() => processed.onModuleDestroy());

  describe('/start <token>', () => {
    it('scans the login with the time the update arrived and tells the person they are logged in', async () => {
      const token = generateLoginToken();
      logins.scan.mockResolvedValue({ result: 'authenticated' });
      const update = startUpdate(`/start ${token}`);

      await expect(service.handle(update, RECEIVED_AT)).resolves.toBe(
        'authenticated',
      );

      // With its update id, so that a copy of an update applied but not answered can finish the job.
      expect(logins.scan).toHaveBeenCalledWith(
        token,
        ADA,
        ADA.id,
        RECEIVED_AT,
        update.update_id,
        undefined, // Telegram told no language_code
      );
      expect(bot.sendMessage).toHaveBeenCalledWith(
        ADA.id,
        BotMessages.loggedIn(APP),
      );
      expect(handled).toEqual([
        { outcome: 'authenticated', receivedAt: RECEIVED_AT },
      ]);
    });

    it('asks for confirmation with the buttons when the login is now scanned, retried until the login expires', async () => {
      const login = scannedLogin();
      logins.scan.mockResolvedValue({ result: 'scanned', login });

      await expect(
        service.handle(startUpdate(`/start ${login.token}`)),
      ).resolves.toBe('scanned');

      const request = confirmationRequest(login, APP);
      expect(bot.sendMessage).toHaveBeenCalledTimes(1);
      expect(bot.sendMessage).toHaveBeenCalledWith(
        ADA.id,
        request.text,
        request.keyboard,
        login.expiresAt,
      );
    });

    it('names the OpenID client that asked, not the app, in the question and in "logged in"', async () => {
      const oidc = {
        interactionUid: 'uid',
        clientId: 'shop',
        clientName: 'Example Shop',
      };
      const login = scannedLogin({ oidc });
      logins.scan.mockResolvedValue({ result: 'scanned', login });
      await service.handle(startUpdate(`/start ${login.token}`));
      const request = confirmationRequest(login, 'Example Shop');
      expect(request.text).toContain('Log in to Example Shop?');
      expect(bot.sendMessage).toHaveBeenCalledWith(
        ADA.id,
        request.text,
        request.keyboard,
        login.expiresAt,
      );

      logins.scan.mockResolvedValue({ result: 'authenticated', login });
      await service.handle(startUpdate(`/start ${login.token}`));
      expect(bot.sendMessage).toHaveBeenLastCalledWith(
        ADA.id,
        BotMessages.loggedIn('Example Shop'),
      );
    });

    it('asks again, with the same buttons, when the person who scanned sends /start again', async () => {
      const login = scannedLogin({ matchCode: '47' });
      logins.scan.mockResolvedValue({ result: 'awaiting-confirmation', login });

      await expect(
        service.handle(startUpdate(`/start ${login.token}`)),
      ).resolves.toBe('awaiting-confirmation');

      const request = confirmationRequest(login, APP);
      expect(bot.sendMessage).toHaveBeenCalledTimes(1);
      expect(bot.sendMessage).toHaveBeenCalledWith(
        ADA.id,
        `${BotMessages.awaitingConfirmation(APP)}\n\n${request.text}`,
        request.keyboard,
        login.expiresAt,
      );
    });

    it.each([
      ['refused', BotMessages.refused(APP, 'Staff only.')],
      ['expired', BotMessages.expired(APP)],
      ['unknown', BotMessages.unknown(APP)],
    ] as const)('says so when the login is %s', async (result, text) => {
      logins.scan.mockResolvedValue(
        result === 'refused' ? { result, reason: 'Staff only.' } : { result },
      );
      await expect(
        service.handle(startUpdate(`/start ${generateLoginToken()}`)),
      ).resolves.toBe(result);
      expect(bot.sendMessage).toHaveBeenCalledWith(ADA.id, text);
    });

    it('answers a malformed token as unknown without asking the login service', async () => {
      await expect(
        service.handle(startUpdate('/start not-a-token')),
      ).resolves.toBe('unknown');
      expect(logins.scan).not.toHaveBeenCalled();
      expect(bot.sendMessage).toHaveBeenCalledWith(
        ADA.id,
        BotMessages.unknown(APP),
      );
    });

    it('explains itself on a bare /start', async () => {
      await expect(service.handle(startUpdate('/start'))).resolves.toBe(
        'bare-start',
      );
      expect(logins.scan).not.toHaveBeenCalled();
      expect(bot.sendMessage).toHaveBeenCalledWith(
        ADA.id,
        BotMessages.bareStart(APP),
      );
    });
  });

  describe('buttons', () => {
    it.each([
      ['confirm', { confirm: true }],
      ['deny', { confirm: false }],
    ] as const)(
      'passes %s on as the decision of the person who pressed',
      async (kind, decision) => {
        const token = generateLoginToken();
        logins.decideFor.mockResolvedValue({ outcome: 'denied' });
        const update = pressUpdate(`${kind}:${token}`);
        await service.handle(update, RECEIVED_AT);
        expect(logins.decideFor).toHaveBeenCalledWith(
          token,
          ADA,
          decision,
          RECEIVED_AT,
          update.update_id,
          undefined,
        );
      },
    );

    it('passes the number picked on as the code', async () => {
      const token = generateLoginToken();
      logins.decideFor.mockResolvedValue({ outcome: 'authenticated' });
      await service.handle(pressUpdate(`pick:47:${token}`));
      expect(logins.decideFor).toHaveBeenCalledWith(
        token,
        ADA,
        { confirm: true, pickedCode: '47' },
        expect.any(Number),
        expect.any(Number),
        undefined,
      );
    });

    it.each([
      ['authenticated', ButtonAnswers.confirmed, BotMessages.loggedIn(APP)],
      ['denied', ButtonAnswers.denied, BotMessages.denied(APP)],
      ['wrong-code', ButtonAnswers.wrongCode, BotMessages.wrongCode(APP)],
      ['expired', ButtonAnswers.expired, BotMessages.expired(APP)],
    ] as const)(
      'on %s answers the press and replaces the question with the outcome',
      async (outcome, toast, finalText) => {
        logins.decideFor.mockResolvedValue({ outcome: outcome });
        const update = pressUpdate(`confirm:${generateLoginToken()}`);

        await expect(service.handle(update)).resolves.toBe(outcome);

        expect(bot.answerCallbackQuery).toHaveBeenCalledWith(
          update.callback_query.id,
          toast,
        );
        expect(bot.editMessageText).toHaveBeenCalledWith(ADA.id, 77, finalText);
      },
    );

    it.each([
      ['wrong-user', ButtonAnswers.wrongUser],
      ['already-authenticated', ButtonAnswers.alreadyAuthenticated],
      ['already-denied', ButtonAnswers.alreadyDenied],
      ['unknown', ButtonAnswers.unknown],
    ] as const)(
      'on %s only answers the press: the question stays for the right person',
      async (outcome, toast) => {
        logins.decideFor.mockResolvedValue({ outcome: outcome });
        const update = pressUpdate(`confirm:${generateLoginToken()}`);
        await expect(service.handle(update)).resolves.toBe(outcome);
        expect(bot.answerCallbackQuery).toHaveBeenCalledWith(
          update.callback_query.id,
          toast,
        );
        expect(bot.editMessageText).not.toHaveBeenCalled();
      },
    );

    it.each([
      ['authenticated', BotMessages.loggedIn('Example Shop')],
      ['denied', BotMessages.denied('Example Shop')],
    ] as const)(
      "on %s of an OpenID client's login names the client, not the app",
      async (outcome, finalText) => {
        logins.decideFor.mockResolvedValue({
          outcome,
          login: scannedLogin({
            oidc: {
              interactionUid: 'uid',
              clientId: 'shop',
              clientName: 'Example Shop',
            },
          }),
        });
        await service.handle(pressUpdate(`confirm:${generateLoginToken()}`));
        expect(bot.editMessageText).toHaveBeenCalledWith(ADA.id, 77, finalText);
      },
    );

    it('edits nothing when Telegram no longer has the message the button was under', async () => {
      logins.decideFor.mockResolvedValue({ outcome: 'authenticated' });
      await service.handle(
        pressUpdate(`confirm:${generateLoginToken()}`, { messageId: null }),
      );
      expect(bot.answerCallbackQuery).toHaveBeenCalled();
      expect(bot.editMessageText).not.toHaveBeenCalled();
    });

    it('ignores a button it did not make, but stops its spinner', async () => {
      const update = pressUpdate('something-else');
      await expect(service.handle(update)).resolves.toBe('ignored');
      expect(logins.decideFor).not.toHaveBeenCalled();
      expect(bot.answerCallbackQuery).toHaveBeenCalledWith(
        update.callback_query.id,
        ButtonAnswers.unknown,
      );
    });
  });

  it('ignores updates that are neither /start nor a button, sending nothing', async () => {
    for (const update of [
      {},
      null,
      { update_id: nextUpdateId++, edited_message: {} },
      startUpdate('hello'),
    ])
      await expect(service.handle(update)).resolves.toBe('ignored');
    expect(bot.sendMessage).not.toHaveBeenCalled();
    expect(bot.answerCallbackQuery).not.toHaveBeenCalled();
  });

  describe('update_id dedupe', () => {
    it('acts once on an update sent twice: claimed briefly while handled, then remembered for twice the token TTL', async () => {
      const claim = jest.spyOn(processed, 'claim');
      const complete = jest.spyOn(processed, 'complete');
      logins.scan.mockResolvedValue({ result: 'authenticated' });
      const update = startUpdate(`/start ${generateLoginToken()}`);

      await expect(service.handle(update)).resolves.toBe('authenticated');
      await expect(service.handle(update)).resolves.toBe('duplicate');

      expect(logins.scan).toHaveBeenCalledTimes(1);
      expect(bot.sendMessage).toHaveBeenCalledTimes(1);
      expect(claim).toHaveBeenCalledWith(
        update.update_id,
        UPDATE_CLAIM_TTL_MS,
        expect.any(String),
      );
      expect(complete).toHaveBeenCalledWith(
        update.update_id,
        expect.any(String),
        2 * 600 * 1000,
      );
      expect(handled.map((entry) => entry.outcome)).toEqual([
        'authenticated',
        'duplicate',
      ]);
    });

    it('answers a copy that arrives while the update is being handled with a retryable error, not "duplicate"', async () => {
      const update = startUpdate(`/start ${generateLoginToken()}`);
      // What a claim left behind looks like too: Redis ran it, but nobody handled the update.
      await processed.claim(update.update_id, UPDATE_CLAIM_TTL_MS);

      const copy = service.handle(update, RECEIVED_AT);
      await expect(copy).rejects.toBeInstanceOf(UpdateInProgressError);
      await expect(copy).rejects.toMatchObject({
        status: 503,
        updateId: update.update_id,
        retryAfterMs: expect.any(Number),
      });
      expect(logins.scan).not.toHaveBeenCalled();
      expect(bot.sendMessage).not.toHaveBeenCalled();
      expect(handled).toEqual([{ outcome: 'error', receivedAt: RECEIVED_AT }]);
    });

    it('answers with the outcome when the handling happened but could not be marked done', async () => {
      jest
        .spyOn(processed, 'complete')
        .mockRejectedValue(new Error('redis stalled'));
      logins.scan.mockResolvedValue({ result: 'authenticated' });
      await expect(
        service.handle(startUpdate(`/start ${generateLoginToken()}`)),
      ).resolves.toBe('authenticated');
      expect(bot.sendMessage).toHaveBeenCalledTimes(1);
    });

    it('remembers ids at least MIN_UPDATE_DEDUPE_MS with a short token TTL', async () => {
      const shortLived = new TelegramUpdateService(
        logins as unknown as LoginService,
        bot as unknown as BotClientService,
        processed,
        { appName: APP, botUsername: 'acme_login_bot' } as TelegramSettings,
        { tokenTtlSeconds: 1 } as AuthSettings,
        i18n,
      );
      const complete = jest.spyOn(processed, 'complete');
      const update = startUpdate('/start');
      await shortLived.handle(update);
      expect(complete).toHaveBeenCalledWith(
        update.update_id,
        expect.any(String),
        MIN_UPDATE_DEDUPE_MS,
      );
    });

    it('gives the claim back when handling fails, so that the copy Telegram re-sends is handled', async () => {
      const release = jest.spyOn(processed, 'release');
      const update = startUpdate(`/start ${generateLoginToken()}`);
      logins.scan.mockRejectedValueOnce(new Error('store down'));

      await expect(service.handle(update, RECEIVED_AT)).rejects.toThrow(
        'store down',
      );
      expect(release).toHaveBeenCalledWith(
        update.update_id,
        expect.any(String),
      );
      expect(handled).toEqual([{ outcome: 'error', receivedAt: RECEIVED_AT }]);

      logins.scan.mockResolvedValueOnce({ result: 'authenticated' });
      await expect(service.handle(update)).resolves.toBe('authenticated');
    });

    it('reports the handling failure, not a failure to give the claim back', async () => {
      jest
        .spyOn(processed, 'release')
        .mockRejectedValue(new Error('redis down too'));
      logins.scan.mockRejectedValueOnce(new Error('store down'));
      await expect(
        service.handle(startUpdate(`/start ${generateLoginToken()}`)),
      ).rejects.toThrow('store down');
    });

    it('tries the release again while Redis cannot take it, so that a re-sent copy is handled long before the claim lapses', async () => {
      jest.useFakeTimers({ now: RECEIVED_AT });
      try {
        const release = jest
          .spyOn(processed, 'release')
          .mockRejectedValueOnce(new Error('primary failing over'))
          .mockRejectedValueOnce(new Error('primary failing over'));
        const update = startUpdate(`/start ${generateLoginToken()}`);
        logins.scan.mockRejectedValueOnce(new Error('store down'));
        await expect(service.handle(update)).rejects.toThrow('store down');
        // The copy Telegram re-sends now is still blocked by the claim.
        await expect(service.handle(update)).rejects.toBeInstanceOf(
          UpdateInProgressError,
        );

        await jest.advanceTimersByTimeAsync(2 * CLAIM_RELEASE_RETRY_MS);
        expect(release).toHaveBeenCalledTimes(3);
        logins.scan.mockResolvedValueOnce({ result: 'authenticated' });
        await expect(service.handle(update)).resolves.toBe('authenticated');
      } finally {
        jest.useRealTimers();
      }
    });

    it('gives back a claim whose answer was lost (its primary died after writing it), so that the re-sent copy is handled', async () => {
      const claim = processed.claim.bind(processed);
      jest
        .spyOn(processed, 'claim')
        .mockImplementationOnce(async (id, ttl, nonce) => {
          await claim(id, ttl, nonce);
          throw new Error('Connection is closed.');
        });
      const update = startUpdate(`/start ${generateLoginToken()}`);
      await expect(service.handle(update)).rejects.toThrow(
        'Connection is closed.',
      );

      logins.scan.mockResolvedValueOnce({ result: 'authenticated' });
      await expect(service.handle(update)).resolves.toBe('authenticated');
    });

    it('handles an update without a usable update_id every time, claiming nothing', async () => {
      const claim = jest.spyOn(processed, 'claim');
      logins.scan.mockResolvedValue({ result: 'unknown' });
      const update = {
        ...startUpdate(`/start ${generateLoginToken()}`),
        update_id: 'seven',
      };
      await expect(service.handle(update)).resolves.toBe('unknown');
      await expect(service.handle(update)).resolves.toBe('unknown');
      expect(claim).not.toHaveBeenCalled();
    });
  });
});
