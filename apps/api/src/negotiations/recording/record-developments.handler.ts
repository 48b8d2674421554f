import { Inject } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import { CommandHandler } from '@nestjs/cqrs';
import type { DecisionModel, Development, RecordedDevelopment } from '@parley/domain';
import { DomainError, decide, instantOf } from '@parley/domain';
import type { AppendResult, EventStore } from '@parley/event-store';
import {
  DuplicateEventIdError,
  EVENT_STORE,
  WrongExpectedRevisionError,
} from '@parley/event-store';
import type { NegotiationTimeline } from '@parley/projections';
import { NegotiationReadModel } from '@parley/projections';
import type { Clock } from '../../clock';
import { CLOCK } from '../../clock';
import { Problem } from '../../http/problem';
import { contentOf, streamOf, toNewEvent, toRecorded } from '../../store/development-envelope';
import { recordedAtOf } from '../../store/development-decoder';
import { ReadModelSync } from '../../store/read-model-sync.service';
import { NegotiationLock } from '../negotiation-lock';
import type { RecordDevelopmentsResult, RecordedResult } from './record-developments.command';
import { RecordDevelopments } from './record-developments.command';
import type { Flight } from './write-pipeline';
import { WritePipeline } from './write-pipeline';

/** How often a decision is retried after losing a race to another instance. */
const MAX_ATTEMPTS = 5;
/** Retries after an append decided on top of another one that failed do not count, up to this many. */
const MAX_ROUNDS = 50;

const answerOf = (d: RecordedDevelopment): RecordedResult => ({
  eventId: d.eventId,
  negotiationId: d.negotiationId,
  revision: d.revision,
  recordedAt: d.recordedAt,
});

/** Retries that ran out: nothing was recorded, and trying again later may succeed. */
const racesLost = (negotiationId: string): Problem =>
  new Problem(
    503,
    'write-contended',
    'Too many concurrent writes',
    `Negotiation ${negotiationId} kept changing under this write (other instances writing to it); nothing was recorded: try again.`,
  );

/** What the decision step under the lock ends with: an answer, or an append in flight. */
type Decided =
  | { answer: RecordDevelopmentsResult }
  | { appending: Promise<AppendResult>; flight: Flight; pipeline: WritePipeline };

/**
 * Load, fold, decide, append with the loaded revision, publish: the write path of DESIGN.md.
 *
 * Pipelined: under the negotiation's lock a development is decided against what is committed
 * plus what this instance has decided and not yet committed, its append is made and the lock is
 * released; the answer waits for the commit. So posts to one negotiation that arrive together
 * are group-committed together, and every answered development is durable. If an append fails,
 * it and those decided on top of it are forgotten and decided again.
 */
