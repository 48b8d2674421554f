import type { Development, Instant, Party, RecordedDevelopment } from '@parley/domain';
import { partiesNamedBy, storedTypeOf } from '@parley/domain';
import type { FoldState, SortedLists } from './evolve';
import {
  cloneFold,
  evolve,
  freezeShared,
  initialFoldState,
  overlayFold,
  resumeFold,
  sealFold,
  snapshotFold,
  sortedLists,
  sortedListsSince,
  viewAt,
} from './evolve';
import type { NegotiationState } from './negotiation-state';

/** Which history to look at: the world on `asOf`, as the tracker knew it at `knownAt` (null: now). */
export interface Perspective {
  asOf: Instant;
  knownAt: Instant | null;
}

export interface NegotiationSummary {
  id: string;
  title: string;
  parties: Party[];
  revision: number;
  eventCount: number;
  firstOccurredAt: Instant;
  lastOccurredAt: Instant;
}

export interface DevelopmentFilter {
  from?: Instant;
  to?: Instant;
  types?: ReadonlySet<string>;
  party?: string;
  knownAt: Instant | null;
  includeRetracted: boolean;
  /** Continue after this (occurredAt, revision). */
  after?: { occurredAt: Instant; revision: number };
  limit: number;
}

export interface ListedDevelopment {
  development: RecordedDevelopment;
  retracted: boolean;
}

/** Orders developments in valid time: by `occurredAt`, then by stream revision. */
function validTimeOrder(
  a: RecordedDevelopment,
  b: { occurredAt: Instant; revision: number },
): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? -1 : 1;
  return a.revision - b.revision;
}

/** How many developments, in valid-time order, lie between two snapshots of the fold by default. */
export const DEFAULT_SNAPSHOT_EVERY = 128;

/**
 * A full snapshot costs a copy of the state, so full ones are spaced at least (size of the
 * state) / this many developments apart: then they take O(history) memory and time in all. The
 * light snapshots between them hold what changed since the last full one, so they are spaced at
 * least (size of the state) / LIGHT_STATE_SIZE_PER_GAP apart.
 */
const STATE_SIZE_PER_GAP = 8;
const LIGHT_STATE_SIZE_PER_GAP = 64;

export interface TimelineOptions {
  /** How many developments, in valid-time order, lie at least between two snapshots of the fold. */
  snapshotEvery?: number;
}

/** How many entries a fold state holds, roughly what copying it costs. */
function sizeOf(state: FoldState): number {
  let lines = 0;
  for (const measures of state.tariffs.values()) lines += measures.size;
  return (
    lines +
    state.tradeMeasures.size +
    state.proposals.size +
    state.demands.size +
    state.agreements.length +
    state.stances.size +
    state.parties.size
  );
}

/**
 * The fold of the first `index` developments in valid-time order, with every event known now.
 * A full snapshot holds a whole state; a light one is an overlay over the last full one before
 * it, holding what changed since (so it costs O(those changes), not O(the state)).
 */
interface Snapshot {
  index: number;
  /**
   * The highest revision this state depends on: of the developments folded in, and of the
   * retractions that left one out. A fold that knows revisions up to R can start from it only if
   * `dependsOn <= R`: then the developments it holds, and their retractions, are all known at R.
   */
  dependsOn: number;
  /** Never changed once taken. */
  state: FoldState;
  /** Its proposals and demands in answer order (made with the snapshot, unless decisions only). */
  sorted?: SortedLists;
  /** Of a full snapshot: how many developments later the next full one is taken. */
  gap?: number;
  /** Of a full snapshot: how many developments apart the light ones after it are taken. */
  lightGap?: number;
}

/** A fold of every event known now up to valid-time index `index`, that can go on. */
interface Cursor {
  index: number;
  dependsOn: number;
  state: FoldState;
  /** The snapshot's state `state` was made from or last snapshotted into. */
  from: FoldState;
}

/**
 * Every recorded development of one negotiation, kept in revision order and in valid-time order.
 * Answers any (asOf, knownAt) by folding the right selection: `knownAt` selects a prefix of the
 * stream (recordedAt never decreases along it), `asOf` a prefix in valid time, and a retraction
 * known at `knownAt` removes its target from every `asOf`.
 *
 * Snapshots make that fold cheap at any history length: the fold of every event known now is
 * kept every `snapshotEvery` developments in valid-time order (more apart once the state is
 * large; light snapshots between full ones), so an answer folds at most that many developments
 * on top of a snapshot (on an overlay, without copying it), and builds its answer from what the
 * snapshot keeps of its own. A development that lands inside history (a late report) or a
 * retraction drops only the snapshots after its place;
 * they are folded again when an answer needs them. A `knownAt` answer starts from the last
 * snapshot that depends on nothing recorded after `knownAt`.
 */
