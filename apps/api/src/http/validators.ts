import { PARTY_CODE, SLUG, TIME_MESSAGE, parseInstant } from '@parley/domain';
import type { ValidationOptions } from 'class-validator';
import { Matches, ValidateBy } from 'class-validator';

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
