import { Injectable } from '@nestjs/common';
import type { TelegramUser } from 'telegram-qr-auth';

export interface Account {
  id: string;
  telegramId: number;
  displayName: string;
  role: 'member' | 'admin';
}

/** The host's own accounts (a database in a real app). */
@Injectable()
export class UsersService {
  private readonly accounts = new Map<number, Account>();
  private readonly banned = new Set<number>();
  private readonly admins = new Set<number>();

  ban(telegramId: number): void {
    this.banned.add(telegramId);
  }

  makeAdmin(telegramId: number): void {
    this.admins.add(telegramId);
  }

  isBanned(telegramId: number): boolean {
    return this.banned.has(telegramId);
  }

  /** The account of a Telegram user, made on first login. */
  provision(user: TelegramUser): Account {
    const existing = this.accounts.get(user.id);
    if (existing) return existing;
    const account: Account = {
      id: `acct_${this.accounts.size + 1}`,
      telegramId: user.id,
      displayName: [user.first_name, user.last_name].filter(Boolean).join(' '),
      role: this.admins.has(user.id) ? 'admin' : 'member',
    };
    this.accounts.set(user.id, account);
    return account;
  }

  findByTelegramId(telegramId: number): Account | undefined {
    return this.accounts.get(telegramId);
  }
}
