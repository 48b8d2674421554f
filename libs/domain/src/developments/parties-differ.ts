import { DomainError } from '../domain-error';

/** A party cannot impose a measure on itself. */
export function partiesMustDiffer(path: string): DomainError {
  return new DomainError(
    'parties-differ',
    'rejected',
    'a party cannot impose a measure on itself: imposedBy and appliedTo must differ',
    path,
  );
}
