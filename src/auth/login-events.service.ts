import { Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Observable, Subject } from 'rxjs';
import type { LoginStatus, TelegramUser } from './interfaces/index.js';

/**
 * A login changed. `pending`: a token was created; `scanned`, `authenticated`,
 * `denied` as the person acts in Telegram; `expired`: a waiting browser was
 * told its code expired.
 */
export interface LoginChange {
  token: string;
  status: LoginStatus;
  /** The Telegram user who scanned, with scanned, authenticated and denied. */
  user?: TelegramUser;
  /** Epoch ms when what caused the change happened (e.g. the Telegram update arrived). */
  at?: number;
}

/** A status this instance pushed to the sockets waiting on a login. */
export interface LoginDelivery {
  token: string;
  status: LoginStatus;
  /** The {@link LoginChange.at} of the change pushed; absent when the push was not caused by one (expiry). */
  causedAt?: number;
  /** Epoch ms. */
  emittedAt: number;
}

/** Names of the events emitted on a host's EventEmitter2 (`@OnEvent(LOGIN_EVENTS.authenticated)`). */
export const LOGIN_EVENTS = {
  created: 'telegram-qr-auth.login.created',
  scanned: 'telegram-qr-auth.login.scanned',
  authenticated: 'telegram-qr-auth.login.authenticated',
  denied: 'telegram-qr-auth.login.denied',
  expired: 'telegram-qr-auth.login.expired',
} as const;

const EVENT_OF_STATUS: Record<LoginStatus, string> = {
  pending: LOGIN_EVENTS.created,
  scanned: LOGIN_EVENTS.scanned,
  authenticated: LOGIN_EVENTS.authenticated,
  denied: LOGIN_EVENTS.denied,
  expired: LOGIN_EVENTS.expired,
};

/**
 * Tells whoever delivers results (the gateway), counts them (metrics) or
 * audits them (a host app) that a login changed, so the code that changes
 * logins depends on none of them. A host subscribes to `changes`, or, when it
 * has imported `EventEmitterModule`, listens with `@OnEvent(LOGIN_EVENTS.…)`.
 */
@Injectable()
export class LoginEventsService implements OnModuleDestroy {
  constructor(@Optional() private readonly emitter?: EventEmitter2) {}

  private readonly subject = new Subject<LoginChange>();
  readonly changes: Observable<LoginChange> = this.subject.asObservable();
  private readonly deliveredSubject = new Subject<LoginDelivery>();
  /** What the gateway pushed, and when: for metrics, which must not hook into the gateway itself. */
  readonly deliveries: Observable<LoginDelivery> =
    this.deliveredSubject.asObservable();

  publish(change: LoginChange): void {
    this.subject.next(change);
    this.emitter?.emit(EVENT_OF_STATUS[change.status], change);
  }

  delivered(delivery: LoginDelivery): void {
    this.deliveredSubject.next(delivery);
  }

  onModuleDestroy(): void {
    this.subject.complete();
    this.deliveredSubject.complete();
  }
}
