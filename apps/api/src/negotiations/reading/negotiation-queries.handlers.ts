import { instantOf } from '@parley/domain';
import { Inject } from '@nestjs/common';
import type { IQueryHandler } from '@nestjs/cqrs';
import { QueryHandler } from '@nestjs/cqrs';
import type {
  NegotiationState,
  NegotiationSummary,
  NegotiationTimeline,
} from '@parley/projections';
import { NegotiationReadModel, withEvidenceStatus } from '@parley/projections';
import type { Clock } from '../../clock';
import { CLOCK } from '../../clock';
import { Problem } from '../../http/problem';
import type { DevelopmentPage } from './negotiation-queries';
import {
  GetNegotiation,
  GetState,
  ListDevelopments,
  ListNegotiations,
} from './negotiation-queries';

/**
 * The state with `evidenceStatus` on each item that names the development behind it (tariff lines,
 * trade measures and their entries), as known at the state's revision. Added to a copy: the
 * state's items are shared with the timeline's snapshots.
 */
function withEvidenceStatusAt(
  timeline: NegotiationTimeline,
  state: NegotiationState,
): NegotiationState {
  const statusOf = (eventId: string) => timeline.evidenceStatusAt(eventId, state.revision);
  return {
    ...state,
    tariffs: withEvidenceStatus(state.tariffs, statusOf),
    tradeMeasures: withEvidenceStatus(state.tradeMeasures, statusOf),
  };
}

function timelineOf(readModel: NegotiationReadModel, negotiationId: string): NegotiationTimeline {
  const timeline = readModel.timeline(negotiationId);
  if (!timeline) throw Problem.notFound(negotiationId);
  return timeline;
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

@QueryHandler(GetState)
export class GetStateHandler implements IQueryHandler<GetState> {
  constructor(
    private readonly readModel: NegotiationReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    negotiationId,
    asOf,
    knownAt,
    minEvidence,
  }: GetState): Promise<NegotiationState> {
    const timeline = timelineOf(this.readModel, negotiationId);
    if (knownAt !== null && timeline.revisionKnownAt(knownAt) < 0) {
      throw new Problem(
        404,
        'negotiation-not-known-yet',
        'Negotiation not known at knownAt',
        `The tracker had not recorded negotiation "${negotiationId}" yet at ${knownAt}`,
      );
    }
    const state = timeline.stateAt({
      asOf: asOf ?? instantOf(this.clock()),
      knownAt,
      ...(minEvidence === undefined ? {} : { minEvidence }),
    });
    return withEvidenceStatusAt(timeline, state);
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
  ListDevelopmentsHandler,
];
