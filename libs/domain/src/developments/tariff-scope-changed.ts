import { Type } from '@sinclair/typebox';
import { DomainError } from '../domain-error';
import { LIMITS } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, OptionalText, PartyCode, ProductCodes, Slug, Time } from './fields';
import { partiesMustDiffer } from './parties-differ';

/**
 * Changes which goods a tariff line (imposedBy, appliedTo, measure) covers from effectiveAt on
 * (contract v1.1): it stops covering `exclude` and covers `include` again. Its rate is unchanged.
 */
export const TariffScopeChangedData = Data({
  imposedBy: PartyCode('Party code of the party imposing the line.'),
  appliedTo: PartyCode('Party code of the party the line applies to.'),
  measure: Slug(
    'Slug naming the tariff line whose scope changes: a TariffChanged of this imposedBy, appliedTo and measure that occurred (not only threatened or considered) at or before occurredAt, not retracted, else 422 tariff-line-unknown.',
  ),
  effectiveAt: Time('When the new scope applies; may be before occurredAt (back-dated).'),
  exclude: Type.Optional(
    ProductCodes(
      'Product codes the line stops covering. At least one of exclude and include (neither: 400 naming data.exclude).',
    ),
  ),
  include: Type.Optional(ProductCodes('Product codes the line covers again.')),
  description: OptionalText(LIMITS.longText),
});

export const tariffScopeChanged = {
  data: TariffScopeChangedData,
  partiesNamed: (data) => [data.imposedBy, data.appliedTo],
  timeFields: ['effectiveAt'],
  envelopeFaults: ({ data }) =>
    data.exclude === undefined && data.include === undefined
      ? [
          {
            path: 'data.exclude',
            message: 'a scope change needs data.exclude or data.include (product codes), or both',
          },
        ]
      : [],
  decide: ({ imposedBy, appliedTo, measure }, situation, { occurredAt }) => {
    if (imposedBy === appliedTo) throw partiesMustDiffer('data.appliedTo');
    if (!situation.isTariffLineKnown(imposedBy, appliedTo, measure)) {
      throw new DomainError(
        'tariff-line-unknown',
        'rejected',
        `no tariff line ${measure} of ${imposedBy} on ${appliedTo} is known as of ${occurredAt} (a TariffChanged of it that occurred by then, not retracted); record the line first`,
        'data.measure',
      );
    }
  },
  example: {
    imposedBy: 'US',
    appliedTo: 'CN',
    measure: 'reciprocal',
    effectiveAt: '2025-04-05T04:01:00Z',
    exclude: ['8471', '8517.13', '8542'],
  },
} satisfies DevelopmentDefinition<typeof TariffScopeChangedData>;
