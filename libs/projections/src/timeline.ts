import type {
  Development,
  EvidenceStatus,
  Instant,
  MinEvidence,
  Party,
  RecordedDevelopment,
} from '@parley/domain';
import { partiesNamedBy, storedTypeOf } from '@parley/domain';
import type { FoldState } from './evolve';
import { PROJECTION, answer, initialFoldState, viewAt } from './evolve';
import type { DecoratedItems, Evidence, Judgement } from './evidence';
import {
  evidenceOf,
  isJudgement,
  isReport,
  meetsMinEvidence,
  unjudgedStatus,
  withEvidenceStatus,
} from './evidence';
import type { NegotiationState, TariffPair } from './negotiation-state';
import { SLICES } from './slices';
import type { Recorded } from './slices';
import type { Tariffs } from './slices/tariffs';
import { tariffsAsDecided } from './slices/tariffs';
import { SnapshotFold } from './snapshots';

/** Which history to look at: the world on `asOf`, as the tracker knew it at `knownAt` (null: now). */
export interface Perspective {
  asOf: Instant;
  knownAt: Instant | null;
  /** Fold only the reports at least this well supported as known at `knownAt` (contract v1.1). */
  minEvidence?: MinEvidence;
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
  /** Only the developments a fold with this `minEvidence` takes (see NegotiationTimeline.isSelected). */
  minEvidence?: MinEvidence;
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

const isTariffDevelopment = (
  development: RecordedDevelopment,
): development is Recorded<'TariffChanged' | 'TariffScopeChanged'> =>
  development.type === 'TariffChanged' || development.type === 'TariffScopeChanged';

/** How many developments, in valid-time order, lie at least between two snapshots of the fold by default. */
export const DEFAULT_SNAPSHOT_EVERY = 128;

export interface TimelineOptions {
  /** How many developments, in valid-time order, lie at least between two snapshots of the fold. */
  snapshotEvery?: number;
}

/**
 * Every recorded development of one negotiation, kept in revision order and in valid-time order.
 * Answers any (asOf, knownAt) by folding the right selection: `knownAt` selects a prefix of the
 * stream (recordedAt never decreases along it), `asOf` a prefix in valid time, and a retraction
 * known at `knownAt` removes its target from every `asOf`. The folds start from snapshots
 * (snapshots/): a development that lands inside history (a late report) or a retraction drops
 * only the snapshots after its place.
 */
export class NegotiationTimeline {
  private readonly byRevision: RecordedDevelopment[] = [];
  private readonly byValidTime: RecordedDevelopment[] = [];
  private readonly byEventId = new Map<string, RecordedDevelopment>();
  /** Target event id → revision of the retraction that removed it. */
  private readonly retractions = new Map<string, number>();
  /** Target event id → its confirmations and disputes, in revision order (retracted ones too). */
  private readonly judgements = new Map<string, (RecordedDevelopment & Judgement)[]>();
  /** frontier[r]: the latest `occurredAt` among revisions 0..r, so a knownAt fold knows where to stop. */
  private readonly frontier: Instant[] = [];
  private readonly snapshots: SnapshotFold<typeof PROJECTION.slices>;
  /**
   * Per minEvidence level, once asked: snapshots of the fold of what that level selects as known
   * now (the last revision). A judgement, or the retraction of one, changes what a level selects,
   * so it drops them all; they are folded again when next asked for.
   */
  private readonly selectedSnapshots = new Map<
    MinEvidence,
    SnapshotFold<typeof PROJECTION.slices>
  >();
  private readonly snapshotEvery: number;
  /**
   * Items decorated with their evidence status as known at a revision from `evidenceChangedAt` on,
   * when every report's status is what it is now (withEvidenceStatusAt); emptied when it moves.
   */
  private decorated: DecoratedItems = new WeakMap();
  /** The revision of the last judgement, or retraction of one (-1: none yet). */
  private evidenceChangedAt = -1;
  /** The tariffs as finally decided as known now (every development selected), folded when first asked after a change. */
  private decidedNow: Tariffs | undefined;
  private summaryCache:
    { last: RecordedDevelopment | undefined; summary: NegotiationSummary | undefined } | undefined;

