import { DomainError } from '../domain-error';
import { LIMITS, PROPOSAL_SUBJECTS } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, PartyCode, PartyCodes, Slug, Terms, Text, oneOf } from './fields';

/**
 * Opens a proposal, status `proposed`; its id is unique in the negotiation (a retracted one is
 * free again). Reported as `considered`, the proposal is only weighed (status `considered`, not
 * open); a later occurred ProposalMade of the same id by the same party makes it.
 */
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
  modalities: ['considered'],
  decide: (data, situation) => {
    const holder = situation.proposalHolder(data.proposalId);
    if (holder === undefined) return;
    // Only considered so far, by the same party: making it (or reporting it weighed again) is the same proposal.
    if (holder.by === data.by && !holder.made) return;
    throw new DomainError(
      'proposal-id-in-use',
      'conflict',
      holder.by === data.by
        ? `proposal ${data.proposalId} already exists in this negotiation`
        : `proposal ${data.proposalId} already exists in this negotiation, by ${holder.by}`,
      'data.proposalId',
    );
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
