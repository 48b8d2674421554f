import { Query } from '@nestjs/cqrs';
import type { Instant } from '@parley/domain';
import type {
  DevelopmentFilter,
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

/** The state of play on `asOf` (null: now) as known at `knownAt` (null: everything recorded). */
export class GetState extends Query<NegotiationState> {
  constructor(
    readonly negotiationId: string,
    readonly asOf: Instant | null,
    readonly knownAt: Instant | null,
  ) {
    super();
  }
}

export interface DevelopmentPage {
  items: ListedDevelopment[];
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