export class NegotiationTimeline {
  private readonly byRevision: RecordedDevelopment[] = [];
  private readonly byValidTime: RecordedDevelopment[] = [];
  private readonly byEventId = new Map<string, RecordedDevelopment>();
  /** Target event id → revision of the retraction that removed it. */
  private readonly retractions = new Map<string, number>();
  /** frontier[r]: the latest `occurredAt` among revisions 0..r, so a knownAt fold knows where to stop. */
  private readonly frontier: Instant[] = [];
  private readonly snapshotEvery: number;
  /** Valid snapshots, by increasing index (the first one, at index 0, holds NegotiationOpened). */
  private snapshots: Snapshot[] = [];
  /** The fold of every event known now, carried forward past the last snapshot (an overlay of it). */
  private head: Cursor | undefined;
  private summaryCache:
    { last: RecordedDevelopment | undefined; summary: NegotiationSummary | undefined } | undefined;

  constructor(
    readonly negotiationId: string,
    options: TimelineOptions = {},
  ) {
    this.snapshotEvery = Math.max(1, Math.floor(options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY));
  }

  get revision(): number {
    return this.byRevision.length - 1;
  }

  get isEmpty(): boolean {
    return this.byRevision.length === 0;
  }

  /**
   * Adds the next developments of the stream. Ones already held are ignored, so a write seen
   * both locally and through the store's subscription is applied once. Returns false on a gap:
   * the caller must read the missing revisions from the store first.
   */
  append(developments: readonly RecordedDevelopment[]): boolean {
    for (const development of developments) {
      if (development.revision <= this.revision) continue;
      if (development.revision !== this.revision + 1) return false;
      const previous = this.frontier[this.frontier.length - 1];
      this.byRevision.push(development);
      this.frontier.push(
        previous !== undefined && previous > development.occurredAt
          ? previous
          : development.occurredAt,
      );
      this.byEventId.set(development.eventId, development);
      this.invalidateAfter(this.insertInValidTime(development));
      // The first retraction of a target removes it; a later one (decide refuses it) changes nothing.
      if (
        development.type === 'DevelopmentRetracted' &&
        !this.retractions.has(development.data.targetEventId)
      ) {
        this.retractions.set(development.data.targetEventId, development.revision);
        const target = this.byEventId.get(development.data.targetEventId);
        if (target) this.invalidateAfter(this.positionOf(target));
      }
    }
    return true;
  }

  /** Inserts in valid-time order and returns the index it took. */
  private insertInValidTime(development: RecordedDevelopment): number {
    const list = this.byValidTime;
    const last = list[list.length - 1];
    if (!last || validTimeOrder(last, development) < 0) {
      list.push(development);
      return list.length - 1;
    }
    const index = this.firstIndexAfter(development);
    list.splice(index, 0, development);
    return index;
  }

