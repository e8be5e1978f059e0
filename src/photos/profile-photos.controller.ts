import {
  BadGatewayException,
  Controller,
  Get,
  GatewayTimeoutException,
  NotFoundException,
  Param,
  Res,
} from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrorResponse } from '../openapi/api-responses.js';
import { RedisUnavailableError } from '../redis/redis-unavailable.error.js';
import { PhotoTickets } from './photo-tickets.js';
import { ProfilePhotoLinks } from './profile-photo-links.service.js';
import {
  PhotoUnavailableError,
  ProfilePhotoService,
} from './profile-photo.service.js';
import {
  PHOTO_MAX_AGE_SECONDS,
  PROFILE_PHOTOS_PATH,
} from './profile-photos.constants.js';

/** A bad or expired ticket, a person without a photo and photos turned off all get this, and nothing more. */
const NO_PHOTO = 'No photo';
const TIMED_OUT = 'Telegram did not answer in time with the profile photo';
const FAILED = 'Telegram could not give the profile photo';

@ApiTags('auth')
@Controller(PROFILE_PHOTOS_PATH)
export class ProfilePhotosController {
  constructor(
    private readonly links: ProfilePhotoLinks,
    private readonly tickets: PhotoTickets,
    private readonly photos: ProfilePhotoService,
  ) {}

  @Get(':ticket')
  @ApiOperation({
    summary: "A person's Telegram profile photo",
    description:
      "The URL comes from `photoUrl` (the `scanned` status and the login result) or the OpenID `picture` claim; it works for an hour (a day for `picture`). The photo is fetched through the Bot API and served from here: Telegram's own file URL holds the bot token and is never handed out. A 404 means: show initials.",
  })
  @ApiParam({ name: 'ticket', description: 'The signed part of the URL' })
  @ApiOkResponse({
    description: 'The photo (JPEG, about 320×320)',
    content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      'Cache-Control': {
        description:
          '`private, max-age=<seconds the ticket has left, at most 3600>`; every error answer is `no-store`',
        schema: { type: 'string', example: 'private, max-age=3600' },
      },
    },
  })
  @ApiErrorResponse(
    'The ticket is bad or expired, the person has no photo (or shows it to nobody), or photos are off (PROFILE_PHOTOS=off, demo mode): the page shows initials',
    new NotFoundException(NO_PHOTO),
  )
  @ApiErrorResponse(
    'Telegram answered the Bot API calls with an error',
    new BadGatewayException(FAILED),
  )
  @ApiErrorResponse(
    'Telegram did not answer within 5 seconds',
    new GatewayTimeoutException(TIMED_OUT),
  )
  @ApiErrorResponse(
    'Redis (REDIS_URL), where the signing keys are, cannot be reached; try again shortly',
    new RedisUnavailableError(),
  )
  async photo(
    @Param('ticket') ticket: string,
    @Res() response: Response,
  ): Promise<void> {
    if (!this.links.enabled) throw new NotFoundException(NO_PHOTO);
    const valid = await this.tickets.verify(ticket);
    if (!valid) throw new NotFoundException(NO_PHOTO);
    const photo = await this.photos.photoOf(valid.userId).catch((error) => {
      if (!(error instanceof PhotoUnavailableError)) throw error;
      throw error.reason === 'timeout'
        ? new GatewayTimeoutException(TIMED_OUT)
        : new BadGatewayException(FAILED);
    });
    if (!photo) throw new NotFoundException(NO_PHOTO);
    const maxAge = Math.max(
      0,
      Math.min(
        PHOTO_MAX_AGE_SECONDS,
        valid.expiresAt - Math.floor(Date.now() / 1000),
      ),
    );
    response
      .status(200)
      .set({
        'Content-Type': 'image/jpeg',
        'Content-Length': String(photo.byteLength),
        'Cache-Control': `private, max-age=${maxAge}`,
        'X-Content-Type-Options': 'nosniff',
        // A site that got the URL in the `picture` claim shows it on its own origin (helmet says same-origin).
        'Cross-Origin-Resource-Policy': 'cross-origin',
      })
      .end(photo);
  }
}
