import type { TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { Instant } from '../time';
import { ROUGH_TIME_PATTERN, TIME_PATTERN } from '../time';
import { ATTRIBUTIONS, LIMITS, PARTY_CODE, PRODUCT_CODE, SLUG } from '../vocabulary';

/**
 * The fields developments are made of, as JSON Schema (TypeBox: the schema and its TypeScript
 * type written once). Each type's module builds its data from these; the HTTP route validates
 * with them, the OpenAPI document publishes them, the store boundary decodes with them.
 * `message` is what a 400 says when a value breaks the field's pattern or set of values.
 */

/** A value from a closed set of words (the vocabulary). */
export const oneOf = <const V extends readonly string[]>(values: V, description?: string) =>
  Type.Unsafe<V[number]>({
    type: 'string',
    enum: [...values],
    ...(description !== undefined ? { description } : {}),
  });

/** What a 400 says of a time that is not one of the contract's forms, or not on the calendar. */
export const TIME_MESSAGE =
  'must be an ISO 8601 date (YYYY-MM-DD) or date-time with Z or an offset, to the millisecond at the finest, on a real calendar day';

/** A time as the contract writes it; a development's times become Instants when read (withParsedTimes). */
export const Time = (description?: string) =>
  Type.Unsafe<Instant>({
    type: 'string',
    pattern: TIME_PATTERN,
    description: [
      description,
      'ISO 8601: a date `YYYY-MM-DD` or a date-time with `Z` or an offset; impossible dates (2025-02-30) are 400.',
    ]
      .filter(Boolean)
      .join(' '),
    message: TIME_MESSAGE,
  });

export const PartyCode = (description?: string) =>
  Type.String({
    pattern: PARTY_CODE.source,
    ...(description !== undefined ? { description } : {}),
    message:
      'must be a party code like US or CN (capital letter, then 1-15 capitals, digits or hyphens)',
  });

/** Distinct party codes, at least `min` of them. */
export const PartyCodes = (min: number, description?: string) =>
  Type.Array(PartyCode(), {
    minItems: min,
    maxItems: 100,
    uniqueItems: true,
    ...(description !== undefined ? { description } : {}),
  });

/**
 * A product code (contract v1.1): HS-based, digits with optional dots (`72`, `8471`,
 * `8517.13.00`), 2 to 10 digits once the dots are removed. A code covers every code that starts
 * with its digits (productCovers in ../products.ts).
 */
export const ProductCode = () =>
  Type.String({
    pattern: PRODUCT_CODE.source,
    message: 'must be a product code: 2 to 10 digits, dots allowed between them (72, 8471, 8517.13.00)',
  });

/** Distinct product codes, 1 to 500 of them. */
export const ProductCodes = (description: string) =>
  Type.Array(ProductCode(), {
    minItems: 1,
    maxItems: LIMITS.productCodes,
    uniqueItems: true,
    description,
  });

export const Slug = (description?: string) =>
  Type.String({
    pattern: SLUG.source,
    ...(description !== undefined ? { description } : {}),
    message: 'must be a slug (lower-case letters, digits and hyphens, at most 64)',
  });

/**
 * An `occurredAt`: every form of Time, plus a month (`2025-04`) or a year (`2025`) when the day is
 * not known (contract v1.1); read by parseOccurredAt as the start of the period.
 */
export const OccurredAt = (description: string) =>
  Type.Unsafe<Instant>({
    type: 'string',
    pattern: `(${TIME_PATTERN})|(${ROUGH_TIME_PATTERN})`,
    description: `${description} ISO 8601: a year \`YYYY\`, a month \`YYYY-MM\`, a date \`YYYY-MM-DD\` or a date-time with \`Z\` or an offset; a year or month means the start of that period; impossible dates (2025-02-30) are 400.`,
    message: OCCURRED_AT_MESSAGE,
  });

/** What a 400 says of an occurredAt that is not one of its forms. */
export const OCCURRED_AT_MESSAGE =
  'must be an ISO 8601 year (YYYY), month (YYYY-MM), date (YYYY-MM-DD) or date-time with Z or an offset, to the millisecond at the finest, on a real calendar day';

/** Non-empty text of at most `max` characters. */
export const Text = (max: number, description?: string) =>
  Type.String({
    minLength: 1,
    maxLength: max,
    ...(description !== undefined ? { description } : {}),
  });

/** Text of at most `max` characters, possibly empty. */
export const OptionalText = (max: number) => Type.Optional(Type.String({ maxLength: max }));

export const Terms = () =>
  Type.Optional(
    Type.Array(Type.String({ maxLength: LIMITS.termLength }), { maxItems: LIMITS.termsItems }),
  );

export const Party = Type.Object(
  { code: PartyCode(), name: Text(LIMITS.name) },
  { additionalProperties: false, $id: 'Party' },
);

export const Source = Type.Object(
  {
    name: OptionalText(LIMITS.name),
    url: Type.Optional(
      Type.String({
        maxLength: LIMITS.url,
        pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+[^\\s]*$',
        description: 'An http(s) URL.',
        message: 'must be an http(s) URL',
      }),
    ),
    attribution: Type.Optional(oneOf(ATTRIBUTIONS)),
    via: Type.Optional(
      Text(
        LIMITS.name,
        'The outlet your source credits ("the Wall Street Journal reported…"); the originating source of the report when given.',
      ),
    ),
  },
  { additionalProperties: false, $id: 'Source' },
);

/** An object of exactly these fields: unknown fields are refused. */
export const Data = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object(properties, { additionalProperties: false });
