import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import compress from '@fastify/compress';
import type { AppOptions } from './app.module';
import { AppModule } from './app.module';
import { setupOpenApi } from './docs/openapi';
import { LiveUpdates } from './negotiations/history/live-updates.service';
import type { Server } from 'node:http';
import { AnswerBudgets } from './http/answer-budgets';
import { validateReads } from './http/http-caching';
import { DEFAULT_HTTP_LIMITS } from './http/http-limits';
import { capConnections, connectionCap, openFilesLimit } from './http/connection-cap';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { addSecurityHeaders } from './http/security-headers';
import {
  answerClientError,
  answerFrameworkError,
  hardenRequestParsing,
} from './http/request-parsing';
import { VALIDATOR_OPTIONS, validationProblem } from './http/validation';
import { AppLogger, requestIdOf } from './operations/logging';
import { serveEmbedPage } from './web/embed-page';
import { serveTimelinePage } from './web/timeline-page';

/** A request body over 1 MiB is refused with 413. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Answers from this size on are compressed when the client accepts br or gzip. */
export const COMPRESS_FROM_BYTES = 1024;

/** Answer headers a browser script may read, beyond the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = [
  'x-request-id',
  'Retry-After',
  'ETag',
  'Location',
  'Allow',
  'WWW-Authenticate',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  // CSV answers (http/csv.ts): the next page's address, and the file's name for a download.
  'Link',
  'Content-Disposition',
];

/**
 * Makes app.close() graceful: the HTTP server stops taking requests and lets those in flight
 * finish (live streams are ended, they would hold it open) while everything they use still runs;
 * only then the module hooks run, which stop the CQRS buses and subscriptions and close the
 * store last. (Nest's own order runs those hooks first: a request still in flight then decided
 * and answered on a read model no longer kept up to date.) main.ts calls it on SIGTERM/SIGINT.
 */
function closeHttpFirst(app: NestFastifyApplication, drainMs: number): void {
  // Nest's own close, from the prototype: `app.close` read through Nest's Proxy looks the method
  // up again at each call, so once replaced it would call the replacement.
  const prototype = Object.getPrototypeOf(app) as NestFastifyApplication;
  const close = prototype.close.bind(app);
  // Nest's close closes the HTTP adapter again: it gets the same closing (Fastify closes once).
  const adapter = app.getHttpAdapter();
  const closeAdapter = adapter.close.bind(adapter) as () => Promise<unknown>;
  let adapterClosing: Promise<unknown> | undefined;
  adapter.close = () => (adapterClosing ??= closeAdapter());
  let closing: Promise<void> | undefined;
  const graceful = (): Promise<void> =>
    (closing ??= (async () => {
      app.get(LiveUpdates, { strict: false }).endStreams();
      await drainWithin(app, drainMs);
      await close();
    })());
  // Defined, not assigned: the application Nest returns is a Proxy whose `set` trap assigns
  // nothing (an `app.close = …` is silently lost); defineProperty reaches the application itself.
  Object.defineProperty(app, 'close', { value: graceful, configurable: true, writable: true });
}

/**
 * Stops the HTTP server, waiting at most `drainMs` for the requests in flight: a client that
 * sends its body a byte at a time must not hold a stop for minutes. The connections still open
 * then are closed (their requests were not answered, nothing of theirs was acknowledged).
 */
async function drainWithin(app: NestFastifyApplication, drainMs: number): Promise<void> {
  const stopped = app.getHttpAdapter().close() as Promise<void>;
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([
    stopped.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), drainMs))),
  ]);
  clearTimeout(timer);
  if (!late) return;
  const server: Server = app.getHttpServer();
  server.getConnections((_error, count) =>
    new Logger('Parley').warn(
      `stopping: ${count} connection(s) still open after ${drainMs} ms (SHUTDOWN_DRAIN_MS) are closed unanswered`,
    ),
  );
  server.closeAllConnections();
  await stopped;
}

/** Builds the whole application on an opened store: used by main.ts and by the end-to-end tests. */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const limits = options.config.http ?? DEFAULT_HTTP_LIMITS;
  // return503OnClosing: false, so that a request already received when a graceful stop begins is served.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Time a client may take (http/http-limits.ts): Fastify's defaults wait for a slow body forever.
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often Node looks for requests past their timeouts (its default, 30 s, adds up to that).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    genReqId: requestIdOf,
    return503OnClosing: false,
    frameworkErrors: answerFrameworkError, // bad URL encoding: problem+json too
    clientErrorHandler: answerClientError, // a URL over 16 KiB: 431 problem+json
    // No Nest middleware (the request hooks are Fastify's, operations/request-hooks.ts): without
    // @fastify/middie no request pays for running an empty chain of them.
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(options),
    adapter,
    {
      logger: options.logger ?? ['error', 'warn', 'log'],
      bufferLogs: true,
      bodyParser: false, // hardenRequestParsing installs the only body parser: UTF-8 JSON
    },
  );
  hardenRequestParsing(app); // http/request-parsing.ts: what is refused before validation
  // Unread answers are bounded per connection and in all (http/answer-budgets.ts). Opening a
  // negotiation and recording one development answer a few hundred bytes: their bytes are not
  // counted (every other rule holds for them).
  new AnswerBudgets(limits).install(app.getHttpAdapter().getInstance(), {
    smallAnswers: [
      { method: 'POST', url: '/negotiations' },
      { method: 'POST', url: '/negotiations/:id/events' },
    ],
  });
  // No more connections than the open-files limit leaves room for (http/connection-cap.ts).
  capConnections(
    app.getHttpAdapter().getInstance().server,
    connectionCap(limits.maxConnections, openFilesLimit()),
  );
  app.useLogger(app.get(AppLogger)); // JSON lines with a request id (apps/api/src/operations)
  app.useGlobalPipes(
    new ValidationPipe({
      ...VALIDATOR_OPTIONS,
      transform: true,
      exceptionFactory: validationProblem,
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  // Security headers on every answer. The API answers JSON, and the timeline page sets its own
  // content security policy (apps/api/src/web), so helmet's default one is left off here.
  addSecurityHeaders(app.getHttpAdapter().getInstance(), { contentSecurityPolicy: false });
  validateReads(app.getHttpAdapter().getInstance()); // ETag, 304, Cache-Control on JSON reads
  // Before any route is added (it hooks each route as it is added); after validateReads, so that
  // the ETag is of the body itself. Event streams are never compressed (written past Fastify).
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: COMPRESS_FROM_BYTES,
    globalDecompression: false, // request bodies stay plain JSON (http/request-parsing.ts)
  });
  const corsOrigins = options.config.corsOrigins ?? [];
  if (corsOrigins.length > 0) {
    app.enableCors({ origin: corsOrigins, exposedHeaders: CORS_EXPOSED_HEADERS });
  }
  setupOpenApi(app); // /docs and /docs-json
  serveTimelinePage(app); // the timeline page at / (web/)
  serveEmbedPage(app, options.config); // the embeddable chart, the one framable route
  closeHttpFirst(app, limits.shutdownDrainMs);
  return app;
}
