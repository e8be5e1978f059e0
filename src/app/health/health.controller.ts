import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis.health.js';
import { ShutdownHealthIndicator } from './shutdown.health.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    private readonly lifecycle: ShutdownHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({
    summary: 'Liveness: the process serves HTTP',
    description:
      'Checks nothing outside the process, so that a Redis outage never gets instances restarted.',
  })
  liveness() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: this instance can serve logins',
    description:
      '503 while Redis (when REDIS_URL is set) does not answer PING within 1 s, and while the instance shuts down.',
  })
  readiness() {
    return this.health.check([
      () => this.lifecycle.isHealthy(),
      ...(this.redis.configured ? [() => this.redis.isHealthy()] : []),
    ]);
  }
}
