import { Injectable } from '@nestjs/common';
import {
  LoginPolicy,
  type LoginPolicyDecision,
  type TelegramUser,
} from 'telegram-qr-auth';
import { UsersService } from './users.service.js';

/** Banned Telegram users may not log in; everyone else logs in as their own account, with its role as a claim. */
@Injectable()
export class UsersLoginPolicy extends LoginPolicy {
  constructor(private readonly users: UsersService) {
    super();
  }

  decide(user: TelegramUser): LoginPolicyDecision {
    if (this.users.isBanned(user.id))
      return { allowed: false, reason: 'This account is suspended.' };
    const account = this.users.provision(user);
    return {
      allowed: true,
      subject: account.id,
      claims: { role: account.role },
    };
  }
}
