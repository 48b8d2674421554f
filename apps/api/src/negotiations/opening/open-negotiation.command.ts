import { Command } from '@nestjs/cqrs';
import type { Instant, OccurredPrecision, Party } from '@parley/domain';

export class OpenNegotiation extends Command<{ id: string; revision: 0 }> {
  constructor(
    readonly id: string,
    readonly title: string,
    readonly parties: readonly Party[],
    /** Canonical UTC instant; absent means "when it is recorded". */
    readonly openedAt: Instant | undefined,
    readonly description: string | undefined,
    /** `day` when openedAt was sent as a date (contract v1.1: the log says how precisely it is known). */
    readonly openedPrecision: Extract<OccurredPrecision, 'day'> | undefined,
  ) {
    super();
  }
}
