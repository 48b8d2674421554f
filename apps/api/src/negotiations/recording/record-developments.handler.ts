import { Inject } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import { CommandHandler } from '@nestjs/cqrs';
import type { Development, RecordedDevelopment } from '@parley/domain';
import { DomainError, decide } from '@parley/domain';
import type { EventStore } from '@parley/event-store';
import {
  DuplicateEventIdError,
  EVENT_STORE,
  WrongExpectedRevisionError,
} from '@parley/event-store';
import type { NegotiationTimeline } from '@parley/projections';
import type { Clock } from '../../clock';
import { CLOCK } from '../../clock';
import { Problem } from '../../http/problem';
import { contentOf, streamOf, toNewEvent, toRecorded } from '../../store/development-envelope';
import { ReadModelSync } from '../../store/read-model-sync.service';
import { NegotiationLock } from '../negotiation-lock';
import type { RecordDevelopmentsResult, RecordedResult } from './record-developments.command';
import { RecordDevelopments } from './record-developments.command';

/** How often a decision is retried after losing a race to another instance. */
const MAX_ATTEMPTS = 5;

const answerOf = (d: RecordedDevelopment): RecordedResult => ({
  eventId: d.eventId,
  negotiationId: d.negotiationId,
  revision: d.revision,
  recordedAt: d.recordedAt,
});

/** Load, fold, decide, append with the loaded revision, publish: the write path of DESIGN.md. */
@CommandHandler(RecordDevelopments)
export class RecordDevelopmentsHandler implements ICommandHandler<RecordDevelopments> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sync: ReadModelSync,
    private readonly lock: NegotiationLock,
  ) {}

  execute(command: RecordDevelopments): Promise<RecordDevelopmentsResult> {
    return this.lock.run(command.negotiationId, () => this.record(command));
  }

  private async record(command: RecordDevelopments): Promise<RecordDevelopmentsResult> {
    const { negotiationId, developments, expectedRevision } = command;
    for (let attempt = 1; ; attempt++) {
      const timeline = await this.sync.catchUp(negotiationId);
      if (!timeline) throw Problem.notFound(negotiationId);
      const retry = this.alreadyRecorded(command, timeline);
      if (retry) return retry;
      if (expectedRevision !== undefined && expectedRevision !== timeline.revision) {
        throw new WrongExpectedRevisionError(
          streamOf(negotiationId),
          expectedRevision,
          timeline.revision,
        );
      }
      const decided = this.decideAll(command, timeline);
      try {
        const appended = await this.store.append(
          streamOf(negotiationId),
          decided.map(toNewEvent),
          timeline.revision,
        );
        const recorded = appended.events.map(toRecorded);
        this.sync.publish(negotiationId, recorded);
        return { created: true, revision: appended.revision, results: recorded.map(answerOf) };
      } catch (error) {
        if (
          error instanceof WrongExpectedRevisionError &&
          expectedRevision === undefined &&
          attempt < MAX_ATTEMPTS
        ) {
          continue;
        }
        if (error instanceof WrongExpectedRevisionError) {
          throw new WrongExpectedRevisionError(
            error.stream,
            expectedRevision ?? timeline.revision,
            error.actual,
          );
        }
        if (
          error instanceof DuplicateEventIdError &&
          error.existing.stream === streamOf(negotiationId)
        ) {
          continue; // stored meanwhile through another instance: the next round answers it as a retry
        }
        if (error instanceof DuplicateEventIdError) {
          throw new DomainError(
            'event-id-reused',
            'conflict',
            `eventId ${error.eventId} is already used by a development of another negotiation`,
            this.pathOf(
              command,
              developments.findIndex((d) => d.eventId === error.eventId),
              'eventId',
            ),
          );
        }
        throw error;
      }
    }
  }

  /**
   * Idempotency on eventId: the same id with the same content answers as the first time and
   * appends nothing; the same id with other content is a conflict.
   */
  private alreadyRecorded(
    command: RecordDevelopments,
    timeline: NegotiationTimeline,
  ): RecordDevelopmentsResult | undefined {
    const existing = command.developments.map((d) => timeline.eventById(d.eventId));
    if (existing.every((e) => e === undefined)) return undefined;
    command.developments.forEach((development, i) => {
      const stored = existing[i];
      if (stored && contentOf(stored) !== contentOf(development)) {
        throw new DomainError(
          'event-id-reused',
          'conflict',
          `eventId ${development.eventId} is already recorded with other content (revision ${stored.revision})`,
          this.pathOf(command, i, 'eventId'),
        );
      }
    });
    const missing = existing.findIndex((e) => e === undefined);
    if (missing >= 0) {
      throw new DomainError(
        'event-id-reused',
        'conflict',
        'some developments of this batch are already recorded and others are not; post the missing ones on their own',
        this.pathOf(
          command,
          existing.findIndex((e) => e !== undefined),
          'eventId',
        ),
      );
    }
    const recorded = existing as RecordedDevelopment[];
    return {
      created: false,
      revision: Math.max(...recorded.map((r) => r.revision)),
      results: recorded.map(answerOf),
    };
  }

  /** Decides each development against the situation it lands in, earlier members of a batch included. */
  private decideAll(command: RecordDevelopments, timeline: NegotiationTimeline): Development[] {
    const now = this.clock().toISOString();
    const working = command.developments.length > 1 ? timeline.clone() : timeline;
    const decided: Development[] = [];
    command.developments.forEach((development, i) => {
      let events: Development[];
      try {
        events = decide({ development, now }, working.situationAt(development.occurredAt));
      } catch (error) {
        throw error instanceof DomainError && command.asBatch ? error.at(`events[${i}]`) : error;
      }
      decided.push(...events);
      if (working !== timeline) {
        working.append(
          events.map((e, k): RecordedDevelopment => ({
            ...e,
            negotiationId: command.negotiationId,
            revision: working.revision + 1 + k,
            recordedAt: now,
          })),
        );
      }
    });
    return decided;
  }

  private pathOf(command: RecordDevelopments, index: number, field: string): string {
    return command.asBatch ? `events[${Math.max(index, 0)}].${field}` : field;
  }
}
