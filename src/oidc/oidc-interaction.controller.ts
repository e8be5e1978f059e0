import {
  Controller,
  Get,
  Inject,
  NotFoundException,
  NotImplementedException,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { OidcSettings } from '../interfaces/settings.interface.js';
import { OIDC_SETTINGS } from '../telegram-qr-auth.constants.js';
import { OIDC_INTERACTION_PATH } from './oidc.constants.js';

const NOT_YET =
  'Logging in to another site with Telegram (OpenID Connect) is not available yet on this service.';

/**
 * Where an authorization request sends the browser for the person to log
 * in (the provider's `interactions.url`). The login page that scans the QR
 * code and finishes the interaction with
 * `provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } })`
 * comes next; until then this says so instead of showing a bare 404.
 */
@ApiExcludeController()
@Controller(OIDC_INTERACTION_PATH)
export class OidcInteractionController {
  constructor(@Inject(OIDC_SETTINGS) private readonly settings: OidcSettings) {}

  @Get(':uid')
  show(@Req() request: Request, @Res() response: Response): void {
    if (!this.settings.enabled) throw new NotFoundException();
    if (request.accepts(['json', 'html']) !== 'html')
      throw new NotImplementedException(NOT_YET);
    response
      .status(501)
      .type('html')
      .setHeader('Cache-Control', 'no-store')
      .send(
        `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Not available yet</title></head><body><h1>Not available yet</h1><p>${NOT_YET}</p></body></html>\n`,
      );
  }
}
