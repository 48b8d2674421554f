import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { parseInstant } from '../time';
import { COVERAGES, LIMITS } from '../vocabulary';
import type { DevelopmentDefinition, EnvelopeFault } from './definition';
import { requiredUnlessConsidered } from './envelope';
import { Data, OptionalText, PartyCode, ProductCodes, Slug, Time, oneOf } from './fields';
import { partiesMustDiffer } from './parties-differ';

/** Sets a tariff line's rate (imposedBy, appliedTo, measure) from effectiveAt on; 0 lifts the line. */
export const TariffChangedData = Data({
  imposedBy: PartyCode('Party code of the party imposing it.'),
  appliedTo: PartyCode('Party code of the party it applies to.'),
  measure: Slug('Slug naming the tariff line (`fentanyl-ieepa`, `reciprocal`).'),
  rate: Type.Number({
    minimum: 0,
    maximum: LIMITS.tariffRateMax,
    description: 'Percent ad valorem; 0 lifts the line.',
  }),
  effectiveAt: Type.Optional(
    Time(
      'Required unless modality is considered. When the line takes this rate; may differ from occurredAt.',
    ),
  ),
  coverage: oneOf(COVERAGES, 'Only `all-goods` lines count toward a pair’s total.'),
  until: Type.Optional(
    Time(
      'A temporary rate: the line is at `rate` from effectiveAt and at `thenRate` from `until`. Must be after effectiveAt (compared as instants), and only with effectiveAt; else 400 naming data.until.',
    ),
  ),
  thenRate: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: LIMITS.tariffRateMax,
      description:
        'The rate the line reverts to at `until` (default 0); only with `until`, else 400 naming data.thenRate.',
    }),
  ),
  products: Type.Optional(
    ProductCodes(
      'The goods a `selected-goods` line covers (product codes; each covers the codes that start with it). A selected-goods line without them has an unknown scope; on an `all-goods` line 400 naming data.products.',
    ),
  ),
  displaces: Type.Optional(
    Type.Array(Slug(), {
      minItems: 1,
      maxItems: LIMITS.displacedLines,
      uniqueItems: true,
      description:
        'Lines of the same pair that do not apply to the goods this line covers (Section 232 goods pay no reciprocal tariff).',
    }),
  ),
  description: OptionalText(LIMITS.longText),
});

export const tariffChanged = {
  data: TariffChangedData,
  partiesNamed: (data) => [data.imposedBy, data.appliedTo],
  timeFields: ['effectiveAt', 'until'],
  modalities: ['threatened', 'considered'],
  envelopeFaults: (envelope) => [
    ...requiredUnlessConsidered(envelope, 'effectiveAt'),
    ...temporaryRateFaults(envelope.data),
    ...(envelope.data.products !== undefined && envelope.data.coverage === 'all-goods'
      ? [
          {
            path: 'data.products',
            message:
              'data.products names the goods of a selected-goods line; an all-goods line covers every product (narrow it with TariffScopeChanged)',
          },
        ]
      : []),
  ],
  decide: (data) => {
    if (data.imposedBy === data.appliedTo) throw partiesMustDiffer('data.appliedTo');
  },
  decisionKeys: (data) => ({ tariffLine: [data.imposedBy, data.appliedTo, data.measure] }),
  example: {
    imposedBy: 'US',
    appliedTo: 'CN',
    measure: 'reciprocal',
    rate: 125,
    effectiveAt: '2025-04-10',
    coverage: 'all-goods',
  },
} satisfies DevelopmentDefinition<typeof TariffChangedData>;

/**
 * A temporary rate (contract v1.1): `until` is an instant after `effectiveAt`, so it needs one,
 * and `thenRate` says what the line reverts to then, so it needs `until`. The times are compared
 * as instants: they may be dates or carry offsets (a request's text, a store's canonical form).
 */
function temporaryRateFaults({
  effectiveAt,
  until,
  thenRate,
}: Static<typeof TariffChangedData>): EnvelopeFault[] {
  if (thenRate !== undefined && until === undefined) {
    return [{ path: 'data.thenRate', message: 'data.thenRate is allowed only with data.until' }];
  }
  if (until === undefined) return [];
  if (effectiveAt === undefined) {
    return [
      {
        path: 'data.until',
        message:
          'data.until is allowed only with data.effectiveAt (the rate applies from one to the other)',
      },
    ];
  }
  const [from, to] = [
    parseInstant(effectiveAt, 'start-of-day'),
    parseInstant(until, 'start-of-day'),
  ];
  // A time off the calendar is the time check's fault (timeFields), named there.
  if (from === undefined || to === undefined || to > from) return [];
  return [
    {
      path: 'data.until',
      message: `data.until (${to}) must be after data.effectiveAt (${from})`,
    },
  ];
}
