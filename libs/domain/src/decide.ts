import type { Development, DevelopmentOf } from './development';
import { assertNever, partiesNamedBy } from './development';
import { DomainError } from './domain-error';
import type { Instant } from './time';
import { instantMs, toInstant } from './time';
import { OPEN_PROPOSAL_STATUSES } from './vocabulary';
import type { Situation } from './decision-model';
import { DecisionModel } from './decision-model';

/** The situation of a negotiation not yet opened: nothing declared, nothing recorded. */
export const NOTHING_RECORDED: Situation = new DecisionModel().situationAt(toInstant(0));

export interface RecordDevelopment {
  development: Development;
  /** The tracker's clock when the command is decided; passed in so decisions are deterministic. */
  now: Instant;
}

/** How far ahead of the tracker's clock a development may be dated: a day covers every time zone. */
const FUTURE_TOLERANCE_MS = 86_400_000;

/**
 * Decides whether a development may be recorded against the situation it lands in.
 * Returns the events to append, or throws a DomainError naming the rule that failed.
 */
export function decide(command: RecordDevelopment, situation: Situation): Development[] {
  const { development, now } = command;
  const latestAllowed = toInstant(instantMs(now) + FUTURE_TOLERANCE_MS);
  if (development.occurredAt > latestAllowed) {
    throw new DomainError(
      'occurred-in-future',
      'rejected',
      `occurredAt ${development.occurredAt} is more than one day after the tracker's clock (${now})`,
      'occurredAt',
    );
  }
  requireDeclaredParties(development, situation);
  switch (development.type) {
    case 'NegotiationOpened':
    case 'TalksScheduled':
    case 'TalksHeld':
    case 'TalksStatusChanged':
    case 'StatementMade':
    case 'DemandMade':
    case 'AgreementReached':
      break;
    case 'PartyJoined':
      if (situation.isDeclared(development.data.party.code)) {
        throw new DomainError(
          'party-already-declared',
          'rejected',
          `party ${development.data.party.code} is already declared`,
          'data.party.code',
        );
      }
      break;
    case 'TariffChanged':
      if (development.data.imposedBy === development.data.appliedTo) {
        throw partiesMustDiffer('data.appliedTo');
      }
      break;
    case 'TradeMeasureChanged': {
      const index = development.data.appliedTo.indexOf(development.data.imposedBy);
      if (index >= 0) throw partiesMustDiffer(`data.appliedTo[${index}]`);
      break;
    }
    case 'ProposalMade':
      if (situation.isProposalIdInUse(development.data.proposalId)) {
        throw new DomainError(
          'proposal-id-in-use',
          'conflict',
          `proposal ${development.data.proposalId} already exists in this negotiation`,
          'data.proposalId',
        );
      }
      break;
    case 'ProposalResponded':
      checkResponse(development, situation);
      break;
    case 'DemandResolved': {
      const { by, of, issue } = development.data;
      if (!situation.isDemandOpen(by, of, issue)) {
        throw new DomainError(
          'demand-not-open',
          'rejected',
          `no open demand by ${by} of ${of} on ${issue} as of ${development.occurredAt}`,
          'data.issue',
        );
      }
      break;
    }
    case 'DevelopmentRetracted':
      checkRetraction(development, situation);
      break;
    case 'DevelopmentUnreadable':
      // Only the store boundary makes one, for what was stored before; no request can carry one.
      throw new Error('an unreadable development is never recorded');
    default:
      return assertNever(development);
  }
  return [development];
}

function requireDeclaredParties(development: Development, situation: Situation): void {
  if (development.type === 'NegotiationOpened') return;
  const named = partiesNamedBy(development);
  const unknown = named.find((code) => !situation.isDeclared(code));
  if (unknown !== undefined) {
    throw new DomainError(
      'party-unknown',
      'rejected',
      `party ${unknown} has not been declared in this negotiation as of ${development.occurredAt}; declare it with PartyJoined first`,
      pathOfParty(development, unknown),
    );
  }
}

/** The request path of the first field naming a party, so the refusal points at it. */
function pathOfParty(development: Development, code: string): string {
  const data = development.data as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(data)) {
    if (value === code) return `data.${field}`;
    if (Array.isArray(value)) {
      const index = value.indexOf(code);
      if (index >= 0) return `data.${field}[${index}]`;
    }
  }
  return 'data';
}

function partiesMustDiffer(path: string): DomainError {
  return new DomainError(
    'parties-differ',
    'rejected',
    'a party cannot impose a measure on itself: imposedBy and appliedTo must differ',
    path,
  );
}

function checkResponse(
  development: DevelopmentOf<'ProposalResponded'>,
  situation: Situation,
): void {
  const { proposalId, by, response } = development.data;
  if (!situation.isProposalIdInUse(proposalId)) {
    throw new DomainError(
      'proposal-unknown',
      'rejected',
      `proposal ${proposalId} does not exist in this negotiation`,
      'data.proposalId',
    );
  }
  const proposal = situation.proposalAsOf(proposalId);
  if (!proposal) {
    throw new DomainError(
      'proposal-not-yet-made',
      'rejected',
      `proposal ${proposalId} was made after ${development.occurredAt}, so it cannot be answered then`,
      'data.proposalId',
    );
  }
  if (!OPEN_PROPOSAL_STATUSES.includes(proposal.status)) {
    throw new DomainError(
      'proposal-closed',
      'rejected',
      `proposal ${proposalId} was already ${proposal.status} as of ${development.occurredAt}`,
      'data.proposalId',
    );
  }
  if (response === 'withdrawn' && by !== proposal.by) {
    throw new DomainError(
      'proposal-withdrawn-by-proposer-only',
      'rejected',
      `only the proposer (${proposal.by}) can withdraw proposal ${proposalId}`,
      'data.by',
    );
  }
  if (response !== 'withdrawn' && !proposal.to.includes(by)) {
    throw new DomainError(
      'proposal-response-by-addressee-only',
      'rejected',
      `only a party the proposal was made to (${proposal.to.join(', ')}) can answer it with ${response}`,
      'data.by',
    );
  }
}

function checkRetraction(
  development: DevelopmentOf<'DevelopmentRetracted'>,
  situation: Situation,
): void {
  const { targetEventId } = development.data;
  const target = situation.recordedEvent(targetEventId);
  if (!target) {
    throw new DomainError(
      'retraction-target-unknown',
      'rejected',
      `no event ${targetEventId} in this negotiation`,
      'data.targetEventId',
    );
  }
  if (target.type === 'NegotiationOpened' || target.type === 'DevelopmentRetracted') {
    throw new DomainError(
      'retraction-target-not-retractable',
      'rejected',
      `a ${target.type} cannot be retracted`,
      'data.targetEventId',
    );
  }
  if (target.retracted) {
    throw new DomainError(
      'retraction-target-already-retracted',
      'rejected',
      `event ${targetEventId} is already retracted`,
      'data.targetEventId',
    );
  }
}
