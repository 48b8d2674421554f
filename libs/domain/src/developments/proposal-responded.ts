import { Type } from '@sinclair/typebox';
import { DomainError } from '../domain-error';
import { LIMITS, OPEN_PROPOSAL_STATUSES, PROPOSAL_RESPONSES } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, OptionalText, PartyCode, Slug, oneOf } from './fields';

/** Sets a proposal's status to the response; only an open proposal, made by then, can be answered. */
export const ProposalRespondedData = Data({
  proposalId: Slug(),
  by: PartyCode(),
  response: oneOf(PROPOSAL_RESPONSES),
  counterProposalId: Type.Optional(Slug()),
  note: OptionalText(LIMITS.longText),
});

export const proposalResponded = {
  data: ProposalRespondedData,
  partiesNamed: (data) => [data.by],
  timeFields: [],
  decide: ({ proposalId, by, response }, situation, { occurredAt }) => {
    const refuse = (rule: DomainError['rule'], message: string, path = 'data.proposalId') =>
      new DomainError(rule, 'rejected', message, path);
    if (!situation.isProposalIdInUse(proposalId)) {
      throw refuse('proposal-unknown', `proposal ${proposalId} does not exist in this negotiation`);
    }
    const proposal = situation.proposalAsOf(proposalId);
    if (!proposal) {
      throw refuse(
        'proposal-not-yet-made',
        `proposal ${proposalId} was made after ${occurredAt}, so it cannot be answered then`,
      );
    }
    if (proposal.status === 'considered') {
      throw refuse(
        'proposal-not-made',
        `proposal ${proposalId} was only considered as of ${occurredAt}, not made, so it cannot be answered then`,
      );
    }
    if (!OPEN_PROPOSAL_STATUSES.includes(proposal.status)) {
      throw refuse(
        'proposal-closed',
        `proposal ${proposalId} was already ${proposal.status} as of ${occurredAt}`,
      );
    }
    if (response === 'withdrawn' && by !== proposal.by) {
      throw refuse(
        'proposal-withdrawn-by-proposer-only',
        `only the proposer (${proposal.by}) can withdraw proposal ${proposalId}`,
        'data.by',
      );
    }
    if (response !== 'withdrawn' && !proposal.to.includes(by)) {
      throw refuse(
        'proposal-response-by-addressee-only',
        `only a party the proposal was made to (${proposal.to.join(', ')}) can answer it with ${response}`,
        'data.by',
      );
    }
  },
  decisionKeys: (data) => ({ proposal: data.proposalId }),
  example: { proposalId: 'geneva-talks', by: 'CN', response: 'accepted' },
} satisfies DevelopmentDefinition<typeof ProposalRespondedData>;
