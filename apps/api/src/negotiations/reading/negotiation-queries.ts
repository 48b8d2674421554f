import { Query } from '@nestjs/cqrs';
import type { Instant, MinEvidence } from '@parley/domain';
import type {
  DevelopmentFilter,
  Evidence,
  ListedDevelopment,
  NegotiationState,
  NegotiationSummary,
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
export class GetState extends Query<NegotiationState> {
  constructor(
    readonly negotiationId: string,
    readonly asOf: Instant | null,
    readonly knownAt: Instant | null,
    readonly minEvidence?: MinEvidence,
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
