import { Inject, Injectable } from '@nestjs/common';
import { QrService } from '../qr/qr.service.js';
import type { CreateTokenResponseDto } from './dto/create-token-response.dto.js';
import type { LoginOidcContext, LoginRequester } from './interfaces/index.js';
import { LoginService } from './login.service.js';
import { TELEGRAM_SETTINGS } from '../telegram-qr-auth.constants.js';
import type { TelegramSettings } from '../interfaces/settings.interface.js';

/** Turns a new login into what the browser needs to show it: the deep link and its QR. */
@Injectable()
export class LoginTokenService {
  constructor(
    private readonly logins: LoginService,
    private readonly qr: QrService,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {}

  /** `oidc`: a login for an OpenID Connect authorization's interaction. */
  async issue(
    requester: LoginRequester,
    oidc?: LoginOidcContext,
  ): Promise<CreateTokenResponseDto> {
    const now = Date.now();
    const { login, secret } = await this.logins.create(requester, now, oidc);
    const deepLink = `${this.settings.deepLinkBase}?start=${login.token}`;
    return {
      token: login.token,
      secret,
      deepLink,
      qr: await this.qr.toSvgDataUrl(deepLink),
      ...(login.matchCode === undefined ? {} : { matchCode: login.matchCode }),
      expiresAt: new Date(login.expiresAt).toISOString(),
      expiresIn: Math.round((login.expiresAt - now) / 1000),
      // Said outright: the page cannot tell from the link that no bot will answer.
      ...(this.settings.demoMode ? { demo: true as const } : {}),
    };
  }
}
