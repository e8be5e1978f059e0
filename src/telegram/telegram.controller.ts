import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiBadRequestResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { TelegramUpdateDto } from './dto/telegram-update.dto.js';
import { TelegramUpdateService } from './telegram-update.service.js';
import { WebhookSecretGuard } from './webhook-secret.guard.js';

@ApiTags('telegram')
@Controller('telegram')
export class TelegramController {
  constructor(private readonly updates: TelegramUpdateService) {}

  @Post('webhook')
  @HttpCode(200)
  @UseGuards(WebhookSecretGuard)
  @ApiOperation({
    summary: 'Telegram webhook (called by Telegram, not by browsers)',
    description:
      'Receives updates set up with setWebhook. `/start <token>` in a private chat completes that login. Every other well-formed update is answered 200 and ignored, so that Telegram does not re-send it.',
  })
  @ApiHeader({
    name: 'X-Telegram-Bot-Api-Secret-Token',
    required: false,
    description:
      'Must equal WEBHOOK_SECRET when it is configured (Telegram sends the secret_token given to setWebhook)',
  })
  @ApiBody({ type: TelegramUpdateDto })
  @ApiOkResponse({ description: 'Update accepted (acted on or ignored)' })
  @ApiBadRequestResponse({ description: 'Body is not JSON' })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong secret header' })
  @ApiPayloadTooLargeResponse({ description: 'Body over 1 MiB' })
  async webhook(@Body() update: unknown): Promise<void> {
    await this.updates.handle(update);
  }
}
