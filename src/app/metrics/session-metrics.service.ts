import {
  Inject,
  Injectable,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { Subscription } from 'rxjs';
import type { SessionEndReason } from '../../sessions/interfaces/index.js';
import { SessionEventsService } from '../../sessions/session-events.service.js';
import { METRIC_PREFIX, METRICS_REGISTRY } from './metrics.constants.js';

/** Every reason a session may end for, so that each series exists (at 0) from the start. */
const END_REASONS: readonly SessionEndReason[] = [
  'logged-out',
  'ended-in-telegram',
  'ended-from-another-session',
  'refresh-token-reused',
  'logged-out-of-site',
  'ended-by-site',
];

/**
 * Sessions started and ended, by reason: a rise of `refresh-token-reused` is
 * stolen tokens being tried, one of `ended-in-telegram` people finding
 * logins they did not make. Counted where it happened; Prometheus sums.
 */
@Injectable()
export class SessionMetricsService implements OnModuleInit, OnModuleDestroy {
  private readonly started: Counter;
  private readonly ended: Counter<'reason'>;
  private readonly subscriptions = new Subscription();

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly events: SessionEventsService,
  ) {
    const registers = [registry];
    this.started = new Counter({
      name: `${METRIC_PREFIX}sessions_started_total`,
      help: 'Sessions started: one per completed login',
      registers,
    });
    this.ended = new Counter({
      name: `${METRIC_PREFIX}sessions_ended_total`,
      help: 'Sessions ended before their expiry, by reason',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of END_REASONS) this.ended.inc({ reason }, 0);
  }

  onModuleInit(): void {
    this.subscriptions.add(
      this.events.created.subscribe(() => this.started.inc()),
    );
    this.subscriptions.add(
      this.events.ended.subscribe(({ reason }) => this.ended.inc({ reason })),
    );
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
  }
}
