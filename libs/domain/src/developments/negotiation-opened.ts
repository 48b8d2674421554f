import { Type } from '@sinclair/typebox';
import { LIMITS } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, OptionalText, Party, Text } from './fields';

/** Written only by POST /negotiations: the title and founding parties, in every fold whatever the asOf. */
export const NegotiationOpenedData = Data({
  title: Text(LIMITS.name),
  parties: Type.Array(Party, { minItems: 1, maxItems: 100 }),
  description: OptionalText(LIMITS.longText),
});

export const negotiationOpened = {
  data: NegotiationOpenedData,
  // The founding parties: it declares them (decide checks no declaration before it).
  partiesNamed: (data) => data.parties.map((p) => p.code),
  timeFields: [],
  decisionKeys: (data) => ({ founding: data.parties.map((p) => p.code) }),
  example: {
    title: 'US-China trade and fentanyl talks',
    parties: [
      { code: 'US', name: 'United States' },
      { code: 'CN', name: 'China' },
    ],
  },
} satisfies DevelopmentDefinition<typeof NegotiationOpenedData>;
