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
 * A history is changed in place by its owner; its `pending` list is a value (a change makes a
 * new one), so a copy of a history shares it.
 */
export interface ChangeHistory<C extends { effectiveAt: Instant }> {
  settled: C | null;
  /** Not yet effective where the fold stood, in fold order, at most one per `effectiveAt`. */
  pending: readonly C[];
}

/** A history with no change yet. */
export const noChanges = <C extends { effectiveAt: Instant }>(): ChangeHistory<C> => ({
  settled: null,
  pending: NOTHING,
});

/** A copy of `history` to change on. */
export const copyHistory = <C extends { effectiveAt: Instant }>({
  settled,
  pending,
}: ChangeHistory<C>): ChangeHistory<C> => ({ settled, pending });

/** Folds `change` into `history`, in place, at `watermark` (the `occurredAt` it is folded at). */
export function addChange<C extends { effectiveAt: Instant }>(
  history: ChangeHistory<C>,
  change: C,
  watermark: Instant,
): void {
  const { pending } = history;
  const effectiveAt = change.effectiveAt;
  let latest = history.settled;
  // Most changes leave the pending ones as they were (none now in effect, none at the same
  // instant): the list is then copied only when `change` joins it.
  const from = firstLeaving(pending, effectiveAt, watermark);
  let stillPending: C[] | null = null;
  if (from >= 0) {
    stillPending = pending.slice(0, from);
    // Pending changes now in effect settle; one effective at the same instant as `change` is replaced by it.
    for (let i = from; i < pending.length; i++) {
      const p = pending[i]!;
      if (p.effectiveAt === effectiveAt) continue;
      if (p.effectiveAt > watermark) stillPending.push(p);
      else if (!latest || p.effectiveAt >= latest.effectiveAt) latest = p;
    }
  }
  if (effectiveAt > watermark) (stillPending ??= pending.slice()).push(change);
  else if (!latest || effectiveAt >= latest.effectiveAt) latest = change;
  history.settled = latest;
  if (stillPending) history.pending = stillPending;
}

/** Where the first pending change now in effect at `watermark`, or at `effectiveAt`, is; -1: none. */
function firstLeaving<C extends { effectiveAt: Instant }>(
  pending: readonly C[],
  effectiveAt: Instant,
  watermark: Instant,
): number {
  for (let i = 0; i < pending.length; i++) {
    const at = pending[i]!.effectiveAt;
    if (at <= watermark || at === effectiveAt) return i;
  }
  return -1;
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
