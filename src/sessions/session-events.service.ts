import { Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Observable, Subject } from 'rxjs';
import type { EndedSession, SessionInfo } from './interfaces/index.js';
import { SESSION_EVENTS } from './sessions.constants.js';

/**
 * Tells the parts that act on sessions (the page's socket, the bot's notice,
 * the OpenID Provider's logout) and a host that one started or ended, on the
 * instance where that happened. A host subscribes to `created`/`ended`, or
 * with `EventEmitterModule` listens with `@OnEvent(SESSION_EVENTS.ended)`.
 */
@Injectable()
export class SessionEventsService implements OnModuleDestroy {
  constructor(@Optional() private readonly emitter?: EventEmitter2) {}

  private readonly createdSubject = new Subject<SessionInfo>();
  private readonly endedSubject = new Subject<EndedSession>();
  readonly created: Observable<SessionInfo> =
    this.createdSubject.asObservable();
  readonly ended: Observable<EndedSession> = this.endedSubject.asObservable();

  publishCreated(session: SessionInfo): void {
    this.createdSubject.next(session);
    this.emitter?.emit(SESSION_EVENTS.created, session);
  }

  publishEnded(ended: EndedSession): void {
    this.endedSubject.next(ended);
    this.emitter?.emit(SESSION_EVENTS.ended, ended);
  }

  onModuleDestroy(): void {
    this.createdSubject.complete();
    this.endedSubject.complete();
  }
}
