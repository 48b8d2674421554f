import type { Instant } from '@parley/domain';
import { NOTHING } from './slice';

/**
 * The effective-date rule, shared by tariff lines and trade measures: as of T, what is in force
 * is the change with the greatest `effectiveAt <= T` among those with `occurredAt <= T`, ties
 * to the later in fold order (`occurredAt`, then revision); a known change with
 * `effectiveAt > T` is scheduled.
 *
 * The fold goes in valid time, so a change that took effect before the fold reached it can
 * never be scheduled again: only the latest such change matters ("settled"). The others stay
 * "pending", so reading a line costs O(changes not yet effective), however long its history.
 * Histories are values (recording a change makes a new one), so copies of a state share them.
 */
export interface ChangeHistory<C extends { effectiveAt: Instant }> {
  readonly settled: C | null;
  /** Not yet effective where the fold stood, in fold order, at most one per `effectiveAt`. */
  readonly pending: readonly C[];
}

/** `history` (none: a new line) with `change` folded in at `watermark`, the `occurredAt` it is folded at. */
export function withChange<C extends { effectiveAt: Instant }>(
  history: ChangeHistory<C> | undefined,
  change: C,
  watermark: Instant,
): ChangeHistory<C> {
  const settled = history?.settled ?? null;
  const pending = history?.pending ?? NOTHING;
  const effectiveAt = change.effectiveAt;
  if (pending.length === 0 && effectiveAt <= watermark) {
    // The common case: in effect at once, nothing scheduled.
    const latest = !settled || effectiveAt >= settled.effectiveAt ? change : settled;
    return { settled: latest, pending: NOTHING };
  }
  let latest = settled;
  const stillPending: C[] = [];
  const fold = (p: C): void => {
    if (p.effectiveAt > watermark) stillPending.push(p);
    else if (!latest || p.effectiveAt >= latest.effectiveAt) latest = p;
  };
  // A change effective at the same instant as a pending one replaces it.
  for (const p of pending) if (p.effectiveAt !== effectiveAt) fold(p);
  fold(change);
  return { settled: latest, pending: stillPending };
}

/** The change in force at `asOf` (ties on `effectiveAt` go to the later in fold order). */
export function inForce<C extends { effectiveAt: Instant }>(
  history: ChangeHistory<C>,
  asOf: Instant,
): C | null {
  let best = history.settled;
  for (const p of history.pending) {
    if (p.effectiveAt <= asOf && (!best || p.effectiveAt >= best.effectiveAt)) best = p;
  }
  return best;
}

/** The known changes that take effect after `asOf`, in fold order. */
export const scheduledAfter = <C extends { effectiveAt: Instant }>(
  history: ChangeHistory<C>,
  asOf: Instant,
): C[] => history.pending.filter((p) => p.effectiveAt > asOf);
