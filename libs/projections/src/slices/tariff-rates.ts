import type { Instant } from '@parley/domain';
import type { TariffLine } from '../negotiation-state';
import { NOTHING } from './slice';

/**
 * The rate of one tariff line through time (contract v1 and v1.1, Temporary rates): each occurred
 * change is a step at its `effectiveAt`, and a temporary one a second step, its reversion, at
 * `until`. As of T the line is at the step with the greatest `effectiveAt <= T` among those
 * announced by T, ties to the later in fold order (`occurredAt`, then revision); except that a
 * reversion is void once a later-announced change of the line (greater `occurredAt`) takes effect
 * at or before it: the newer decision replaces the pending expiry.
 *
 * The fold goes in valid time, so a step that took effect before the fold reached it can never
 * be scheduled again: only the latest such change ("settled") and the latest such reversion
 * matter. They are kept apart because only a reversion can be voided: the best change left is
 * then still known. Steps not yet effective stay pending, so reading a line costs O(pending),
 * however long its history. A fold that never settles (the watermark before everything) keeps
 * every step pending: that is the line as finally decided, read at any date (`effectiveOn`).
 */
export interface RateHistory {
  settledChange: RateStep | null;
  settledReversion: RateStep | null;
  /** Not yet effective where the fold stood, in fold order; a value (a change makes a new one), so copies share it. */
  pending: readonly RateStep[];
}

/** One step of a line's rate: what an answer shows while it applies, and where it stands in fold order. */
export interface RateStep {
  readonly line: TariffLine;
  /** The `occurredAt` of the change it belongs to. */
  readonly announcedAt: Instant;
  readonly revision: number;
  /** Whether it is a temporary rate's expiry (`until`), which a later decision may void. */
  readonly reversion: boolean;
}

/** A watermark before every instant: a fold that passes it settles nothing. */
export const SETTLES_NOTHING = '' as Instant;

export const noRates = (): RateHistory => ({
  settledChange: null,
  settledReversion: null,
  pending: NOTHING,
});

/** Whether `a` applies rather than `b` when both are effective: the later effectiveAt, then the later in fold order. */
function isAfter(a: RateStep, b: RateStep): boolean {
  const x = a.line.effectiveAt;
  const y = b.line.effectiveAt;
  if (x !== y) return x > y;
  if (a.announcedAt !== b.announcedAt) return a.announcedAt > b.announcedAt;
  // The reversion of a change comes after its own rate step: both have the same revision.
  return a.revision !== b.revision ? a.revision > b.revision : a.reversion && !b.reversion;
}

const laterStep = (a: RateStep | null, b: RateStep | null): RateStep | null =>
  a === null ? b : b === null ? a : isAfter(b, a) ? b : a;

function settle(history: RateHistory, step: RateStep): void {
  if (step.reversion) history.settledReversion = laterStep(history.settledReversion, step);
  else history.settledChange = laterStep(history.settledChange, step);
}

/** Whether `change` voids `step`: a reversion announced before it, at or after its effectiveAt. */
const voids = (change: RateStep, step: RateStep): boolean =>
  step.reversion &&
  step.announcedAt < change.announcedAt &&
  step.line.effectiveAt >= change.line.effectiveAt;

/**
 * Folds the steps of one occurred change (its rate, and its reversion when temporary) into
 * `history`, in place, at `watermark` (the `occurredAt` it is folded at, or SETTLES_NOTHING).
 * The change first voids the reversions announced before it that fall at or after its
 * effectiveAt.
 */
export function addRateSteps(
  history: RateHistory,
  steps: readonly RateStep[],
  watermark: Instant,
): void {
  const change = steps[0];
  if (!change) return;
  if (history.settledReversion && voids(change, history.settledReversion)) {
    // The change is then effective by the watermark too, so it outranks every earlier reversion.
    history.settledReversion = null;
  }
  // Most changes leave the pending steps as they were (none voided, none now due): the list is
  // then copied only when a step of the change joins it.
  const pending = history.pending;
  const from = firstLeaving(pending, change, watermark);
  let stillPending: RateStep[] | null = null;
  if (from >= 0) {
    stillPending = pending.slice(0, from);
    for (let i = from; i < pending.length; i++) {
      const step = pending[i]!;
      if (voids(change, step)) continue;
      if (step.line.effectiveAt <= watermark) settle(history, step);
      else stillPending.push(step);
    }
  }
  // By index: `steps` is frozen, and a for-of over a frozen array cost several times as much.
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.line.effectiveAt <= watermark) settle(history, step);
    else (stillPending ??= pending.slice()).push(step);
  }
  // Not frozen: nothing changes a pending list once made (this function copies before adding), and
  // freezing a list for every change cost the fold ~15% (issue 15).
  if (stillPending) history.pending = stillPending.length > 0 ? stillPending : NOTHING;
}

/** Where the first pending step that `change` voids, or that is due at `watermark`, is; -1: none. */
function firstLeaving(pending: readonly RateStep[], change: RateStep, watermark: Instant): number {
  for (let i = 0; i < pending.length; i++) {
    const step = pending[i]!;
    if (step.line.effectiveAt <= watermark || voids(change, step)) return i;
  }
  return -1;
}

/** The step in force at `asOf`, if any. */
export function rateInForce(history: RateHistory, asOf: Instant): RateStep | null {
  let best = laterStep(history.settledChange, history.settledReversion);
  for (const step of history.pending)
    if (step.line.effectiveAt <= asOf) best = laterStep(best, step);
  return best;
}

/**
 * The known steps that take effect after `asOf`, in fold order; of two at the same instant only
 * the one that would apply.
 */
export function ratesScheduledAfter(history: RateHistory, asOf: Instant): RateStep[] {
  const after = history.pending.filter((step) => step.line.effectiveAt > asOf);
  if (after.length < 2) return after;
  return after.filter(
    (step) =>
      !after.some(
        (other) =>
          other !== step &&
          other.line.effectiveAt === step.line.effectiveAt &&
          isAfter(other, step),
      ),
  );
}
