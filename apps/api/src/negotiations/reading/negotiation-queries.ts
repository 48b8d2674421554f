import { Query } from '@nestjs/cqrs';
import type { Instant, MinEvidence } from '@parley/domain';
import type {
  Deadline,
  DevelopmentFilter,
  Evidence,
  ListedDevelopment,
  NegotiationState,
  NegotiationSummary,
  TariffPair,
} from '@parley/projections';

export class ListNegotiations extends Query<NegotiationSummary[]> {}

export class GetNegotiation extends Query<NegotiationSummary> {
  constructor(readonly negotiationId: string) {
    super();
  }
}

/**
 * The state of play on `asOf` (null: now) as known at `knownAt` (null: everything recorded), made
 * of the reports at least as well supported as `minEvidence` (undefined: every report).
 */
export class GetState extends Query<StateAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly asOf: Instant | null,
    readonly knownAt: Instant | null,
    readonly minEvidence?: MinEvidence,
    readonly tariffView: TariffView = {},
  ) {
    super();
  }
}

/** `GetState`'s tariffs alone (`GET …/tariffs`), without making the rest of the state. */
export class GetTariffs extends Query<readonly TariffPair[]> {
  constructor(
    readonly negotiationId: string,
    readonly asOf: Instant | null,
    readonly knownAt: Instant | null,
    readonly minEvidence?: MinEvidence,
    readonly tariffView: TariffView = {},
  ) {
    super();
  }
}

/**
 * How an answer reads tariffs (contract v1.1): `effectiveOn`, as goods entering on that date owe
 * as finally decided (instead of asOf); `product`, what goods of that code pay.
 */
export interface TariffView {
  readonly effectiveOn?: Instant;
  readonly product?: string;
}

/** The state, with the effective date its tariffs were read at when one was asked. */
export type StateAnswer = NegotiationState & { readonly effectiveOn?: Instant };

/** What is due in a negotiation after `asOf` (null: now) up to `to` (null: no end), as known at `knownAt`. */
export class GetDeadlines extends Query<Deadline[]> {
  constructor(
    readonly negotiationId: string,
    readonly asOf: Instant | null,
    readonly knownAt: Instant | null,
    readonly to: Instant | null,
    readonly minEvidence?: MinEvidence,
  ) {
    super();
  }
}

/** Which pairs `GET /tariffs` lists. */
export interface PairFilter {
  readonly imposedBy?: string;
  readonly appliedTo?: string;
  /** Pairs with a line of this measure (in force, scheduled, threatened or considered). */
  readonly measure?: string;
}

/** Every pair of every negotiation recorded at `knownAt` (contract v1.1, Across negotiations). */
export class ListTariffsAcross extends Query<(TariffPair & { negotiationId: string })[]> {
  constructor(
    readonly asOf: Instant | null,
    readonly knownAt: Instant | null,
    readonly minEvidence: MinEvidence | undefined,
    readonly tariffView: TariffView,
    readonly pairs: PairFilter,
  ) {
    super();
  }
}

/** The deadlines of every negotiation recorded at `knownAt`; of those naming `party` when given. */
export class ListDeadlinesAcross extends Query<(Deadline & { negotiationId: string })[]> {
  constructor(
    readonly asOf: Instant | null,
    readonly knownAt: Instant | null,
    readonly to: Instant | null,
    readonly party: string | undefined,
  ) {
    super();
  }
}

export interface DevelopmentPage {
  /** Each with its evidence as known at the filter's knownAt (null: not a report). */
  items: (ListedDevelopment & { evidence: Evidence | null })[];
  hasMore: boolean;
}

export class ListDevelopments extends Query<DevelopmentPage> {
  constructor(
    readonly negotiationId: string,
    readonly filter: DevelopmentFilter,
  ) {
    super();
  }
}
