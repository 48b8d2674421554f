import { Type } from '@sinclair/typebox';
import { LIMITS, TRADE_MEASURE_ACTIONS, TRADE_MEASURE_KINDS } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { requiredUnlessConsidered } from './envelope';
import { Data, OptionalText, PartyCode, PartyCodes, Slug, Time, oneOf } from './fields';
import { partiesMustDiffer } from './parties-differ';

/** Sets a trade measure's status (imposedBy, measure) to `action` from effectiveAt on. */
export const TradeMeasureChangedData = Data({
  imposedBy: PartyCode('Party code of the party imposing it.'),
  appliedTo: PartyCodes(1, 'Party codes it applies to.'),
  measure: Slug('Slug naming the trade measure (`de-minimis-exemption`).'),
  kind: oneOf(TRADE_MEASURE_KINDS),
  action: oneOf(TRADE_MEASURE_ACTIONS),
  effectiveAt: Type.Optional(
    Time(
      'Required unless modality is considered. When the measure takes this status; may differ from occurredAt.',
    ),
  ),
  description: OptionalText(LIMITS.longText),
});

export const tradeMeasureChanged = {
  data: TradeMeasureChangedData,
  partiesNamed: (data) => [data.imposedBy, ...data.appliedTo],
  timeFields: ['effectiveAt'],
  modalities: ['threatened', 'considered'],
  envelopeFaults: (envelope) => requiredUnlessConsidered(envelope, 'effectiveAt'),
  decide: (data) => {
    const index = data.appliedTo.indexOf(data.imposedBy);
    if (index >= 0) throw partiesMustDiffer(`data.appliedTo[${index}]`);
  },
  example: {
    imposedBy: 'US',
    appliedTo: ['CN', 'HK'],
    measure: 'de-minimis-exemption',
    kind: 'exemption',
    action: 'revoked',
    effectiveAt: '2025-05-02',
  },
} satisfies DevelopmentDefinition<typeof TradeMeasureChangedData>;
