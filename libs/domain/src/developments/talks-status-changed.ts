import { LIMITS, TALKS_STATUSES } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, OptionalText, oneOf } from './fields';

/** The talks' status as reported. */
export const TalksStatusChangedData = Data({
  status: oneOf(TALKS_STATUSES),
  note: OptionalText(LIMITS.longText),
});

export const talksStatusChanged = {
  data: TalksStatusChangedData,
  partiesNamed: () => [],
  timeFields: [],
  example: { status: 'stalled', note: 'No date for a next round' },
} satisfies DevelopmentDefinition<typeof TalksStatusChangedData>;
