import {
  Body,
  Controller,
  HttpCode,
  Post,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrorResponse } from '../openapi/api-responses.js';
import { RedisUnavailableError } from '../redis/redis-unavailable.error.js';
import { TelegramUpdateDto } from './dto/telegram-update.dto.js';
import { WebhookAnswerDto } from './dto/webhook-answer.dto.js';
import { TelegramUpdateService } from './telegram-update.service.js';
import {
  INVALID_WEBHOOK_SECRET,
  WebhookSecretGuard,
} from './webhook-secret.guard.js';

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
      'Receives updates set up with setWebhook. `/start <token>` in a private chat scans that login (and logs it in without confirmation); the buttons under the confirmation message confirm or deny it. Every well-formed update is answered 200, also when ignored, so that Telegram does not re-send it; the body says what the update amounted to. 503 when it could not be handled now (storage unavailable, or the same update_id is still being handled): Telegram re-sends it later, and that copy is handled.',
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
  // 400, 413 and 415 come from the body parser, before Nest: the service answers them in this shape itself.
  @ApiErrorResponse('Body is not JSON', {
    statusCode: 400,
    message: 'Malformed JSON body',
  })
  @ApiErrorResponse(
    'Missing or wrong secret header',
    new UnauthorizedException(INVALID_WEBHOOK_SECRET),
  )
  @ApiErrorResponse('Body over 1 MiB', {
    statusCode: 413,
    message: 'Request body too large',
  })
  @ApiErrorResponse('A Content-Encoding the body parser cannot read', {
    statusCode: 415,
    message: 'Unsupported body encoding',
  })
  // One answer per status in OpenAPI: UpdateInProgressError's 503 is described here with the outage's.
  @ApiErrorResponse(
    'Not handled now: Redis (REDIS_URL) cannot be reached, or this update_id is still being handled; Telegram sends the update again later and that copy is handled',
    new RedisUnavailableError(),
  )
  async webhook(@Body() update: unknown): Promise<WebhookAnswerDto> {
    return { ok: true, outcome: await this.updates.handle(update) };
  }
}
