import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { TelegramUser } from './interfaces/index.js';

interface SessionClaims {
  sub: string;
  first_name: string;
  last_name?: string;
  username?: string;
}

/** Signed sessions for a Telegram user who has logged in. */
@Injectable()
export class SessionService {
  constructor(private readonly jwt: JwtService) {}

  issue(user: TelegramUser): Promise<string> {
    const claims: SessionClaims = { sub: String(user.id), first_name: user.first_name };
    if (user.last_name !== undefined) claims.last_name = user.last_name;
    if (user.username !== undefined) claims.username = user.username;
    return this.jwt.signAsync(claims);
  }

  /** The user of a valid, unexpired access token; undefined for anything else. */
  async verify(accessToken: string): Promise<TelegramUser | undefined> {
    try {
      const claims = await this.jwt.verifyAsync<SessionClaims>(accessToken, { algorithms: ['HS256'] });
      const id = Number(claims.sub);
      if (!Number.isSafeInteger(id) || typeof claims.first_name !== 'string') return undefined;
      const user: TelegramUser = { id, first_name: claims.first_name };
      if (typeof claims.last_name === 'string') user.last_name = claims.last_name;
      if (typeof claims.username === 'string') user.username = claims.username;
      return user;
    } catch {
      return undefined;
    }
  }
}