  constructor(
    readonly negotiationId: string,
    options: TimelineOptions = {},
  ) {
    const every = Math.max(1, Math.floor(options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY));
    this.snapshotEvery = every;
    this.snapshots = new SnapshotFold(
      PROJECTION,
      {
        inValidTime: this.byValidTime,
        opening: () => this.byRevision[0],
        retractedAt: (eventId) => this.retractions.get(eventId),
      },
      every,
    );
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
    const landed: RecordedDevelopment[] = [];
    /** Developments whose first retraction is among these. */
    const retracted: RecordedDevelopment[] = [];
    let complete = true;
    for (const development of developments) {
      if (development.revision <= this.revision) continue;
      if (development.revision !== this.revision + 1) {
        complete = false;
        break;
      }
      const previous = this.frontier[this.frontier.length - 1];
      this.byRevision.push(development);
      this.frontier.push(
        previous !== undefined && previous > development.occurredAt
          ? previous
          : development.occurredAt,
      );
      this.byEventId.set(development.eventId, development);
      landed.push(development);
      // The first retraction of a target removes it; a later one (decide refuses it) changes nothing.
      if (
        development.type === 'DevelopmentRetracted' &&
        !this.retractions.has(development.data.targetEventId)
      ) {
        this.retractions.set(development.data.targetEventId, development.revision);
        const target = this.byEventId.get(development.data.targetEventId);
        if (target) retracted.push(target);
        if (target && isJudgement(target)) this.evidenceChanged(development.revision);
      }
      if (isJudgement(development)) {
        this.evidenceChanged(development.revision);
        const target = development.data.targetEventId;
        const judged = this.judgements.get(target);
        if (judged) judged.push(development);
        else this.judgements.set(target, [development]);
      }
    }
    // What was folded past the first place anything landed at, or past a development now
    // retracted, no longer holds; the places are taken once all have landed.
    if (landed.length > 0) this.decidedNow = undefined;
    let changedFrom = this.insertInValidTime(landed);
    for (const target of retracted) changedFrom = Math.min(changedFrom, this.positionOf(target));
    if (changedFrom < this.byValidTime.length) this.invalidateAfter(changedFrom);
    return complete;
  }

  /** A judgement, or the retraction of one, at `revision`: what a report's evidence selects or shows may differ from there on. */
  private evidenceChanged(revision: number): void {
    this.selectedSnapshots.clear();
    this.evidenceChangedAt = revision;
    this.decorated = new WeakMap();
  }

  /**
   * Merges developments into the valid-time order and returns the first index any of them took
   * (the length when there are none). One pass moving what lies after the first of them, however
   * many there are: a batch landing all over history costs about what one late development does,
   * not one shift of the later history per development.
   */
  private insertInValidTime(developments: RecordedDevelopment[]): number {
    const list = this.byValidTime;
    const had = list.length;
    if (developments.length === 0) return had;
    const landing = [...developments].sort(validTimeOrder);
    const last = list[had - 1];
    const first =
      !last || validTimeOrder(last, landing[0]!) < 0 ? had : this.firstIndexAfter(landing[0]!);
    for (const development of landing) list.push(development);
    if (first === had) return had;
    // From the back, each of them placed by a binary search among the old list's developments not
    // yet moved up (comparing instants costs more than moving references: k log n comparisons);
    // the slot written is always past the next one of the old list to read.
    let read = had - 1;
    let write = list.length - 1;
    for (let next = landing.length - 1; next >= 0; next--) {
      const development = landing[next]!;
      let lo = first;
      let hi = read + 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (validTimeOrder(list[mid]!, development) <= 0) lo = mid + 1;
        else hi = mid;
      }
      while (read >= lo) list[write--] = list[read--]!;
      list[write--] = development;
    }
    return first;
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
    this.snapshots.invalidateAfter(index);
    for (const selected of this.selectedSnapshots.values()) selected.invalidateAfter(index);
  }

