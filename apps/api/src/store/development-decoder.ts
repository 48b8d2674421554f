import type { DevelopmentText, Instant, RecordedDevelopment } from '@parley/domain';
import { RECORDABLE_TYPES, parseInstant, toInstant, withParsedTimes } from '@parley/domain';
import type { StoredEvent } from '@parley/event-store';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { requestSchemas } from '../docs/openapi';

/**
 * Decodes what a store holds into developments the folds can read, whatever was stored.
 *
 * A stored development is checked against the schema its type is posted with (the one the
 * OpenAPI document publishes, derived from the request DTOs), so the folds see only the shapes
 * they were written for. Nulls are read as absent: requests refuse them today, but earlier
 * versions stored `"summary": null` and the like. What still fails the schema (an unknown type,
 * an outcome no fold knows) becomes a `DevelopmentUnreadable`: the log lists it as stored, the
 * folds skip it, and it can be retracted; no stored event can make a read fail.
 *
 * Its times are read by the domain's time parser (withParsedTimes): a stored time that matches
 * the pattern but is not on the calendar (2025-02-30) makes the development unreadable too.
 *
 * Stored developments carry no schema version: everything stored so far is version 1, the
 * contract's shape. A later version's upcaster goes here, before the check.
 */

/** What the store keeps of a development besides its type and id (see toNewEvent). */
type StoredFields = Record<string, unknown>;

const ajv = new Ajv({ strict: false, allErrors: false });
addFormats(ajv);
ajv.addSchema({ components: { schemas: requestSchemas() } }, 'requests');

const envelopeSchema = (name: string) => ({ $ref: `requests#/components/schemas/${name}` });
const propertyOf = (schema: string, ...path: string[]) => ({
  $ref: `requests#/components/schemas/${schema}/properties/${path.join('/properties/')}`,
});

/** NegotiationOpened is stored as `{occurredAt, data: {title, parties, description?}}`, from POST /negotiations. */
const negotiationOpened = {
  type: 'object',
  required: ['type', 'eventId', 'occurredAt', 'data'],
  properties: {
    type: { const: 'NegotiationOpened' },
    eventId: { type: 'string' },
    occurredAt: propertyOf('TalksHeldDevelopment', 'occurredAt'),
    data: {
      type: 'object',
      required: ['title', 'parties'],
      additionalProperties: false,
      properties: {
        title: propertyOf('OpenNegotiationRequest', 'title'),
        parties: propertyOf('OpenNegotiationRequest', 'parties'),
        description: propertyOf('OpenNegotiationRequest', 'description'),
      },
    },
  },
  additionalProperties: false,
};

const CHECKS = new Map<string, ValidateFunction<DevelopmentText>>([
  ['NegotiationOpened', ajv.compile<DevelopmentText>(negotiationOpened)],
  ...RECORDABLE_TYPES.map(
    (type) => [type, ajv.compile<DevelopmentText>(envelopeSchema(`${type}Development`))] as const,
  ),
]);

/** `/data/outcome` → `data.outcome`, `/data/to/1` → `data.to[1]`: the paths problem answers use. */
function pathOf(error: ErrorObject): string {
  return error.instancePath
    .split('/')
    .slice(1)
    .reduce(
      (path, key) => (/^\d+$/.test(key) ? `${path}[${key}]` : path ? `${path}.${key}` : key),
      '',
    );
}

function reasonOf(errors: readonly ErrorObject[] | null | undefined): string {
  const error = errors?.[0];
  if (!error) return 'it does not match its schema';
  const path = pathOf(error);
  const extra =
    error.keyword === 'enum'
      ? `: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
      : error.keyword === 'additionalProperties'
        ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
        : '';
  return `${path || 'the development'} ${error.message ?? 'is not valid'}${extra}`;
}

/** A copy without the object fields whose value is null (at any depth); null array items stay, and fail. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== null) out[key] = withoutNulls(field);
  }
  return out;
}

/** Where a development is placed when its recordedAt is not a time (never written so by Parley). */
const BEFORE_ANY_RECORDING = toInstant(0);

/** When the store recorded an event, as an instant (the epoch if what it holds is not a time). */
export function recordedAtOf(event: StoredEvent): Instant {
  return parseInstant(event.recordedAt, 'start-of-day') ?? BEFORE_ANY_RECORDING;
}

/** Decodes one stored event into a recorded development: readable, or `DevelopmentUnreadable`. */
export function decodeStored(event: StoredEvent, negotiationId: string): RecordedDevelopment {
  const stored = withoutNulls(event.data) as StoredFields;
  const recordedAt = parseInstant(event.recordedAt, 'start-of-day');
  const place = {
    negotiationId,
    revision: event.revision,
    recordedAt: recordedAt ?? BEFORE_ANY_RECORDING,
  };
  const candidate = { ...stored, type: event.type, eventId: event.eventId };
  const check = CHECKS.get(event.type);
  let reason: string;
  if (!check) reason = `no development type is called ${event.type}`;
  else if (!check(candidate)) reason = reasonOf(check.errors);
  else {
    const read = withParsedTimes(candidate);
    if ('development' in read && recordedAt !== undefined) return { ...read.development, ...place };
    reason =
      'invalidTime' in read
        ? `${read.invalidTime} is not a real time`
        : `recordedAt ${event.recordedAt} is not a time`;
  }
  const occurredAt =
    typeof stored.occurredAt === 'string'
      ? parseInstant(stored.occurredAt, 'start-of-day')
      : undefined;
  return {
    type: 'DevelopmentUnreadable',
    eventId: event.eventId,
    // Sorted where it was dated when that much is readable, else where it was recorded.
    occurredAt: occurredAt ?? place.recordedAt,
    data: { storedType: event.type, stored, reason },
    ...place,
  };
}
