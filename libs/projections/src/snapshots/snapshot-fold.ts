import type { RecordedDevelopment } from '@parley/domain';
import type { Instant } from '@parley/domain';
import type { ShownOf, Slices, StatesOf } from './projection';
import { CopyOnWrite, Projection } from './projection';

/** What the engine folds: one negotiation's developments, as its timeline keeps them. */
export interface FoldSource {
  /** Every development in valid-time order (`occurredAt`, then revision). */
  readonly inValidTime: readonly RecordedDevelopment[];
  /** Revision 0, folded into every state whatever the `asOf` (undefined: nothing recorded yet). */
  opening(): RecordedDevelopment | undefined;
  /** The revision of the retraction that removed `eventId` from the folds, if one did. */
  retractedAt(eventId: string): number | undefined;
}

/**
 * A fold of every development known now up to valid-time index `index` (the first `index`
 * developments in valid-time order), never changed once taken.
 */
interface Snapshot<S extends Slices> {
  index: number;
  /**
   * The highest revision this state depends on: of the developments folded in, and of the
   * retractions that left one out. A fold that knows revisions up to R can start from it only if
   * `dependsOn <= R`: then the developments it holds, and their retractions, are all known at R.
   */
  dependsOn: number;
  states: StatesOf<S>;
  /** How many developments later the next snapshot is taken. */
  gap: number;
}

/**
 * The fold of every development known now, carried forward past the last snapshot: on top of
 * it, sharing the slices it has not changed since.
 */
interface Head<S extends Slices> {
  index: number;
  dependsOn: number;
  fold: CopyOnWrite<S>;
}

/**
 * A snapshot costs a copy of the slices that changed since the one before, so snapshots are
 * spaced at least (size of the state) / this many developments apart: then they take
 * O(history) memory and time in all, and an answer folds at most that many developments.
 */
const STATE_SIZE_PER_GAP = 64;

/**
 * Snapshots of a fold over slices, along the valid-time order of a negotiation's developments:
 * an answer at any (asOf, knownAt) starts from the last snapshot before it and folds the
 * developments in between, copying only the slices they change. Slice-agnostic: it copies,
 * folds and shows whatever the projection lists.
 *
 * Snapshots are made when an answer first needs them, by a head that folds every development
 * known now forward. A development that lands inside history (a late report) or a retraction
 * drops the snapshots after its place (`invalidateAfter`); they are folded again when asked for.
 */
export class SnapshotFold<S extends Slices> {
  /** Valid snapshots, by increasing index (the first, at index 0, holds the opening). */
  private snapshots: Snapshot<S>[] = [];
  private head: Head<S> | undefined;

  constructor(
    private readonly projection: Projection<S>,
    private readonly source: FoldSource,
    /** How many developments, in valid-time order, lie at least between two snapshots. */
    private readonly every: number,
  ) {}

  /** Something changed at valid-time index `index`: what was folded past it no longer holds. */
  invalidateAfter(index: number): void {
    if (this.head && this.head.index > index) this.head = undefined;
    let keep = this.snapshots.length;
    while (keep > 0 && this.snapshots[keep - 1]!.index > index) keep--;
    if (keep < this.snapshots.length) this.snapshots.length = keep;
  }

  /** What the fold of the first `end` developments, as known at revision `known` (>= 0), shows at `asOf`. */
  shownAt(end: number, known: number, asOf: Instant): ShownOf<S> {
    const start = this.startFor(end, known);
    if (start.index === end) return this.projection.show(start.states, asOf);
    // The states it starts from do not change during one answer.
    const fold = new CopyOnWrite(this.projection, { ...start.states }, true);
    this.foldRange(fold, start.index, end, known);
    return this.projection.show(fold.states, asOf);
  }

  /**
   * What one slice of that fold shows at `asOf`: only the developments it reads are folded, and
   * only it is shown, so an answer about one slice (`GET …/tariffs`) costs nothing of the others.
   */
  shownSliceAt<K extends keyof S & string>(
    name: K,
    end: number,
    known: number,
    asOf: Instant,
  ): ShownOf<S>[K] {
    const start = this.startFor(end, known);
    if (start.index === end) return this.projection.showSlice(start.states, name, asOf);
    const fold = new CopyOnWrite(this.projection, { ...start.states }, true, name);
    this.foldRange(fold, start.index, end, known);
    return this.projection.showSlice(fold.states, name, asOf);
  }

