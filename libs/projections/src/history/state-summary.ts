import type { Instant, TalksStatus } from '@parley/domain';
import { OPEN_PROPOSAL_STATUSES } from '@parley/domain';
import type { FoldState } from '../evolve';
import { viewAt } from '../evolve';
import type { TariffPair } from '../negotiation-state';

export interface TariffTotal {
  imposedBy: string;
  appliedTo: string;
  total: number;
}

/** The few numbers a client animates history with: tariff totals, the talks' status, how many proposals are open. */
export interface StateSummary {
  asOf: Instant;
  tariffs: TariffTotal[];
  talksStatus: TalksStatus;
  openProposals: number;
}

const NOTHING = new Map<never, never>();

/** The tariff pairs of a folded state at `asOf`, as `/state` lists them, without building the rest of the answer. */
export function tariffPairsAt(state: FoldState, asOf: Instant): TariffPair[] {
  const tariffsOnly: FoldState = {
    ...state,
    parties: NOTHING,
    tradeMeasures: NOTHING,
    proposals: NOTHING,
    stances: NOTHING,
    demands: NOTHING,
    agreements: [],
  };
  return viewAt(tariffsOnly, asOf, null, -1).tariffs;
}

export function summarize(state: FoldState, asOf: Instant): StateSummary {
  let openProposals = 0;
  for (const proposal of state.proposals.values()) {
    if (OPEN_PROPOSAL_STATUSES.includes(proposal.status)) openProposals++;
  }
  return {
    asOf,
    tariffs: tariffPairsAt(state, asOf).map(({ imposedBy, appliedTo, total }) => ({
      imposedBy,
      appliedTo,
      total,
    })),
    talksStatus: state.talks.status,
    openProposals,
  };
}
