import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { performance } from 'node:perf_hooks';
import type { PinoRoot } from './logging';
import { logAnswered, servedRequest } from './logging';
import { Metrics } from './metrics';

/** The app's root pino logger (OperationsModule provides it, made once at start-up). */
export const LOG_ROOT = Symbol('parley.log-root');

/**
 * What every request gets, at the Fastify level, so that refusals made before a route runs (bad
 * JSON, 413, 404) have it too: its `x-request-id` answer header; its log lines carry `reqId`
 * (servedRequest); when its answer ends, it is counted and timed (routes labelled by their
 * pattern, `/negotiations/:id/state`, never the raw URL, to keep the label set small) and its
 * closing log line is written (logging.ts, logAnswered). One hook and one listener a request.
 */
@Injectable()
export class RequestHooks implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: Metrics,
    @Inject(LOG_ROOT) private readonly root: PinoRoot,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const { metrics, root } = this;
    fastify.addHook('onRequest', (request, reply, done) => {
      // Echo the request id (see requestIdOf) so a client can quote it when reporting a problem.
      void reply.header('x-request-id', request.id);
      const started = performance.now();
      // On 'close' rather than Fastify's onResponse, which never comes for an answer written
      // straight to the socket that the client ends (the /live event stream), nor for one whose
      // client went away first (logged, as before, with the status it would have had).
      reply.raw.once('close', () => {
        const ms = performance.now() - started;
        const status = reply.raw.statusCode;
        // Counted once an answer's headers went out.
        if (reply.raw.headersSent) {
          const labels = {
            method: request.method,
            route: request.routeOptions.url ?? '(unmatched)',
            status: String(status),
          };
          metrics.httpRequests.inc(labels);
          metrics.httpDuration.observe(labels, ms / 1000);
        }
        logAnswered(root, request, status, Math.round(ms));
      });
      // What runs from here on for this request (the body's parsing included: Fastify binds its
      // continuation to this context) logs with its id.
      servedRequest.run(request, done);
    });
  }
}
