import { describe, expect, it } from '@jest/globals';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { generateJwks, publicJwks } from '../oidc/oidc-keys.js';
import { AccessTokenService } from '../sessions/access-token.service.js';
import {
  ACCESS_TOKEN_TYPE,
  type AccessTokenKeys,
  AccessTokens,
  asymmetricAccessTokenKeys,
  hs256AccessTokenKeys,
} from '../sessions/access-tokens.js';
import { PhotoTickets } from './photo-tickets.js';
import { PHOTO_TICKET_TYPE } from './profile-photos.constants.js';

const ISSUER = 'https://login.example.com';
const ADA = { id: 4242, first_name: 'Ada' };

/** The tickets and the access tokens of one service: the same keys, the same issuer. */
function serviceWith(keys: AccessTokenKeys) {
  const read = async () => keys;
  const jwts = new AccessTokens(read, { issuer: ISSUER, ttlSeconds: 600 });
  return {
    tickets: new PhotoTickets(read, { issuer: ISSUER }),
    jwts,
    accessTokens: new AccessTokenService(jwts),
  };
}

const jwks = generateJwks();
const es256 = () =>
  asymmetricAccessTokenKeys({ jwks, public: publicJwks(jwks) }, 'ES256');

/** `token` with one character of its part `index` (0 header, 1 payload, 2 signature) changed. */
function tampered(token: string, index: number): string {
  const parts = token.split('.');
  const part = parts[index];
  const at = Math.floor(part.length / 2);
  parts[index] =
    part.slice(0, at) + (part[at] === 'A' ? 'B' : 'A') + part.slice(at + 1);
  return parts.join('.');
}

describe.each([
  ['ES256', es256],
  [
    'HS256',
    () => hs256AccessTokenKeys('photo-ticket-test-secret-0123456789abcdef'),
  ],
] as const)('PhotoTickets (%s)', (_alg, keys) => {
  const { tickets, jwts, accessTokens } = serviceWith(keys());

  it("is a JWT of its own type, naming the person, expiring when it was asked to, in the service's name", async () => {
    const ticket = await tickets.issue(ADA.id, 3600);
    expect(decodeProtectedHeader(ticket).typ).toBe(PHOTO_TICKET_TYPE);
    const claims = decodeJwt(ticket);
    expect(claims).toMatchObject({ sub: '4242', iss: ISSUER });
    expect(claims.exp! - claims.iat!).toBe(3600);
    await expect(tickets.verify(ticket)).resolves.toEqual({
      userId: ADA.id,
      expiresAt: claims.exp,
    });
  });

  it('refuses an expired ticket', async () => {
    const ticket = await tickets.issue(ADA.id, -1);
    await expect(tickets.verify(ticket)).resolves.toBeUndefined();
  });

  it('refuses a ticket changed anywhere: header, claims (another person) or signature', async () => {
    const ticket = await tickets.issue(ADA.id, 3600);
    for (const index of [0, 1, 2])
      await expect(
        tickets.verify(tampered(ticket, index)),
      ).resolves.toBeUndefined();
    await expect(tickets.verify('not.a.ticket')).resolves.toBeUndefined();
    await expect(tickets.verify('')).resolves.toBeUndefined();
  });

  it('refuses a ticket of another service (other keys)', async () => {
    const other = serviceWith(
      _alg === 'ES256'
        ? asymmetricAccessTokenKeys(
            (() => {
              const set = generateJwks();
              return { jwks: set, public: publicJwks(set) };
            })(),
            'ES256',
          )
        : hs256AccessTokenKeys('another-services-secret-0123456789abcdef'),
    );
    const theirs = await other.tickets.issue(ADA.id, 3600);
    await expect(tickets.verify(theirs)).resolves.toBeUndefined();
  });

  it('takes no access token for a ticket, though the keys are the same', async () => {
    const accessToken = await accessTokens.issue(ADA, 'sid-1');
    expect(decodeProtectedHeader(accessToken).typ).toBe(ACCESS_TOKEN_TYPE);
    await expect(accessTokens.verify(accessToken)).resolves.toBeDefined();
    await expect(tickets.verify(accessToken)).resolves.toBeUndefined();
  });

  it('is no access token: refused for its type alone, before any claim is read', async () => {
    const ticket = await tickets.issue(ADA.id, 3600);
    await expect(jwts.verify(ticket)).resolves.toBeUndefined();
  });
});
