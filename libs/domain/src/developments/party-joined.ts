import { DomainError } from '../domain-error';
import type { DevelopmentDefinition } from './definition';
import { Data, Party } from './fields';

/** A party joins the negotiation: it may be named from its occurredAt on. */
export const PartyJoinedData = Data({ party: Party });

export const partyJoined = {
  data: PartyJoinedData,
  partiesNamed: () => [],
  timeFields: [],
  decide: (data, situation) => {
    if (situation.isDeclared(data.party.code)) {
      throw new DomainError(
        'party-already-declared',
        'rejected',
        `party ${data.party.code} is already declared`,
        'data.party.code',
      );
    }
  },
  decisionKeys: (data) => ({ party: data.party.code }),
  example: { party: { code: 'EU', name: 'European Union' } },
} satisfies DevelopmentDefinition<typeof PartyJoinedData>;
