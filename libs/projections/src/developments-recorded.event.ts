import type { RecordedDevelopment } from '@parley/domain';

/** Published on the EventBus when developments of one negotiation are durable in the store. */
export class DevelopmentsRecorded {
  constructor(
    readonly negotiationId: string,
    readonly developments: readonly RecordedDevelopment[],
    /** The store's global position of the last one, when it came through the store's subscription. */
    readonly position?: bigint,
  ) {}
}
