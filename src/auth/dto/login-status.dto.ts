import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
    example: 'authenticated',
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
    type: TelegramUserDto,
    description: 'Only with `authenticated`',
  })
  user?: TelegramUserDto;

  @ApiPropertyOptional({
    description:
      'Only with `authenticated`: a JWT (HS256) for `Authorization: Bearer`',
    example: 'eyJhbGciOiJIUzI1NiIs...',
  })
  accessToken?: string;
}
