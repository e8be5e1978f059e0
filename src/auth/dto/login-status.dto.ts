import {
  type ApiResponseExamples,
  ApiProperty,
  ApiPropertyOptional,
} from '@nestjs/swagger';
import type { LoginStatus } from '../interfaces/index.js';
import { TelegramUserDto } from './telegram-user.dto.js';

export const LOGIN_STATUSES: readonly LoginStatus[] = [
  'pending',
  'scanned',
  'authenticated',
  'denied',
  'expired',
];

/** The same body is the `status` Socket.IO event and the answer of `GET /auth/poll/:token`. */
export class LoginStatusDto {
  @ApiProperty({
    enum: LOGIN_STATUSES,
    example: 'pending',
    description:
      '`scanned` (the person opened the link and is asked to confirm in Telegram) and `denied` only occur with LOGIN_CONFIRMATION=button or code',
  })
  status!: LoginStatus;

  @ApiPropertyOptional({
    description:
      'Only with `scanned`: the first name of who scanned, to say "Confirm in Telegram, Ada"',
    example: 'Ada',
  })
  firstName?: string;

  @ApiPropertyOptional({
    description:
      "With `scanned` and `authenticated` (not an OpenID Connect one), when profile photos are on (`PROFILE_PHOTOS`, not in demo mode): the path of the person's Telegram profile photo on this service, `GET /auth/photos/:ticket`, which works for an hour. Given whether or not the person has a photo: it answers 404 then, and the page shows initials. Never Telegram's own URL.",
    example: '/auth/photos/eyJhbGciOiJFUzI1NiIsInR5cCI6InBob3RvK2p3dCJ9...',
  })
  photoUrl?: string;

  @ApiPropertyOptional({
    type: TelegramUserDto,
    description: 'Only with `authenticated`',
  })
  user?: TelegramUserDto;

  @ApiPropertyOptional({
    description:
      'Only with `authenticated`: a JWT for `Authorization: Bearer`, signed ES256 (or RS256) with a key published at `<issuer>/jwks`, or HS256 with the opt-in `JWT_ALGORITHM=HS256`',
    example: 'eyJhbGciOiJFUzI1NiIs...',
  })
  accessToken?: string;

  @ApiPropertyOptional({
    description:
      'Only with `authenticated`, beside `accessToken`: single use, for `POST /auth/refresh`, which answers the next pair. It works until the session ends or expires (`SESSION_TTL_SECONDS`); one presented a second time ends the session.',
    example: 'Xq3v9Tz2bWcR1nP0aLk8sA.0.mH6yZ...',
  })
  refreshToken?: string;

  @ApiPropertyOptional({
    description:
      'Only with `authenticated`, and instead of `user` and `accessToken`, for a login that an OpenID Connect authorization started (the page at `/oidc/interaction/:uid`): the path the page sends the browser to, a form POST of `token` and `secret`, to go on to the client. Repeated by every poll until then; it holds no secret.',
    example: '/oidc/interaction/Wm9K3p1aQ/complete',
  })
  continueTo?: string;
}

/** One example per status, each with only the fields that status carries. */
export const LOGIN_STATUS_EXAMPLES: Record<
  LoginStatus | 'authenticatedInteraction',
  ApiResponseExamples
> = {
  pending: {
    summary: 'Waiting for a scan',
    value: { status: 'pending' },
  },
  scanned: {
    summary: 'Scanned; waiting for Confirm in Telegram',
    value: {
      status: 'scanned',
      firstName: 'Ada',
      photoUrl: '/auth/photos/eyJhbGciOiJFUzI1NiIsInR5cCI6InBob3RvK2p3dCJ9...',
    },
  },
  authenticated: {
    summary: 'Logged in (handed out once)',
    value: {
      status: 'authenticated',
      user: {
        id: 123456789,
        first_name: 'Ada',
        last_name: 'Lovelace',
        username: 'ada',
      },
      photoUrl: '/auth/photos/eyJhbGciOiJFUzI1NiIsInR5cCI6InBob3RvK2p3dCJ9...',
      accessToken: 'eyJhbGciOiJFUzI1NiIs...',
      refreshToken: 'Xq3v9Tz2bWcR1nP0aLk8sA.0.mH6yZ...',
    },
  },
  denied: { summary: 'Denied in Telegram', value: { status: 'denied' } },
  authenticatedInteraction: {
    summary:
      'Logged in, for an OpenID Connect authorization: where the browser goes on',
    value: {
      status: 'authenticated',
      continueTo: '/oidc/interaction/Wm9K3p1aQ/complete',
    },
  },
  expired: { summary: 'The QR code expired', value: { status: 'expired' } },
};
