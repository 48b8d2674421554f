import type { Instant } from '@parley/domain';
import { NEGOTIATION_ID, parseInstant } from '@parley/domain';
import { Problem } from '../http/problem';

/** A query bound (asOf, knownAt, to): a date-only value means the end of that day, so "as of 2 May" includes 2 May. */
export const bound = (value: string | undefined): Instant | null =>
  value === undefined ? null : (parseInstant(value, 'end-of-day') ?? null);

/** The `:id` path parameter: a negotiation slug, else 400 naming `id`. */
export function negotiationId(id: string): string {
  if (!NEGOTIATION_ID.test(id)) {
    throw Problem.invalid([
      {
        path: 'id',
        message: 'id must be a negotiation slug (lower-case letters, digits, hyphens)',
      },
    ]);
  }
  return id;
}
