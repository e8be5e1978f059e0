import type { JWTPayload } from 'jose';
import type { AuthSettings } from '../../src/interfaces/settings.interface.js';
import { AccessTokenService } from '../../src/sessions/access-token.service.js';
import { AccessTokens } from '../../src/sessions/access-tokens.js';
import { SessionEventsService } from '../../src/sessions/session-events.service.js';
import { SessionService } from '../../src/sessions/session.service.js';
import { MemorySessionStore } from '../../src/sessions/stores/memory-session.store.js';

/**
 * Access tokens made at once, for unit tests that are not about tokens and
 * run on fake timers: jose signs with WebCrypto, whose work on the thread
 * pool finishes in real time, and a test advancing fake time would race it.
 * The "token" carries the claims in the middle, as a JWT would.
 */
export class InstantAccessTokens extends AccessTokens {
  constructor() {
    super(() => Promise.reject(new Error('InstantAccessTokens has no keys')), {
      ttlSeconds: 60,
    });
  }

  override sign(claims: Record<string, unknown>): Promise<string> {
    return Promise.resolve(
      `unsigned.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.test`,
    );
  }

  /** Reads back what {@link sign} made (anything else is not a token), as a signed token would verify. */
  override verify(token: string): Promise<JWTPayload | undefined> {
    const [mark, claims, end] = token.split('.');
    if (mark !== 'unsigned' || end !== 'test')
      return Promise.resolve(undefined);
    return Promise.resolve(
      JSON.parse(Buffer.from(claims, 'base64url').toString()) as JWTPayload,
    );
  }
}

/** A SessionService on a memory store whose tokens are {@link InstantAccessTokens}, for unit tests of its users. */
export function instantSessions(settings: AuthSettings): SessionService {
  return new SessionService(
    new MemorySessionStore(),
    settings,
    new AccessTokenService(new InstantAccessTokens()),
    new SessionEventsService(),
  );
}
