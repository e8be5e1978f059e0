import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import type { TelegramUser } from './interfaces/index.js';
import { SessionService } from './session.service.js';

/** A request that passed {@link JwtAuthGuard}. */
export interface AuthenticatedRequest extends Request {
  user: TelegramUser;
}

/** Lets a request through only with `Authorization: Bearer <accessToken>` that this service signed. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const [scheme, accessToken] = (request.headers.authorization ?? '').split(' ');
    const user = scheme?.toLowerCase() === 'bearer' && accessToken ? await this.sessions.verify(accessToken) : undefined;
    if (!user) throw new UnauthorizedException('A valid access token is required');
    (request as AuthenticatedRequest).user = user;
    return true;
  }
}
