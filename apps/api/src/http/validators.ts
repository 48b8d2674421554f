import { PARTY_CODE, SLUG, TIME_MESSAGE, parseInstant } from '@parley/domain';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import type { ValidationOptions } from 'class-validator';
import { IsInt, Matches, ValidateBy } from 'class-validator';

/** An ISO 8601 date (`2025-04-09`) or date-time with `Z` or an offset, that exists on the calendar. */
export function IsIsoTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoTime',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && parseInstant(value, 'start-of-day') !== undefined,
        defaultMessage: (args) => `${args?.property ?? 'value'} ${TIME_MESSAGE}`,
      },
    },
    options,
  );
}

export function IsPartyCode(options?: ValidationOptions): PropertyDecorator {
  return Matches(PARTY_CODE, {
    message: (args) =>
      `${args.property} must be a party code like US or CN (capital letter, then 1-15 capitals, digits or hyphens)`,
    ...options,
  });
}

export function IsSlug(options?: ValidationOptions): PropertyDecorator {
  return Matches(SLUG, {
    message: (args) =>
      `${args.property} must be a slug (lower-case letters, digits and hyphens, at most 64)`,
    ...options,
  });
}

/** A query number as people write one: decimal digits only (no sign, point, exponent or `0x`). */
const DECIMAL_DIGITS = /^[0-9]{1,16}$/;

/**
 * A whole number in a query string, written in plain decimal digits. `Number()` would also read
 * `0x10`, `1.0`, `1e2`, `+5` and ` 5` as numbers, so that one value would be written many ways
 * (and a proxy or cache keyed on the text would disagree with us): only digits are converted, and
 * anything else stays text, which `IsInt` refuses naming the parameter.
 */
export function IsDecimalInteger(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && DECIMAL_DIGITS.test(value) ? Number(value) : value,
    ),
    IsInt({
      message: (args) =>
        `${args.property} must be a whole number written in decimal digits (like 50)`,
    }),
  );
}
