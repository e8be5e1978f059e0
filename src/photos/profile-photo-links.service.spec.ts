import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { decodeJwt } from 'jose';
import type {
  OidcSettings,
  TelegramSettings,
} from '../interfaces/settings.interface.js';
import { hs256AccessTokenKeys } from '../sessions/access-tokens.js';
import { PhotoTickets } from './photo-tickets.js';
import { ProfilePhotoLinks } from './profile-photo-links.service.js';

const KEYS = hs256AccessTokenKeys('photo-links-test-secret-0123456789abcdef');

function linksWith({
  profilePhotos = true,
  issuer = 'https://login.example.com/id',
  routePrefix = '',
  keys = async () => KEYS,
}: {
  profilePhotos?: boolean;
  issuer?: string;
  routePrefix?: string;
  keys?: () => Promise<typeof KEYS>;
} = {}) {
  const tickets = new PhotoTickets(keys);
  return {
    tickets,
    links: new ProfilePhotoLinks(
      tickets,
      { profilePhotos } as TelegramSettings,
      { issuer } as OidcSettings,
      routePrefix,
    ),
  };
}

const ticketOf = (url: string) => url.split('/').pop()!;

describe('ProfilePhotoLinks', () => {
  it('gives the page a path under the route prefix, with a ticket to the person’s photo for an hour', async () => {
    const { links, tickets } = linksWith({ routePrefix: 'login' });
    const path = await links.pagePath(4242);
    expect(path).toMatch(/^\/login\/auth\/photos\/[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = decodeJwt(ticketOf(path!));
    expect(claims.exp! - claims.iat!).toBe(3600);
    await expect(tickets.verify(ticketOf(path!))).resolves.toMatchObject({
      userId: 4242,
    });
  });

  it('names the same URL again while it is fresh, so that the browser loads the photo once', async () => {
    const { links } = linksWith();
    const first = await links.pagePath(4242);
    expect(await links.pagePath(4242)).toBe(first);
    expect(await links.pagePath(4243)).not.toBe(first);
  });

  it('gives the OpenID picture claim an absolute URL at the issuer’s origin, working for a day', async () => {
    const { links } = linksWith({ issuer: 'https://login.example.com/id' });
    const url = await links.pictureUrl(4242);
    expect(url).toMatch(
      /^https:\/\/login\.example\.com\/auth\/photos\/[\w-]+\.[\w-]+\.[\w-]+$/,
    );
    const claims = decodeJwt(ticketOf(url!));
    expect(claims.exp! - claims.iat!).toBe(24 * 3600);
    expect(url).not.toBe(await links.pagePath(4242));
  });

  it('gives no URL when photos are off', async () => {
    const { links } = linksWith({ profilePhotos: false });
    expect(links.enabled).toBe(false);
    await expect(links.pagePath(4242)).resolves.toBeUndefined();
    await expect(links.pictureUrl(4242)).resolves.toBeUndefined();
  });

  it('gives no URL, rather than failing the login, while the keys cannot be read', async () => {
    const warn = jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation(() => undefined);
    try {
      const { links } = linksWith({
        keys: () => Promise.reject(new Error('Redis is down')),
      });
      await expect(links.pagePath(4242)).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('No photo URL for now'),
      );
    } finally {
      warn.mockRestore();
    }
  });
});
