import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ShutdownService } from '../shutdown/shutdown.service.js';
import { LIFECYCLE_CHECK } from './health.constants.js';

/** Down while the instance drains for a shutdown, so that load balancers stop sending it work. */
@Injectable()
export class ShutdownHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownService,
  ) {}

  isHealthy(key = LIFECYCLE_CHECK) {
    const check = this.indicators.check(key);
    return this.shutdown.draining
      ? check.down({ message: 'shutting down' })
      : check.up();
  }
}
