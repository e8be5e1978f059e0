import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisModule } from '../../redis/redis.module.js';
import { HealthController } from './health.controller.js';
import { RedisHealthIndicator } from './redis.health.js';
import { ShutdownHealthIndicator } from './shutdown.health.js';
import { WebhookHealthIndicator } from './webhook.health.js';

/** `GET /health` (liveness) and `GET /health/ready` (readiness) for orchestrators and load balancers. */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), RedisModule],
  controllers: [HealthController],
  providers: [
    RedisHealthIndicator,
    ShutdownHealthIndicator,
    WebhookHealthIndicator,
  ],
})
export class HealthModule {}
