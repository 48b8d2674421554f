import type { PipeTransform } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { Type } from '@sinclair/typebox';
import type { Development, DevelopmentText, RecordableType } from '@parley/domain';
import {
  DEVELOPMENTS,
  LIMITS,
  RECORDABLE_TYPES,
  TIME_MESSAGE,
  TIME_PATTERN,
  envelopeFaults,
  envelopeSchema,
  parseInstant,
  parseOccurredAt,
  withParsedTimes,
} from '@parley/domain';
import { randomUUID } from 'node:crypto';
import type { FieldError } from '../../http/problem';
import { Problem } from '../../http/problem';
import { compileSchema, fieldErrorsOf } from '../../http/schema-validation';

/** A development as a client posted it, its times read; with the revision it expects, if any. */
export interface PostedDevelopment {
  development: Development;
  expectedRevision?: number;
}

/** What a client posts: the envelope of the type's module, and optimistic concurrency. */
export function requestEnvelopeSchema(type: RecordableType) {
  return Type.Composite(
    [
      envelopeSchema(type),
      Type.Object({
        expectedRevision: Type.Optional(
          Type.Integer({
            minimum: 0,
            description:
              'Optimistic concurrency: the stream revision the client last saw; 409 (with the actual revision) when the stream has moved on.',
          }),
        ),
      }),
    ],
    { additionalProperties: false },
  );
}

type PostedEnvelope = DevelopmentText & { expectedRevision?: number };

/**
 * Per type: `passes` stops at the first error (a yes or no, several times faster: most posts are
 * valid), `reasons` lists every offending field, run only on a body `passes` refused.
 */
const VALIDATORS = new Map(
  RECORDABLE_TYPES.map((type) => [
    type,
    {
      passes: compileSchema<PostedEnvelope>(requestEnvelopeSchema(type), true),
      reasons: compileSchema<PostedEnvelope>(requestEnvelopeSchema(type)),
    },
  ]),
);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const TIME_FORM = new RegExp(TIME_PATTERN);

/**
 * The time fields that have the contract's form but are not on the calendar (2025-02-30): the
 * schema's pattern cannot tell, the time parser can. Found beside the schema's errors, so that
 * one answer names every offending field.
 */
function timesOffCalendar(body: Record<string, unknown>, type: RecordableType): string[] {
  const data = isPlainObject(body.data) ? body.data : {};
  // occurredAt also takes a month or a year, which have no day to be off the calendar.
  const occurredOff =
    typeof body.occurredAt === 'string' &&
    TIME_FORM.test(body.occurredAt) &&
    parseOccurredAt(body.occurredAt) === undefined;
  const times: [string, unknown][] = [
    ['reportedAt', body.reportedAt],
    ...DEVELOPMENTS[type].timeFields.map((field): [string, unknown] => [
      `data.${field}`,
      data[field],
    ]),
  ];
  return times
    .filter(
      ([, value]) =>
        typeof value === 'string' &&
        TIME_FORM.test(value) &&
        parseInstant(value, 'start-of-day') === undefined,
    )
    .map(([path]) => path)
    .concat(occurredOff ? ['occurredAt'] : []);
}

/**
 * Validates one envelope against the schema of its `type` (compiled from its module in
 * libs/domain/src/developments), then reads its times; field paths are prefixed with `prefix`.
 */
