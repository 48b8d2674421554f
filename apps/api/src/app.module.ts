import type { DynamicModule, LogLevel, OnApplicationShutdown } from '@nestjs/common';
import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { EventStore } from '@parley/event-store';
import { EVENT_STORE } from '@parley/event-store';
import type { Clock } from './clock';
import { CLOCK, systemClock } from './clock';
import type { ParleyConfig } from './config';
import { SecurityModule } from './http/security.module';
import { NegotiationsModule } from './negotiations/negotiations.module';
import type { LoggingOptions } from './operations/logging';
import { Metrics } from './operations/metrics';
import { OperationsModule } from './operations/operations.module';
import { SearchModule } from './search/search.module';

export interface AppOptions {
  config: ParleyConfig;
  /** The opened store; the app closes it when it shuts down. */
  store: EventStore;
  clock?: Clock;
  /** Nest log levels; tests pass false to keep their output readable. */
  logger?: LogLevel[] | false;
  /** Where the JSON log lines go (stdout when unset); tests capture them here. */
  logDestination?: LoggingOptions['logDestination'];
}

/** Closes the store after everything that reads it has stopped (subscriptions close in onModuleDestroy). */
@Injectable()
class StoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({})
class InfrastructureModule {
  static register(options: AppOptions): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: (metrics: Metrics) => metrics.instrumentStore(options.store),
          inject: [Metrics],
        },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: 'PARLEY_CONFIG', useValue: options.config },
        StoreLifecycle,
      ],
      exports: [EVENT_STORE, CLOCK, 'PARLEY_CONFIG'],
    };
  }
}

@Module({})
export class AppModule {
  static register(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        OperationsModule.register(options),
        InfrastructureModule.register(options),
        SecurityModule.register(options.config),
        NegotiationsModule,
        SearchModule,
      ],
    };
  }
}
