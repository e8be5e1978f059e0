import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import { Logger } from '@nestjs/common';
import { eventually } from '../../test/support/http.js';
import { FakeBotApi } from '../../test/support/fake-bot-api.js';
import type {
  AuthSettings,
  TelegramSettings,
} from '../interfaces/settings.interface.js';
import { createBotApi } from './bot-api.js';
import { BotClientService } from './bot-client.service.js';

describe('BotClientService against a Bot API that never answers', () => {
  let telegram: FakeBotApi;
  let client: BotClientService;
  let warnings: string[];

  const start = (tokenTtlSeconds = 300) => {
    const settings = {
      botToken: telegram.token,
      apiRoot: telegram.url,
      botUsername: telegram.username,
      mode: 'webhook',
    } as TelegramSettings;
    client = new BotClientService(createBotApi(settings), settings, {
      tokenTtlSeconds,
    } as AuthSettings);
  };

  beforeEach(async () => {
    telegram = await FakeBotApi.start();
    telegram.hang();
    warnings = [];
    jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((message: unknown) => {
        warnings.push(String(message));
      });
  });

  afterEach(async () => {
    client.onApplicationShutdown();
    jest.restoreAllMocks();
    await telegram.close();
  });

  it('gives a reply up at its deadline, cutting off the call in flight, and says so without the token', async () => {
    start();
    await expect(
      client.sendMessage(42, 'Log in?', undefined, Date.now() + 300),
    ).resolves.toBe(false);

    const [hung] = telegram.hungCalls;
    expect(hung).toMatchObject({ method: 'sendMessage' });
    await eventually(async () => expect(hung.closedAt).toBeDefined());
    expect(warnings).toEqual([
      expect.stringMatching(/^sendMessage to chat 42 given up at its deadline/),
    ]);
    expect(warnings.join('\n')).not.toContain(telegram.token);
  });

  it('gives up a reply without a deadline of its own after the token TTL, not never', async () => {
    start(1);
    await expect(client.answerCallbackQuery('query', 'Done')).resolves.toBe(
      false,
    );
    expect(warnings).toEqual([
      expect.stringMatching(/^answerCallbackQuery given up at its deadline/),
    ]);
  });

  it('lets a stopping process go: calls in flight end at once, silently', async () => {
    start();
    const sent = client.sendMessage(42, 'Log in?');
    await telegram.waitForHungCall('sendMessage');
    client.onApplicationShutdown();
    await expect(sent).resolves.toBe(false);
    expect(warnings).toEqual([]);
  });
});
