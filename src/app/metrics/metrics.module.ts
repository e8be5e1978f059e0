import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module.js';
import { RedisModule } from '../../redis/redis.module.js';
import { TelegramModule } from '../../telegram/telegram.module.js';
import { LoginMetricsService } from './login-metrics.service.js';
import { METRICS_REGISTRY } from './metrics.constants.js';
import { MetricsController } from './metrics.controller.js';
import { RedisMetricsService } from './redis-metrics.service.js';
import { SessionMetricsService } from './session-metrics.service.js';
import { createMetricsRegistry } from './metrics-registry.factory.js';

/** `GET /metrics` for Prometheus: the default process metrics and the login service's own. */
@Module({
  imports: [AuthModule, TelegramModule, RedisModule],
  controllers: [MetricsController],
  providers: [
    { provide: METRICS_REGISTRY, useFactory: createMetricsRegistry },
    LoginMetricsService,
    SessionMetricsService,
    RedisMetricsService,
  ],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule {}
