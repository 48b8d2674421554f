import type { TSchema } from '@sinclair/typebox';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from './problem';

/**
 * Validation against the development types' schemas (libs/domain/src/developments), compiled
 * once with ajv: request bodies on the recording routes, and what the store boundary decodes.
 * Every offending field is reported, as `{path, message}` with paths like `events[2].data.rate`.
 */

const everyError = new Ajv({ allErrors: true, strict: false, verbose: true });
addFormats(everyError);
/** Stops at the first error: for a yes or no (about 6 times faster than listing every error). */
const firstError = new Ajv({ strict: false });
addFormats(firstError);

/** A validator that lists every offending field (`errors`), or, with `firstErrorOnly`, answers only yes or no fast. */
export function compileSchema<T>(schema: TSchema, firstErrorOnly = false): ValidateFunction<T> {
  return (firstErrorOnly ? firstError : everyError).compile<T>(schema);
}

/** `/data/to/1` under `events[2]` → `events[2].data.to[1]`. */
function pathOf(prefix: string, pointer: string, child?: string): string {
  const keys = pointer.split('/').slice(1);
  if (child !== undefined) keys.push(child);
  return keys.reduce(
    (path, key) => (/^\d+$/.test(key) ? `${path}[${key}]` : path ? `${path}.${key}` : key),
    prefix,
  );
}

/** What a 400 says of one broken constraint, in the words class-validator used before it. */
function messageOf(field: string, error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const schema = error.parentSchema as { message?: string } | undefined;
  switch (error.keyword) {
    case 'required':
      return `${field} is required`;
    case 'additionalProperties':
      return `${field} should not exist`;
    case 'type':
      return `${field} must be ${params.type === 'object' ? 'an' : 'a'} ${String(params.type)}`;
    case 'enum':
      return `${field} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `${field} must be ${String(params.allowedValue)}`;
    case 'pattern':
    case 'format':
      return `${field} ${schema?.message ?? `must match ${String(params.pattern ?? params.format)}`}`;
    case 'minLength':
      return params.limit === 1
        ? `${field} should not be empty`
        : `${field} must be at least ${String(params.limit)} characters long`;
    case 'maxLength':
      return `${field} must be at most ${String(params.limit)} characters long`;
    case 'minimum':
      return `${field} must not be less than ${String(params.limit)}`;
    case 'maximum':
      return `${field} must not be greater than ${String(params.limit)}`;
    case 'minItems':
      return `${field} must contain at least ${String(params.limit)} elements`;
    case 'maxItems':
      return `${field} must contain at most ${String(params.limit)} elements`;
    case 'uniqueItems':
      return `${field} must not repeat a value (items ${String(params.j)} and ${String(params.i)} are the same)`;
    default:
      return `${field} ${error.message ?? 'is not valid'}`;
  }
}

/** The offending fields of a failed validation, each once, under `prefix`. */
export function fieldErrorsOf(
  errors: readonly ErrorObject[] | null | undefined,
  prefix = '',
): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors ?? []) {
    const params = error.params as { missingProperty?: string; additionalProperty?: string };
    const path = pathOf(
      prefix,
      error.instancePath,
      params.missingProperty ?? params.additionalProperty,
    );
    const field =
      path
        .replace(/\[\d+\]$/, '')
        .split('.')
        .pop() ||
      path ||
      'body';
    // One message a field: a value of the wrong type breaks its enum too, which says nothing more.
    if (out.some((known) => known.path === (path || 'body'))) continue;
    out.push({ path: path || 'body', message: messageOf(field, error) });
  }
  return out;
}
