import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import { Logger } from '@nestjs/common';
import { FakeBotApi } from '../../test/support/fake-bot-api.js';
import { eventually } from '../../test/support/http.js';
import type { TelegramSettings } from '../interfaces/settings.interface.js';
import { createBotApi } from './bot-api.js';
import { createBotI18n } from './bot-i18n.js';
import { BotCommandsService } from './bot-commands.service.js';

describe('BotCommandsService', () => {
  let telegram: FakeBotApi;
  let service: BotCommandsService | undefined;
  let logged: { level: string; message: string }[];

  beforeEach(async () => {
    telegram = await FakeBotApi.start();
    logged = [];
    for (const level of ['log', 'error'] as const)
      jest
        .spyOn(Logger.prototype, level)
        .mockImplementation((message: unknown) => {
          logged.push({ level, message: String(message) });
        });
  });

  afterEach(async () => {
    service?.onApplicationShutdown();
    jest.restoreAllMocks();
    await telegram.close();
  });

  const start = (mode: 'webhook' | 'polling', botToken = telegram.token) => {
    const settings = {
      botToken,
      apiRoot: telegram.url,
      mode,
    } as TelegramSettings;
    service = new BotCommandsService(
      createBotApi(settings),
      settings,
      createBotI18n(),
    );
    service.onApplicationBootstrap();
  };

  it.each([['webhook'], ['polling']] as const)(
    'offers /sessions and /help in private chats at start (%s mode)',
    async (mode) => {
      start(mode);
      const call = await telegram.waitForCall('setMyCommands');
      expect(call.commands).toEqual([
        { command: 'sessions', description: expect.any(String) },
        { command: 'help', description: expect.any(String) },
      ]);
      expect(call.scope).toEqual({ type: 'all_private_chats' });
      await eventually(async () =>
        expect(logged).toContainEqual({
          level: 'log',
          message: 'Bot commands set: /sessions, /help',
        }),
      );
    },
  );

  it('describes the commands in each language the bot speaks, English by default', async () => {
    start('webhook');
    await telegram.waitForCall(
      'setMyCommands',
      () => telegram.callsTo('setMyCommands').length >= 7,
    );
    const calls = telegram.callsTo('setMyCommands');
    expect(calls.map((call) => call.language_code)).toEqual([
      undefined,
      'ru',
      'uk',
      'es',
      'pt',
      'fa',
      'id',
    ]);
    expect(calls[0].commands).toEqual([
      {
        command: 'sessions',
        description: 'Where you are logged in; log browsers out',
      },
      { command: 'help', description: 'What this bot does' },
    ]);
    expect(calls[1].commands).toEqual([
      {
        command: 'sessions',
        description: 'Где выполнен вход; выйти из браузеров',
      },
      { command: 'help', description: 'Что умеет этот бот' },
    ]);
    for (const call of calls)
      expect(call.scope).toEqual({ type: 'all_private_chats' });
  });

  it('logs a refusal without the token, and does not throw', async () => {
    telegram.failNext('setMyCommands', {
      status: 400,
      description: 'Bad Request: command description is too long',
    });
    start('webhook');
    await eventually(async () =>
      expect(logged.map((line) => line.level)).toContain('error'),
    );
    const error = logged.find((line) => line.level === 'error')!.message;
    expect(error).toContain("Could not set the bot's commands");
    expect(error).toContain('command description is too long');
    expect(error).not.toContain(telegram.token);
  });

  it('gives up silently at shutdown while Telegram does not answer', async () => {
    telegram.hang();
    start('webhook');
    const hung = await telegram.waitForHungCall('setMyCommands');
    service!.onApplicationShutdown();
    await eventually(async () => expect(hung.closedAt).toBeDefined());
    expect(logged.filter((line) => line.level === 'error')).toEqual([]);
  });
});
