import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The part of Telegram's Update the service reads; anything else in it is accepted and ignored. */
export class TelegramChatDto {
  @ApiProperty({ example: 123456789 })
  id!: number;

  @ApiProperty({
    example: 'private',
    description: 'Only private chats are acted on',
  })
  type!: string;
}

export class TelegramFromDto {
  @ApiProperty({ example: 123456789 })
  id!: number;

  @ApiProperty({
    example: false,
    description: 'Messages from bots are ignored',
  })
  is_bot!: boolean;

  @ApiProperty({ example: 'Ada' })
  first_name!: string;

  @ApiPropertyOptional({ example: 'Lovelace' })
  last_name?: string;

  @ApiPropertyOptional({ example: 'ada' })
  username?: string;
}

export class TelegramMessageDto {
  @ApiProperty({ example: 1 })
  message_id!: number;

  @ApiProperty({ type: TelegramFromDto })
  from!: TelegramFromDto;

  @ApiProperty({ type: TelegramChatDto })
  chat!: TelegramChatDto;

  @ApiProperty({ example: 1767268800 })
  date!: number;

  @ApiProperty({
    example: '/start q3v8wXc2nN1YyF0k9pQzR7tLmA4sB6dE8gH1jK3lM5o',
  })
  text!: string;
}

export class TelegramUpdateDto {
  @ApiProperty({ example: 10000 })
  update_id!: number;

  @ApiPropertyOptional({ type: TelegramMessageDto })
  message?: TelegramMessageDto;
}