  /** Index of the first development that sorts after `key` in valid time. */
  private firstIndexAfter(key: { occurredAt: Instant; revision: number }): number {
    let lo = 0;
    let hi = this.byValidTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (validTimeOrder(this.byValidTime[mid]!, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private positionOf(development: RecordedDevelopment): number {
    return this.firstIndexAfter(development) - 1;
  }

  /** How many developments have `occurredAt <= t`. */
  private countUpTo(t: Instant): number {
    let lo = 0;
    let hi = this.byValidTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.byValidTime[mid]!.occurredAt <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Something changed at valid-time index `index`: what was folded past it no longer holds. */
  private invalidateAfter(index: number): void {
    if (this.head && this.head.index > index) this.head = undefined;
    let keep = this.snapshots.length;
    while (keep > 0 && this.snapshots[keep - 1]!.index > index) keep--;
    if (keep < this.snapshots.length) this.snapshots.length = keep;
  }

  /** Folds every event known now up to valid-time index `target`, snapshotting on the way. */
  private buildTo(target: number): void {
    const opened = this.byRevision[0];
    if (!opened) return;
    if (this.snapshots.length === 0) {
      // The founding parties and title belong to every fold, whatever the asOf.
      const state = evolve(initialFoldState(this.negotiationId), opened);
      sealFold(state);
      this.snapshots.push({
        index: 0,
        dependsOn: 0,
        state,
        sorted: sortedLists(state),
        ...this.gapsAfter(state),
      });
    }
    if (!this.head) {
      const last = this.snapshots[this.snapshots.length - 1]!;
      if (last.index >= target) return;
      this.head = this.resume(last);
    }
    const head = this.head;
    let full = this.lastFullSnapshot();
    while (head.index < target) {
      this.advance(head, head.index + 1);
      if (head.index - this.snapshots[this.snapshots.length - 1]!.index < full.lightGap!) continue;
      // The head is an overlay over the last full snapshot: a light one copies what it changed.
      const isFull = head.index - full.index >= full.gap!;
      const state = snapshotFold(head.state, head.from, isFull);
      sealFold(state, this.byValidTime[head.index - 1]!.occurredAt, head.from);
      const snapshot: Snapshot = { index: head.index, dependsOn: head.dependsOn, state };
      if (isFull) {
        Object.assign(snapshot, this.gapsAfter(state));
        head.state = overlayFold(state);
        full = snapshot;
      }
      head.from = state;
      // Answers start from any snapshot: its sorted lists are made now, from the last one's.
      const last = this.snapshots[this.snapshots.length - 1]!;
      if (last.sorted) snapshot.sorted = sortedListsSince(last.state, last.sorted, state);
      this.snapshots.push(snapshot);
    }
  }

  /** A cursor to fold on from `snapshot` without changing it. */
  private resume(snapshot: Snapshot): Cursor {
    return {
      index: snapshot.index,
      dependsOn: snapshot.dependsOn,
      state: resumeFold(snapshot.state),
      from: snapshot.state,
    };
  }

  private lastFullSnapshot(): Snapshot {
    let i = this.snapshots.length - 1;
    while (i > 0 && this.snapshots[i]!.gap === undefined) i--;
    return this.snapshots[i]!;
  }

  /** Folds every event known now into `cursor` up to valid-time index `target`. */
  private advance(cursor: Cursor, target: number): void {
    const list = this.byValidTime;
    while (cursor.index < target) {
      const development = list[cursor.index]!;
      cursor.index += 1;
      // A retraction acts through the selection; NegotiationOpened is in every snapshot already.
      if (development.revision === 0 || development.type === 'DevelopmentRetracted') continue;
      const retractedAt = this.retractions.get(development.eventId);
      if (retractedAt === undefined) {
        evolve(cursor.state, development);
        if (development.revision > cursor.dependsOn) cursor.dependsOn = development.revision;
      } else {
        cursor.dependsOn = Math.max(cursor.dependsOn, development.revision, retractedAt);
      }
    }
  }

  private gapsAfter(state: FoldState): { gap: number; lightGap: number } {
    const size = sizeOf(state);
    return {
      gap: Math.max(this.snapshotEvery, Math.ceil(size / STATE_SIZE_PER_GAP)),
      lightGap: Math.max(this.snapshotEvery, Math.ceil(size / LIGHT_STATE_SIZE_PER_GAP)),
    };
  }

  /** The latest snapshot a fold up to `end` knowing revisions up to `known` (>= 0) can start from. */
  private snapshotFor(end: number, known: number): Snapshot {
    this.buildTo(end);
    const snapshots = this.snapshots;
    // index and dependsOn both grow along the list: find the last of each condition, take the lower.
    let lo = 0;
    let hi = snapshots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (snapshots[mid]!.index <= end && snapshots[mid]!.dependsOn <= known) lo = mid + 1;
      else hi = mid;
    }
    return snapshots[Math.max(lo - 1, 0)]!;
  }

  /** Folds valid-time indexes [from, to) onto `state`, as known at revision `known`. */
  private foldRange(state: FoldState, from: number, to: number, known: number): void {
    const list = this.byValidTime;
    for (let i = from; i < to; i++) {
      const development = list[i]!;
      if (development.revision === 0 || development.revision > known) continue;
      if (development.type === 'DevelopmentRetracted') continue;
      const retractedAt = this.retractions.get(development.eventId);
      if (retractedAt !== undefined && retractedAt <= known) continue;
      evolve(state, development);
    }
  }

  /** Where a fold for `asOf` as known at revision `known` ends, in valid-time indexes. */
  private endOf(asOf: Instant, known: number): number {
    const end = this.countUpTo(asOf);
    // Nothing known at `known` occurred after frontier[known]: the fold can stop there.
    return known >= this.revision ? end : Math.min(end, this.countUpTo(this.frontier[known]!));
  }

  /** The development at `revision`, if the timeline holds it. */
  at(revision: number): RecordedDevelopment | undefined {
    return revision < 0 ? undefined : this.byRevision[revision];
  }

  eventById(eventId: string): RecordedDevelopment | undefined {
    return this.byEventId.get(eventId);
  }

  /** The developments recorded after `revision`, in revision order (what a live follower has not seen yet). */
  developmentsAfter(revision: number): readonly RecordedDevelopment[] {
    return this.byRevision.slice(Math.max(revision + 1, 0));
  }

  /** The last revision the tracker had recorded at `knownAt` (-1: it knew nothing yet). */
  revisionKnownAt(knownAt: Instant | null): number {
    if (knownAt === null) return this.revision;
    let lo = 0;
    let hi = this.byRevision.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.byRevision[mid]!.recordedAt <= knownAt) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Whether a retraction of `eventId` is among the first `revision` + 1 events. */
  isRetracted(eventId: string, revision: number): boolean {
    const retractedAt = this.retractions.get(eventId);
    return retractedAt !== undefined && retractedAt <= revision;
  }

  /** The folded state for a perspective, before it is turned into an answer; the caller's own copy. */
  fold(perspective: Perspective): FoldState {
    const known = this.revisionKnownAt(perspective.knownAt);
    if (known < 0) return initialFoldState(this.negotiationId);
    const end = this.endOf(perspective.asOf, known);
    const snapshot = this.snapshotFor(end, known);
    const head = this.head;
    if (head && head.index <= end && head.index > snapshot.index && head.dependsOn <= known) {
      const state = cloneFold(head.state);
      this.foldRange(state, head.index, end, known);
      return state;
    }
    const state = cloneFold(snapshot.state);
    this.foldRange(state, snapshot.index, end, known);
    return state;
  }

  stateAt(perspective: Perspective): NegotiationState {
    const { asOf, knownAt } = perspective;
    const known = this.revisionKnownAt(knownAt);
    if (known < 0) return viewAt(initialFoldState(this.negotiationId), asOf, knownAt, known);
    const end = this.endOf(asOf, known);
    const snapshot = this.snapshotFor(end, known);
    // Every snapshot of a timeline that folds everything has its sorted lists.
    const sorted = snapshot.sorted!;
    if (snapshot.index === end) return viewAt(snapshot.state, asOf, knownAt, known, sorted);
    const state = overlayFold(snapshot.state);
    this.foldRange(state, snapshot.index, end, known);
    freezeShared(state);
    return viewAt(state, asOf, knownAt, known, sortedListsSince(snapshot.state, sorted, state));
  }

  summary(): NegotiationSummary | undefined {
    // Computed once per revision: listing negotiations must not walk every history each time.
    const last = this.byRevision[this.byRevision.length - 1];
    if (!this.summaryCache || this.summaryCache.last !== last) {
      this.summaryCache = { last, summary: this.computeSummary() };
    }
    const summary = this.summaryCache.summary;
    return summary && { ...summary, parties: summary.parties.map((p) => ({ ...p })) };
  }

  private computeSummary(): NegotiationSummary | undefined {
    const opened = this.byRevision[0];
    const first = this.byValidTime[0];
    const last = this.byValidTime[this.byValidTime.length - 1];
    if (!opened || !first || !last) return undefined;
    // An opening no fold can read (DevelopmentUnreadable) leaves the title empty, as in the state.
    const founding = opened.type === 'NegotiationOpened' ? opened.data : { title: '', parties: [] };
    const parties = new Map(founding.parties.map((p) => [p.code, { ...p }]));
    for (const development of this.byRevision) {
      if (
        development.type === 'PartyJoined' &&
        !parties.has(development.data.party.code) &&
        !this.isRetracted(development.eventId, this.revision)
      ) {
        parties.set(development.data.party.code, { ...development.data.party });
      }
    }
    return {
      id: this.negotiationId,
      title: founding.title,
      parties: [...parties.values()],
      revision: this.revision,
      eventCount: this.byRevision.length,
      firstOccurredAt: first.occurredAt,
      lastOccurredAt: last.occurredAt,
    };
  }

  /** Developments in (occurredAt, revision) order, filtered and paged. */
  list(filter: DevelopmentFilter): { items: ListedDevelopment[]; hasMore: boolean } {
    const known = this.revisionKnownAt(filter.knownAt);
    const start = filter.after ? this.firstIndexAfter(filter.after) : 0;
    const items: ListedDevelopment[] = [];
    for (let i = start; i < this.byValidTime.length; i++) {
      const development = this.byValidTime[i]!;
      if (filter.to !== undefined && development.occurredAt > filter.to) break;
      if (filter.from !== undefined && development.occurredAt < filter.from) continue;
      if (development.revision > known) continue;
      if (filter.types && !filter.types.has(storedTypeOf(development))) continue;
      if (filter.party !== undefined && !namesParty(development, filter.party)) continue;
      const retracted = this.isRetracted(development.eventId, known);
      if (retracted && !filter.includeRetracted) continue;
      if (items.length === filter.limit) return { items, hasMore: true };
      items.push({ development, retracted });
    }
    return { items, hasMore: false };
  }
}

function namesParty(development: Development, party: string): boolean {
  if (development.type === 'PartyJoined') return development.data.party.code === party;
  return partiesNamedBy(development).includes(party);
}
