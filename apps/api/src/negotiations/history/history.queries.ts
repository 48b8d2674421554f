import type { MessageEvent } from '@nestjs/common';
import { Query } from '@nestjs/cqrs';
import type { Instant } from '@parley/domain';
import type {
  NegotiationChanges,
  ReplayStep,
  TariffPoint,
  ValidTimeKey,
} from '@parley/projections';
import type { Observable } from 'rxjs';

/** What changed between the state at `from` (null: the beginning) and at `to` (null: now), as known at `knownAt`. */
export class GetChanges extends Query<NegotiationChanges> {
  constructor(
    readonly negotiationId: string,
    readonly from: Instant | null,
    readonly to: Instant | null,
    readonly knownAt: Instant | null,
  ) {
    super();
  }
}

/** The step series of one pair's tariff between `from` (null: its first change) and `to` (null: now). */
export class GetTariffHistory extends Query<TariffPoint[]> {
  constructor(
    readonly negotiationId: string,
    readonly imposedBy: string,
    readonly appliedTo: string,
    readonly from: Instant | null,
    readonly to: Instant | null,
    readonly knownAt: Instant | null,
  ) {
    super();
  }
}

export interface ReplayPage {
  items: ReplayStep[];
  hasMore: boolean;
}

/** One page of the developments in (`from`, `to`], each with the state summary right after it. */
export class ReplayHistory extends Query<ReplayPage> {
  constructor(
    readonly negotiationId: string,
    readonly from: Instant | null,
    readonly to: Instant | null,
    readonly knownAt: Instant | null,
    readonly after: ValidTimeKey | undefined,
    readonly limit: number,
  ) {
    super();
  }
}

/** The live stream of a negotiation's developments, after revision `lastEventId` (null: from now on). */
export class FollowNegotiation extends Query<Observable<MessageEvent>> {
  constructor(
    readonly negotiationId: string,
    readonly lastEventId: number | null,
  ) {
    super();
  }
}
