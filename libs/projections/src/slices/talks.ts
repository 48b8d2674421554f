import type { TalksOutcome, TalksStatus } from '@parley/domain';
import { assertNever } from '@parley/domain';
import type { Talks } from '../negotiation-state';
import { frozen, slice } from './slice';

const NO_TALKS: Talks = frozen({
  status: 'none',
  since: null,
  rounds: 0,
  lastRoundAt: null,
  nextRoundAt: null,
});

/**
 * The talks: their status since the development that set it, the rounds held, the next round
 * scheduled (cleared by a round held). A value: each development makes a new one.
 */
export const talks = slice({
  reads: ['TalksScheduled', 'TalksHeld', 'TalksStatusChanged', 'AgreementReached'],
  initial: (): Talks => NO_TALKS,
  evolve(talks, development): Talks {
    const since = development.occurredAt;
    switch (development.type) {
      case 'TalksScheduled':
        return frozen({
          status: 'scheduled',
          since,
          rounds: talks.rounds,
          lastRoundAt: talks.lastRoundAt,
          nextRoundAt: development.data.scheduledFor,
        });
      case 'TalksHeld':
        return frozen({
          status: statusAfterRound(development.data.outcome),
          since,
          rounds: talks.rounds + 1,
          lastRoundAt: since,
          nextRoundAt: null,
        });
      case 'TalksStatusChanged':
        return frozen({
          status: development.data.status,
          since,
          rounds: talks.rounds,
          lastRoundAt: talks.lastRoundAt,
          nextRoundAt: talks.nextRoundAt,
        });
      case 'AgreementReached':
        return frozen({
          status: 'agreement-reached',
          since,
          rounds: talks.rounds,
          lastRoundAt: talks.lastRoundAt,
          nextRoundAt: talks.nextRoundAt,
        });
      default:
        return assertNever(development);
    }
  },
  copy: (talks) => talks,
  show: (talks) => talks,
  size: () => 1,
});

function statusAfterRound(outcome: TalksOutcome | undefined): TalksStatus {
  switch (outcome) {
    case undefined:
    case 'progress':
      return 'ongoing';
    case 'no-result':
      return 'stalled';
    case 'agreement':
      return 'agreement-reached';
    case 'breakdown':
      return 'collapsed';
    default:
      return assertNever(outcome);
  }
}
