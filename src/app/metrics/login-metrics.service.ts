import {
  Inject,
  Injectable,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { Subscription } from 'rxjs';
import { AuthGateway } from '../../auth/auth.gateway.js';
import {
  type LoginChange,
  type LoginDelivery,
  LoginEventsService,
} from '../../auth/login-events.service.js';
import {
  type HandledUpdate,
  TelegramUpdateService,
} from '../../telegram/telegram-update.service.js';
import {
  METRIC_PREFIX,
  METRICS_REGISTRY,
  PUSH_LATENCY_BUCKETS,
} from './metrics.constants.js';

/** How a login ended, as counted by `qr_auth_logins_total`. */
const LOGIN_RESULTS = ['authenticated', 'denied', 'expired'] as const;

/**
 * The service's own metrics, fed by the events the login and Telegram code
 * already publish, so that neither calls into metrics. Counts are per
 * instance; Prometheus sums them across instances.
 */
@Injectable()
export class LoginMetricsService implements OnModuleInit, OnModuleDestroy {
  private readonly tokensCreated: Counter;
  private readonly loginsScanned: Counter;
  private readonly logins: Counter<'result'>;
  private readonly telegramUpdates: Counter<'outcome'>;
  private readonly pushLatency: Histogram<'status'>;
  private readonly subscriptions = new Subscription();

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly events: LoginEventsService,
    private readonly updates: TelegramUpdateService,
    gateway: AuthGateway,
  ) {
    const registers = [registry];
    this.tokensCreated = new Counter({
      name: `${METRIC_PREFIX}login_tokens_created_total`,
      help: 'Login tokens (QR codes) created',
      registers,
    });
    this.loginsScanned = new Counter({
      name: `${METRIC_PREFIX}logins_scanned_total`,
      help: 'Logins scanned and waiting for the person to confirm in Telegram (LOGIN_CONFIRMATION=button|code)',
      registers,
    });
    this.logins = new Counter({
      name: `${METRIC_PREFIX}logins_total`,
      help: 'Logins that ended, by result; "expired" counts waiting sockets told by this instance that their QR code expired',
      labelNames: ['result'],
      registers,
    });
    // Present at 0 from the start, so that rate() and alerts work before the first login.
    for (const result of LOGIN_RESULTS) this.logins.inc({ result }, 0);
    this.telegramUpdates = new Counter({
      name: `${METRIC_PREFIX}telegram_updates_total`,
      help: 'Telegram updates handled (webhook or long polling), by outcome ("error": handling failed and Telegram will retry)',
      labelNames: ['outcome'],
      registers,
    });
    new Gauge({
      name: `${METRIC_PREFIX}socket_connections`,
      help: 'Browser sockets connected to this instance (Socket.IO namespace /auth)',
      registers,
      collect() {
        this.set(gateway.connectionCount);
      },
    });
    this.pushLatency = new Histogram({
      name: `${METRIC_PREFIX}push_latency_seconds`,
      help: 'Time from a Telegram update arriving to the status it caused being emitted to the browser sockets, by status',
      labelNames: ['status'],
      buckets: PUSH_LATENCY_BUCKETS,
      registers,
    });
  }

  onModuleInit(): void {
    this.subscriptions.add(
      this.events.changes.subscribe((change) => this.countChange(change)),
    );
    this.subscriptions.add(
      this.events.deliveries.subscribe((delivery) =>
        this.countDelivery(delivery),
      ),
    );
    this.subscriptions.add(
      this.updates.handled.subscribe((update) => this.countUpdate(update)),
    );
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
  }

  private countChange({ status }: LoginChange): void {
    if (status === 'pending') this.tokensCreated.inc();
    else if (status === 'scanned') this.loginsScanned.inc();
    else if (status === 'authenticated' || status === 'denied')
      this.logins.inc({ result: status });
  }

  private countDelivery({ status, causedAt, emittedAt }: LoginDelivery): void {
    // Expiry is noticed by the gateway's timer, not by a change: the socket being told is the only sign of it.
    if (status === 'expired') this.logins.inc({ result: 'expired' });
    if (causedAt !== undefined)
      this.pushLatency.observe(
        { status },
        Math.max(0, emittedAt - causedAt) / 1000,
      );
  }

  private countUpdate({ outcome }: HandledUpdate): void {
    this.telegramUpdates.inc({ outcome });
  }
}
