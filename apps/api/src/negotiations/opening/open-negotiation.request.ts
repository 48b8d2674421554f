import type { PipeTransform } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { DEVELOPMENTS, NEGOTIATION_ID, TIME_MESSAGE, Time, parseOccurredAt } from '@parley/domain';
import { Problem } from '../../http/problem';
import { compileSchema, fieldErrorsOf } from '../../http/schema-validation';
import type { OpenNegotiation } from './open-negotiation.command';

const opened = DEVELOPMENTS.NegotiationOpened.data.properties;

/** The body of POST /negotiations: the id, and what NegotiationOpened records. */
export const OpenNegotiationRequest = Type.Object(
  {
    id: Type.String({
      pattern: NEGOTIATION_ID.source,
      message: 'must be a slug: lower-case letters, digits and inner hyphens, 1-64 characters',
    }),
    title: opened.title,
    parties: opened.parties,
    openedAt: Type.Optional(
      Time('When the negotiation opened (its NegotiationOpened occurredAt); default: now.'),
    ),
    description: opened.description,
  },
  { additionalProperties: false },
);

const validate = compileSchema<Static<typeof OpenNegotiationRequest>>(OpenNegotiationRequest);

/** What opens a negotiation (an interface: the global ValidationPipe leaves it to this pipe). */
export type Opening = ConstructorParameters<typeof OpenNegotiation>;

/** Validates the body of POST /negotiations into what the command that opens it takes. */
@Injectable()
export class OpenNegotiationBodyPipe implements PipeTransform<unknown, Opening> {
  transform(body: unknown): Opening {
    if (!validate(body)) throw Problem.invalid(fieldErrorsOf(validate.errors));
    const codes = body.parties.map((p) => p.code);
    const repeated = codes.findIndex((code, i) => codes.indexOf(code) !== i);
    if (repeated >= 0) {
      throw Problem.invalid([
        { path: `parties[${repeated}].code`, message: `party ${codes[repeated]} is listed twice` },
      ]);
    }
    // Its schema takes a date or a date-time only (a month or a year is occurredAt's alone).
    const opened = body.openedAt === undefined ? undefined : parseOccurredAt(body.openedAt);
    const openedAt = opened?.instant;
    if (body.openedAt !== undefined && openedAt === undefined) {
      throw Problem.invalid([
        {
          path: 'openedAt',
          message: `openedAt ${TIME_MESSAGE}`,
        },
      ]);
    }
    return [
      body.id,
      body.title,
      body.parties,
      openedAt,
      body.description,
      opened?.precision === 'day' ? 'day' : undefined,
    ];
  }
}
