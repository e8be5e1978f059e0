import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { type AuthenticatedRequest, JwtAuthGuard } from 'telegram-qr-auth';
import { UsersService } from './users/users.service.js';

/** A route of the host's own, protected by the access token the login hands out. */
@Controller('profile')
export class ProfileController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @UseGuards(JwtAuthGuard)
  profile(@Req() request: AuthenticatedRequest) {
    return {
      accountId: request.session.sub,
      role: request.session.role,
      telegram: request.user,
      account: this.users.findByTelegramId(request.user.id),
    };
  }
}
