import { DomainError } from '../domain-error';
import { LIMITS } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, OptionalText, PartyCode, Slug } from './fields';

/** Closes the open demand (by, of, issue). */
export const DemandResolvedData = Data({
  by: PartyCode(),
  of: PartyCode(),
  issue: Slug(),
  summary: OptionalText(LIMITS.longText),
});

export const demandResolved = {
  data: DemandResolvedData,
  partiesNamed: (data) => [data.by, data.of],
  timeFields: [],
  decide: ({ by, of, issue }, situation, { occurredAt }) => {
    if (!situation.isDemandOpen(by, of, issue)) {
      throw new DomainError(
        'demand-not-open',
        'rejected',
        `no open demand by ${by} of ${of} on ${issue} as of ${occurredAt}`,
        'data.issue',
      );
    }
  },
  decisionKeys: (data) => ({ demand: [data.by, data.of, data.issue] }),
  example: { by: 'US', of: 'CN', issue: 'fentanyl-precursors' },
} satisfies DevelopmentDefinition<typeof DemandResolvedData>;
