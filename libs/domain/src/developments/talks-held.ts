import { Type } from '@sinclair/typebox';
import { LIMITS, TALKS_LEVELS, TALKS_OUTCOMES } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, OptionalText, PartyCodes, oneOf } from './fields';

/** A round of talks: the status follows its outcome. */
export const TalksHeldData = Data({
  participants: PartyCodes(2),
  venue: OptionalText(LIMITS.name),
  level: Type.Optional(oneOf(TALKS_LEVELS)),
  outcome: Type.Optional(oneOf(TALKS_OUTCOMES)),
});

export const talksHeld = {
  data: TalksHeldData,
  partiesNamed: (data) => data.participants,
  timeFields: [],
  example: {
    participants: ['US', 'CN'],
    venue: 'Geneva',
    level: 'ministerial',
    outcome: 'progress',
  },
} satisfies DevelopmentDefinition<typeof TalksHeldData>;
