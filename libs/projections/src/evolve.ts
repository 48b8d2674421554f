import type { Instant, RecordedDevelopment } from '@parley/domain';
import type { NegotiationState } from './negotiation-state';
import { SLICES } from './slices';
import type { ShownOf, StatesOf } from './snapshots';
import { Projection } from './snapshots';

/** The state of play as the fold builds it: each slice's state (see slices/). */
export const PROJECTION = new Projection(SLICES);

export type FoldState = StatesOf<typeof SLICES> & { readonly negotiationId: string };

export function initialFoldState(negotiationId: string): FoldState {
  return { negotiationId, ...PROJECTION.initial() };
}

const { title, parties, tariffs, tradeMeasures, talks, proposals, stances, demands, agreements } =
  SLICES;

/**
 * Applies one development to the state, in place (a fold goes over millions of them): each
 * slice that reads its type folds it. Total: it never throws on a stored development.
 *
 * The slices whose `reads` list each type, as PROJECTION.evolve folds them, but each called from
 * a place of its own: through the projection's table one call site reaches every slice, so the
 * engine could inline none of them (that dispatch was ~18% of the fold of the bench's 100k, and a
 * table of functions by type ~10% more than this switch; issue 15). evolve.unit.spec checks these
 * cases against the slices' `reads`, type by type. Most frequent types first.
 */
export function evolve(state: FoldState, development: RecordedDevelopment): FoldState {
  switch (development.type) {
    case 'StatementMade':
      state.stances = stances.evolve(state.stances, development);
      break;
    case 'TariffChanged':
    case 'TariffScopeChanged':
      state.tariffs = tariffs.evolve(state.tariffs, development);
      break;
    case 'TradeMeasureChanged':
      state.tradeMeasures = tradeMeasures.evolve(state.tradeMeasures, development);
      break;
    case 'TalksHeld':
    case 'TalksScheduled':
    case 'TalksStatusChanged':
      state.talks = talks.evolve(state.talks, development);
      break;
    case 'DemandMade':
    case 'DemandResolved':
      state.demands = demands.evolve(state.demands, development);
      break;
    case 'ProposalMade':
    case 'ProposalResponded':
      state.proposals = proposals.evolve(state.proposals, development);
      break;
    case 'AgreementReached':
      state.talks = talks.evolve(state.talks, development);
      state.agreements = agreements.evolve(state.agreements, development);
      break;
    case 'PartyJoined':
      state.parties = parties.evolve(state.parties, development);
      break;
    case 'NegotiationOpened':
      state.title = title.evolve(state.title, development);
      state.parties = parties.evolve(state.parties, development);
      break;
    // Read by no slice: a retraction is applied by leaving out what it retracts, and evidence is
    // read beside the fold (evidence.ts).
    case 'DevelopmentRetracted':
    case 'DevelopmentConfirmed':
    case 'DevelopmentDisputed':
    case 'DevelopmentUnreadable':
      break;
    default:
      // Every type has its case (a compile error otherwise); one no code knows is read by no slice.
      noSliceReads(development);
  }
  return state;
}

const noSliceReads = (_development: never): void => {};

/** A copy that shares nothing the fold changes with the original. */
export function cloneFold(state: FoldState): FoldState {
  return { negotiationId: state.negotiationId, ...PROJECTION.copy(state) };
}

/** The answer the contract gives for a folded state at `asOf`. */
export function viewAt(
  state: FoldState,
  asOf: Instant,
  knownAt: Instant | null,
  revision: number,
): NegotiationState {
  return answer(state.negotiationId, PROJECTION.show(state, asOf), asOf, knownAt, revision);
}

/** What the slices show, as one answer, in the contract's order of fields. */
export function answer(
  negotiationId: string,
  shown: ShownOf<typeof SLICES>,
  asOf: Instant,
  knownAt: Instant | null,
  revision: number,
): NegotiationState {
  return {
    negotiationId,
    title: shown.title,
    asOf,
    knownAt,
    revision,
    parties: shown.parties,
    tariffs: shown.tariffs,
    tradeMeasures: shown.tradeMeasures,
    talks: shown.talks,
    proposals: shown.proposals,
    stances: shown.stances,
    demands: shown.demands,
    agreements: shown.agreements,
  };
}

export { proposalOrder, demandOrder } from './slices';
