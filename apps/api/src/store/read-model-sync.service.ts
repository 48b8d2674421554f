import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { RecordedDevelopment } from '@parley/domain';
import type { EventStore, StoredEvent, Subscription } from '@parley/event-store';
import { EVENT_STORE } from '@parley/event-store';
import type { NegotiationTimeline } from '@parley/projections';
import { NegotiationReadModel } from '@parley/projections';
import { DevelopmentsRecorded } from './developments-recorded.event';
import { decodeStored } from './development-decoder';
import { negotiationOf, streamOf } from './development-envelope';

const CATCH_UP_BATCH = 1000;

/**
 * Keeps this instance's read model in step with the store: catches up on everything stored
 * before the app starts serving, then follows the store's subscription, so writes made through
 * other instances become visible here too; the write path hands it this instance's own writes
 * after their commit. It applies developments to the read model itself (a projection that
 * throws is logged and fails readiness, never swallowed), then announces them on the EventBus.
 */
@Injectable()
export class ReadModelSync implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReadModelSync.name);
  private subscription?: Subscription;
  private position = -1n;
  /** Why the read model stopped following the store, once a projection threw. */
  private failed?: string;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: NegotiationReadModel,
    private readonly eventBus: EventBus,
  ) {}

  /** Runs at bootstrap, before the app listens. */
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

  /** Why a projection failed, once one did: readiness fails from then on. */
  get failure(): string | undefined {
    return this.failed;
  }

  /**
   * Brings one negotiation's timeline up to the store's latest revision (another instance may
   * have written to it) and returns it, or undefined when the negotiation does not exist.
   */
  async catchUp(negotiationId: string): Promise<NegotiationTimeline | undefined> {
    const timeline = this.readModel.timeline(negotiationId);
    const from = (timeline?.revision ?? -1) + 1;
    const events = await this.store.readStream(streamOf(negotiationId), from);
    if (events.length > 0) this.apply(negotiationId, this.decode(negotiationId, events));
    return this.readModel.timeline(negotiationId);
  }

  /**
   * Applies developments of one negotiation to the read model, then announces them: the write
   * path calls it after the commit and before answering (read-your-writes), the store's
   * subscription for what other instances wrote. A projection that throws is logged with the
   * negotiation and revisions, fails readiness, and is thrown on to the caller.
   */
  apply(
    negotiationId: string,
    developments: readonly RecordedDevelopment[],
    position?: bigint,
  ): void {
    try {
      this.readModel.apply(negotiationId, developments);
    } catch (error) {
      const revisions = `${developments[0]?.revision}..${developments[developments.length - 1]?.revision}`;
      this.failed = `projecting ${negotiationId} revisions ${revisions} threw: ${error instanceof Error ? error.message : String(error)}`;
      this.logger.error(this.failed, error instanceof Error ? error.stack : undefined);
      throw error;
    }
    if (position !== undefined && position > this.readModel.checkpoint) {
      this.readModel.checkpoint = position;
    }
    this.eventBus.publish(new DevelopmentsRecorded(negotiationId, developments, position));
  }

  /**
   * Stored events of one negotiation as developments; an unreadable one is logged, listed and
   * left out of every fold. Each development holds the one `negotiationId` string given, not a
   * copy cut from its stream's name (100k copies at 100k developments).
   */
  private decode(negotiationId: string, events: readonly StoredEvent[]): RecordedDevelopment[] {
    return events.map((event) => {
      const development = decodeStored(event, negotiationId);
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
          this.apply(negotiationId, this.decode(negotiationId, run), last.position);
        }
      }
      this.position = run[run.length - 1]!.position;
      i = j;
    }
  }
}
