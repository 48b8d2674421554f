import type { Instant, MinEvidence } from '@parley/domain';
import { instantOf } from '@parley/domain';
import { Inject } from '@nestjs/common';
import type { IQueryHandler } from '@nestjs/cqrs';
import { QueryHandler } from '@nestjs/cqrs';
import type {
  Deadline,
  NegotiationState,
  NegotiationSummary,
  NegotiationTimeline,
  Perspective,
  TariffPair,
} from '@parley/projections';
import { NegotiationReadModel, deadlinesOf, withApplicable } from '@parley/projections';
import type { Clock } from '../../clock';
import { CLOCK } from '../../clock';
import { Problem } from '../../http/problem';
import { isKnownAt, timelineOf } from '../timeline-of';
import type { DevelopmentPage, StateAnswer, TariffView } from './negotiation-queries';
import {
  GetDeadlines,
  GetNegotiation,
  GetState,
  GetTariffs,
  ListDeadlinesAcross,
  ListDevelopments,
  ListNegotiations,
  ListTariffsAcross,
} from './negotiation-queries';

/**
 * The state with `evidenceStatus` on each item that names the development behind it (tariff lines,
 * trade measures and their entries), as known at the state's revision. Added to copies: the
 * state's items are shared with the timeline's snapshots (and the copies between answers).
 */
function withEvidenceStatusAt(
  timeline: NegotiationTimeline,
  state: NegotiationState,
): NegotiationState {
  return {
    ...state,
    tariffs: timeline.withEvidenceStatusAt(state.tariffs, state.revision),
    tradeMeasures: timeline.withEvidenceStatusAt(state.tradeMeasures, state.revision),
  };
}

@QueryHandler(ListNegotiations)
export class ListNegotiationsHandler implements IQueryHandler<ListNegotiations> {
  constructor(private readonly readModel: NegotiationReadModel) {}

  async execute(): Promise<NegotiationSummary[]> {
    return this.readModel
      .negotiationIds()
      .map((id) => this.readModel.timeline(id)?.summary())
      .filter((s): s is NegotiationSummary => s !== undefined);
  }
}

@QueryHandler(GetNegotiation)
export class GetNegotiationHandler implements IQueryHandler<GetNegotiation> {
  constructor(private readonly readModel: NegotiationReadModel) {}

  async execute({ negotiationId }: GetNegotiation): Promise<NegotiationSummary> {
    const summary = timelineOf(this.readModel, negotiationId).summary();
    if (!summary) throw Problem.notFound(negotiationId);
    return summary;
  }
}

/**
 * The state on `asOf` as known at `knownAt`, its tariffs read as `view` says (as finally decided
 * on `effectiveOn`, the rest of the state as of that date; with what a product pays), each item
 * with its evidence status.
 */
function stateAnswer(
  timeline: NegotiationTimeline,
  perspective: Perspective,
  view: TariffView,
): StateAnswer {
  const { effectiveOn, product } = view;
  const state = timeline.stateAt(
    effectiveOn === undefined ? perspective : { ...perspective, asOf: effectiveOn },
  );
  const tariffs =
    effectiveOn === undefined
      ? state.tariffs
      : timeline.tariffsEffectiveOn(effectiveOn, perspective.knownAt, perspective.minEvidence);
  return {
    ...withEvidenceStatusAt(timeline, { ...state, tariffs: withApplicable(tariffs, product) }),
    ...(effectiveOn === undefined ? {} : { effectiveOn }),
  };
}

/**
 * `stateAnswer(…).tariffs`, folding and showing only the tariffs (`GET …/tariffs`, and each
 * negotiation of `GET /tariffs`): the rest of the state, which grows with the history, is not made.
 */
function tariffsAnswer(
  timeline: NegotiationTimeline,
  perspective: Perspective,
  view: TariffView,
): readonly TariffPair[] {
  const { effectiveOn, product } = view;
  const tariffs =
    effectiveOn === undefined
      ? timeline.tariffsAt(perspective)
      : timeline.tariffsEffectiveOn(effectiveOn, perspective.knownAt, perspective.minEvidence);
  // As known at the revision the state would have (withEvidenceStatusAt).
  const known = timeline.revisionKnownAt(perspective.knownAt);
  return timeline.withEvidenceStatusAt(withApplicable(tariffs, product), known);
}

/** What a query looks at: `asOf` (null: now), `knownAt`, `minEvidence`. */
interface PerspectiveQuery {
  readonly asOf: Instant | null;
  readonly knownAt: Instant | null;
  readonly minEvidence?: MinEvidence | undefined;
}

/** The perspective of a query: `asOf` null means now. */
function perspectiveOf(
  { asOf, knownAt, minEvidence }: PerspectiveQuery,
  clock: Clock,
): Perspective {
  return {
    asOf: asOf ?? instantOf(clock()),
    knownAt,
    ...(minEvidence === undefined ? {} : { minEvidence }),
  };
}

/** One negotiation's timeline and the query's perspective on it; 404 unless it was recorded by knownAt. */
function negotiationAt(
  readModel: NegotiationReadModel,
  query: PerspectiveQuery & { readonly negotiationId: string },
  clock: Clock,
): { timeline: NegotiationTimeline; perspective: Perspective } {
  const timeline = timelineOf(readModel, query.negotiationId, query.knownAt);
  return { timeline, perspective: perspectiveOf(query, clock) };
}

