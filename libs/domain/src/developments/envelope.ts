import type { TObject } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { OCCURRED_PRECISIONS } from '../time';
import type { Modality } from '../vocabulary';
import { LIMITS, MODALITIES } from '../vocabulary';
import type { DevelopmentDefinition, EnvelopeFault, EnvelopeFields } from './definition';
import { OccurredAt, OptionalText, Source, Time, oneOf } from './fields';
import type { DefinedType } from './index';
import { DEVELOPMENTS } from './index';

/**
 * Where an envelope is read: `request`, as a client posts it, or `stored`, as a store keeps it.
 * They differ in one field: a client may only say a date is `approximate` (the other precisions
 * follow from the form of its occurredAt), a store keeps the precision the development was read with.
 */
export type EnvelopeForm = 'request' | 'stored';

/**
 * The envelope of a development of `type`, as a client posts it (without `expectedRevision`,
 * which the HTTP route adds) and as a store keeps it: `type` and `eventId` beside the rest.
 */
export function envelopeSchema(type: DefinedType, form: EnvelopeForm = 'request'): TObject {
  return Type.Object(
    {
      type: Type.Literal(type, { description: 'The development type.' }),
      eventId: Type.Optional(
        Type.String({
          format: 'uuid',
          description:
            'Idempotency key, unique across all negotiations; the server makes one when absent.',
          message: 'must be a UUID',
        }),
      ),
      occurredAt: OccurredAt(
        'When the development happened in the world (valid time). A date-only value means 00:00:00.000Z of that day. More than 1 day in the future (its start, for a month or a year) is 422.',
      ),
      occurredPrecision: Type.Optional(
        form === 'request'
          ? oneOf(
              ['approximate'] as const,
              'Say `approximate` when the date is only roughly known ("around mid-March"), whatever its form.',
            )
          : oneOf(OCCURRED_PRECISIONS),
      ),
      // A request names only the modalities its type may report, so the OpenAPI document says
      // them per type (the page builds its choice from it); a store keeps what it was given.
      modality: Type.Optional(
        oneOf(
          form === 'request' ? modalitiesOf(type) : MODALITIES,
          'What kind of act it reports: `occurred` (the default), `threatened` (TariffChanged, TradeMeasureChanged) or `considered` (those and ProposalMade).',
        ),
      ),
      reportedAt: Type.Optional(Time('When the source published it.')),
      source: Type.Optional(Source),
      summary: OptionalText(LIMITS.envelopeSummary),
      data: DEVELOPMENTS[type].data,
    },
    { additionalProperties: false },
  );
}

/** The modalities a development of `type` may report: `occurred`, and those its module allows. */
export function modalitiesOf(type: DefinedType): readonly Modality[] {
  const allowed = (DEVELOPMENTS[type] as DevelopmentDefinition<TObject>).modalities ?? [];
  return MODALITIES.filter((m) => m === 'occurred' || allowed.includes(m));
}

/**
 * The rules of an envelope's form beyond its schema: its modality must be one its type may
 * report, and its type's own form rules (./definition.ts, envelopeFaults). Each fault is a 400.
 */
export function envelopeFaults(
  type: DefinedType,
  envelope: { modality?: Modality; source?: EnvelopeFields<unknown>['source']; data: object },
): EnvelopeFault[] {
  // TypeScript cannot relate a type to its own definition's data.
  const definition = DEVELOPMENTS[type] as DevelopmentDefinition<TObject>;
  const modality = envelope.modality ?? 'occurred';
  if (modality !== 'occurred' && !definition.modalities?.includes(modality)) {
    const allowed = (Object.keys(DEVELOPMENTS) as DefinedType[]).filter((t) =>
      (DEVELOPMENTS[t] as DevelopmentDefinition<TObject>).modalities?.includes(modality),
    );
    return [
      {
        path: 'modality',
        message: `modality ${modality} is not allowed on ${type}; it is allowed on ${allowed.join(', ')}`,
      },
    ];
  }
  return [
    ...(definition.envelopeFaults?.({
      modality,
      ...(envelope.source !== undefined ? { source: envelope.source } : {}),
      data: envelope.data as never,
    }) ?? []),
  ];
}

/** The fault of a field its type requires unless the act is only `considered`. */
export function requiredUnlessConsidered(
  envelope: EnvelopeFields<object>,
  field: string,
): EnvelopeFault[] {
  if (envelope.modality === 'considered' || field in envelope.data) return [];
  return [
    {
      path: `data.${field}`,
      message: `data.${field} is required (it may be left out only when modality is considered)`,
    },
  ];
}
