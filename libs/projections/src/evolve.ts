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

/**
 * Applies one development to the state, in place (a fold goes over millions of them): each
 * slice that reads its type folds it. Total: it never throws on a stored development.
 */
export function evolve(state: FoldState, development: RecordedDevelopment): FoldState {
  PROJECTION.evolve(state, development);
  return state;
}

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
