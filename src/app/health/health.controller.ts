import { Controller, Get } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis.health.js';
import { ShutdownHealthIndicator } from './shutdown.health.js';
import { WebhookHealthIndicator } from './webhook.health.js';
import {
  HEALTH_RESULT_SCHEMA,
  LIVENESS_EXAMPLE,
  NOT_READY_EXAMPLES,
  READY_EXAMPLES,
} from './health.openapi.js';

/** Terminus's no-cache header, without its documentation (ours names our checks: see health.openapi.ts). */
const HEALTH_CHECK = { noCache: true, swaggerDocumentation: false };

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    private readonly lifecycle: ShutdownHealthIndicator,
    private readonly webhook: WebhookHealthIndicator,
  ) {}

  @Get()
  @HealthCheck(HEALTH_CHECK)
  @ApiOperation({
    summary: 'Liveness: the process serves HTTP',
    description:
      'Checks nothing outside the process, so that a Redis outage never gets instances restarted.',
  })
  @ApiOkResponse({
    description: 'The process serves HTTP',
    schema: HEALTH_RESULT_SCHEMA,
    example: LIVENESS_EXAMPLE,
  })
  liveness() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck(HEALTH_CHECK)
  @ApiOperation({
    summary: 'Readiness: this instance can serve logins',
    description:
      '503 while Redis (when REDIS_URL is set) does not answer PING within 1 s, and while the instance shuts down. A bot without WEBHOOK_SECRET (refused in production) stays ready, with a `webhook` check whose `warning` says the webhook is unchecked.',
  })
  @ApiOkResponse({
    description: 'Every check is up',
    schema: HEALTH_RESULT_SCHEMA,
    examples: READY_EXAMPLES,
  })
  @ApiServiceUnavailableResponse({
    description: 'A check is down; `error` names it',
    schema: HEALTH_RESULT_SCHEMA,
    examples: NOT_READY_EXAMPLES,
  })
  readiness() {
    return this.health.check([
      () => this.lifecycle.isHealthy(),
      ...(this.redis.configured ? [() => this.redis.isHealthy()] : []),
      ...(this.webhook.flagged ? [() => this.webhook.isHealthy()] : []),
    ]);
  }
}
