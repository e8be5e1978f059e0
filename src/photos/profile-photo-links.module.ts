import { Module } from '@nestjs/common';
import type { OidcSettings } from '../interfaces/settings.interface.js';
import type { AccessTokenKeys } from '../sessions/access-tokens.js';
import { ACCESS_TOKEN_KEYS } from '../sessions/sessions.constants.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { OIDC_SETTINGS } from '../telegram-qr-auth.constants.js';
import { PhotoTickets } from './photo-tickets.js';
import { ProfilePhotoLinks } from './profile-photo-links.service.js';

/**
 * The photo URLs and their tickets, apart from the route that serves them
 * ({@link ProfilePhotosModule}, which needs the bot): the login flow and the
 * OpenID Provider hand out URLs without depending on the Telegram module.
 */
@Module({
  imports: [SessionsModule],
  providers: [
    {
      provide: PhotoTickets,
      inject: [ACCESS_TOKEN_KEYS, OIDC_SETTINGS],
      useFactory: (keys: () => Promise<AccessTokenKeys>, oidc: OidcSettings) =>
        new PhotoTickets(keys, { issuer: oidc.issuer || undefined }),
    },
    ProfilePhotoLinks,
  ],
  exports: [PhotoTickets, ProfilePhotoLinks],
})
export class ProfilePhotoLinksModule {}
