import { Command } from '@nestjs/cqrs';
import type { Instant, Party } from '@parley/domain';

export class OpenNegotiation extends Command<{ id: string; revision: 0 }> {
  constructor(
    readonly id: string,
    readonly title: string,
    readonly parties: readonly Party[],
    /** Canonical UTC instant; absent means "when it is recorded". */
    readonly openedAt: Instant | undefined,
    readonly description: string | undefined,
  ) {
    super();
  }
}
