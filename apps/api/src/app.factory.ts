import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { AppOptions } from './app.module';
import { AppModule } from './app.module';
import { setupOpenApi } from './docs/openapi';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { VALIDATOR_OPTIONS, validationProblem } from './http/validation';
import { requestIdOf } from './operations/logging';
import { serveTimelinePage } from './web/timeline-page';

/** A request body over 1 MiB is refused with 413. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the whole application on an opened store: used by main.ts and by the end-to-end tests. */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, genReqId: requestIdOf });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(options),
    adapter,
    {
      logger: options.logger ?? ['error', 'warn', 'log'],
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(PinoLogger)); // JSON lines with a request id (apps/api/src/operations)
  app.useGlobalPipes(
    new ValidationPipe({
      ...VALIDATOR_OPTIONS,
      transform: true,
      exceptionFactory: validationProblem,
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  setupOpenApi(app); // /docs and /docs-json
  serveTimelinePage(app); // the timeline page at / (web/)
  app.enableShutdownHooks();
  return app;
}
