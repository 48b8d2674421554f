import type { TSchema } from '@sinclair/typebox';
import type { RecordedDevelopment } from '@parley/domain';
import { DEVELOPMENTS, SourceSchema } from '@parley/domain';

/**
 * What of a development is searched: its free text, found from the development types' schemas
 * (the registry in libs/domain/src/developments), so a type or a text field added there is
 * searched without a change here. Free text is a string with no pattern, no closed set of values
 * and no format (summary, quote, description, note, reason, terms, speaker, role, venue, title,
 * party names…), and the envelope's summary, source name and `via`. Codes, slugs, times and
 * vocabulary words are not: they are what the filters are for.
 */

/** A field of the index: a path whose array steps are `*` (`data.terms.*`, `data.parties.*.name`). */
export type SearchField = string;

/** One piece of a development's free text, where it is: `data.terms.1`, `source.via`. */
export interface TextAt {
  field: SearchField;
  path: string;
  text: string;
}

interface JsonSchemaNode {
  type?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
}

function freeTextFields(schema: JsonSchemaNode, prefix: string, into: Set<SearchField>): void {
  if (schema.type === 'string') {
    const closed = schema.pattern ?? schema.enum ?? schema.const ?? schema.format;
    if (closed === undefined) into.add(prefix);
    return;
  }
  if (schema.type === 'array' && schema.items) {
    freeTextFields(schema.items, `${prefix}.*`, into);
    return;
  }
  if (schema.type === 'object' && schema.properties) {
    for (const [name, property] of Object.entries(schema.properties)) {
      freeTextFields(property, `${prefix}.${name}`, into);
    }
  }
}

function fieldsOf(schema: TSchema, prefix: string): SearchField[] {
  const fields = new Set<SearchField>();
  freeTextFields(schema as JsonSchemaNode, prefix, fields);
  return [...fields];
}

const ENVELOPE_FIELDS: SearchField[] = ['summary', ...fieldsOf(SourceSchema, 'source')];

/** The free-text fields of each development type's `data`. */
const DATA_FIELDS: Record<string, SearchField[]> = Object.fromEntries(
  Object.entries(DEVELOPMENTS).map(([type, definition]) => [
    type,
    fieldsOf(definition.data, 'data'),
  ]),
);

/** Every field the index knows, each development type's and the envelope's. */
export const SEARCH_FIELDS: readonly SearchField[] = [
  ...new Set([...ENVELOPE_FIELDS, ...Object.values(DATA_FIELDS).flat()]),
];

/** The values at a field's path, with the concrete path of each (array steps as indices). */
function valuesAt(
  value: unknown,
  steps: readonly string[],
  path: string,
  into: TextAt[],
  field: string,
): void {
  if (steps.length === 0) {
    if (typeof value === 'string' && value.length > 0) into.push({ field, path, text: value });
    return;
  }
  const [step, ...rest] = steps as [string, ...string[]];
  if (step === '*') {
    if (!Array.isArray(value)) return;
    value.forEach((item, i) => valuesAt(item, rest, `${path}.${i}`, into, field));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const next = (value as Record<string, unknown>)[step];
  valuesAt(next, rest, path === '' ? step : `${path}.${step}`, into, field);
}

/**
 * A development's free text, field by field, in the order of its type's fields. An unreadable
 * development (stored under a type or with fields the contract does not know) is searched by its
 * envelope as stored (summary, source) only: its data may not be what its type says.
 */
export function searchableText(development: RecordedDevelopment): TextAt[] {
  const texts: TextAt[] = [];
  if (development.type === 'DevelopmentUnreadable') {
    const stored = development.data.stored;
    for (const field of ENVELOPE_FIELDS) valuesAt(stored, field.split('.'), '', texts, field);
    return texts;
  }
  const fields = [...ENVELOPE_FIELDS, ...(DATA_FIELDS[development.type] ?? [])];
  for (const field of fields) valuesAt(development, field.split('.'), '', texts, field);
  return texts;
}
