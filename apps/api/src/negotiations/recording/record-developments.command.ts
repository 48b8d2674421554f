import { Command } from '@nestjs/cqrs';
import type { Development } from '@parley/domain';

export interface RecordedResult {
  eventId: string;
  negotiationId: string;
  revision: number;
  recordedAt: string;
}

export interface RecordDevelopmentsResult {
  /** False when every development was already recorded with the same content (an idempotent retry). */
  created: boolean;
  revision: number;
  results: RecordedResult[];
}

/** Record one development, or a batch of them all or nothing, later members seeing earlier ones. */
export class RecordDevelopments extends Command<RecordDevelopmentsResult> {
  constructor(
    readonly negotiationId: string,
    readonly developments: readonly Development[],
    /** The client's expectation of the negotiation's revision; a mismatch is a 409, never retried. */
    readonly expectedRevision: number | undefined,
    /** Whether refusals should be located as `events[i]…` (a batch) or at the top level. */
    readonly asBatch: boolean,
  ) {
    super();
  }
}
