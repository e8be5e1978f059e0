import { Controller, Get, Header, Inject } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { prometheusContentType, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics.constants.js';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', prometheusContentType)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics of this instance',
    description:
      'Text exposition format for a Prometheus scrape. The metrics are listed in the README ("Operations").',
  })
  @ApiProduces(prometheusContentType)
  @ApiOkResponse({
    description: 'The metrics, one sample per line',
    schema: { type: 'string' },
  })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
