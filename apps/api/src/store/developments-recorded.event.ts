import type { RecordedDevelopment } from '@parley/domain';

/**
 * Announced on the EventBus once developments of one negotiation are durable in the store and
 * applied to this instance's read model, for whoever follows them (the live streams).
 */
export class DevelopmentsRecorded {
  constructor(
    readonly negotiationId: string,
    readonly developments: readonly RecordedDevelopment[],
    /** The store's global position of the last one, when it came through the store's subscription. */
    readonly position?: bigint,
  ) {}
}
