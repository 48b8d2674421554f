import type { Development, Instant, Party, ProposalFacts, RecordedDevelopment, Situation } from '@parley/domain';
import { demandKey, partiesNamedBy } from '@parley/domain';
import type { FoldState } from './evolve';
import { evolve, initialFoldState, viewAt } from './evolve';
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
function validTimeOrder(a: RecordedDevelopment, b: { occurredAt: Instant; revision: number }): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? -1 : 1;
  return a.revision - b.revision;
}

/**
 * Every recorded development of one negotiation, kept in revision order and in valid-time order.
 * Answers any (asOf, knownAt) by folding the right selection: `knownAt` selects a prefix of the
 * stream (recordedAt never decreases along it), `asOf` a prefix in valid time, and a retraction
 * known at `knownAt` removes its target from every `asOf`.
 */
export class NegotiationTimeline {
  private readonly byRevision: RecordedDevelopment[] = [];
  private readonly byValidTime: RecordedDevelopment[] = [];
  private readonly byEventId = new Map<string, RecordedDevelopment>();
  /** Target event id → revision of the retraction that removed it. */
  private readonly retractions = new Map<string, number>();

  constructor(readonly negotiationId: string) {}

  /** An independent copy, to decide a batch whose later members must see the earlier ones. */
  clone(): NegotiationTimeline {
    const copy = new NegotiationTimeline(this.negotiationId);
    copy.append(this.byRevision);
    return copy;
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
      this.byRevision.push(development);
      this.byEventId.set(development.eventId, development);
      this.insertInValidTime(development);
      // The first retraction of a target removes it; a later one (decide refuses it) changes nothing.
      if (
        development.type === 'DevelopmentRetracted' &&
        !this.retractions.has(development.data.targetEventId)
      ) {
        this.retractions.set(development.data.targetEventId, development.revision);
      }
    }
    return true;
  }

  private insertInValidTime(development: RecordedDevelopment): void {
    const list = this.byValidTime;
    const last = list[list.length - 1];
    if (!last || validTimeOrder(last, development) < 0) {
      list.push(development);
      return;
    }
    list.splice(this.firstIndexAfter(development), 0, development);
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

  /** The folded state for a perspective, before it is turned into an answer. */
  fold(perspective: Perspective): FoldState {
    const known = this.revisionKnownAt(perspective.knownAt);
    const state = initialFoldState(this.negotiationId);
    const opened = this.byRevision[0];
    // The founding parties and title belong to every fold, whatever the asOf.
    if (opened && known >= 0) evolve(state, opened);
    for (const development of this.byValidTime) {
      if (development.occurredAt > perspective.asOf) break;
      if (
        development.revision === 0 ||
        development.revision > known ||
        this.isRetracted(development.eventId, known)
      ) {
        continue;
      }
      evolve(state, development);
    }
    return state;
  }

  stateAt(perspective: Perspective): NegotiationState {
    const known = this.revisionKnownAt(perspective.knownAt);
    return viewAt(this.fold(perspective), perspective.asOf, perspective.knownAt, known);
  }

  /** What `decide` needs to judge a development dated `occurredAt`, with every event known now. */
  situationAt(occurredAt: Instant): Situation {
    const state = this.fold({ asOf: occurredAt, knownAt: null });
    const proposalsAsOf = new Map<string, ProposalFacts>();
    for (const p of state.proposals.values()) {
      proposalsAsOf.set(p.proposalId, { by: p.by, to: p.to, status: p.status });
    }
    const openDemandsAsOf = new Set<string>();
    for (const d of state.demands.values()) {
      if (d.status === 'open') openDemandsAsOf.add(demandKey(d.by, d.of, d.issue));
    }
    const proposalIdsInUse = new Set<string>();
    const recordedEvents = new Map<string, { type: Development['type']; retracted: boolean }>();
    for (const development of this.byRevision) {
      const retracted = this.isRetracted(development.eventId, this.revision);
      recordedEvents.set(development.eventId, { type: development.type, retracted });
      if (development.type === 'ProposalMade' && !retracted) {
        proposalIdsInUse.add(development.data.proposalId);
      }
    }
    return {
      partiesDeclared: new Set(state.parties.keys()),
      proposalIdsInUse,
      proposalsAsOf,
      openDemandsAsOf,
      recordedEvents,
    };
  }

  summary(): NegotiationSummary | undefined {
    const opened = this.byRevision[0];
    const first = this.byValidTime[0];
    const last = this.byValidTime[this.byValidTime.length - 1];
    if (!opened || opened.type !== 'NegotiationOpened' || !first || !last) return undefined;
    const parties = new Map(opened.data.parties.map((p) => [p.code, { ...p }]));
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
      title: opened.data.title,
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
      if (filter.types && !filter.types.has(development.type)) continue;
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
