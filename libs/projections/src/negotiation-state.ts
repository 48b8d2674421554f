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

/**
 * The state of play, as `GET /negotiations/:id/state` answers it. Read-only all the way down:
 * an answer shares its proposals, demands, agreements, stances and tariff lines with the
 * projection's snapshots (copying thousands of them per answer would cost more than finding
 * the state), so nobody may change them.
 */
export interface NegotiationState {
  readonly negotiationId: string;
  readonly title: string;
  readonly asOf: Instant;
  readonly knownAt: Instant | null;
  readonly revision: number;
  readonly parties: readonly Party[];
  readonly tariffs: readonly TariffPair[];
  readonly tradeMeasures: readonly TradeMeasureItem[];
  readonly talks: Talks;
  readonly proposals: readonly Proposal[];
  readonly stances: readonly StanceItem[];
  readonly demands: readonly Demand[];
  readonly agreements: readonly Agreement[];
}

export interface TariffLine extends LineScope {
  readonly measure: string;
  readonly rate: number;
  readonly coverage: Coverage;
  readonly effectiveAt: Instant;
  readonly eventId: string;
  /** A temporary rate's end (contract v1.1): the line is at `thenRate` from then. */
  readonly until?: Instant;
  readonly thenRate?: number;
  /** The step is a temporary rate's expiry: `rate` is the change's `thenRate`, `effectiveAt` its `until`. */
  readonly reversion?: true;
  /** In an `effectiveOn` answer: the change deciding it, or a scope change applied to it, took effect before it was announced. */
  readonly retroactive?: true;
}

/** What goods a line covers (contract v1.1, Product scope); each field only when it has one. */
export interface LineScope {
  /** The goods a selected-goods line covers; a selected-goods line without them has an unknown scope. */
  readonly products?: readonly string[];
  /** Codes excluded from the line at the answer's time (TariffScopeChanged). */
  readonly excluded?: readonly string[];
  /** Codes covered again inside a wider exclusion. */
  readonly included?: readonly string[];
  /** Lines of the same pair that do not apply to the goods this line covers. */
  readonly displaces?: readonly string[];
}

/**
 * A tariff change that did not occur (contract v1.1, Modality): threatened or considered. It
 * changes no rate or total; it is listed while it is the latest-announced development of its
 * line, has a rate above 0 and is not yet due (`at` is its `occurredAt`).
 */
export interface PossibleTariffLine extends LineScope {
  readonly measure: string;
  readonly rate: number;
  readonly coverage: Coverage;
  /** null: none given (only a considered change may leave it out). */
  readonly effectiveAt: Instant | null;
  readonly eventId: string;
  readonly at: Instant;
}

export interface TariffPair {
  readonly imposedBy: string;
  readonly appliedTo: string;
  /** Sum of the active lines that cover all goods. */
  readonly total: number;
  readonly measures: readonly TariffLine[];
  /** Known changes not yet effective as of the state's `asOf`. */
  readonly scheduled: readonly TariffLine[];
  /** Threats not carried out, replaced or withdrawn as of `asOf`, and not yet due. */
  readonly threatened: readonly PossibleTariffLine[];
  /** Options reported weighed, under the same rule. */
  readonly considered: readonly PossibleTariffLine[];
  /** With `product=`: what goods of that code pay (contract v1.1). */
  readonly applicable?: Applicable;
}

/** What one product pays between a pair: the lines in force that cover it, less those displaced. */
export interface Applicable {
  readonly product: string;
  readonly rate: number;
  /** The lines counted in `rate`. */
  readonly measures: readonly string[];
  /** Lines in force that cover it but that a covering line displaces. */
  readonly displaced: readonly string[];
  /** Selected-goods lines in force whose products are not known: not counted. */
  readonly uncertain: readonly string[];
}

export interface ScheduledTradeMeasureChange {
  readonly action: TradeMeasureAction;
  readonly effectiveAt: Instant;
  readonly eventId: string;
}

/** A trade measure change that did not occur (threatened or considered), listed as tariff lines are. */
export interface PossibleTradeMeasureChange {
  readonly action: TradeMeasureAction;
  readonly effectiveAt: Instant | null;
  readonly eventId: string;
  readonly at: Instant;
}

export interface TradeMeasureItem {
  readonly imposedBy: string;
  readonly appliedTo: readonly string[];
  readonly measure: string;
  readonly kind: TradeMeasureKind;
  readonly status: TradeMeasureAction | null;
  readonly effectiveAt: Instant | null;
  readonly eventId: string | null;
  readonly scheduled: readonly ScheduledTradeMeasureChange[];
  readonly threatened: readonly PossibleTradeMeasureChange[];
  readonly considered: readonly PossibleTradeMeasureChange[];
}

export interface Talks {
  readonly status: TalksStatus;
  readonly since: Instant | null;
  readonly rounds: number;
  readonly lastRoundAt: Instant | null;
  readonly nextRoundAt: Instant | null;
}

export interface Proposal {
  readonly proposalId: string;
  readonly by: string;
  readonly to: readonly string[];
  readonly subject: ProposalSubject;
  readonly summary: string;
  readonly terms: readonly string[];
  readonly status: ProposalStatus;
  readonly counterProposalId: string | null;
  /** When it was made (an occurred ProposalMade); null while it is only considered. */
  readonly madeAt: Instant | null;
  /** When it was first reported weighed (a considered ProposalMade); null if it never was. */
  readonly consideredAt: Instant | null;
  readonly updatedAt: Instant;
}

export interface StanceItem {
  readonly party: string;
  readonly stance: Stance;
  readonly speaker: string;
  readonly at: Instant;
}

export interface Demand {
  readonly by: string;
  readonly of: string;
  readonly issue: string;
  readonly summary: string;
  readonly status: 'open' | 'resolved';
  readonly madeAt: Instant;
  readonly resolvedAt: Instant | null;
}

export interface Agreement {
  readonly parties: readonly string[];
  readonly summary: string;
  readonly terms: readonly string[];
  readonly at: Instant;
  readonly effectiveAt: Instant | null;
}
