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
import { WebhookAnswerDto } from './dto/webhook-answer.dto.js';
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
      'Receives updates set up with setWebhook. `/start <token>` in a private chat scans that login (and logs it in without confirmation); the buttons under the confirmation message confirm or deny it. Every well-formed update is answered 200, also when ignored, so that Telegram does not re-send it; the body says what the update amounted to.',
  })
  @ApiHeader({
    name: 'X-Telegram-Bot-Api-Secret-Token',
    required: false,
    description:
      'Must equal WEBHOOK_SECRET when it is configured (Telegram sends the secret_token given to setWebhook)',
  })
  @ApiBody({ type: TelegramUpdateDto })
  @ApiOkResponse({
    type: WebhookAnswerDto,
    description: 'Update accepted (acted on or ignored)',
  })
  @ApiBadRequestResponse({ description: 'Body is not JSON' })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong secret header' })
  @ApiPayloadTooLargeResponse({ description: 'Body over 1 MiB' })
  async webhook(@Body() update: unknown): Promise<WebhookAnswerDto> {
    return { ok: true, outcome: await this.updates.handle(update) };
  }
}
