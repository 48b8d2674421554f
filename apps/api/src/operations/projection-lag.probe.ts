import type { OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EventStore } from '@parley/event-store';
import { EVENT_STORE } from '@parley/event-store';
import type { Clock } from '../clock';
import { CLOCK } from '../clock';
import { ReadModelSync } from '../store/read-model-sync.service';
import type { ProjectionLag } from './metrics';
import { Metrics } from './metrics';

/** Lag is counted up to this many events: enough to tell "a little behind" from "far behind". */
export const LAG_COUNT_CAP = 1000;

/** Measures how far this instance's read model is behind the store, for /metrics and readiness. */
@Injectable()
export class ProjectionLagProbe implements OnApplicationBootstrap {
  private sync?: ReadModelSync;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    this.sync = this.moduleRef.get(ReadModelSync, { strict: false });
    this.metrics.measureProjectionLagWith(() => this.measure());
  }

  /** Why the read model stopped following the store, if a projection threw. */
  failure(): string | undefined {
    return this.sync?.failure;
  }

  async measure(): Promise<ProjectionLag> {
    const checkpoint = this.sync?.checkpoint ?? -1n;
    const behind = await this.store.readAll(checkpoint, LAG_COUNT_CAP);
    const oldest = behind[0];
    const seconds = oldest
      ? Math.max(0, (this.clock().getTime() - Date.parse(oldest.recordedAt)) / 1000)
      : 0;
    return { checkpoint, events: behind.length, seconds };
  }
}
