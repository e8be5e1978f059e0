import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import type { LoginStatus } from './interfaces/index.js';

export interface LoginChange {
  token: string;
  status: LoginStatus;
}

/**
 * Tells whoever delivers results (the gateway today) that a login changed, so
 * the code that changes logins does not depend on how browsers are reached.
 */
@Injectable()
export class LoginEventsService implements OnModuleDestroy {
  private readonly subject = new Subject<LoginChange>();
  readonly changes: Observable<LoginChange> = this.subject.asObservable();

  publish(change: LoginChange): void {
    this.subject.next(change);
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }
}
