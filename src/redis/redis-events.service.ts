import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';

/** A write a login cannot lose that fewer replicas acknowledged in time than it waited for. */
export interface ReplicaShortfall {
  acknowledged: number;
  wanted: number;
}

/**
 * What happens on the way to Redis that no answer shows: a WAIT that fell
 * short is a 503 like any outage, and this tells it apart (the service's
 * metrics count it), on the instance where it happened.
 */
@Injectable()
export class RedisEventsService implements OnModuleDestroy {
  private readonly shortfallSubject = new Subject<ReplicaShortfall>();
  readonly replicaShortfalls: Observable<ReplicaShortfall> =
    this.shortfallSubject.asObservable();

  publishReplicaShortfall(shortfall: ReplicaShortfall): void {
    this.shortfallSubject.next(shortfall);
  }

  onModuleDestroy(): void {
    this.shortfallSubject.complete();
  }
}
