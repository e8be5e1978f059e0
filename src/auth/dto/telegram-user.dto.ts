import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TelegramUser } from '../interfaces/index.js';

export class TelegramUserDto implements TelegramUser {
  @ApiProperty({ description: 'Telegram user id', example: 123456789 })
  id!: number;

  @ApiProperty({ example: 'Ada' })
  first_name!: string;

  @ApiPropertyOptional({
    description: 'Present when the user has set one',
    example: 'Lovelace',
  })
  last_name?: string;

  @ApiPropertyOptional({
    description: 'Present when the user has set one',
    example: 'ada',
  })
  username?: string;
}
