import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { closeAfterAnswer } from '../http/request-body.js';
import { WEBHOOK_SECRET_HEADER } from './telegram.constants.js';
import { TELEGRAM_SETTINGS } from '../telegram-qr-auth.constants.js';
import type { TelegramSettings } from '../interfaces/settings.interface.js';

/** The 401's message, for a missing and a wrong secret alike. */
export const INVALID_WEBHOOK_SECRET = 'Invalid webhook secret';

/**
 * Only Telegram knows WEBHOOK_SECRET (given to it by setWebhook), so a call
 * without it is not from Telegram. Off when no secret is configured.
 */
@Injectable()
export class WebhookSecretGuard implements CanActivate {
  private readonly expectedDigest?: Buffer;

  constructor(@Inject(TELEGRAM_SETTINGS) settings: TelegramSettings) {
    this.expectedDigest =
      settings.webhookSecret === undefined
        ? undefined
        : digest(settings.webhookSecret);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expectedDigest) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const header = request.headers[WEBHOOK_SECRET_HEADER];
    // Comparing digests keeps the comparison constant-time even when the lengths differ.
    if (
      typeof header !== 'string' ||
      !timingSafeEqual(digest(header), this.expectedDigest)
    ) {
      // The body is not read (WebhookBodyInterceptor runs after guards): nor is the rest of it.
      closeAfterAnswer(request, http.getResponse<Response>());
      throw new UnauthorizedException(INVALID_WEBHOOK_SECRET);
    }
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
