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

describe('BotClientService reading a profile photo', () => {
  let telegram: FakeBotApi;
  let client: BotClientService;
  const signal = () => AbortSignal.timeout(5_000);

  beforeEach(async () => {
    telegram = await FakeBotApi.start();
    const settings = {
      botToken: telegram.token,
      apiRoot: telegram.url,
      botUsername: telegram.username,
      mode: 'webhook',
    } as TelegramSettings;
    client = new BotClientService(createBotApi(settings), settings, {
      tokenTtlSeconds: 300,
    } as AuthSettings);
  });

  afterEach(async () => {
    client.onApplicationShutdown();
    await telegram.close();
  });

  /** The message `promise` rejects with. */
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (error: Error) => error.message,
    );

  it('lists the sizes of the current photo, and downloads one by its file id', async () => {
    const photo = telegram.setProfilePhoto(42)!;
    const sizes = await client.profilePhotoSizes(42, signal());
    expect(sizes.map((size) => size.width)).toEqual([160, 320, 640]);
    await expect(
      client.downloadFile(sizes[1].file_id, signal(), 1024),
    ).resolves.toEqual(photo[320]);
    expect(telegram.callsTo('getUserProfilePhotos')).toEqual([
      expect.objectContaining({ user_id: 42, limit: 1 }),
    ]);
  });

  it('lists no sizes for a person without a photo', async () => {
    await expect(client.profilePhotoSizes(43, signal())).resolves.toEqual([]);
  });

  it('refuses a file larger than asked, whether getFile says so or the download does', async () => {
    const photo = telegram.setProfilePhoto(42)!;
    const fileId = 'photo-42-320';
    await expect(
      failure(client.downloadFile(fileId, signal(), photo[320].length - 1)),
    ).resolves.toMatch(/larger than/);
    expect(telegram.callsTo('file')).toEqual([]);
    // getFile leaves the size out: the download itself is cut off.
    telegram.respondTo('getFile', () => ({
      file_id: fileId,
      file_unique_id: 'u',
      file_path: 'profile_photos/42_320.jpg',
    }));
    await expect(
      failure(client.downloadFile(fileId, signal(), photo[320].length - 1)),
    ).resolves.toMatch(/larger than/);
  });

  it('never downloads from a path that could leave the bot’s file directory', async () => {
    telegram.respondTo('getFile', () => ({
      file_id: 'f',
      file_unique_id: 'u',
      file_path: '../../bot-other/getMe',
    }));
    await expect(
      failure(client.downloadFile('f', signal(), 1024)),
    ).resolves.toBe('getFile gave no usable file_path');
    expect(telegram.callsTo('file')).toEqual([]);
  });

  it('fails without the token in its message: a Bot API error, a failed download', async () => {
    telegram.failNext('getUserProfilePhotos', { status: 400 });
    const listing = await failure(client.profilePhotoSizes(42, signal()));
    expect(listing).toContain('Bad Request');
    telegram.setProfilePhoto(42);
    telegram.failNext('file', { status: 404 });
    const download = await failure(
      client.downloadFile('photo-42-320', signal(), 1024),
    );
    expect(download).toContain('404');
    for (const message of [listing, download])
      expect(message).not.toContain(telegram.token);
  });
});
