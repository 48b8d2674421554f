import { Type } from '@sinclair/typebox';
import { LIMITS } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, OptionalText, PartyCodes, Time } from './fields';

/** Talks `scheduled`, with the next round's time. */
export const TalksScheduledData = Data({
  scheduledFor: Time('When the round is to be held.'),
  venue: OptionalText(LIMITS.name),
  participants: Type.Optional(PartyCodes(1)),
});

export const talksScheduled = {
  data: TalksScheduledData,
  partiesNamed: (data) => data.participants ?? [],
  timeFields: ['scheduledFor'],
  example: { scheduledFor: '2025-05-10', venue: 'Geneva', participants: ['US', 'CN'] },
} satisfies DevelopmentDefinition<typeof TalksScheduledData>;
