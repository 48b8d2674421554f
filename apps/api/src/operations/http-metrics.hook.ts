import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Metrics } from './metrics';

const REQUEST_STARTED = Symbol('parley.requestStarted');

/**
 * Answers every request with its `x-request-id`, and counts and times every answer at the Fastify level, so that refusals made before a route runs
 * (bad JSON, 413, 404) are measured too. Routes are labelled by their pattern
 * (`/negotiations/:id/state`), never by the raw URL, to keep the label set small.
 */
@Injectable()
export class HttpMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => {
      // Echo the request id (see requestIdOf) so a client can quote it when reporting a problem.
      void reply.header('x-request-id', request.id);
      (request as unknown as Record<symbol, bigint>)[REQUEST_STARTED] = process.hrtime.bigint();
      done();
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      const started = (request as unknown as Record<symbol, bigint | undefined>)[REQUEST_STARTED];
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? '(unmatched)',
        status: String(reply.statusCode),
      };
      this.metrics.httpRequests.inc(labels);
      if (started !== undefined) {
        this.metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      }
      done();
    });
  }
}
