import { Injectable, Logger } from '@nestjs/common';
import type { PhotoSize } from 'grammy/types';
import { BotClientService } from '../telegram/bot-client.service.js';
import { PhotoCache, type CachedPhoto } from './photo-cache.js';
import {
  PHOTO_CACHE_MAX_BYTES,
  PHOTO_CACHE_TTL_MS,
  PHOTO_FETCH_TIMEOUT_MS,
  PHOTO_MAX_BYTES,
  PHOTO_SIDE_PX,
} from './profile-photos.constants.js';

/** Why there is no photo to serve although the person may have one. */
export class PhotoUnavailableError extends Error {
  constructor(
    /** `timeout`: Telegram did not answer in time; `failed`: it answered with an error, or something unusable. */
    readonly reason: 'timeout' | 'failed',
  ) {
    super(
      reason === 'timeout'
        ? 'Telegram did not answer in time for the profile photo'
        : 'Telegram could not give the profile photo',
    );
  }
}

/** JPEG's first bytes: profile photos are JPEG, and nothing else is served as one. */
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * People's profile photos, through the Bot API: getUserProfilePhotos (the current photo), a
 * size of about 160–320 px, getFile and the download; all within {@link PHOTO_FETCH_TIMEOUT_MS},
 * at most {@link PHOTO_MAX_BYTES}. Kept a few minutes per instance (a photo and the lack of
 * one alike, failures not), and asked once at a time per person.
 */
@Injectable()
export class ProfilePhotoService {
  private readonly logger = new Logger(ProfilePhotoService.name);
  private readonly cache = new PhotoCache(
    PHOTO_CACHE_TTL_MS,
    PHOTO_CACHE_MAX_BYTES,
  );
  private readonly inFlight = new Map<number, Promise<CachedPhoto>>();
  /** A field rather than the constant itself, so that a unit test can wait less. */
  protected readonly timeoutMs: number = PHOTO_FETCH_TIMEOUT_MS;

  constructor(private readonly bot: BotClientService) {}

  /** The photo's JPEG bytes, or null for a person without one; rejects with {@link PhotoUnavailableError}. */
  async photoOf(userId: number): Promise<CachedPhoto> {
    const cached = this.cache.get(userId);
    if (cached !== undefined) return cached;
    let fetching = this.inFlight.get(userId);
    if (!fetching) {
      fetching = this.fetch(userId).finally(() => this.inFlight.delete(userId));
      this.inFlight.set(userId, fetching);
    }
    return fetching;
  }

  private async fetch(userId: number): Promise<CachedPhoto> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    let photo: CachedPhoto;
    try {
      const size = pickSize(await this.bot.profilePhotoSizes(userId, deadline));
      photo = size
        ? await this.bot.downloadFile(size.file_id, deadline, PHOTO_MAX_BYTES)
        : null;
    } catch (error) {
      const reason = deadline.aborted ? 'timeout' : 'failed';
      this.logger.warn(
        `Profile photo of ${userId}: ${reason === 'timeout' ? `no answer from Telegram within ${this.timeoutMs} ms` : 'Telegram failed'} (${(error as Error).message})`,
      );
      throw new PhotoUnavailableError(reason);
    }
    if (photo && !photo.subarray(0, JPEG_MAGIC.length).equals(JPEG_MAGIC)) {
      this.logger.warn(`Profile photo of ${userId}: not a JPEG`);
      throw new PhotoUnavailableError('failed');
    }
    this.cache.set(userId, photo);
    return photo;
  }
}

/**
 * The size to show: the largest whose smaller side is within {@link PHOTO_SIDE_PX}; else the
 * smallest above it; else the largest there is. Undefined when there is none.
 */
export function pickSize(sizes: readonly PhotoSize[]): PhotoSize | undefined {
  const side = (size: PhotoSize) => Math.min(size.width, size.height);
  const bySide = [...sizes].sort((a, b) => side(a) - side(b));
  const within = bySide.filter(
    (size) =>
      side(size) >= PHOTO_SIDE_PX.min && side(size) <= PHOTO_SIDE_PX.max,
  );
  return (
    within.at(-1) ??
    bySide.find((size) => side(size) > PHOTO_SIDE_PX.max) ??
    bySide.at(-1)
  );
}
