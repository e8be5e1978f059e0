import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import type { LoginStatus } from './interfaces/index.js';

export interface LoginChange {
  token: string;
  status: LoginStatus;
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

/**
 * Tells whoever delivers results (the gateway today) that a login changed, so
 * the code that changes logins does not depend on how browsers are reached.
 */
@Injectable()
export class LoginEventsService implements OnModuleDestroy {
  private readonly subject = new Subject<LoginChange>();
  readonly changes: Observable<LoginChange> = this.subject.asObservable();
  private readonly deliveredSubject = new Subject<LoginDelivery>();
  /** What the gateway pushed, and when: for metrics, which must not hook into the gateway itself. */
  readonly deliveries: Observable<LoginDelivery> = this.deliveredSubject.asObservable();

  publish(change: LoginChange): void {
    this.subject.next(change);
  }

  delivered(delivery: LoginDelivery): void {
    this.deliveredSubject.next(delivery);
  }

  onModuleDestroy(): void {
    this.subject.complete();
    this.deliveredSubject.complete();
  }
}
