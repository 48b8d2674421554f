import type { DevelopmentType, Instant, RecordedDevelopment } from '@parley/domain';
import type { NegotiationState } from './negotiation-state';
import type { Recorded } from './slices';
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
  (FOLDS[development.type] as Fold<DevelopmentType>)(state, development);
  return state;
}

type Fold<T extends DevelopmentType> = (state: FoldState, development: Recorded<T>) => void;

const { title, parties, tariffs, tradeMeasures, talks, proposals, stances, demands, agreements } =
  SLICES;

/**
 * What `evolve` does with each type: fold it into the slices whose `reads` list it, as
 * PROJECTION.evolve does, but each slice called from a place of its own. Through the projection's
 * table one call site reaches every slice, so the engine can inline none of them: that dispatch
 * was ~18% of the fold of the bench's 100k (issue 15). evolve.unit.spec checks this table against
 * the slices' `reads`, type by type.
 */
const FOLDS: { readonly [T in DevelopmentType]: Fold<T> } = {
  NegotiationOpened(state, development) {
    state.title = title.evolve(state.title, development);
    state.parties = parties.evolve(state.parties, development);
  },
  PartyJoined(state, development) {
    state.parties = parties.evolve(state.parties, development);
  },
  TariffChanged(state, development) {
    state.tariffs = tariffs.evolve(state.tariffs, development);
  },
  TariffScopeChanged(state, development) {
    state.tariffs = tariffs.evolve(state.tariffs, development);
  },
  TradeMeasureChanged(state, development) {
    state.tradeMeasures = tradeMeasures.evolve(state.tradeMeasures, development);
  },
  ProposalMade(state, development) {
    state.proposals = proposals.evolve(state.proposals, development);
  },
  ProposalResponded(state, development) {
    state.proposals = proposals.evolve(state.proposals, development);
  },
  TalksScheduled(state, development) {
    state.talks = talks.evolve(state.talks, development);
  },
  TalksHeld(state, development) {
    state.talks = talks.evolve(state.talks, development);
  },
  TalksStatusChanged(state, development) {
    state.talks = talks.evolve(state.talks, development);
  },
  StatementMade(state, development) {
    state.stances = stances.evolve(state.stances, development);
  },
  DemandMade(state, development) {
    state.demands = demands.evolve(state.demands, development);
  },
  DemandResolved(state, development) {
    state.demands = demands.evolve(state.demands, development);
  },
  AgreementReached(state, development) {
    state.talks = talks.evolve(state.talks, development);
    state.agreements = agreements.evolve(state.agreements, development);
  },
  // Read by no slice: a retraction is applied by leaving out what it retracts, and evidence is
  // read beside the fold (evidence.ts).
  DevelopmentRetracted() {},
  DevelopmentConfirmed() {},
  DevelopmentDisputed() {},
  DevelopmentUnreadable() {},
};

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
