import type { TObject } from '@sinclair/typebox';
import type { DevelopmentType, RecordedDevelopment } from './development';
import type { DevelopmentDefinition } from './developments';
import { DEVELOPMENTS } from './developments';
import type { Instant } from './time';
import type { ProposalStatus } from './vocabulary';

/** A proposal as far as the rules need it, as of the new development's `occurredAt`. */
export interface ProposalFacts {
  by: string;
  to: readonly string[];
  status: ProposalStatus;
}

/**
 * What the rules look at: the negotiation as of the new development's `occurredAt`, with every
 * event known now. `decide` only reads it.
 */
export interface Situation {
  /** Whether the party is declared as of `occurredAt` (founding parties always are). */
  isDeclared(party: string): boolean;
  /** Whether a proposal with this id is recorded and not retracted, whenever it was made or considered. */
  isProposalIdInUse(proposalId: string): boolean;
  /**
   * Who holds a proposal id, whenever recorded (not retracted): the party, and whether it was
   * made (an occurred ProposalMade) or only considered so far.
   */
  proposalHolder(proposalId: string): { by: string; made: boolean } | undefined;
  /** The proposal made at or before `occurredAt`, with its status then. */
  proposalAsOf(proposalId: string): ProposalFacts | undefined;
  /** Whether the demand by `by` of `of` on `issue` is open as of `occurredAt`. */
  isDemandOpen(by: string, of: string, issue: string): boolean;
  /**
   * Whether the tariff line (imposedBy, appliedTo, measure) is known as of `occurredAt`: a
   * TariffChanged of it that occurred (not only threatened or considered) at or before then, and
   * is not retracted.
   */
  isTariffLineKnown(imposedBy: string, appliedTo: string, measure: string): boolean;
  /** An event of the stream now, by id: its type and whether a retraction of it is recorded. */
  recordedEvent(eventId: string): { type: DevelopmentType; retracted: boolean } | undefined;
}

const demandKey = (by: string, of: string, issue: string): string =>
  `${by}\u0000${of}\u0000${issue}`;

const tariffLineKey = (imposedBy: string, appliedTo: string, measure: string): string =>
  `${imposedBy}\u0000${appliedTo}\u0000${measure}`;

const inValidTime = (a: RecordedDevelopment, b: RecordedDevelopment): number =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.revision - b.revision;

/** Appends `value` to the list under `key`, making the list when it is the first. */
function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Removes the last value of the list under `key` (the one pushed last), and the list once empty. */
function pop<V>(map: Map<string, V[]>, key: string): void {
  const list = map.get(key);
  list?.pop();
  if (list?.length === 0) map.delete(key);
}

/**
 * The decision model: of a negotiation's stream, what `decide` reads, kept by what the rules ask
 * about (a party, a proposal, a demand, an event id) rather than as one folded state. A
 * situation at any `occurredAt` then folds only the few developments of the key asked about,
 * however long the history and in whatever order it was recorded.
 *
 * Which developments feed it, and under which keys, each type's definition says
 * (`decisionKeys` in ./developments); every development is known by its event id. Retractions act as on the read side with every event
 * known: a retracted development does not count, whenever it happened.
 */
export class DecisionModel {
  private readonly byRevision: RecordedDevelopment[] = [];
  private readonly byEventId = new Map<string, RecordedDevelopment>();
  /** Target event id → the retractions of it, in revision order. */
  private readonly retractions = new Map<string, RecordedDevelopment[]>();
  private readonly founding = new Set<string>();
  /** Party code → its PartyJoined, in revision order. */
  private readonly joins = new Map<string, RecordedDevelopment[]>();
  /** Proposal id → its ProposalMade and ProposalResponded, in revision order. */
  private readonly proposals = new Map<string, RecordedDevelopment[]>();
  /** Demand key → its DemandMade and DemandResolved, in revision order. */
  private readonly demands = new Map<string, RecordedDevelopment[]>();
  /** Tariff line key → its TariffChanged, in revision order. */
  private readonly tariffLines = new Map<string, RecordedDevelopment[]>();

  /** The last revision held; -1 when empty. */
  get revision(): number {
    return this.byRevision.length - 1;
  }

  /** The development at `revision`, if held. */
  at(revision: number): RecordedDevelopment | undefined {
    return this.byRevision[revision];
  }

  /**
   * Adds the next developments of the stream; ones already held are skipped. Returns false on
   * a gap (the caller must supply the missing revisions first).
   */
  append(developments: readonly RecordedDevelopment[]): boolean {
    for (const development of developments) {
      if (development.revision <= this.revision) continue;
      if (development.revision !== this.revision + 1) return false;
      this.byRevision.push(development);
      this.byEventId.set(development.eventId, development);
      this.index(development, +1);
    }
    return true;
  }

