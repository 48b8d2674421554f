import type { DynamicModule } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './health.controller';
import { HttpMetricsHook } from './http-metrics.hook';
import type { LoggingOptions } from './logging';
import { loggingParams } from './logging';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { ProjectionLagProbe } from './projection-lag.probe';

/**
 * Running Parley: structured logs with a request id, liveness and readiness, Prometheus metrics.
 * Global so that the store can be instrumented where it is provided.
 */
@Global()
@Module({})
export class OperationsModule {
  static register(options: LoggingOptions): DynamicModule {
    return {
      module: OperationsModule,
      imports: [
        LoggerModule.forRoot(loggingParams(options)),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [Metrics, HttpMetricsHook, ProjectionLagProbe],
      exports: [Metrics],
    };
  }
}
