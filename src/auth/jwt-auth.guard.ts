import {
  CanActivate,
  ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import type { TelegramUser } from './interfaces/index.js';
import type { SessionClaims } from '../sessions/access-token.service.js';
import { SessionService } from '../sessions/session.service.js';

/** A request that passed {@link JwtAuthGuard}. */
export interface AuthenticatedRequest extends Request {
  /** The Telegram user of the access token. */
  user: TelegramUser;
  /** Every claim of the access token, the login policy's included; `sid` names its session. */
  session: SessionClaims;
}

/** The 401's message: the same for a missing, malformed, foreign or expired token. */
export const ACCESS_TOKEN_REQUIRED = 'A valid access token is required';

/**
 * `Bearer <token>` (RFC 6750): the scheme in any case, one space, one token of
 * b64token characters and nothing after it, so that `Bearer <jwt> extra` is
 * refused rather than read as the first token.
 */
const BEARER = /^bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Lets a request through only with `Authorization: Bearer <accessToken>` that
 * this service signed, of a session that has not ended (as checked at most
 * SESSION_CHECK_CACHE_MS ago on this instance).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const accessToken = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const session = accessToken
      ? await this.sessions.verify(accessToken)
      : undefined;
    if (!session) throw new UnauthorizedException(ACCESS_TOKEN_REQUIRED);
    Object.assign(request, { user: session.user, session: session.claims });
    return true;
  }
}