  /** The fold of the first `end` developments as known at revision `known` (>= 0): the caller's own. */
  foldTo(end: number, known: number): StatesOf<S> {
    const start = this.startFor(end, known);
    // The head goes on changing, so what the caller keeps is copied.
    const fold = new CopyOnWrite(this.projection, { ...start.states }, false);
    this.foldRange(fold, start.index, end, known);
    const states = fold.states;
    for (const name of Object.keys(states)) {
      if (!fold.changed().has(name)) this.projection.copySlice(states, name);
    }
    return states;
  }

  /** Where a fold up to `end` knowing revisions up to `known` starts: the latest snapshot it can use, or the head. */
  private startFor(end: number, known: number): { index: number; states: StatesOf<S> } {
    // To the end of the history as known now (every revision: there is one per development) the
    // head goes without snapshots: after a batch landing all over history they would be dropped by
    // the next one before anyone asked for them. Answers inside history, or as known at an earlier
    // revision (they start from a snapshot that knew no more), take them (buildTo).
    const length = this.source.inValidTime.length;
    this.buildTo(end, end < length || known < length - 1);
    const head = this.head;
    const snapshots = this.snapshots;
    // index and dependsOn both grow along the list: find the last of each condition, take the lower.
    let lo = 0;
    let hi = snapshots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (snapshots[mid]!.index <= end && snapshots[mid]!.dependsOn <= known) lo = mid + 1;
      else hi = mid;
    }
    const snapshot = snapshots[Math.max(lo - 1, 0)]!;
    if (head && head.index <= end && head.index > snapshot.index && head.dependsOn <= known) {
      return { index: head.index, states: head.fold.states };
    }
    return snapshot;
  }

  /**
   * Folds every development known now up to valid-time index `target`, snapshotting on the way
   * unless `snapshotting` is false. Snapshots lie at most their gap apart from the first to the
   * last; past the last, the head may have gone on without taking them (to the end): an answer
   * that needs them there folds again from the last, taking them.
   */
  private buildTo(target: number, snapshotting: boolean): void {
    if (this.snapshots.length === 0) {
      const opening = this.source.opening();
      if (!opening) return;
      // The opening belongs to every fold, whatever the asOf.
      const states = this.projection.evolve(this.projection.initial(), opening);
      this.snapshots.push({ index: 0, dependsOn: 0, states, gap: this.gapAfter(states) });
    }
    let last = this.snapshots[this.snapshots.length - 1]!;
    if (
      snapshotting &&
      this.head &&
      this.head.index - last.index >= last.gap &&
      target - last.index > last.gap
    ) {
      this.head = undefined;
    }
    if (!this.head) {
      if (last.index >= target) return;
      this.head = { index: last.index, dependsOn: last.dependsOn, fold: this.onTopOf(last) };
    }
    const head = this.head;
    while (head.index < target) {
      this.advance(head);
      if (!snapshotting || head.index - last.index < last.gap) continue;
      // The slices the head changed since the last snapshot are the new one's; the others, that one's.
      const states = { ...last.states };
      for (const name of head.fold.changed()) states[name] = head.fold.states[name];
      last = { index: head.index, dependsOn: head.dependsOn, states, gap: this.gapAfter(states) };
      this.snapshots.push(last);
      head.fold = this.onTopOf(last);
    }
  }

  /** Folds the next development known now into the head. */
  private advance(head: Head<S>): void {
    const development = this.source.inValidTime[head.index]!;
    head.index += 1;
    // A retraction acts through the selection; the opening is in every snapshot already.
    if (development.revision === 0 || development.type === 'DevelopmentRetracted') return;
    const retractedAt = this.source.retractedAt(development.eventId);
    if (retractedAt === undefined) {
      head.fold.evolve(development);
      if (development.revision > head.dependsOn) head.dependsOn = development.revision;
    } else {
      head.dependsOn = Math.max(head.dependsOn, development.revision, retractedAt);
    }
  }

  /** Folds valid-time indexes [from, to) as known at revision `known`. */
  private foldRange(fold: CopyOnWrite<S>, from: number, to: number, known: number): void {
    const list = this.source.inValidTime;
    for (let i = from; i < to; i++) {
      const development = list[i]!;
      if (development.revision === 0 || development.revision > known) continue;
      if (development.type === 'DevelopmentRetracted') continue;
      const retractedAt = this.source.retractedAt(development.eventId);
      if (retractedAt !== undefined && retractedAt <= known) continue;
      fold.evolve(development);
    }
  }

  /** States to fold on from `snapshot`: a snapshot never changes, so they may read through to it. */
  private onTopOf(snapshot: Snapshot<S>): CopyOnWrite<S> {
    return new CopyOnWrite(this.projection, { ...snapshot.states }, true);
  }

  private gapAfter(states: StatesOf<S>): number {
    return Math.max(this.every, Math.ceil(this.projection.size(states) / STATE_SIZE_PER_GAP));
  }
}
