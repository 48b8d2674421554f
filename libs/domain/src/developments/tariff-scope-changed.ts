import { Type } from '@sinclair/typebox';
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
  measure: Slug('Slug naming the tariff line whose scope changes.'),
  effectiveAt: Time('When the new scope applies; may be before occurredAt (back-dated).'),
  exclude: Type.Optional(ProductCodes('Product codes the line stops covering.')),
  include: Type.Optional(ProductCodes('Product codes the line covers again.')),
  description: OptionalText(LIMITS.longText),
});

export const tariffScopeChanged = {
  data: TariffScopeChangedData,
  partiesNamed: (data) => [data.imposedBy, data.appliedTo],
  timeFields: ['effectiveAt'],
  decide: (data) => {
    if (data.imposedBy === data.appliedTo) throw partiesMustDiffer('data.appliedTo');
  },
  example: {
    imposedBy: 'US',
    appliedTo: 'CN',
    measure: 'reciprocal',
    effectiveAt: '2025-04-05T04:01:00Z',
    exclude: ['8471', '8517.13', '8542'],
  },
} satisfies DevelopmentDefinition<typeof TariffScopeChangedData>;
