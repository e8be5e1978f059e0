import {
  Inject,
  Injectable,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { Subscription } from 'rxjs';
import { RedisEventsService } from '../../redis/redis-events.service.js';
import { METRIC_PREFIX, METRICS_REGISTRY } from './metrics.constants.js';

/**
 * What the HTTP answers do not tell apart: a WAIT for replicas that fell
 * short is a 503 like an outage. A steady rise means a replica that lags or
 * is gone (the writes are refused rather than risked); a burst, a failover.
 */
@Injectable()
export class RedisMetricsService implements OnModuleInit, OnModuleDestroy {
  private readonly shortfalls: Counter;
  private readonly subscription = new Subscription();

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly events: RedisEventsService,
  ) {
    this.shortfalls = new Counter({
      name: `${METRIC_PREFIX}redis_replica_wait_shortfalls_total`,
      help: 'Writes a login cannot lose that fewer Redis replicas acknowledged in time than were waited for (each answered 503, to be retried)',
      registers: [registry],
    });
  }

  onModuleInit(): void {
    this.subscription.add(
      this.events.replicaShortfalls.subscribe(() => this.shortfalls.inc()),
    );
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }
}
