import { DomainError } from '../domain-error';
import { LIMITS, PROPOSAL_SUBJECTS } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, PartyCode, PartyCodes, Slug, Terms, Text, oneOf } from './fields';

/** Opens a proposal, status `proposed`; its id is unique in the negotiation (a retracted one is free again). */
export const ProposalMadeData = Data({
  proposalId: Slug(),
  by: PartyCode(),
  to: PartyCodes(1),
  subject: oneOf(PROPOSAL_SUBJECTS),
  summary: Text(LIMITS.longText),
  terms: Terms(),
});

export const proposalMade = {
  data: ProposalMadeData,
  partiesNamed: (data) => [data.by, ...data.to],
  timeFields: [],
  decide: (data, situation) => {
    if (situation.isProposalIdInUse(data.proposalId)) {
      throw new DomainError(
        'proposal-id-in-use',
        'conflict',
        `proposal ${data.proposalId} already exists in this negotiation`,
        'data.proposalId',
      );
    }
  },
  decisionKeys: (data) => ({ proposal: data.proposalId }),
  example: {
    proposalId: 'geneva-talks',
    by: 'US',
    to: ['CN'],
    subject: 'talks',
    summary: 'Talks in Geneva on tariffs',
  },
} satisfies DevelopmentDefinition<typeof ProposalMadeData>;
