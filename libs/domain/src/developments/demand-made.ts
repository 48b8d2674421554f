import { LIMITS } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, PartyCode, Slug, Text } from './fields';

/** An open demand (by, of, issue); made again while open it is restated, after resolution reopened. */
export const DemandMadeData = Data({
  by: PartyCode(),
  of: PartyCode(),
  issue: Slug(),
  summary: Text(LIMITS.longText),
});

export const demandMade = {
  data: DemandMadeData,
  partiesNamed: (data) => [data.by, data.of],
  timeFields: [],
  decisionKeys: (data) => ({ demand: [data.by, data.of, data.issue] }),
  example: {
    by: 'US',
    of: 'CN',
    issue: 'fentanyl-precursors',
    summary: 'Stop the flow of fentanyl precursor chemicals',
  },
} satisfies DevelopmentDefinition<typeof DemandMadeData>;
