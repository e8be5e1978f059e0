import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { LOGIN_EVENTS, type LoginChange } from 'telegram-qr-auth';

/** Reacts to login events without touching the module's code: here it keeps an audit trail. */
@Injectable()
export class LoginAuditService {
  readonly trail: { event: string; token: string; telegramId?: number }[] = [];

  @OnEvent(LOGIN_EVENTS.created)
  onCreated(change: LoginChange): void {
    this.trail.push({ event: 'created', token: change.token });
  }

  @OnEvent(LOGIN_EVENTS.authenticated)
  onAuthenticated(change: LoginChange): void {
    this.trail.push({
      event: 'authenticated',
      token: change.token,
      telegramId: change.user?.id,
    });
  }

  @OnEvent(LOGIN_EVENTS.denied)
  onDenied(change: LoginChange): void {
    this.trail.push({
      event: 'denied',
      token: change.token,
      telegramId: change.user?.id,
    });
  }
}
