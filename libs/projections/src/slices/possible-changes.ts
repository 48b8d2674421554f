import type { Instant } from '@parley/domain';
import { NOTHING, frozen } from './slice';

/**
 * What did not occur (contract v1.1, Modality), shared by tariff lines and trade measures: a
 * threatened or considered change is listed at T while it is known (`occurredAt <= T`), not
 * yet due (`T < effectiveAt`, or no effectiveAt) and no later-announced development of the same
 * line (greater `occurredAt`, `<= T`, any modality) exists: a newer threat replaces it, an
 * occurred change carries it out or settles it.
 *
 * The fold goes in valid time and a state holds only what occurred by its `asOf`, so a line keeps
 * only its developments that did not occur announced at the latest `occurredAt` it has seen;
 * what is due is decided when it is shown. Reading a line costs O(those), never its history.
 */
export interface Announcements<E> {
  /** The greatest `occurredAt` among the line's developments folded, any modality; null: none yet. */
  lastAnnouncedAt: Instant | null;
  /** Those that did not occur announced at `lastAnnouncedAt`, in fold order; a value (a change makes a new one), so copies share it. */
  possible: readonly Possible<E>[];
}

/** A development that did not occur, and what a state shows of it. */
export interface Possible<E> {
  readonly modality: 'threatened' | 'considered';
  readonly shown: E;
}

export const noAnnouncements = <E>(): Announcements<E> => ({
  lastAnnouncedAt: null,
  possible: NOTHING,
});

/**
 * Folds one development of the line, announced at `occurredAt`, into `line`, in place: `possible`
 * when it did not occur, null when it did.
 */
export function announce<E>(
  line: Announcements<E>,
  occurredAt: Instant,
  possible: Possible<E> | null,
): void {
  const last = line.lastAnnouncedAt;
  if (last === null || occurredAt > last) {
    line.lastAnnouncedAt = occurredAt;
    // A later announcement replaces, carries out, settles or withdraws what was pending.
    if (possible) line.possible = frozen([possible]);
    else if (line.possible.length > 0) line.possible = NOTHING;
  } else if (possible && occurredAt === last) {
    // Announced at the same time: neither is later, both stand.
    line.possible = frozen([...line.possible, possible]);
  }
  // Earlier than what the line has seen (only out of valid-time order): already replaced.
}

/** Orders possible changes by `effectiveAt`, those without one last. */
export const byEffectiveAt = (a: Instant | null, b: Instant | null): number =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/** Whether a possible change effective at `effectiveAt` is still to come at `asOf`. */
export const notYetDue = (effectiveAt: Instant | null, asOf: Instant): boolean =>
  effectiveAt === null || asOf < effectiveAt;
