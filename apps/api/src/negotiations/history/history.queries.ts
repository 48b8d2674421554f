import type { MessageEvent } from '@nestjs/common';
import { Query } from '@nestjs/cqrs';
import type { Instant, MinEvidence } from '@parley/domain';
import type {
  NegotiationChanges,
  StateSummary,
  TariffPoint,
  ValidTimeKey,
} from '@parley/projections';
import type { Observable } from 'rxjs';

/** The changes as answered: the developments as the log lists them (with their evidence). */
export type ChangesAnswer = Omit<NegotiationChanges, 'developments'> & {
  developments: Record<string, unknown>[];
};

/**
 * What changed between the state at `from` (null: the beginning) and at `to` (null: now), as known
 * at `knownAt`, made of the reports at least as well supported as `minEvidence` (if given).
 */
export class GetChanges extends Query<ChangesAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly from: Instant | null,
    readonly to: Instant | null,
    readonly knownAt: Instant | null,
    readonly minEvidence?: MinEvidence,
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
    readonly minEvidence?: MinEvidence,
    /** A product code: each point says what goods of it pay. */
    readonly product?: string,
  ) {
    super();
  }
}

export interface ReplayPage {
  /** Each development as the log lists it (with its evidence), and the state right after it. */
  items: { development: Record<string, unknown>; state: StateSummary }[];
  /** The valid-time key of the page's last development, for the next cursor. */
  last: ValidTimeKey | undefined;
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
    readonly minEvidence?: MinEvidence,
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
