import { Type } from '@sinclair/typebox';
import { LIMITS, STANCES } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, OptionalText, PartyCode, Text, oneOf } from './fields';

/** A statement; with a stance, the party's latest stance. */
export const StatementMadeData = Data({
  party: PartyCode(),
  speaker: Text(LIMITS.name),
  role: OptionalText(LIMITS.name),
  quote: OptionalText(LIMITS.longText),
  stance: Type.Optional(oneOf(STANCES)),
});

export const statementMade = {
  data: StatementMadeData,
  partiesNamed: (data) => [data.party],
  timeFields: [],
  example: { party: 'US', speaker: 'Donald Trump', role: 'President', stance: 'conciliatory' },
} satisfies DevelopmentDefinition<typeof StatementMadeData>;
