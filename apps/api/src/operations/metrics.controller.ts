import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { NoQuery } from '../http/validation';
import { Metrics } from './metrics';

/** Prometheus metrics in the text exposition format. Outside the contract's routes. */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Request rate and latency (`parley_http_requests_total`, `parley_http_request_duration_seconds`), appends (`parley_store_appends_total`, `parley_store_appended_events_total`), projection lag (`parley_projection_lag_events`, `parley_projection_lag_seconds`, `parley_projection_checkpoint`) and the Node.js process defaults.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    schema: { type: 'string' },
  })
  async scrape(
    @NoQuery() _query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    void reply.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
