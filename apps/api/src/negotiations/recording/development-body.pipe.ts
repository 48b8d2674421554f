import type { PipeTransform } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { LIMITS, RECORDABLE_TYPES } from '@parley/domain';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldError } from '../../http/problem';
import { Problem } from '../../http/problem';
import { VALIDATOR_OPTIONS, fieldErrors } from '../../http/validation';
import type { DevelopmentEnvelopeDto } from './development.request.dto';
import { DEVELOPMENT_DTOS, isRecordableType } from './development.request.dto';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates one envelope with the DTO of its `type`; field paths are prefixed with `prefix`. */
export function validateEnvelope(
  body: unknown,
  prefix: string,
): { envelope?: DevelopmentEnvelopeDto; errors: FieldError[] } {
  const at = (field: string): string => (prefix ? `${prefix}.${field}` : field);
  if (!isPlainObject(body)) {
    return {
      errors: [
        { path: prefix || 'body', message: 'must be a JSON object (a development envelope)' },
      ],
    };
  }
  if (!isRecordableType(body.type)) {
    const message =
      body.type === 'NegotiationOpened'
        ? 'type NegotiationOpened is written only by POST /negotiations'
        : `type must be one of: ${RECORDABLE_TYPES.join(', ')}`;
    return { errors: [{ path: at('type'), message }] };
  }
  const envelope = plainToInstance(DEVELOPMENT_DTOS[body.type], body);
  const errors = fieldErrors(validateSync(envelope, VALIDATOR_OPTIONS), prefix);
  return errors.length ? { errors } : { envelope, errors };
}

/** The body of POST /negotiations/:id/events: one envelope, validated by its type's DTO. */
@Injectable()
export class DevelopmentBodyPipe implements PipeTransform<unknown, DevelopmentEnvelopeDto> {
  transform(body: unknown): DevelopmentEnvelopeDto {
    const { envelope, errors } = validateEnvelope(body, '');
    if (!envelope) throw Problem.invalid(errors);
    return envelope;
  }
}

export interface BatchBody {
  events: DevelopmentEnvelopeDto[];
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
    const envelopes: DevelopmentEnvelopeDto[] = [];
    const seenIds = new Map<string, number>();
    events.forEach((member: unknown, i) => {
      const { envelope, errors: memberErrors } = validateEnvelope(member, `events[${i}]`);
      errors.push(...memberErrors);
      if (!envelope) return;
      if (envelope.expectedRevision !== undefined) {
        errors.push({
          path: `events[${i}].expectedRevision`,
          message: 'expectedRevision goes on the batch, not on its members',
        });
      }
      if (envelope.eventId !== undefined) {
        const first = seenIds.get(envelope.eventId);
        if (first !== undefined) {
          errors.push({
            path: `events[${i}].eventId`,
            message: `eventId repeats events[${first}].eventId`,
          });
        } else seenIds.set(envelope.eventId, i);
      }
      envelopes.push(envelope);
    });
    if (errors.length) throw Problem.invalid(errors);
    return {
      events: envelopes,
      ...(expectedRevision !== undefined ? { expectedRevision: expectedRevision as number } : {}),
    };
  }
}