@CommandHandler(RecordDevelopments)
export class RecordDevelopmentsHandler implements ICommandHandler<RecordDevelopments> {
  private readonly pipelines = new Map<string, WritePipeline>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sync: ReadModelSync,
    private readonly lock: NegotiationLock,
    private readonly readModel: NegotiationReadModel,
  ) {}

  async execute(command: RecordDevelopments): Promise<RecordDevelopmentsResult> {
    const { negotiationId, developments, expectedRevision } = command;
    for (let attempt = 1, round = 1; ; round++) {
      const decided = await this.lock.run(negotiationId, () => this.decideAndAppend(command));
      if ('answer' in decided) return decided.answer;
      const { appending, flight, pipeline } = decided;
      try {
        const appended = await appending;
        return this.committed(negotiationId, flight, pipeline, appended);
      } catch (error) {
        // Voided by an earlier append that failed: not a race this command lost.
        const voided = !pipeline.holds(flight);
        pipeline.failed(flight);
        flight.land();
        if (voided && round < MAX_ROUNDS && expectedRevision === undefined) continue;
        if (
          error instanceof WrongExpectedRevisionError &&
          expectedRevision === undefined &&
          attempt++ < MAX_ATTEMPTS
        ) {
          continue;
        }
        if (error instanceof WrongExpectedRevisionError) {
          // The client's own expectation is the only revision a 409 may name; lost races that
          // ran out of retries are the server's trouble, not a conflict the client caused.
          if (expectedRevision === undefined) throw racesLost(negotiationId);
          throw new WrongExpectedRevisionError(error.stream, expectedRevision, error.actual);
        }
        if (
          error instanceof DuplicateEventIdError &&
          error.existing.stream === streamOf(negotiationId)
        ) {
          // Stored meanwhile through another instance: the next round answers it as a retry.
          if (round < MAX_ROUNDS) continue;
          throw racesLost(negotiationId);
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

  /** Under the lock: decide against committed + in-flight developments and make the append. */
  private async decideAndAppend(command: RecordDevelopments): Promise<Decided> {
    const { negotiationId, developments, expectedRevision } = command;
    let pipeline = this.pipelines.get(negotiationId);
    if (!pipeline) this.pipelines.set(negotiationId, (pipeline = new WritePipeline()));
    const pipelining = this.store.checksLastEventId === true;
    // A client's expected revision and a retried eventId are judged against what is committed.
    if (
      !pipelining ||
      expectedRevision !== undefined ||
      developments.some((d) => pipeline.isPending(d.eventId))
    ) {
      await pipeline.drained();
    }
    let committed: NegotiationTimeline | undefined;
    let model: DecisionModel | undefined;
    for (;;) {
      // Read what other instances wrote only when nothing of ours is in flight: under load the
      // store is not read per post, and an append made on a stale view fails and is decided again.
      committed =
        pipeline.inFlight > 0 && pipelining
          ? this.readModel.timeline(negotiationId)
          : await this.sync.catchUp(negotiationId);
      if (!committed) throw Problem.notFound(negotiationId);
      model = pipeline.decisionModel(committed);
      if (model) break;
      await pipeline.drained(); // another instance wrote under our appends in flight
    }
    const retry = this.alreadyRecorded(command, committed);
    if (retry) return { answer: retry };
    if (expectedRevision !== undefined && expectedRevision !== committed.revision) {
      throw new WrongExpectedRevisionError(
        streamOf(negotiationId),
        expectedRevision,
        committed.revision,
      );
    }
    const expected = model.revision;
    const lastEventId = model.at(expected)?.eventId;
    const { decided, recorded } = this.decideAll(command, model);
    const appending = this.store.append(
      streamOf(negotiationId),
      decided.map(toNewEvent),
      expected,
      pipelining && lastEventId !== undefined ? { expectedLastEventId: lastEventId } : undefined,
    );
    return { appending, flight: pipeline.launch(recorded), pipeline };
  }

  /** The append committed: the developments are durable; make them visible here, then answer. */
  private async committed(
    negotiationId: string,
    flight: Flight,
    pipeline: WritePipeline,
    appended: AppendResult,
  ): Promise<RecordDevelopmentsResult> {
    try {
      pipeline.committed(flight);
      const recorded = appended.events.map((stored, i) => {
        const decided = flight.developments[i];
        if (
          !decided ||
          decided.eventId !== stored.eventId ||
          decided.revision !== stored.revision
        ) {
          return toRecorded(stored);
        }
        // The very object the write side decided on, now with the time the store recorded it.
        decided.recordedAt = recordedAtOf(stored);
        return decided;
      });
      this.sync.apply(negotiationId, recorded);
      // Read-your-writes: if the read model missed an earlier revision, read it from the store.
      if ((this.readModel.timeline(negotiationId)?.revision ?? -1) < appended.revision) {
        await this.sync.catchUp(negotiationId);
      }
      return { created: true, revision: appended.revision, results: recorded.map(answerOf) };
    } finally {
      flight.land();
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

  /**
   * Decides each development against the situation it lands in, earlier members of a batch
   * included, appending each to `model` as it goes; on a refusal the model is as before.
   */
  private decideAll(
    command: RecordDevelopments,
    model: DecisionModel,
  ): { decided: Development[]; recorded: RecordedDevelopment[] } {
    const now = instantOf(this.clock());
    const before = model.revision;
    const decided: Development[] = [];
    const recorded: RecordedDevelopment[] = [];
    try {
      command.developments.forEach((development, i) => {
        let events: Development[];
        try {
          events = decide({ development, now }, model.situationAt(development.occurredAt));
        } catch (error) {
          throw error instanceof DomainError && command.asBatch ? error.at(`events[${i}]`) : error;
        }
        const placed = events.map((e, k): RecordedDevelopment => ({
          ...e,
          negotiationId: command.negotiationId,
          revision: model.revision + 1 + k,
          // A placeholder while in flight (no decision reads it): the store's RecordingClock
          // decides the stamp, set on commit.
          recordedAt: now,
        }));
        model.append(placed);
        decided.push(...events);
        recorded.push(...placed);
      });
    } catch (error) {
      model.dropAfter(before);
      throw error;
    }
    return { decided, recorded };
  }

  private pathOf(command: RecordDevelopments, index: number, field: string): string {
    return command.asBatch ? `events[${Math.max(index, 0)}].${field}` : field;
  }
}