  /** Forgets the developments after `revision`, as if never appended (a decided append that failed). */
  dropAfter(revision: number): void {
    while (this.revision > Math.max(revision, -1)) {
      const development = this.byRevision.pop()!;
      if (this.byEventId.get(development.eventId) === development)
        this.byEventId.delete(development.eventId);
      this.index(development, -1);
    }
  }

  /** Files the development under the keys its type's definition names (./developments). */
  private index(development: RecordedDevelopment, change: 1 | -1): void {
    if (development.type === 'DevelopmentUnreadable') return;
    // TypeScript cannot relate a development's type to its own definition's data.
    const definition = DEVELOPMENTS[development.type] as DevelopmentDefinition<TObject>;
    const keys = definition.decisionKeys?.(development.data);
    if (!keys) return;
    const file = (map: Map<string, RecordedDevelopment[]>, key: string) =>
      change > 0 ? push(map, key, development) : pop(map, key);
    for (const party of keys.founding ?? []) {
      if (change > 0) this.founding.add(party);
      else this.founding.delete(party);
    }
    if (keys.party !== undefined) file(this.joins, keys.party);
    if (keys.proposal !== undefined) file(this.proposals, keys.proposal);
    if (keys.demand !== undefined) file(this.demands, demandKey(...keys.demand));
    if (keys.retracts !== undefined) file(this.retractions, keys.retracts);
    if (keys.tariffLine !== undefined) file(this.tariffLines, tariffLineKey(...keys.tariffLine));
  }

  private isRetracted(eventId: string): boolean {
    return this.retractions.has(eventId);
  }

  /** The developments under `key` with `occurredAt` at or before `asOf`, not retracted, in valid-time order. */
  private asOf(map: Map<string, RecordedDevelopment[]>, key: string, asOf: Instant) {
    return (map.get(key) ?? [])
      .filter((d) => d.occurredAt <= asOf && !this.isRetracted(d.eventId))
      .sort(inValidTime);
  }

  /** What `decide` reads to judge a development dated `occurredAt`, with every event known now. */
  situationAt(occurredAt: Instant): Situation {
    return {
      isDeclared: (party) =>
        this.founding.has(party) || this.asOf(this.joins, party, occurredAt).length > 0,
      isProposalIdInUse: (proposalId) =>
        (this.proposals.get(proposalId) ?? []).some(
          (d) => d.type === 'ProposalMade' && !this.isRetracted(d.eventId),
        ),
      proposalHolder: (proposalId) => {
        const makes = (this.proposals.get(proposalId) ?? []).filter(
          (d) => d.type === 'ProposalMade' && !this.isRetracted(d.eventId),
        );
        const first = makes[0];
        if (first?.type !== 'ProposalMade') return undefined;
        return { by: first.data.by, made: makes.some((d) => d.modality !== 'considered') };
      },
      proposalAsOf: (proposalId) => {
        let facts: ProposalFacts | undefined;
        for (const d of this.asOf(this.proposals, proposalId, occurredAt)) {
          if (d.type === 'ProposalMade') {
            // Being considered after it was made (or again) changes nothing; making it does, and a
            // proposal made again is made anew, as the read side folds it (slices/proposals.ts).
            if (d.modality === 'considered') {
              facts ??= { by: d.data.by, to: d.data.to, status: 'considered' };
            } else {
              facts = { by: d.data.by, to: d.data.to, status: 'proposed' };
            }
            // A response to a proposal only considered answers nothing (decide refuses it).
          } else if (d.type === 'ProposalResponded' && facts && facts.status !== 'considered')
            facts = { ...facts, status: d.data.response };
        }
        return facts;
      },
      isDemandOpen: (by, of, issue) => {
        // Resolving closes an open demand and making it again reopens it: open if made last.
        const history = this.asOf(this.demands, demandKey(by, of, issue), occurredAt);
        return history[history.length - 1]?.type === 'DemandMade';
      },
      isTariffLineKnown: (imposedBy, appliedTo, measure) =>
        // A threat or a change only weighed sets no line a scope change could narrow.
        this.asOf(this.tariffLines, tariffLineKey(imposedBy, appliedTo, measure), occurredAt).some(
          (d) => d.modality === undefined,
        ),
      recordedEvent: (eventId) => {
        const d = this.byEventId.get(eventId);
        return d && { type: d.type, retracted: this.isRetracted(eventId) };
      },
    };
  }
}
