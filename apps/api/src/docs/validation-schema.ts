import type {
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { getMetadataStorage } from 'class-validator';
import { TIME_PATTERN } from '@parley/domain';

/**
 * OpenAPI schemas derived from the class-validator decorators of the query DTOs, so that the
 * document says exactly what the validation pipe enforces and cannot drift from it. Nested DTOs
 * (`@ValidateNested() @Type(() => X)`) become `$ref`s to their own schema, collected on the way.
 */

export type Constructor = abstract new (...args: never[]) => object;

/** What the decorators cannot say: the meaning of a field, by its name (shared by every DTO). */
export const FIELD_DESCRIPTIONS: Record<string, string> = {
  occurredAt:
    'When the development happened in the world (valid time). A date-only value means 00:00:00.000Z of that day. More than 1 day in the future is 422.',
  reportedAt: 'When the source published it.',
  effectiveAt:
    'When the measure starts to apply; may differ from occurredAt (announced 2 April, effective 9 April). A date-only value means 00:00:00.000Z of that day.',
  eventId: 'Idempotency key, unique across all negotiations; the server makes one when absent.',
  expectedRevision:
    'Optimistic concurrency: the stream revision the client last saw; 409 (with the actual revision) when the stream has moved on.',
  summary: 'A one-line human summary.',
  rate: 'Percent ad valorem; 0 lifts the line.',
  measure:
    'Slug naming the tariff line or trade measure (`fentanyl-ieepa`, `reciprocal`, `de-minimis-exemption`).',
  coverage: 'Only `all-goods` lines count toward a pair’s total.',
  imposedBy: 'Party code of the party imposing it.',
  appliedTo: 'Party code(s) it applies to.',
  targetEventId: 'The eventId of the development whose report was false.',
  asOf: 'Valid time: the world on this date as now known. A date-only value means the END of that day (23:59:59.999Z). Default: now.',
  knownAt:
    'Transaction time: only what the tracker had recorded by then. A date-only value means the END of that day. Default: everything recorded.',
  from: 'occurredAt range start, inclusive; a date-only value means the start of that day.',
  to: 'occurredAt range end, inclusive; a date-only value means the END of that day.',
  type: 'The development type.',
  party: 'Only developments naming this party.',
  includeRetracted:
    'Also list developments that were retracted (their `retracted` is true). Default false.',
  limit: 'Page size, 1..1000 (default 100).',
  cursor: 'The `nextCursor` of the previous page (opaque).',
  status: 'Which proposals: `open` (default: proposed or under-review), `all`, or one status.',
};

/** The forms IsIsoTime takes: the domain's pattern of parseInstant's forms (one definition). */
export const ISO_TIME_PATTERN = TIME_PATTERN;

const ISO_TIME_DESCRIPTION =
  'ISO 8601: a date `YYYY-MM-DD` or a date-time with `Z` or an offset; impossible dates (2025-02-30) are 400.';

export type Schema = SchemaObject | ReferenceObject;

export interface Collected {
  schemas: Record<string, Schema>;
  /** Component names for classes whose name is not the one to publish (`PartyDto` → `Party`). */
  names?: Record<string, string>;
}

const nameOf = (target: Constructor): string => target.name;

/** The class a `@Type(() => X)` names for a property, if any. */
function nestedClassOf(target: Constructor, property: string): Constructor | undefined {
  const meta = defaultMetadataStorage.findTypeMetadata(target, property);
  const type = meta?.typeFunction() as Constructor | undefined;
  return type && type !== Number && type !== String && type !== Boolean ? type : undefined;
}

/** Applies one validation constraint to a (property or item) schema. */
function applyConstraint(schema: SchemaObject, meta: ValidationMetadata): void {
  const first: unknown = (meta.constraints as unknown[] | undefined)?.[0];
  switch (meta.name) {
    case 'isString':
      schema.type = 'string';
      break;
    case 'isNotEmpty':
      if (schema.type === 'string' || schema.type === undefined) schema.minLength = 1;
      break;
    case 'maxLength':
      schema.maxLength = first as number;
      break;
    case 'minLength':
      schema.minLength = first as number;
      break;
    case 'matches':
      schema.type = 'string';
      schema.pattern = (first as RegExp).source;
      break;
    case 'isIn':
      schema.enum = [...(first as unknown[])];
      schema.type ??= typeof (first as unknown[])[0] === 'number' ? 'number' : 'string';
      break;
    case 'equals':
      schema.enum = [first];
      schema.type ??= 'string';
      break;
    case 'isUuid':
      schema.type = 'string';
      schema.format = 'uuid';
      break;
    case 'isNumber':
      schema.type ??= 'number';
      break;
    case 'isInt':
      schema.type = 'integer';
      break;
    case 'min':
      schema.minimum = first as number;
      break;
    case 'max':
      schema.maximum = first as number;
      break;
    case 'isBooleanString':
      schema.type = 'string';
      schema.enum = ['true', 'false', '1', '0'];
      break;
    case 'isIsoTime':
      schema.type = 'string';
      schema.pattern = ISO_TIME_PATTERN;
      schema.description = schema.description
        ? `${schema.description} ${ISO_TIME_DESCRIPTION}`
        : ISO_TIME_DESCRIPTION;
      break;
    case 'isObject':
      schema.type = 'object';
      break;
    case 'isArray':
      schema.type = 'array';
      break;
    case 'arrayMinSize':
      schema.minItems = first as number;
      break;
    case 'arrayMaxSize':
      schema.maxItems = first as number;
      break;
    case 'arrayUnique':
      schema.uniqueItems = true;
      break;
    default:
      // A custom rule (e.g. isDevelopmentTypeList): its message is the best description there is.
      if (typeof meta.message === 'function' || typeof meta.message === 'string') break;
      schema.type ??= 'string';
  }
}

/**
 * The schema of one DTO class, registering it and every class it nests under `collected.schemas`
 * by class name. Returns a `$ref` to it.
 */
export function schemaRefFor(target: Constructor, collected: Collected): ReferenceObject {
  const name = collected.names?.[nameOf(target)] ?? nameOf(target);
  if (!collected.schemas[name]) {
    collected.schemas[name] = {}; // placeholder against cycles
    collected.schemas[name] = objectSchemaOf(target, collected);
  }
  return { $ref: `#/components/schemas/${name}` };
}

/** The property schemas and required list of a DTO class, from its validation metadata (inherited included). */
export function objectSchemaOf(target: Constructor, collected: Collected): SchemaObject {
  const metas = getMetadataStorage().getTargetValidationMetadatas(target, '', false, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const meta of metas) {
    const list = byProperty.get(meta.propertyName) ?? [];
    list.push(meta);
    byProperty.set(meta.propertyName, list);
  }
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const [property, list] of byProperty) {
    properties[property] = propertySchema(target, property, list, collected);
    if (!list.some((m) => m.type === 'conditionalValidation')) required.push(property);
  }
  return {
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
  };
}

function propertySchema(
  target: Constructor,
  property: string,
  metas: ValidationMetadata[],
  collected: Collected,
): Schema {
  const schema: SchemaObject = {};
  const description = FIELD_DESCRIPTIONS[property];
  if (description) schema.description = description;
  const nested = nestedClassOf(target, property);
  const isArray = metas.some((m) => m.name === 'isArray');
  const item: SchemaObject = {};
  // isIsoTime adds to the description; apply the field's own description first.
  for (const meta of metas) {
    if (
      meta.type === 'conditionalValidation' ||
      meta.type === 'isDefined' ||
      meta.type === 'nestedValidation'
    )
      continue;
    applyConstraint(meta.each ? item : schema, meta);
  }
  if (nested) {
    const ref = schemaRefFor(nested, collected);
    if (isArray) return { ...schema, type: 'array', items: ref };
    // A $ref cannot carry siblings in OpenAPI 3.0; wrap it when there is a description.
    return schema.description ? { description: schema.description, allOf: [ref] } : ref;
  }
  if (isArray) return { ...schema, type: 'array', items: Object.keys(item).length ? item : {} };
  return { ...schema, ...item };
}