export function validateEnvelope(
  body: unknown,
  prefix: string,
): { posted?: PostedDevelopment; errors: FieldError[] } {
  const at = (field: string): string => (prefix ? `${prefix}.${field}` : field);
  if (!isPlainObject(body)) {
    return {
      errors: [
        { path: prefix || 'body', message: 'must be a JSON object (a development envelope)' },
      ],
    };
  }
  const validators =
    typeof body.type === 'string' ? VALIDATORS.get(body.type as RecordableType) : undefined;
  if (!validators) {
    const message =
      body.type === 'NegotiationOpened'
        ? 'type NegotiationOpened is written only by POST /negotiations'
        : `type must be one of: ${RECORDABLE_TYPES.join(', ')}`;
    return { errors: [{ path: at('type'), message }] };
  }
  const valid = validators.passes(body) || validators.reasons(body);
  const offCalendar = (): FieldError[] =>
    timesOffCalendar(body, body.type as RecordableType).map((path) => ({
      path: at(path),
      message: `${path.split('.').pop()!} ${TIME_MESSAGE}`,
    }));
  if (!valid) {
    return { errors: [...fieldErrorsOf(validators.reasons.errors, prefix), ...offCalendar()] };
  }
  // The times are read once: only a body with a time off the calendar (2025-02-30) is looked
  // at again, for every such time to be named.
  const { expectedRevision, ...envelope } = body;
  const read = withParsedTimes({ ...envelope, eventId: envelope.eventId ?? randomUUID() });
  if ('invalidTime' in read) {
    const named = offCalendar();
    const field = read.invalidTime;
    return {
      errors: named.length
        ? named
        : [{ path: at(field), message: `${field.split('.').pop()!} ${TIME_MESSAGE}` }],
    };
  }
  // The rules of its form one schema cannot say (contract v1.1: modality per type, and so on).
  const faults = envelopeFaults(body.type, body);
  if (faults.length) {
    return { errors: faults.map((fault) => ({ path: at(fault.path), message: fault.message })) };
  }
  return {
    posted: {
      development: read.development,
      ...(expectedRevision !== undefined ? { expectedRevision } : {}),
    },
    errors: [],
  };
}

/** The body of POST /negotiations/:id/events: one envelope, validated by its type's schema. */
@Injectable()
export class DevelopmentBodyPipe implements PipeTransform<unknown, PostedDevelopment> {
  transform(body: unknown): PostedDevelopment {
    const { posted, errors } = validateEnvelope(body, '');
    if (!posted) throw Problem.invalid(errors);
    return posted;
  }
}

export interface BatchBody {
  events: PostedDevelopment[];
  expectedRevision?: number;
}

/** The body of POST /negotiations/:id/events/batch: `{events: [envelope…] (1..1000), expectedRevision?}`. */
@Injectable()
export class BatchBodyPipe implements PipeTransform<unknown, BatchBody> {
  transform(body: unknown): BatchBody {
    if (!isPlainObject(body)) {
      throw Problem.invalid([
        { path: 'body', message: 'must be a JSON object with an events array' },
      ]);
    }
    const errors: FieldError[] = [];
    for (const key of Object.keys(body)) {
      if (key !== 'events' && key !== 'expectedRevision')
        errors.push({ path: key, message: `${key} should not exist` });
    }
    const { expectedRevision } = body;
    if (
      expectedRevision !== undefined &&
      !(
        typeof expectedRevision === 'number' &&
        Number.isInteger(expectedRevision) &&
        expectedRevision >= 0
      )
    ) {
      errors.push({
        path: 'expectedRevision',
        message: 'expectedRevision must be a non-negative integer',
      });
    }
    const events = body.events;
    if (!Array.isArray(events) || events.length < 1 || events.length > LIMITS.batchMax) {
      errors.push({
        path: 'events',
        message: `events must be an array of 1 to ${LIMITS.batchMax} developments`,
      });
      throw Problem.invalid(errors);
    }
    const envelopes: PostedDevelopment[] = [];
    const seenIds = new Map<string, number>();
    events.forEach((member: unknown, i) => {
      const { posted, errors: memberErrors } = validateEnvelope(member, `events[${i}]`);
      errors.push(...memberErrors);
      if (!posted) return;
      if (posted.expectedRevision !== undefined) {
        errors.push({
          path: `events[${i}].expectedRevision`,
          message: 'expectedRevision goes on the batch, not on its members',
        });
      }
      // An eventId the client gave (one the server made cannot repeat).
      const given = (member as { eventId?: unknown }).eventId;
      if (typeof given === 'string') {
        const first = seenIds.get(given);
        if (first !== undefined) {
          errors.push({
            path: `events[${i}].eventId`,
            message: `eventId repeats events[${first}].eventId`,
          });
        } else seenIds.set(given, i);
      }
      envelopes.push(posted);
    });
    if (errors.length) throw Problem.invalid(errors);
    return {
      events: envelopes,
      ...(expectedRevision !== undefined ? { expectedRevision: expectedRevision as number } : {}),
    };
  }
}