@QueryHandler(GetState)
export class GetStateHandler implements IQueryHandler<GetState> {
  constructor(
    private readonly readModel: NegotiationReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: GetState): Promise<StateAnswer> {
    const { timeline, perspective } = negotiationAt(this.readModel, query, this.clock);
    return stateAnswer(timeline, perspective, query.tariffView);
  }
}

@QueryHandler(GetTariffs)
export class GetTariffsHandler implements IQueryHandler<GetTariffs> {
  constructor(
    private readonly readModel: NegotiationReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: GetTariffs): Promise<readonly TariffPair[]> {
    const { timeline, perspective } = negotiationAt(this.readModel, query, this.clock);
    return tariffsAnswer(timeline, perspective, query.tariffView);
  }
}

@QueryHandler(GetDeadlines)
export class GetDeadlinesHandler implements IQueryHandler<GetDeadlines> {
  constructor(
    private readonly readModel: NegotiationReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: GetDeadlines): Promise<Deadline[]> {
    const { timeline, perspective } = negotiationAt(this.readModel, query, this.clock);
    return deadlinesOf(timeline, perspective, query.to);
  }
}

/**
 * Across negotiations (contract v1.1): each negotiation recorded at knownAt answers from its own
 * timeline, as its own `…/tariffs` would (snapshots, no fold from the opening), in id order.
 */
@QueryHandler(ListTariffsAcross)
export class ListTariffsAcrossHandler implements IQueryHandler<ListTariffsAcross> {
  constructor(
    private readonly readModel: NegotiationReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: ListTariffsAcross): Promise<(TariffPair & { negotiationId: string })[]> {
    const { imposedBy, appliedTo, measure } = query.pairs;
    const perspective = perspectiveOf(query, this.clock);
    const listed: (TariffPair & { negotiationId: string })[] = [];
    for (const timeline of this.readModel.timelines()) {
      if (!isKnownAt(timeline, query.knownAt)) continue;
      for (const pair of tariffsAnswer(timeline, perspective, query.tariffView)) {
        if (imposedBy !== undefined && pair.imposedBy !== imposedBy) continue;
        if (appliedTo !== undefined && pair.appliedTo !== appliedTo) continue;
        if (measure !== undefined && !hasMeasure(pair, measure)) continue;
        listed.push({ negotiationId: timeline.negotiationId, ...pair });
      }
    }
    return listed;
  }
}

const hasMeasure = (pair: TariffPair, measure: string): boolean =>
  [pair.measures, pair.scheduled, pair.threatened, pair.considered].some((lines) =>
    lines.some((line) => line.measure === measure),
  );

@QueryHandler(ListDeadlinesAcross)
export class ListDeadlinesAcrossHandler implements IQueryHandler<ListDeadlinesAcross> {
  constructor(
    private readonly readModel: NegotiationReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: ListDeadlinesAcross): Promise<(Deadline & { negotiationId: string })[]> {
    const perspective = perspectiveOf(query, this.clock);
    const listed: (Deadline & { negotiationId: string })[] = [];
    for (const timeline of this.readModel.timelines()) {
      if (!isKnownAt(timeline, query.knownAt)) continue;
      for (const deadline of deadlinesOf(timeline, perspective, query.to)) {
        if (query.party === undefined || namesParty(deadline, query.party))
          listed.push({ negotiationId: timeline.negotiationId, ...deadline });
      }
    }
    // Each negotiation's are in order; across them, by `at` then `kind` (a stable sort keeps ids in order).
    return listed.sort((a, b) => byAtThenKind(a, b));
  }
}

const byAtThenKind = (a: Deadline, b: Deadline): number =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;

/** Whether a deadline concerns `party`: it imposes or is subject to the change, or is a party to the agreement; every talks round does not say. */
function namesParty(deadline: Deadline, party: string): boolean {
  switch (deadline.kind) {
    case 'tariff-change':
    case 'tariff-threat':
      return deadline.imposedBy === party || deadline.appliedTo === party;
    case 'trade-measure-change':
      return deadline.imposedBy === party || deadline.appliedTo.includes(party);
    case 'agreement-effective':
      return deadline.parties.includes(party);
    case 'talks-round':
      return false;
  }
}

@QueryHandler(ListDevelopments)
export class ListDevelopmentsHandler implements IQueryHandler<ListDevelopments> {
  constructor(private readonly readModel: NegotiationReadModel) {}

  async execute({ negotiationId, filter }: ListDevelopments): Promise<DevelopmentPage> {
    const timeline = timelineOf(this.readModel, negotiationId);
    const known = timeline.revisionKnownAt(filter.knownAt);
    const page = timeline.list(filter);
    return {
      items: page.items.map((item) => ({
        ...item,
        evidence: timeline.evidenceAt(item.development.eventId, known) ?? null,
      })),
      hasMore: page.hasMore,
    };
  }
}

export const QUERY_HANDLERS = [
  ListNegotiationsHandler,
  GetNegotiationHandler,
  GetStateHandler,
  GetTariffsHandler,
  GetDeadlinesHandler,
  ListTariffsAcrossHandler,
  ListDeadlinesAcrossHandler,
  ListDevelopmentsHandler,
];
