import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthSettings } from '../interfaces/settings.interface.js';
import { siteName } from '../telegram/bot-messages.js';
import { AUTH_SETTINGS } from '../telegram-qr-auth.constants.js';

/** What the login page says about the site it logs in to (client/src/site.ts). */
export interface PageSite {
  name: string;
  /** An http(s) URL; absent without `appLogoUrl`. */
  logoUrl?: string;
}

/**
 * `GET /page/site`: the site's name (`appName`) and logo (`appLogoUrl`) for
 * the head of the login page, which is a static file and cannot carry them.
 * (An OpenID client's login gets its client's instead, in the page itself.)
 */
@ApiExcludeController()
@Controller('page')
export class PageSiteController {
  constructor(@Inject(AUTH_SETTINGS) private readonly settings: AuthSettings) {}

  @Get('site')
  @Header('Cache-Control', 'public, max-age=300')
  site(): PageSite {
    const { appName, appLogoUrl } = this.settings;
    return {
      name: siteName(appName),
      ...(appLogoUrl ? { logoUrl: appLogoUrl } : {}),
    };
  }
}
