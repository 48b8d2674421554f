import type { TObject } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { LIMITS } from '../vocabulary';
import { OptionalText, Source, Time } from './fields';
import type { DefinedType } from './index';
import { DEVELOPMENTS } from './index';

/**
 * The envelope of a development of `type`, as a client posts it (without `expectedRevision`,
 * which the HTTP route adds) and as a store keeps it: `type` and `eventId` beside the rest.
 */
export function envelopeSchema(type: DefinedType): TObject {
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
      occurredAt: Time(
        'When the development happened in the world (valid time). A date-only value means 00:00:00.000Z of that day. More than 1 day in the future is 422.',
      ),
      reportedAt: Type.Optional(Time('When the source published it.')),
      source: Type.Optional(Source),
      summary: OptionalText(LIMITS.envelopeSummary),
      data: DEVELOPMENTS[type].data,
    },
    { additionalProperties: false },
  );
}
