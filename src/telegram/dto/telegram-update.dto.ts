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

/** The message a pressed button was under (the bot's own): only where it is is read. */
export class TelegramButtonMessageDto {
  @ApiProperty({ example: 2 })
  message_id!: number;

  @ApiProperty({ type: TelegramChatDto })
  chat!: TelegramChatDto;
}

/** A press of a Confirm / Deny / number button under the bot's confirmation message. */
export class TelegramCallbackQueryDto {
  @ApiProperty({ example: '4382bfdwdsb323b2d9' })
  id!: string;

  @ApiProperty({ type: TelegramFromDto, description: 'Who pressed it' })
  from!: TelegramFromDto;

  @ApiPropertyOptional({
    type: TelegramButtonMessageDto,
    description:
      'Absent when Telegram no longer has the message; the press still counts',
  })
  message?: TelegramButtonMessageDto;

  @ApiProperty({
    example: 'confirm:q3v8wXc2nN1YyF0k9pQzR7tLmA4sB6dE8gH1jK3lM5o',
    description:
      'What the bot put on the button: `confirm:<token>`, `deny:<token>` or `pick:<NN>:<token>`',
  })
  data!: string;
}

export class TelegramUpdateDto {
  @ApiProperty({ example: 10000 })
  update_id!: number;

  @ApiPropertyOptional({
    type: TelegramMessageDto,
    description: '`/start <token>` in a private chat',
  })
  message?: TelegramMessageDto;

  @ApiPropertyOptional({
    type: TelegramCallbackQueryDto,
    description: 'A button press, with LOGIN_CONFIRMATION=button or code',
  })
  callback_query?: TelegramCallbackQueryDto;
}
