import type {
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { EVIDENCE_STATUSES } from '@parley/domain';

type Schema = SchemaObject | ReferenceObject;

/**
 * What contract v1.1 ("Evidence") adds to the answers' schemas: `evidence` on every development
 * the log lists, and `evidenceStatus` on every state item that names the development behind it.
 * Added to the components by name, so the answers' own schemas stay as they are written.
 */

const STATUS_DESCRIPTION =
  'disputed (any dispute), confirmed (a party confirms it, or its own attribution is official-statement or document), corroborated (two or more originating sources), else reported';

/** The `minEvidence` query parameter, wherever it is taken. */
export const MIN_EVIDENCE_DESCRIPTION =
  'Fold only the reports whose evidence status, as known at knownAt, is at least this (reported < corroborated < confirmed; disputed is below them all). NegotiationOpened, PartyJoined, retractions, confirmations and disputes are always folded. Omitted: every report.';

const EVIDENCE: SchemaObject = {
  type: 'object',
  nullable: true,
  description:
    'How well the report is supported, as known at knownAt (the confirmations and disputes recorded by then and not retracted by then). null for what is not a report: NegotiationOpened, retractions, confirmations, disputes, and developments no fold can read',
  required: ['status', 'sources', 'confirmedBy', 'disputedBy'],
  properties: {
    status: { type: 'string', enum: [...EVIDENCE_STATUSES], description: STATUS_DESCRIPTION },
    sources: {
      type: 'array',
      items: { type: 'string' },
      description:
        'The distinct originating sources (source.via when given, else source.name) of the report and of its confirmations, in order of recording; told apart regardless of case',
      example: ['Reuters', 'Bloomberg'],
    },
    confirmedBy: {
      type: 'array',
      items: { type: 'string' },
      description: 'The parties (data.by) that confirm it',
      example: [],
    },
    disputedBy: {
      type: 'array',
      items: { type: 'string' },
      description:
        'The parties that dispute it, or for a dispute without a party its originating source',
      example: ['CN'],
    },
  },
};

const evidenceStatus = (nullable: boolean): SchemaObject => ({
  type: 'string',
  enum: nullable ? [...EVIDENCE_STATUSES, null] : [...EVIDENCE_STATUSES],
  ...(nullable ? { nullable: true } : {}),
  description: `The evidence status of the development named by eventId, as known at knownAt${nullable ? ' (null when eventId is null)' : ''}: ${STATUS_DESCRIPTION}`,
});

/** State items that carry an eventId: each carries evidenceStatus (null where eventId may be null). */
const STATE_ITEMS = [
  'TariffLine',
  'TariffLineValue',
  'PossibleTariffLine',
  'ScheduledTradeMeasureChange',
  'PossibleTradeMeasureChange',
  'TradeMeasureItem',
];

const isListedDevelopment = (name: string): boolean =>
  (name.startsWith('Listed') && name !== 'ListedDevelopment') || name === 'UnreadableDevelopment';

function withProperty(schema: SchemaObject, name: string, property: Schema): SchemaObject {
  return {
    ...schema,
    required: [...new Set([...(schema.required ?? []), name])],
    properties: { ...schema.properties, [name]: property },
  };
}

/** The component schemas with the Evidence schema, `evidence` on listed developments and `evidenceStatus` on state items. */
export function withEvidenceSchemas(schemas: Record<string, Schema>): Record<string, Schema> {
  const result: Record<string, Schema> = { ...schemas, Evidence: EVIDENCE };
  for (const [name, schema] of Object.entries(schemas)) {
    if ('$ref' in schema || !schema.properties) continue;
    if (isListedDevelopment(name)) {
      // Evidence is itself nullable, as TariffLineValue is: a $ref takes no siblings in OpenAPI 3.0.
      result[name] = withProperty(schema, 'evidence', { $ref: '#/components/schemas/Evidence' });
    } else if (STATE_ITEMS.includes(name)) {
      const eventId = schema.properties.eventId as SchemaObject | undefined;
      result[name] = withProperty(
        schema,
        'evidenceStatus',
        evidenceStatus(eventId?.nullable === true),
      );
    }
  }
  return result;
}
