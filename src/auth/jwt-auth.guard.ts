import {
  CanActivate,
  ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import type { TelegramUser } from './interfaces/index.js';
import { type SessionClaims, SessionService } from './session.service.js';

/** A request that passed {@link JwtAuthGuard}. */
export interface AuthenticatedRequest extends Request {
  /** The Telegram user of the access token. */
  user: TelegramUser;
  /** Every claim of the access token, the login policy's included. */
  session: SessionClaims;
}

/** The 401's message: the same for a missing, malformed, foreign or expired token. */
export const ACCESS_TOKEN_REQUIRED = 'A valid access token is required';

/** Lets a request through only with `Authorization: Bearer <accessToken>` that this service signed. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const [scheme, accessToken] = (request.headers.authorization ?? '').split(
      ' ',
    );
    const session =
      scheme?.toLowerCase() === 'bearer' && accessToken
        ? await this.sessions.verify(accessToken)
        : undefined;
    if (!session) throw new UnauthorizedException(ACCESS_TOKEN_REQUIRED);
    Object.assign(request, { user: session.user, session: session.claims });
    return true;
  }
}
