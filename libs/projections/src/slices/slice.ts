import type { DevelopmentType, Instant, RecordedDevelopment } from '@parley/domain';

/** A recorded development of one of the types `T`. */
export type Recorded<T extends DevelopmentType> = Extract<RecordedDevelopment, { type: T }>;

/**
 * One part of the state of play (tariffs, talks, proposals, …): what it keeps, how each
 * development it reads changes that, and how it is shown in an answer. The snapshot engine
 * folds, copies and shows slices without knowing what they hold.
 */
export interface Slice<State, Shown, T extends DevelopmentType = DevelopmentType> {
  /** The development types it reads: only these are folded into it. */
  readonly reads: readonly T[];
  initial(): State;
  /**
   * Folds one development into `state` and returns the state after it: it may change `state`
   * in place (a fold goes over millions of developments). Total: it never throws on a stored
   * development. What it makes for answers (proposals, tariff lines, …) it freezes and never
   * changes again, so answers and snapshots share those values.
   */
  evolve(state: State, development: Recorded<T>): State;
  /**
   * A copy that folding on cannot change `state` through (a snapshot's state is shared), nor
   * `state` the copy: it may give `state` a new mark (see Mark).
   */
  copy(state: State): State;
  /**
   * A state to fold on that may read through to `state` instead of copying it: for when
   * `state` does not change while the branch is in use (a snapshot's, or anything during one
   * answer). Without it, `copy`.
   */
  branch?(state: State): State;
  /** Its part of the answer as of `asOf`: lists of the answer's own, items frozen. Never changes `state`. */
  show(state: State, asOf: Instant): Shown;
  /** How many entries it holds: what copying it costs. */
  size(state: State): number;
}

/** Declares a slice (the types of its state, answer and developments are inferred). */
export const slice = <State, Shown, T extends DevelopmentType>(
  definition: Slice<State, Shown, T>,
): Slice<State, Shown, T> => definition;

export const frozen = Object.freeze;

/**
 * Copy-on-write per entry, for slices whose entries change often. Such a state carries a mark,
 * and each entry the mark of the state that made it: a state changes the entries with its own
 * mark in place, and copies (and marks) any other, shared with a copy or a snapshot, the first
 * time it changes it. Copying or branching a state gives the original a new mark as well as the
 * copy, so neither changes what they share.
 */
export type Mark = Readonly<Record<string, never>>;
export const newMark = (): Mark => ({});

export const byString = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);

/** A list the fold never adds to, shared. */
export const NOTHING: readonly never[] = frozen([]);
