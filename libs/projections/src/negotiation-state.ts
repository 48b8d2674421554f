import type {
  Coverage,
  Instant,
  Party,
  ProposalStatus,
  ProposalSubject,
  Stance,
  TalksStatus,
  TradeMeasureAction,
  TradeMeasureKind,
} from '@parley/domain';

/** The state of play, as `GET /negotiations/:id/state` answers it. */
export interface NegotiationState {
  negotiationId: string;
  title: string;
  asOf: Instant;
  knownAt: Instant | null;
  revision: number;
  parties: Party[];
  tariffs: TariffPair[];
  tradeMeasures: TradeMeasureItem[];
  talks: Talks;
  proposals: Proposal[];
  stances: StanceItem[];
  demands: Demand[];
  agreements: Agreement[];
}

export interface TariffLine {
  measure: string;
  rate: number;
  coverage: Coverage;
  effectiveAt: Instant;
  eventId: string;
}

export interface TariffPair {
  imposedBy: string;
  appliedTo: string;
  /** Sum of the active lines that cover all goods. */
  total: number;
  measures: TariffLine[];
  /** Known changes not yet effective as of the state's `asOf`. */
  scheduled: TariffLine[];
}

export interface ScheduledTradeMeasureChange {
  action: TradeMeasureAction;
  effectiveAt: Instant;
  eventId: string;
}

export interface TradeMeasureItem {
  imposedBy: string;
  appliedTo: string[];
  measure: string;
  kind: TradeMeasureKind;
  status: TradeMeasureAction | null;
  effectiveAt: Instant | null;
  eventId: string | null;
  scheduled: ScheduledTradeMeasureChange[];
}

export interface Talks {
  status: TalksStatus;
  since: Instant | null;
  rounds: number;
  lastRoundAt: Instant | null;
  nextRoundAt: Instant | null;
}

export interface Proposal {
  proposalId: string;
  by: string;
  to: string[];
  subject: ProposalSubject;
  summary: string;
  terms: string[];
  status: ProposalStatus;
  counterProposalId: string | null;
  madeAt: Instant;
  updatedAt: Instant;
}

export interface StanceItem {
  party: string;
  stance: Stance;
  speaker: string;
  at: Instant;
}

export interface Demand {
  by: string;
  of: string;
  issue: string;
  summary: string;
  status: 'open' | 'resolved';
  madeAt: Instant;
  resolvedAt: Instant | null;
}

export interface Agreement {
  parties: string[];
  summary: string;
  terms: string[];
  at: Instant;
  effectiveAt: Instant | null;
}
