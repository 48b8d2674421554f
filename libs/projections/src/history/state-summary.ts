import type { Instant, ProposalStatus, RecordedDevelopment, TalksStatus } from '@parley/domain';
import { OPEN_PROPOSAL_STATUSES, instantMs, toInstant } from '@parley/domain';
import type { FoldState } from '../evolve';
import { evolve } from '../evolve';
import { getIn } from '../slices/layered-map';
import { tariffs } from '../slices/tariffs';
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

/** The tariff pairs of a folded state at `asOf`, as `/state` lists them, without building the rest of the answer. */
export function tariffPairsAt(state: FoldState, asOf: Instant): readonly TariffPair[] {
  return tariffs.show(state.tariffs, asOf);
}

export function summarize(state: FoldState, asOf: Instant): StateSummary {
  let openProposals = 0;
  for (const proposal of state.proposals.inOrder) {
    if (isOpen(proposal.status)) openProposals++;
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

/**
 * The summary after each development of a pass in valid-time order, kept up to date as the pass
 * goes rather than recomputed from the whole state: the open proposals are counted once, then
 * adjusted by the developments that touch a proposal; the tariff totals are recomputed only when
 * a tariff changes or the pass reaches the next scheduled change. So a step costs O(1) amortised
 * plus what it returns.
 */
export class RunningSummary {
  private openProposals = 0;
  private tariffs: TariffTotal[] = [];
  /** The tariffs above hold until this instant (the next scheduled change); null: recompute. */
  private tariffsUntil: Instant | null = null;
  private readonly farFuture = toInstant(instantMs('9999-12-31T23:59:59.999Z'));

  /** `state` is the fold where the pass starts; the summary evolves it from then on. */
  constructor(private readonly state: FoldState) {
    for (const proposal of state.proposals.inOrder)
      if (isOpen(proposal.status)) this.openProposals++;
  }

  /** Folds in one development (the opening, in every fold already, is not folded again) and summarises the state right after it. */
  step(development: RecordedDevelopment): StateSummary {
    const asOf = development.occurredAt;
    const proposalId =
      development.type === 'ProposalMade' || development.type === 'ProposalResponded'
        ? development.data.proposalId
        : undefined;
    const wasOpen = proposalId !== undefined && this.proposalIsOpen(proposalId);
    if (development.revision !== 0) evolve(this.state, development);
    if (proposalId !== undefined)
      this.openProposals += Number(this.proposalIsOpen(proposalId)) - Number(wasOpen);
    if (
      development.type === 'TariffChanged' ||
      this.tariffsUntil === null ||
      asOf >= this.tariffsUntil
    ) {
      const pairs = tariffPairsAt(this.state, asOf);
      this.tariffs = pairs.map(({ imposedBy, appliedTo, total }) => ({
        imposedBy,
        appliedTo,
        total,
      }));
      this.tariffsUntil = this.farFuture;
      for (const pair of pairs) {
        for (const line of pair.scheduled)
          if (line.effectiveAt < this.tariffsUntil) this.tariffsUntil = line.effectiveAt;
        // A threat or an option that falls due leaves the list, and a pair listed only for it goes.
        for (const line of [...pair.threatened, ...pair.considered]) {
          if (line.effectiveAt !== null && line.effectiveAt < this.tariffsUntil)
            this.tariffsUntil = line.effectiveAt;
        }
      }
    }
    return {
      asOf,
      tariffs: this.tariffs.map((t) => ({ ...t })),
      talksStatus: this.state.talks.status,
      openProposals: this.openProposals,
    };
  }

  private proposalIsOpen(proposalId: string): boolean {
    const proposal = getIn(this.state.proposals.byId, proposalId);
    return proposal !== undefined && isOpen(proposal.status);
  }
}

function isOpen(status: ProposalStatus): boolean {
  return OPEN_PROPOSAL_STATUSES.includes(status);
}