  /**
   * The snapshots of what `minEvidence` selects as known now: to them a development the level
   * leaves out now is as if retracted at revision 0 (out of every fold they make). They serve only
   * answers as known now; other knownAt fold without snapshots (foldSelected).
   */
  private selectedSnapshotsOf(minEvidence: MinEvidence): SnapshotFold<typeof PROJECTION.slices> {
    let selected = this.selectedSnapshots.get(minEvidence);
    if (!selected) {
      selected = new SnapshotFold(
        PROJECTION,
        {
          inValidTime: this.byValidTime,
          opening: () => this.byRevision[0],
          retractedAt: (eventId) => {
            const retractedAt = this.retractions.get(eventId);
            if (retractedAt !== undefined) return retractedAt;
            const development = this.byEventId.get(eventId);
            return development && this.meetsEvidence(development, this.revision, minEvidence)
              ? undefined
              : 0;
          },
        },
        this.snapshotEvery,
      );
      this.selectedSnapshots.set(minEvidence, selected);
    }
    return selected;
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

  /**
   * The evidence for the report `eventId` as known at revision `known`: the confirmations and
   * disputes recorded by then and not retracted by then. Undefined when it is not a report known
   * then (NegotiationOpened, a retraction, a confirmation, a dispute, or unknown).
   */
  evidenceAt(eventId: string, known: number): Evidence | undefined {
    const report = this.reportKnownAt(eventId, known);
    return report && evidenceOf(report, this.judgementsAt(eventId, known));
  }

  /** Just the status of `evidenceAt` (null when it is not a report known then); cheap when nothing judges it. */
  evidenceStatusAt(eventId: string, known: number): EvidenceStatus | null {
    const report = this.reportKnownAt(eventId, known);
    if (!report) return null;
    if (!this.judgements.has(eventId)) return unjudgedStatus(report);
    return evidenceOf(report, this.judgementsAt(eventId, known)).status;
  }

  /**
   * `value` (items of an answer as known at revision `known`) with the evidence status of each
   * item, as withEvidenceStatus adds it. From `evidenceChangedAt` on, no judgement lands or is
   * retracted, so a report's status is the same at every such revision: items are decorated once
   * and their copies shared by every later answer at such a revision (any asOf or minEvidence),
   * until a judgement changes that. (An item of such an answer comes from a report known then, so
   * its status is never the null of one not known yet.) Answers as known before it are decorated
   * afresh.
   */
  withEvidenceStatusAt<T>(value: T, known: number): T {
    const statusOf = (eventId: string) => this.evidenceStatusAt(eventId, known);
    return withEvidenceStatus(
      value,
      statusOf,
      known >= this.evidenceChangedAt ? this.decorated : undefined,
    );
  }

  /** The development `eventId` when it is a report known at revision `known`. */
  private reportKnownAt(eventId: string, known: number): RecordedDevelopment | undefined {
    const report = this.byEventId.get(eventId);
    return report && report.revision <= known && isReport(report) ? report : undefined;
  }

  /** The confirmations and disputes of `eventId` that count at revision `known`. */
  private judgementsAt(eventId: string, known: number): Judgement[] {
    const all = this.judgements.get(eventId) ?? [];
    const counted: Judgement[] = [];
    for (const judgement of all) {
      if (judgement.revision > known) break;
      if (!this.isRetracted(judgement.eventId, known)) counted.push(judgement);
    }
    return counted;
  }

  /**
   * Whether a fold as known at revision `known`, with `minEvidence`, takes `development` (before
   * the asOf cut): known, not retracted, not a retraction, and either not a report, a PartyJoined
   * (always taken, as the opening is), or a report whose status is at least `minEvidence`.
   */
  isSelected(development: RecordedDevelopment, known: number, minEvidence?: MinEvidence): boolean {
    if (development.revision > known || development.type === 'DevelopmentRetracted') return false;
    if (this.isRetracted(development.eventId, known)) return false;
    return minEvidence === undefined || this.meetsEvidence(development, known, minEvidence);
  }

  /** Whether `minEvidence` lets `development` (known at `known`) into a fold: only reports are held to it. */
  private meetsEvidence(
    development: RecordedDevelopment,
    known: number,
    minEvidence: MinEvidence,
  ): boolean {
    if (development.type === 'PartyJoined' || !isReport(development)) return true;
    const status = this.evidenceStatusAt(development.eventId, known);
    return status !== null && meetsMinEvidence(status, minEvidence);
  }

  /** The folded state for a perspective, before it is turned into an answer; the caller's own copy. */
  fold(perspective: Perspective): FoldState {
    const known = this.revisionKnownAt(perspective.knownAt);
    if (known < 0) return initialFoldState(this.negotiationId);
    const end = this.endOf(perspective.asOf, known);
    const { minEvidence } = perspective;
    const states =
      minEvidence === undefined
        ? this.snapshots.foldTo(end, known)
        : known === this.revision
          ? this.selectedSnapshotsOf(minEvidence).foldTo(end, known)
          : this.foldSelected(end, known, minEvidence);
    return { negotiationId: this.negotiationId, ...states };
  }

  stateAt(perspective: Perspective): NegotiationState {
    const { asOf, knownAt, minEvidence } = perspective;
    const known = this.revisionKnownAt(knownAt);
    if (known < 0) return viewAt(initialFoldState(this.negotiationId), asOf, knownAt, known);
    const end = this.endOf(asOf, known);
    const shown =
      minEvidence === undefined
        ? this.snapshots.shownAt(end, known, asOf)
        : known === this.revision
          ? this.selectedSnapshotsOf(minEvidence).shownAt(end, known, asOf)
          : PROJECTION.show(this.foldSelected(end, known, minEvidence), asOf);
    return answer(this.negotiationId, shown, asOf, knownAt, known);
  }

  /**
   * `stateAt(perspective).tariffs`, folding and showing only the tariffs: a `GET …/tariffs` then
   * costs nothing of the proposals, agreements and the rest, whose answer grows with the history.
   */
  tariffsAt(perspective: Perspective): readonly TariffPair[] {
    const { asOf, knownAt, minEvidence } = perspective;
    const known = this.revisionKnownAt(knownAt);
    // Nothing known yet, or reports selected as known at an earlier revision: no snapshots to use.
    if (known < 0 || (minEvidence !== undefined && known !== this.revision))
      return this.stateAt(perspective).tariffs;
    const end = this.endOf(asOf, known);
    const snapshots =
      minEvidence === undefined ? this.snapshots : this.selectedSnapshotsOf(minEvidence);
    return snapshots.shownSliceAt('tariffs', end, known, asOf);
  }

  /**
   * The tariff pairs as goods entering on `effectiveOn` owe, as finally decided by every
   * development known at `knownAt`, whatever its occurredAt (contract v1.1, effectiveOn). One pass
   * over the history; kept for answers as known now until the next development lands.
   */
  tariffsEffectiveOn(
    effectiveOn: Instant,
    knownAt: Instant | null,
    minEvidence?: MinEvidence,
  ): readonly TariffPair[] {
    const known = this.revisionKnownAt(knownAt);
    if (known < 0) return [];
    const asKnownNow = known === this.revision && minEvidence === undefined;
    const decided = (asKnownNow && this.decidedNow) || this.foldAsDecided(known, minEvidence);
    if (asKnownNow) this.decidedNow = decided;
    return SLICES.tariffs.show(decided, effectiveOn);
  }

  private foldAsDecided(known: number, minEvidence: MinEvidence | undefined): Tariffs {
    const state = tariffsAsDecided();
    for (const development of this.byValidTime) {
      if (isTariffDevelopment(development) && this.isSelected(development, known, minEvidence))
        SLICES.tariffs.evolve(state, development);
    }
    return state;
  }

  /**
   * A fold from the opening, without snapshots, of the first `end` developments in valid time that
   * a `minEvidence` answer as known at an earlier revision than the last selects (what it selects
   * depends on the judgements known then); one pass over the history up to `asOf`.
   */
  private foldSelected(end: number, known: number, minEvidence: MinEvidence) {
    const states = PROJECTION.initial();
    const opening = this.byRevision[0];
    if (opening) PROJECTION.evolve(states, opening);
    for (let i = 0; i < end; i++) {
      const development = this.byValidTime[i]!;
      if (development.revision === 0) continue;
      if (this.isSelected(development, known, minEvidence)) PROJECTION.evolve(states, development);
    }
    return states;
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
      if (
        filter.minEvidence !== undefined &&
        !this.meetsEvidence(development, known, filter.minEvidence)
      ) {
        continue;
      }
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
