import { Injectable } from '@nestjs/common';
import type { EventStore } from '@parley/event-store';
import { WrongExpectedRevisionError } from '@parley/event-store';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the projection-lag gauges read when Prometheus scrapes: how far this instance's read model is behind the store. */
export interface ProjectionLag {
  /** The store's global position the read model has applied up to (-1: nothing yet). */
  checkpoint: bigint;
  /** Events in the store after the checkpoint, counted up to a cap. */
  events: number;
  /** Age in seconds of the oldest event not applied yet; 0 when caught up. */
  seconds: number;
}

/** prom-client defaults dropped: see the constructor. */
const SUMS_NAMED_LIKE_COUNTERS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * The app's Prometheus metrics, on a registry of its own (not prom-client's global one), so that
 * several apps in one process (the tests) do not collide.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'parley_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its answer (for the live event stream: how long it stayed open), by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly appends = new Counter({
    name: 'parley_store_appends_total',
    help: 'Appends to the event store, by outcome (ok, conflict: expected revision lost, error)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly appendedEvents = new Counter({
    name: 'parley_store_appended_events_total',
    help: 'Events appended to the event store by this instance, by development type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly liveClients = new Gauge({
    name: 'parley_live_clients',
    help: 'Clients following a negotiation on GET /negotiations/:id/live on this instance',
    registers: [this.registry],
  });

  private lagSource?: () => Promise<ProjectionLag>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters, which Prometheus' naming rules (promtool) refuse; each is the sum
    // of a gauge kept by type (nodejs_active_handles{type} …).
    for (const name of SUMS_NAMED_LIKE_COUNTERS) this.registry.removeSingleMetric(name);
    // Read on every scrape, so they are never stale.
    const lagGauge = (name: string, help: string, read: (lag: ProjectionLag) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect: async function (this: Gauge) {
          const lag = await metricsLag();
          if (lag) this.set(read(lag));
        },
      });
    let pending: Promise<ProjectionLag | undefined> | undefined;
    // The three gauges share one read of the store per scrape.
    const metricsLag = (): Promise<ProjectionLag | undefined> => {
      pending ??= (this.lagSource?.() ?? Promise.resolve(undefined))
        .catch(() => undefined)
        .finally(() => setImmediate(() => (pending = undefined)));
      return pending;
    };
    lagGauge(
      'parley_projection_lag_events',
      'Events in the store not yet applied to this instance’s read model (counted up to 1000)',
      (lag) => lag.events,
    );
    lagGauge(
      'parley_projection_lag_seconds',
      'Age of the oldest event in the store not yet applied to this instance’s read model; 0 when caught up',
      (lag) => lag.seconds,
    );
    lagGauge(
      'parley_projection_checkpoint',
      'Global store position this instance’s read model has applied up to',
      (lag) => Number(lag.checkpoint),
    );
  }

  /** Where the projection-lag gauges read from (set once the read model exists). */
  measureProjectionLagWith(source: () => Promise<ProjectionLag>): void {
    this.lagSource = source;
  }

  /**
   * The store, counting appends. A Proxy rather than a wrapper class, so that whatever the port
   * grows (or an adapter adds) passes through untouched.
   */
  instrumentStore<S extends EventStore>(store: S): S {
    const countAppend = <R extends { events: { type: string }[] }>(
      appending: Promise<R>,
    ): Promise<R> =>
      appending.then(
        (result) => {
          this.appends.inc({ outcome: 'ok' });
          for (const event of result.events) this.appendedEvents.inc({ type: event.type });
          return result;
        },
        (error: unknown) => {
          this.appends.inc({
            outcome: error instanceof WrongExpectedRevisionError ? 'conflict' : 'error',
          });
          throw error;
        },
      );
    return new Proxy(store, {
      get(target, property, receiver): unknown {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (property !== 'append') return method.bind(target);
        return (...args: Parameters<EventStore['append']>) => countAppend(target.append(...args));
      },
    });
  }
}
