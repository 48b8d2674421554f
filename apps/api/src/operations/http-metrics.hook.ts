import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Metrics } from './metrics';

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
      const started = process.hrtime.bigint();
      // On 'close' rather than Fastify's onResponse, which never comes for an answer written
      // straight to the socket that the client ends (the /live event stream): every answer whose
      // headers went out is counted once, when it ends.
      reply.raw.once('close', () => {
        if (!reply.raw.headersSent) return;
        const labels = {
          method: request.method,
          route: request.routeOptions.url ?? '(unmatched)',
          status: String(reply.raw.statusCode),
        };
        this.metrics.httpRequests.inc(labels);
        this.metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      });
      done();
    });
  }
}
