import type { DynamicModule } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import type { LoggingOptions } from './logging';
import { AppLogger, logRoot } from './logging';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { ProjectionLagProbe } from './projection-lag.probe';
import { LOG_ROOT, RequestHooks } from './request-hooks';

/**
 * Running Parley: structured logs with a request id, liveness and readiness, Prometheus metrics.
 * Global so that the store can be instrumented where it is provided.
 */
@Global()
@Module({})
export class OperationsModule {
  static register(options: LoggingOptions): DynamicModule {
    const root = logRoot(options);
    return {
      module: OperationsModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        Metrics,
        RequestHooks,
        ProjectionLagProbe,
        { provide: LOG_ROOT, useValue: root },
        { provide: AppLogger, useValue: new AppLogger(root) },
      ],
      exports: [Metrics, AppLogger],
    };
  }
}
