import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type {
  OidcSettings,
  TelegramSettings,
} from '../interfaces/settings.interface.js';
import {
  OIDC_SETTINGS,
  ROUTE_PREFIX,
  TELEGRAM_SETTINGS,
} from '../telegram-qr-auth.constants.js';
import { PhotoTickets } from './photo-tickets.js';
import {
  OIDC_PICTURE_TTL_SECONDS,
  PAGE_PHOTO_TTL_SECONDS,
  PROFILE_PHOTOS_PATH,
  TICKET_REUSE_CACHE_SIZE,
  TICKET_REUSE_SHARE,
} from './profile-photos.constants.js';

/** The path of a photo URL, under the module's route prefix. */
export function profilePhotoPath(routePrefix: string, ticket: string): string {
  const prefix = routePrefix ? `/${routePrefix}` : '';
  return `${prefix}/${PROFILE_PHOTOS_PATH}/${encodeURIComponent(ticket)}`;
}

interface IssuedTicket {
  ticket: string;
  /** Epoch ms after which a new one is made. */
  reuseUntil: number;
}

/**
 * The URLs of people's profile photos, as the page and the OpenID `picture` claim get them:
 * this module's own route with a short-lived ticket, never Telegram's file URL (which holds
 * the bot token). A URL is given whether or not the person has a photo (the page shows
 * initials when it answers 404), so that making one never asks Telegram. None when photos
 * are off (`profilePhotos`, PROFILE_PHOTOS=off) or in demo mode.
 */
@Injectable()
export class ProfilePhotoLinks {
  private readonly logger = new Logger(ProfilePhotoLinks.name);
  private readonly issued = new Map<string, IssuedTicket>();

  constructor(
    private readonly tickets: PhotoTickets,
    @Inject(TELEGRAM_SETTINGS) private readonly telegram: TelegramSettings,
    @Inject(OIDC_SETTINGS) private readonly oidc: OidcSettings,
    @Optional()
    @Inject(ROUTE_PREFIX)
    private readonly routePrefix: string = '',
  ) {}

  get enabled(): boolean {
    return this.telegram.profilePhotos;
  }

  /** For the page (`photoUrl` of the `scanned` status and of the result): a path on this service, working for an hour. */
  async pagePath(userId: number): Promise<string | undefined> {
    const ticket = await this.ticketFor(userId, PAGE_PHOTO_TTL_SECONDS);
    return ticket && profilePhotoPath(this.routePrefix, ticket);
  }

  /** For the OpenID `picture` claim: an absolute URL at the issuer's origin, working for a day. */
  async pictureUrl(userId: number): Promise<string | undefined> {
    if (!this.oidc.issuer) return undefined;
    const ticket = await this.ticketFor(userId, OIDC_PICTURE_TTL_SECONDS);
    return (
      ticket &&
      new URL(
        profilePhotoPath(this.routePrefix, ticket),
        new URL(this.oidc.issuer).origin,
      ).href
    );
  }

  /** Undefined when photos are off, or when no ticket can be signed now (its keys in a Redis that is down): no photo is better than no login. */
  private async ticketFor(
    userId: number,
    ttlSeconds: number,
  ): Promise<string | undefined> {
    if (!this.enabled) return undefined;
    const key = `${userId}:${ttlSeconds}`;
    const now = Date.now();
    const known = this.issued.get(key);
    if (known && now < known.reuseUntil) return known.ticket;
    try {
      const ticket = await this.tickets.issue(userId, ttlSeconds);
      this.remember(key, {
        ticket,
        reuseUntil: now + (1 - TICKET_REUSE_SHARE) * ttlSeconds * 1000,
      });
      return ticket;
    } catch (error) {
      this.logger.warn(
        `No photo URL for now: the signing keys cannot be read (${(error as Error).message})`,
      );
      return undefined;
    }
  }

  private remember(key: string, ticket: IssuedTicket): void {
    this.issued.delete(key);
    this.issued.set(key, ticket);
    if (this.issued.size > TICKET_REUSE_CACHE_SIZE)
      this.issued.delete(this.issued.keys().next().value!);
  }
}
