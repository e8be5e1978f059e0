import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  jest,
} from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { PhotoSize } from 'grammy/types';
import type { BotClientService } from '../telegram/bot-client.service.js';
import {
  pickSize,
  PhotoUnavailableError,
  ProfilePhotoService,
} from './profile-photo.service.js';
import { PHOTO_MAX_BYTES } from './profile-photos.constants.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

const size = (side: number, width = side): PhotoSize => ({
  file_id: `file-${width}x${side}`,
  file_unique_id: `unique-${width}x${side}`,
  width,
  height: side,
});

/** Never settles until its signal aborts, as a Bot API call that gets no answer. */
const hangUntilAborted = (signal: AbortSignal) =>
  new Promise<never>((_resolve, reject) =>
    signal.addEventListener('abort', () =>
      reject(new Error('Network request aborted')),
    ),
  );

/** A BotClientService answering from `sizes` and `download`, counting the calls. */
function botWith(
  sizes: (signal: AbortSignal) => Promise<PhotoSize[]>,
  download: (
    fileId: string,
    signal: AbortSignal,
  ) => Promise<Buffer> = async () => JPEG,
) {
  const calls = {
    sizes: 0,
    downloads: [] as { fileId: string; maxBytes: number }[],
  };
  const bot = {
    profilePhotoSizes: (_userId: number, signal: AbortSignal) => {
      calls.sizes++;
      return sizes(signal);
    },
    downloadFile: (fileId: string, signal: AbortSignal, maxBytes: number) => {
      calls.downloads.push({ fileId, maxBytes });
      return download(fileId, signal);
    },
  } as unknown as BotClientService;
  return { bot, calls };
}

/** The service waiting 50 ms for Telegram rather than seconds. */
class QuickProfilePhotoService extends ProfilePhotoService {
  protected override readonly timeoutMs = 50;
}

describe('ProfilePhotoService', () => {
  let warnings: string[];

  beforeEach(() => {
    warnings = [];
    jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((message: unknown) => {
        warnings.push(String(message));
      });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('downloads the 320 px size, at most PHOTO_MAX_BYTES, and keeps it: a second load asks Telegram nothing', async () => {
    const { bot, calls } = botWith(async () => [
      size(160),
      size(320),
      size(640),
    ]);
    const photos = new ProfilePhotoService(bot);
    await expect(photos.photoOf(42)).resolves.toEqual(JPEG);
    await expect(photos.photoOf(42)).resolves.toEqual(JPEG);
    expect(calls.sizes).toBe(1);
    expect(calls.downloads).toEqual([
      { fileId: 'file-320x320', maxBytes: PHOTO_MAX_BYTES },
    ]);
  });

  it('answers null for a person without a photo, and keeps that too', async () => {
    const { bot, calls } = botWith(async () => []);
    const photos = new ProfilePhotoService(bot);
    await expect(photos.photoOf(42)).resolves.toBeNull();
    await expect(photos.photoOf(42)).resolves.toBeNull();
    expect(calls.sizes).toBe(1);
    expect(calls.downloads).toEqual([]);
  });

  it('asks Telegram once for loads of one person at the same time', async () => {
    let answer!: (sizes: PhotoSize[]) => void;
    const { bot, calls } = botWith(
      () => new Promise((resolve) => (answer = resolve)),
    );
    const photos = new ProfilePhotoService(bot);
    const loads = [photos.photoOf(42), photos.photoOf(42), photos.photoOf(42)];
    answer([size(320)]);
    await expect(Promise.all(loads)).resolves.toEqual([JPEG, JPEG, JPEG]);
    expect(calls.sizes).toBe(1);
  });

  it("gives up at its deadline when Telegram does not answer: 'timeout', and the call's signal aborted", async () => {
    let signalOfTheCall: AbortSignal | undefined;
    const { bot } = botWith((signal) => {
      signalOfTheCall = signal;
      return hangUntilAborted(signal);
    });
    const photos = new QuickProfilePhotoService(bot);
    const startedAt = Date.now();
    const failure = await photos.photoOf(42).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PhotoUnavailableError);
    expect((failure as PhotoUnavailableError).reason).toBe('timeout');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(45);
    expect(signalOfTheCall?.aborted).toBe(true);
    expect(warnings).toEqual([
      'Profile photo of 42: no answer from Telegram within 50 ms (Network request aborted)',
    ]);
  });

  it('counts the download in the same deadline', async () => {
    const { bot } = botWith(
      async () => [size(320)],
      (_fileId, signal) => hangUntilAborted(signal),
    );
    await expect(
      new QuickProfilePhotoService(bot).photoOf(42),
    ).rejects.toMatchObject({ reason: 'timeout' });
  });

  it("says 'failed' when Telegram answers with an error, and asks again next time", async () => {
    let fail = true;
    const { bot, calls } = botWith(async () => {
      if (fail)
        throw new Error(
          'Call to getUserProfilePhotos failed! (400: Bad Request: user not found)',
        );
      return [size(320)];
    });
    const photos = new ProfilePhotoService(bot);
    await expect(photos.photoOf(42)).rejects.toMatchObject({
      reason: 'failed',
    });
    fail = false;
    await expect(photos.photoOf(42)).resolves.toEqual(JPEG);
    expect(calls.sizes).toBe(2);
  });

  it('serves nothing that is not a JPEG', async () => {
    const { bot } = botWith(
      async () => [size(320)],
      async () => Buffer.from('<svg onload="alert(1)"/>'),
    );
    await expect(
      new ProfilePhotoService(bot).photoOf(42),
    ).rejects.toMatchObject({ reason: 'failed' });
  });
});

describe('pickSize', () => {
  it('takes the largest size whose smaller side is within 160–320 px', () => {
    expect(pickSize([size(160), size(320), size(640)])).toEqual(size(320));
    expect(pickSize([size(640), size(160)])).toEqual(size(160));
    expect(pickSize([size(200, 400), size(800)])).toEqual(size(200, 400));
  });

  it('else the smallest above it, else the largest below it, else none', () => {
    expect(pickSize([size(1280), size(640)])).toEqual(size(640));
    expect(pickSize([size(50), size(100)])).toEqual(size(100));
    expect(pickSize([])).toBeUndefined();
  });
});
