import { instantOf } from '@parley/domain';
import type { MessageEvent } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import type { IQueryHandler } from '@nestjs/cqrs';
import { QueryHandler } from '@nestjs/cqrs';
import type { Instant } from '@parley/domain';
import type { TariffPoint } from '@parley/projections';
import {
  NegotiationReadModel,
  changesBetween,
  replay,
  tariffHistory,
  withEvidenceStatus,
} from '@parley/projections';
import type { Observable } from 'rxjs';
import type { Clock } from '../../clock';
import { CLOCK } from '../../clock';
import { Problem } from '../../http/problem';
import { ReadModelSync } from '../../store/read-model-sync.service';
import { listedAt } from '../reading/listed-development';
import type { ChangesAnswer, ReplayPage } from './history.queries';
import { FollowNegotiation, GetChanges, GetTariffHistory, ReplayHistory } from './history.queries';
import { LiveUpdates } from './live-updates.service';
import { timelineOf } from '../timeline-of';

/** `to` defaults to now; `from` may not be after it. */
function rangeOf(
  from: Instant | null,
  to: Instant | null,
  clock: Clock,
): { from: Instant | null; to: Instant } {
  const end = to ?? instantOf(clock());
  if (from !== null && from > end) {
    const message =
      to === null
        ? 'from must not be after to (now, when to is omitted)'
        : 'from must not be after to';
    throw Problem.invalid([{ path: 'from', message }]);
  }
  return { from, to: end };
}

@QueryHandler(GetChanges)
export class GetChangesHandler implements IQueryHandler<GetChanges> {
  constructor(
    private readonly readModel: NegotiationReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    negotiationId,
    from,
    to,
    knownAt,
    minEvidence,
  }: GetChanges): Promise<ChangesAnswer> {
    const range = rangeOf(from, to, this.clock);
    const timeline = timelineOf(this.readModel, negotiationId, knownAt);
    const changes = changesBetween(timeline, {
      ...range,
      knownAt,
      ...(minEvidence === undefined ? {} : { minEvidence }),
    });
    const statusOf = (eventId: string) => timeline.evidenceStatusAt(eventId, changes.revision);
    return {
      ...changes,
      developments: changes.developments.map((d) => listedAt(timeline, d, changes.revision)),
      // Tariff lines before and after, and any entry with an eventId the changes list.
      tariffs: withEvidenceStatus(changes.tariffs, statusOf),
      tradeMeasures: withEvidenceStatus(changes.tradeMeasures, statusOf),
    };
  }
}

@QueryHandler(GetTariffHistory)
export class GetTariffHistoryHandler implements IQueryHandler<GetTariffHistory> {
  constructor(
    private readonly readModel: NegotiationReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: GetTariffHistory): Promise<TariffPoint[]> {
    const { negotiationId, imposedBy, appliedTo, from, to, knownAt, minEvidence, product } = query;
    const range = rangeOf(from, to, this.clock);
    const timeline = timelineOf(this.readModel, negotiationId, knownAt);
    const points = tariffHistory(timeline, {
      imposedBy,
      appliedTo,
      ...range,
      knownAt,
      ...(minEvidence === undefined ? {} : { minEvidence }),
      ...(product === undefined ? {} : { product }),
    });
    // The lines of each point are tariff lines as /tariffs shows them: with their evidence status.
    const known = timeline.revisionKnownAt(knownAt);
    return withEvidenceStatus(points, (eventId) => timeline.evidenceStatusAt(eventId, known));
  }
}

@QueryHandler(ReplayHistory)
export class ReplayHistoryHandler implements IQueryHandler<ReplayHistory> {
  constructor(
    private readonly readModel: NegotiationReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    negotiationId,
    from,
    to,
    knownAt,
    after,
    limit,
    minEvidence,
  }: ReplayHistory): Promise<ReplayPage> {
    const range = rangeOf(from, to, this.clock);
    const timeline = timelineOf(this.readModel, negotiationId, knownAt);
    const page = replay(timeline, {
      ...range,
      knownAt,
      ...(after ? { after } : {}),
      limit,
      ...(minEvidence === undefined ? {} : { minEvidence }),
    });
    const known = timeline.revisionKnownAt(knownAt);
    const last = page.items[page.items.length - 1]?.development;
    return {
      items: page.items.map(({ development, state }) => ({
        development: listedAt(timeline, development, known),
        state,
      })),
      last: last && { occurredAt: last.occurredAt, revision: last.revision },
      hasMore: page.hasMore,
    };
  }
}

@QueryHandler(FollowNegotiation)
export class FollowNegotiationHandler implements IQueryHandler<FollowNegotiation> {
  constructor(
    private readonly sync: ReadModelSync,
    private readonly live: LiveUpdates,
  ) {}

  async execute({
    negotiationId,
    lastEventId,
  }: FollowNegotiation): Promise<Observable<MessageEvent>> {
    // Another instance may have opened or extended it since this one last heard from the store.
    if (!(await this.sync.catchUp(negotiationId))) throw Problem.notFound(negotiationId);
    return this.live.follow(negotiationId, lastEventId);
  }
}

export const HISTORY_QUERY_HANDLERS = [
  GetChangesHandler,
  GetTariffHistoryHandler,
  ReplayHistoryHandler,
  FollowNegotiationHandler,
];
