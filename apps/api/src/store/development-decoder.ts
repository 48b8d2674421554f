import type { DefinedType, DevelopmentText, Instant, RecordedDevelopment } from '@parley/domain';
import {
  DEVELOPMENTS,
  envelopeFaults,
  envelopeSchema,
  parseInstant,
  toInstant,
  withParsedTimes,
} from '@parley/domain';
import type { StoredEvent } from '@parley/event-store';
import { compileSchema, fieldErrorsOf } from '../http/schema-validation';

/**
 * Decodes what a store holds into developments the folds can read, whatever was stored.
 *
 * A stored development is checked against its type's envelope schema (libs/domain/src/
 * developments: the one requests are validated with, without `expectedRevision`), so the folds
 * see only the shapes they were written for. Nulls are read as absent: requests refuse them
 * today, but earlier versions stored `"summary": null` and the like. What still fails the schema
 * (an unknown type, an outcome no fold knows) becomes a `DevelopmentUnreadable`: the log lists
 * it as stored, the folds skip it, and it can be retracted; no stored event can make a read fail.
 *
 * Its times are read by the domain's time parser (withParsedTimes): a stored time that matches
 * the pattern but is not on the calendar (2025-02-30) makes the development unreadable too.
 *
 * Stored developments carry no schema version: everything stored so far is version 1, the
 * contract's shape. A later version's upcaster goes here, before the check.
 */

/** What the store keeps of a development besides its type and id (see toNewEvent). */
type StoredFields = Record<string, unknown>;

/**
 * Each type's check: a fast yes or no (start-up decodes every stored development), and the
 * list of every offending field for the rare one that fails.
 */
const CHECKS = new Map(
  (Object.keys(DEVELOPMENTS) as DefinedType[]).map((type) => [
    type as string,
    {
      passes: compileSchema<DevelopmentText>(envelopeSchema(type, 'stored'), true),
      reasons: compileSchema<DevelopmentText>(envelopeSchema(type, 'stored')),
    },
  ]),
);

/** Why a stored development fails its schema: its offending fields. */
function reasonOf(errors: Parameters<typeof fieldErrorsOf>[0]): string {
  const fields = fieldErrorsOf(errors);
  return fields.length
    ? fields.map((f) => `${f.path}: ${f.message}`).join('; ')
    : 'it does not match its schema';
}

/** Whether an object field anywhere in `value` is null (loops, not Object.values: no array per object). */
function hasNullField(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (hasNullField(item)) return true;
    return false;
  }
  for (const key in value) {
    const field = (value as Record<string, unknown>)[key];
    if (field === null || hasNullField(field)) return true;
  }
  return false;
}

/** Without the object fields whose value is null (at any depth), copied only when there are some; null array items stay, and fail. */
function withoutNulls(value: unknown): unknown {
  if (!hasNullField(value)) return value;
  return copyWithoutNulls(value);
}

function copyWithoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyWithoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== null) out[key] = copyWithoutNulls(field);
  }
  return out;
}

/** Where a development is placed when its recordedAt is not a time (never written so by Parley). */
const BEFORE_ANY_RECORDING = toInstant(0);

/** When the store recorded an event, as an instant (the epoch if what it holds is not a time). */
export function recordedAtOf(event: StoredEvent): Instant {
  return parseInstant(event.recordedAt, 'start-of-day') ?? BEFORE_ANY_RECORDING;
}

/**
 * The last recordedAt read and what it read as. The developments of one append share their
 * recordedAt, and they are read one after another: reusing the instant saves parsing it again and
 * keeps one copy of its text for them all (not one string per development in the read model).
 */
let lastRecordedAt: { text: string; instant: Instant | undefined } = {
  text: '',
  instant: undefined,
};

function recordedInstant(text: string): Instant | undefined {
  if (text !== lastRecordedAt.text) {
    lastRecordedAt = { text, instant: parseInstant(text, 'start-of-day') };
  }
  return lastRecordedAt.instant;
}

/** Decodes one stored event into a recorded development: readable, or `DevelopmentUnreadable`. */
export function decodeStored(event: StoredEvent, negotiationId: string): RecordedDevelopment {
  const stored = withoutNulls(event.data) as StoredFields;
  const recordedAt = recordedInstant(event.recordedAt);
  const place = {
    negotiationId,
    revision: event.revision,
    recordedAt: recordedAt ?? BEFORE_ANY_RECORDING,
  };
  // The envelope's type and id first, then set again over whatever the data holds under those
  // names: an object literal that begins with a spread gets a hidden class of its own in V8, one
  // per development (measured: 32 MB of maps at 100k, and every check on it megamorphic).
  const candidate: StoredFields = { type: event.type, eventId: event.eventId, ...stored };
  candidate.type = event.type;
  candidate.eventId = event.eventId;
  const check = CHECKS.get(event.type);
  let reason: string;
  if (!check) reason = `no development type is called ${event.type}`;
  else if (!check.passes(candidate)) {
    check.reasons(candidate);
    reason = reasonOf(check.reasons.errors);
  } else if (envelopeFaults(candidate.type, candidate).length) {
    reason = envelopeFaults(candidate.type, candidate)
      .map((fault) => `${fault.path}: ${fault.message}`)
      .join('; ');
  } else {
    const read = withParsedTimes(candidate);
    // Placed on the development withParsedTimes has just made (its own), not spread into a copy:
    // a copy by spread gets a hidden class per development (see candidate above).
    if ('development' in read && recordedAt !== undefined)
      return Object.assign(read.development, place);
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
