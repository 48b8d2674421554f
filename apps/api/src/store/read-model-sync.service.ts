import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { RecordedDevelopment } from '@parley/domain';
import type { EventStore, StoredEvent, Subscription } from '@parley/event-store';
import { EVENT_STORE } from '@parley/event-store';
import type { NegotiationTimeline } from '@parley/projections';
import { DevelopmentsRecorded, NegotiationReadModel } from '@parley/projections';
import { negotiationOf, streamOf, toRecorded } from './development-envelope';

const CATCH_UP_BATCH = 5000;

/**
 * Keeps this instance's read model in step with the store: catches up on everything stored
 * before the app starts serving, then follows the store's subscription, so writes made through
 * other instances become visible here too.
 */
@Injectable()
export class ReadModelSync implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReadModelSync.name);
  private subscription?: Subscription;
  private position = -1n;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: NegotiationReadModel,
    private readonly eventBus: EventBus,
  ) {}

  /**
   * Runs at bootstrap, after CqrsModule has registered the event handlers (it does so in its own
   * bootstrap hook, which Nest calls first because NegotiationsModule imports it), and before
   * the app listens.
   */
  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    let count = 0;
    for (;;) {
      const batch = await this.store.readAll(this.position, CATCH_UP_BATCH);
      if (batch.length === 0) break;
      await this.applyStored(batch);
      count += batch.length;
    }
    this.logger.log(`caught up on ${count} stored events in ${Date.now() - started} ms`);
    this.subscription = this.store.subscribeToAll(this.position, (events) =>
      this.applyStored(events),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
  }

  /** The global store position this instance has applied up to. */
  get checkpoint(): bigint {
    return this.position;
  }

  /**
   * Brings one negotiation's timeline up to the store's latest revision (another instance may
   * have written to it) and returns it, or undefined when the negotiation does not exist.
   */
  async catchUp(negotiationId: string): Promise<NegotiationTimeline | undefined> {
    const timeline = this.readModel.timeline(negotiationId);
    const from = (timeline?.revision ?? -1) + 1;
    const events = await this.store.readStream(streamOf(negotiationId), from);
    if (events.length > 0) this.publish(negotiationId, this.decode(events));
    return this.readModel.timeline(negotiationId);
  }

  /** Makes freshly appended developments visible to reads on this instance before the write is answered. */
  publish(
    negotiationId: string,
    developments: readonly RecordedDevelopment[],
    position?: bigint,
  ): void {
    this.eventBus.publish(new DevelopmentsRecorded(negotiationId, developments, position));
  }

  /** Stored events as developments; an unreadable one is logged, listed and left out of every fold. */
  private decode(events: readonly StoredEvent[]): RecordedDevelopment[] {
    return events.map((event) => {
      const development = toRecorded(event);
      if (development.type === 'DevelopmentUnreadable') {
        this.logger.error(
          `unreadable development in ${event.stream} at revision ${event.revision} (eventId ${event.eventId}), ` +
            `listed but left out of every fold: ${development.data.reason}`,
        );
      }
      return development;
    });
  }

  private async applyStored(events: readonly StoredEvent[]): Promise<void> {
    let i = 0;
    while (i < events.length) {
      // One publication per run of consecutive events of the same stream.
      const stream = events[i]!.stream;
      let j = i;
      while (j < events.length && events[j]!.stream === stream) j++;
      const run = events.slice(i, j);
      const negotiationId = negotiationOf(stream);
      if (negotiationId !== undefined) {
        const last = run[run.length - 1]!;
        const timeline = this.readModel.timeline(negotiationId);
        if (timeline && last.revision <= timeline.revision) {
          // Already applied: this instance's own writes, published before they were answered.
          if (last.position > this.readModel.checkpoint) this.readModel.checkpoint = last.position;
        } else if (timeline && run[0]!.revision > timeline.revision + 1) {
          await this.catchUp(negotiationId);
        } else {
          this.publish(negotiationId, this.decode(run), last.position);
        }
      }
      this.position = run[run.length - 1]!.position;
      i = j;
    }
  }
}
