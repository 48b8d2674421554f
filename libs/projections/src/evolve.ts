import type {
  DevelopmentOf,
  Instant,
  Party,
  RecordedDevelopment,
  TradeMeasureAction,
  TradeMeasureKind,
} from '@parley/domain';
import { assertNever } from '@parley/domain';
import type {
  Agreement,
  Demand,
  NegotiationState,
  Proposal,
  StanceItem,
  Talks,
  TariffLine,
  TariffPair,
  TradeMeasureItem,
} from './negotiation-state';

/**
 * A change to a tariff line or trade measure, in fold order: one flat object per development
 * (the same shape for all, so that reading thousands of them for an answer stays fast).
 * Changes that took effect before the fold reached them are "settled" into one winner per
 * line; the rest stay "pending", so a line costs O(changes not yet effective) to read, however
 * long its history.
 */
/** A tariff change is the line an answer shows while it is in effect or scheduled. */
type TariffChange = TariffLine;

interface TradeMeasureChange {
  effectiveAt: Instant;
  appliedTo: readonly string[];
  kind: TradeMeasureKind;
  action: TradeMeasureAction;
  eventId: string;
}

type Change = TariffChange | TradeMeasureChange;

interface ChangeHistory<C extends Change> {
  settled: C | null;
  /** Not yet effective at the fold's watermark, in fold order, at most one per `effectiveAt`. */
  pending: C[];
}

type TariffHistory = ChangeHistory<TariffChange>;
/** One pair's tariff lines, by measure. */
type Lines = Map<string, TariffHistory>;

/**
 * The state of play as the fold builds it. `evolve` updates it in place for speed (a fold is
 * over millions of events); it never escapes a fold except through `cloneFold` and `viewAt`.
 */
export interface FoldState {
  negotiationId: string;
  title: string;
  parties: Map<string, Party>;
  /** Tariff lines by pair key, then by measure. */
  tariffs: Map<string, Lines>;
  tradeMeasures: Map<
    string,
    { imposedBy: string; measure: string; history: ChangeHistory<TradeMeasureChange> }
  >;
  talks: Talks;
  proposals: Map<string, Proposal>;
  stances: Map<string, StanceItem>;
  demands: Map<string, Demand>;
  agreements: Agreement[];
}

const frozen = Object.freeze;
const NO_TERMS: readonly string[] = frozen([]);
const NO_TALKS: Talks = frozen({
  status: 'none',
  since: null,
  rounds: 0,
  lastRoundAt: null,
  nextRoundAt: null,
});

export function initialFoldState(negotiationId: string): FoldState {
  return {
    negotiationId,
    title: '',
    parties: new Map(),
    tariffs: new Map(),
    tradeMeasures: new Map(),
    talks: NO_TALKS,
    proposals: new Map(),
    stances: new Map(),
    demands: new Map(),
    agreements: [],
  };
}

const PAIR_SEPARATOR = '\u0000';

/**
 * Composite keys, made once: the same string object for the same parts, so that maps hash it
 * once instead of hashing a freshly concatenated string on every development (a fifth of a
 * fold's time). Bounded by the vocabulary of party codes, measures and issues.
 */
const composite = new Map<string, Map<string, string>>();
let compositeCount = 0;
function keyOf(a: string, b: string): string {
  let byB = composite.get(a);
  if (!byB) composite.set(a, (byB = new Map<string, string>()));
  let key = byB.get(b);
  if (key === undefined) {
    if (++compositeCount > 200_000) {
      composite.clear();
      compositeCount = 0;
    }
    byB.set(b, (key = a + PAIR_SEPARATOR + b));
  }
  return key;
}

/** demandKey(by, of, issue), made once per key. */
const demandKeyOf = (by: string, of: string, issue: string): string => keyOf(keyOf(by, of), issue);

/** Applies one development to the state. Total: it never throws on a stored event. */
export function evolve(state: FoldState, event: RecordedDevelopment): FoldState {
  switch (event.type) {
    case 'NegotiationOpened':
      state.title = event.data.title;
      for (const party of event.data.parties) state.parties.set(party.code, { ...party });
      break;
    case 'PartyJoined':
      if (!state.parties.has(event.data.party.code)) {
        state.parties.set(event.data.party.code, { ...event.data.party });
      }
      break;
    case 'TariffChanged':
      evolveTariff(state, event);
      break;
    case 'TradeMeasureChanged':
      evolveTradeMeasure(state, event);
      break;
    case 'ProposalMade': {
      const d = event.data;
      state.proposals.set(d.proposalId, {
        proposalId: d.proposalId,
        by: d.by,
        to: [...d.to],
        subject: d.subject,
        summary: d.summary,
        terms: d.terms ? [...d.terms] : NO_TERMS,
        status: 'proposed',
        counterProposalId: null,
        madeAt: event.occurredAt,
        updatedAt: event.occurredAt,
      });
      break;
    }
    case 'ProposalResponded': {
      const proposal = state.proposals.get(event.data.proposalId);
      if (proposal) {
        state.proposals.set(proposal.proposalId, {
          proposalId: proposal.proposalId,
          by: proposal.by,
          to: proposal.to,
          subject: proposal.subject,
          summary: proposal.summary,
          terms: proposal.terms,
          status: event.data.response,
          counterProposalId: event.data.counterProposalId ?? proposal.counterProposalId,
          madeAt: proposal.madeAt,
          updatedAt: event.occurredAt,
        });
      }
      break;
    }
    case 'TalksScheduled':
      state.talks = {
        status: 'scheduled',
        since: event.occurredAt,
        rounds: state.talks.rounds,
        lastRoundAt: state.talks.lastRoundAt,
        nextRoundAt: event.data.scheduledFor,
      };
      break;
    case 'TalksHeld':
      state.talks = {
        status: talksStatusAfterRound(event.data.outcome),
        since: event.occurredAt,
        rounds: state.talks.rounds + 1,
        lastRoundAt: event.occurredAt,
        nextRoundAt: null,
      };
      break;
    case 'TalksStatusChanged':
      state.talks = {
        status: event.data.status,
        since: event.occurredAt,
        rounds: state.talks.rounds,
        lastRoundAt: state.talks.lastRoundAt,
        nextRoundAt: state.talks.nextRoundAt,
      };
      break;
    case 'StatementMade':
      if (event.data.stance) {
        state.stances.set(event.data.party, {
          party: event.data.party,
          stance: event.data.stance,
          speaker: event.data.speaker,
          at: event.occurredAt,
        });
      }
      break;
    case 'DemandMade': {
      const { by, of, issue, summary } = event.data;
      const key = demandKeyOf(by, of, issue);
      const existing = state.demands.get(key);
      // Repeating an open demand restates it; making it again after it was resolved reopens it.
      const madeAt = existing?.status === 'open' ? existing.madeAt : event.occurredAt;
      state.demands.set(key, { by, of, issue, summary, status: 'open', madeAt, resolvedAt: null });
      break;
    }
    case 'DemandResolved': {
      const key = demandKeyOf(event.data.by, event.data.of, event.data.issue);
      const demand = state.demands.get(key);
      if (demand?.status === 'open') {
        state.demands.set(key, { ...demand, status: 'resolved', resolvedAt: event.occurredAt });
      }
      break;
    }
    case 'AgreementReached':
      state.agreements.push({
        parties: [...event.data.parties],
        summary: event.data.summary,
        terms: event.data.terms ? [...event.data.terms] : NO_TERMS,
        at: event.occurredAt,
        effectiveAt: event.data.effectiveAt ?? null,
      });
      state.talks = {
        status: 'agreement-reached',
        since: event.occurredAt,
        rounds: state.talks.rounds,
        lastRoundAt: state.talks.lastRoundAt,
        nextRoundAt: state.talks.nextRoundAt,
      };
      break;
    case 'DevelopmentRetracted':
      // A retraction acts through the selection of events to fold, not as a change of state.
      break;
    case 'DevelopmentUnreadable':
      // Stored but unreadable: listed in the log, never part of the state of play.
      break;
    default:
      assertNever(event);
  }
  return state;
}

function talksStatusAfterRound(
  outcome: DevelopmentOf<'TalksHeld'>['data']['outcome'],
): Talks['status'] {
  switch (outcome) {
    case undefined:
    case 'progress':
      return 'ongoing';
    case 'no-result':
      return 'stalled';
    case 'agreement':
      return 'agreement-reached';
    case 'breakdown':
      return 'collapsed';
    default:
      return assertNever(outcome);
  }
}

/**
 * Records a change in fold order. `watermark` is the `occurredAt` of the event being folded:
 * every later fold step is at or after it, so a change effective by then can never be
 * scheduled again and only the latest such change matters.
 */
function recordChange<C extends Change>(
  history: ChangeHistory<C>,
  change: C,
  watermark: Instant,
): void {
  const pending = history.pending;
  const effectiveAt = change.effectiveAt;
  if (pending.length === 0 && effectiveAt <= watermark) {
    // The common case: in effect at once, nothing scheduled.
    if (!history.settled || effectiveAt >= history.settled.effectiveAt) history.settled = change;
    return;
  }
  for (let i = 0; i < pending.length; i++) {
    if (pending[i]!.effectiveAt === effectiveAt) {
      pending.splice(i, 1);
      break;
    }
  }
  pending.push(change);
  let due = false;
  for (let i = 0; i < pending.length; i++) {
    if (pending[i]!.effectiveAt <= watermark) {
      due = true;
      break;
    }
  }
  if (due) {
    const stillPending: C[] = [];
    for (const p of pending) {
      if (p.effectiveAt > watermark) stillPending.push(p);
      else if (!history.settled || p.effectiveAt >= history.settled.effectiveAt)
        history.settled = p;
    }
    history.pending = stillPending;
  }
}

/** The change in effect at `asOf` (ties on `effectiveAt` go to the later in fold order). */
function effectiveChange<C extends Change>(history: ChangeHistory<C>, asOf: Instant): C | null {
  let best = history.settled;
  for (const p of history.pending) {
    if (p.effectiveAt <= asOf && (!best || p.effectiveAt >= best.effectiveAt)) best = p;
  }
  return best;
}

function evolveTariff(
  state: FoldState,
  event: DevelopmentOf<'TariffChanged'> & RecordedDevelopment,
): void {
  const d = event.data;
  const pairKey = keyOf(d.imposedBy, d.appliedTo);
  let lines = state.tariffs.get(pairKey);
  if (!lines) state.tariffs.set(pairKey, (lines = new Map<string, TariffHistory>()));
  let history = lines.get(d.measure);
  if (!history) lines.set(d.measure, (history = { settled: null, pending: [] }));
  recordChange(
    history,
    {
      measure: d.measure,
      rate: d.rate,
      coverage: d.coverage,
      effectiveAt: d.effectiveAt,
      eventId: event.eventId,
    },
    event.occurredAt,
  );
}

function evolveTradeMeasure(
  state: FoldState,
  event: DevelopmentOf<'TradeMeasureChanged'> & RecordedDevelopment,
): void {
  const d = event.data;
  const key = keyOf(d.imposedBy, d.measure);
  let item = state.tradeMeasures.get(key);
  if (!item) {
    item = { imposedBy: d.imposedBy, measure: d.measure, history: { settled: null, pending: [] } };
    state.tradeMeasures.set(key, item);
  }
  recordChange(
    item.history,
    {
      effectiveAt: d.effectiveAt,
      appliedTo: d.appliedTo.slice(),
      kind: d.kind,
      action: d.action,
      eventId: event.eventId,
    },
    event.occurredAt,
  );
}

function cloneHistory<C extends Change>(h: ChangeHistory<C>): ChangeHistory<C> {
  return { settled: h.settled, pending: h.pending.slice() };
}

function cloneLines(lines: Lines): Lines {
  const copy = new Map<string, TariffHistory>();
  for (const [measure, h] of lines) copy.set(measure, cloneHistory(h));
  return copy;
}

type TradeMeasureEntry = FoldState['tradeMeasures'] extends Map<string, infer V> ? V : never;

const cloneTradeMeasure = (item: TradeMeasureEntry): TradeMeasureEntry => ({
  imposedBy: item.imposedBy,
  measure: item.measure,
  history: cloneHistory(item.history),
});

/** A copy that shares nothing mutable with the original, for snapshots. */
export function cloneFold(state: FoldState): FoldState {
  const tariffs = new Map<string, Lines>();
  for (const [pair, lines] of state.tariffs) tariffs.set(pair, cloneLines(lines));
  const tradeMeasures = new Map<string, TradeMeasureEntry>();
  for (const [key, item] of state.tradeMeasures) tradeMeasures.set(key, cloneTradeMeasure(item));
  return {
    ...state,
    parties: new Map(state.parties),
    tariffs,
    tradeMeasures,
    proposals: copyOf(state.proposals),
    stances: new Map(state.stances),
    demands: copyOf(state.demands),
    agreements: state.agreements.slice(),
  };
}

/** A plain copy of a map of values `evolve` never changes in place (fast for overlays too). */
function copyOf<V>(map: Map<string, V>): Map<string, V> {
  return map instanceof OverlayMap ? (map as OverlayMap<string, V>).flatten() : new Map(map);
}

/**
 * A map that reads through to a base it never changes: what is set lands in the overlay, and a
 * value that `evolve` would change in place is copied into the overlay on first read (`adopt`).
 * Iterates like the Map a full fold would have built: the base's keys in their order (with the
 * overlay's values), then keys new to the overlay in the order they were set.
 */
class OverlayMap<K, V> extends Map<K, V> {
  /** Keys whose value may have changed since the last `copy` or `flattenWith` (see there). */
  private touched: Set<K> | undefined;

  constructor(
    readonly base: ReadonlyMap<K, V>,
    private readonly adopt?: (value: V) => V,
  ) {
    super();
  }

  override get(key: K): V | undefined {
    const own = super.get(key);
    // A fold state never holds undefined, so a miss here is a key the overlay does not hold.
    if (own !== undefined) {
      // What is adopted is changed in place by whoever gets it.
      if (this.adopt) (this.touched ??= new Set()).add(key);
      return own;
    }
    const inherited = this.peekBase(key);
    if (inherited === undefined || !this.adopt) return inherited;
    const adopted = this.adopt(inherited);
    super.set(key, adopted);
    (this.touched ??= new Set()).add(key);
    return adopted;
  }

  override set(key: K, value: V): this {
    (this.touched ??= new Set()).add(key);
    return super.set(key, value);
  }

  /** The value under `key` without adopting it: for reading, never for changing. */
  peek(key: K): V | undefined {
    const own = super.get(key);
    return own !== undefined ? own : this.peekBase(key);
  }

  private peekBase(key: K): V | undefined {
    // A base that is itself an overlay (a snapshot) must not adopt: it never changes.
    return peekIn(this.base, key);
  }

  /**
   * Another overlay over the same base, holding a copy of each of this one's own entries: the
   * value `previous` has for it if this overlay has not touched it since `previous` was copied
   * from it (so snapshots share what did not change), else `copyValue` of it.
   */
  copy(copyValue: (value: V) => V, previous?: ReadonlyMap<K, V>): OverlayMap<K, V> {
    const copy = new OverlayMap<K, V>(this.base, this.adopt);
    const changed: K[] = [];
    Map.prototype.forEach.call(this, (value: V, key: K) =>
      Map.prototype.set.call(copy, key, this.ownCopy(key, value, copyValue, previous, changed)),
    );
    this.copied(copy, previous, changed);
    return copy;
  }

  /** A plain Map with the same entries in the same order, own ones copied as `copy` does. */
  flattenWith(copyValue: (value: V) => V, previous?: ReadonlyMap<K, V>): Map<K, V> {
    const flat = new Map<K, V>(this.base);
    const changed: K[] = [];
    Map.prototype.forEach.call(this, (value: V, key: K) =>
      flat.set(key, this.ownCopy(key, value, copyValue, previous, changed)),
    );
    this.copied(flat, previous, changed);
    return flat;
  }

  /** Records what `copy` (made from this overlay) changed from `previous`, and starts afresh. */
  private copied(copy: Map<K, V>, previous: ReadonlyMap<K, V> | undefined, changed: K[]): void {
    if (previous) changedSince.set(copy, { previous, keys: changed });
    this.touched?.clear();
  }

  private ownCopy(
    key: K,
    value: V,
    copyValue: (value: V) => V,
    previous: ReadonlyMap<K, V> | undefined,
    changed: K[],
  ): V {
    if (previous && !this.touched?.has(key)) {
      const kept = peekIn(previous, key);
      if (kept !== undefined) return kept;
    }
    changed.push(key);
    return copyValue(value);
  }

  override has(key: K): boolean {
    return super.has(key) || this.base.has(key);
  }

  override get size(): number {
    let size = this.base.size;
    for (const key of super.keys()) if (!this.base.has(key)) size++;
    return size;
  }

  /** A plain Map with the same entries in the same order; unlike `flattenWith`, records nothing. */
  flatten(): Map<K, V> {
    const flat = new Map<K, V>(this.base);
    for (const [key, value] of super.entries()) flat.set(key, value);
    return flat;
  }

  /** The entries set (or adopted) since the overlay was made, in the order they were first set. */
  ownEntries(): IterableIterator<[K, V]> {
    return super.entries();
  }

  override *entries(): MapIterator<[K, V]> {
    for (const [key, value] of this.base)
      yield [key, super.has(key) ? (super.get(key) as V) : value];
    for (const entry of super.entries()) if (!this.base.has(entry[0])) yield entry;
  }

  override *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  override *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    // Native iteration of both maps (much faster than the generators above).
    const own = (key: K): boolean => Map.prototype.has.call(this, key);
    const ownValue = (key: K): V => Map.prototype.get.call(this, key) as V;
    this.base.forEach((value, key) =>
      callback.call(thisArg, own(key) ? ownValue(key) : value, key, this),
    );
    Map.prototype.forEach.call(this, (value: V, key: K) => {
      if (!this.base.has(key)) callback.call(thisArg, value, key, this);
    });
  }

  override delete(): boolean {
    throw new Error('an overlay of a fold state is never deleted from');
  }

  override clear(): void {
    throw new Error('an overlay of a fold state is never cleared');
  }
}

/**
 * Of a snapshot's map: the snapshot it was copied after (`previous`), and the keys whose value
 * may differ from that one's; every other key holds the same value. So what follows a snapshot
 * from the one before (its sorted lists, its tariff and measure lists) looks at what changed.
 */
const changedSince = new WeakMap<object, { previous: object; keys: readonly unknown[] }>();

/** The keys of `map` whose value may differ from `previous`'s, if that is known. */
function keysChangedSince<K>(map: object, previous: object): readonly K[] | undefined {
  const since = changedSince.get(map);
  return since?.previous === previous ? (since.keys as readonly K[]) : undefined;
}

/** The value under `key`, without an overlay adopting it. */
function peekIn<K, V>(map: ReadonlyMap<K, V>, key: K): V | undefined {
  return map instanceof OverlayMap ? (map as OverlayMap<K, V>).peek(key) : map.get(key);
}

const same = <V>(value: V): V => value;

const copyLines = (lines: Lines): Lines =>
  lines instanceof OverlayMap
    ? (lines as OverlayMap<string, TariffHistory>).copy(cloneHistory)
    : cloneLines(lines);

const flattenLines = (lines: Lines): Lines =>
  lines instanceof OverlayMap
    ? (lines as OverlayMap<string, TariffHistory>).flattenWith(cloneHistory)
    : cloneLines(lines);

interface Overlays {
  tariffs: OverlayMap<string, Lines>;
  tradeMeasures: OverlayMap<string, TradeMeasureEntry>;
  proposals: OverlayMap<string, Proposal>;
  demands: OverlayMap<string, Demand>;
}

function overlaysOf(state: FoldState): Overlays | undefined {
  const { tariffs, tradeMeasures, proposals, demands } = state;
  return tariffs instanceof OverlayMap &&
    tradeMeasures instanceof OverlayMap &&
    proposals instanceof OverlayMap &&
    demands instanceof OverlayMap
    ? (state as FoldState & Overlays)
    : undefined;
}

/**
 * A snapshot of `head`, an overlay over a full snapshot (made by `overlayFold` or `resumeFold`)
 * and folded on, that shares with `previous` (the snapshot `head` was made from or last
 * snapshotted into) every value `head` has not touched since; values the fold would change in
 * place are copied, the rest shared. A light snapshot is another overlay over the same full
 * snapshot: O(what changed since that one). A full one is a whole state: O(its size) references,
 * with copies of only what changed.
 */
export function snapshotFold(
  head: FoldState,
  previous: FoldState | undefined,
  full: boolean,
): FoldState {
  const overlays = overlaysOf(head);
  if (!overlays) return cloneFold(head);
  const { tariffs, tradeMeasures, proposals, demands } = overlays;
  return {
    ...head,
    parties: new Map(head.parties),
    tariffs: full
      ? tariffs.flattenWith(flattenLines, previous?.tariffs)
      : tariffs.copy(copyLines, previous?.tariffs),
    tradeMeasures: full
      ? tradeMeasures.flattenWith(cloneTradeMeasure, previous?.tradeMeasures)
      : tradeMeasures.copy(cloneTradeMeasure, previous?.tradeMeasures),
    proposals: full
      ? proposals.flattenWith(same, previous?.proposals)
      : proposals.copy(same, previous?.proposals),
    stances: new Map(head.stances),
    demands: full
      ? demands.flattenWith(same, previous?.demands)
      : demands.copy(same, previous?.demands),
    agreements: head.agreements.slice(),
  };
}

/**
 * A state to fold on from `snapshot` without changing it: an overlay over the snapshot if it is
 * full; over the full one underneath, with copies of what the snapshot changed, if it is light.
 */
export function resumeFold(snapshot: FoldState): FoldState {
  return overlaysOf(snapshot) ? snapshotFold(snapshot, undefined, false) : overlayFold(snapshot);
}

/**
 * A state to go on folding from `base` without changing it and without copying it: O(1) to make
 * (plus the agreements, copied as an array of references), whatever the size of the state. Only
 * what the further fold touches is copied. `base` must not change while the overlay is in use.
 */
export function overlayFold(base: FoldState): FoldState {
  return {
    ...base,
    parties: new Map(base.parties),
    tariffs: new OverlayMap(base.tariffs, (lines: Lines) => new OverlayMap(lines, cloneHistory)),
    tradeMeasures: new OverlayMap(base.tradeMeasures, cloneTradeMeasure),
    proposals: new OverlayMap(base.proposals),
    stances: new Map(base.stances),
    demands: new OverlayMap(base.demands),
    agreements: base.agreements.slice(),
  };
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The order of `proposals` in an answer: by `madeAt`, then `proposalId` (their key, so a total order). */
export const proposalOrder = (a: Proposal, b: Proposal): number =>
  byString(a.madeAt, b.madeAt) || byString(a.proposalId, b.proposalId);

/** The order of `demands` in an answer: by `madeAt`, then `issue`, then `by` and `of` (their key, so a total order). */
export const demandOrder = (a: Demand, b: Demand): number =>
  byString(a.madeAt, b.madeAt) ||
  byString(a.issue, b.issue) ||
  byString(a.by, b.by) ||
  byString(a.of, b.of);

/**
 * A list in answer order, kept in chunks: a snapshot's list shares with the previous snapshot's
 * every chunk that nothing changed in, so a snapshot costs O(chunks + changes × CHUNK), not
 * O(the list), and finding a value looks at one chunk's last value per step.
 */
export type ChunkedList<V> = readonly (readonly V[])[];

/** Values per chunk when a list is made; a chunk that grows to twice this is split. */
const CHUNK = 128;

function chunked<V>(values: readonly V[]): ChunkedList<V> {
  const chunks: V[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) chunks.push(values.slice(i, i + CHUNK));
  return chunks;
}

/** The list as one array of its own (what an answer hands out). */
function flat<V>(list: ChunkedList<V>): V[] {
  let length = 0;
  for (const chunk of list) length += chunk.length;
  const values = new Array<V>(length);
  let i = 0;
  for (const chunk of list) for (const value of chunk) values[i++] = value;
  return values;
}

/** Lists of a fold state already in answer order, so that an answer need not sort them again. */
export interface SortedLists {
  proposals: ChunkedList<Proposal>;
  demands: ChunkedList<Demand>;
}

export function sortedLists(state: FoldState): SortedLists {
  return {
    proposals: chunked([...state.proposals.values()].sort(proposalOrder)),
    demands: chunked([...state.demands.values()].sort(demandOrder)),
  };
}

/** What changed from `before` to `after` under the same key (by identity): new values, and old values with their replacements. */
interface Changes<V> {
  added: V[];
  updated: Array<[old: V, value: V]>;
}

function changesBetween<V>(
  before: ReadonlyMap<string, V>,
  after: ReadonlyMap<string, V>,
): Changes<V> {
  const changes: Changes<V> = { added: [], updated: [] };
  const keys = keysChangedSince<string>(after, before);
  const candidates = keys
    ? keys.map((key): [string, V] => [key, peekIn(after, key)!])
    : after instanceof OverlayMap
      ? (after as OverlayMap<string, V>).ownEntries()
      : after.entries();
  for (const [key, value] of candidates) {
    const old = peekIn(before, key);
    if (old === value) continue;
    if (old === undefined) changes.added.push(value);
    else changes.updated.push([old, value]);
  }
  return changes;
}

/**
 * `list` (the values of a map in `order`, a total order) brought up to date with `changes`: the
 * chunks they fall in are copied and changed, the others shared. A replacement that keeps its
 * place (a proposal answered, a demand resolved) is written over the old value; what is new, or
 * moves, is inserted where it sorts (usually the end: it happened after the snapshot).
 */
function withChanges<V>(
  list: ChunkedList<V>,
  { added, updated }: Changes<V>,
  order: (a: V, b: V) => number,
): ChunkedList<V> {
  if (added.length === 0 && updated.length === 0) return list;
  const chunks = list.slice() as V[][];
  const copied = new Set<V[]>();
  /** The chunk at `c`, copied once per call so that the shared one stays as it was. */
  const own = (c: number): V[] => {
    let chunk = chunks[c]!;
    if (!copied.has(chunk)) copied.add((chunk = chunks[c] = chunk.slice()));
    return chunk;
  };
  /** The first chunk whose last value does not sort before `value` (the last chunk if none). */
  const chunkFor = (value: V): number => {
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid]!;
      if (chunk.length > 0 && order(chunk[chunk.length - 1]!, value) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const moved: V[] = [];
  for (const [old, value] of updated) {
    // The order is total, so the old value is in the chunk where it sorts.
    const c = chunkFor(old);
    const at = chunks[c]?.indexOf(old) ?? -1;
    if (at < 0) {
      moved.push(value);
    } else if (order(old, value) === 0) {
      own(c)[at] = value;
    } else {
      own(c).splice(at, 1);
      if (chunks[c]!.length === 0) chunks.splice(c, 1);
      moved.push(value);
    }
  }
  const inserted = moved.length > 0 ? added.concat(moved) : added.slice();
  inserted.sort(order);
  for (const value of inserted) {
    if (chunks.length === 0) chunks.push([]);
    const c = chunkFor(value);
    const chunk = own(c);
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (order(chunk[mid]!, value) < 0) lo = mid + 1;
      else hi = mid;
    }
    chunk.splice(lo, 0, value);
    if (chunk.length >= 2 * CHUNK) {
      const second = chunk.splice(CHUNK);
      chunks.splice(c + 1, 0, second);
      copied.add(second);
    }
  }
  return chunks;
}

/**
 * The sorted lists of `next`, a state folded further from `previous` (whose sorted lists are
 * `sortedPrevious`): only what changed between the two is sorted. Values are compared by
 * identity, which works because `evolve` replaces proposals and demands, never changes them.
 * When `next` is an overlay of `previous`, only the overlay's own entries are looked at.
 */
export function sortedListsSince(
  previous: FoldState,
  sortedPrevious: SortedLists,
  next: FoldState,
): SortedLists {
  return {
    proposals: withChanges(
      sortedPrevious.proposals,
      changesBetween(previous.proposals, next.proposals),
      proposalOrder,
    ),
    demands: withChanges(
      sortedPrevious.demands,
      changesBetween(previous.demands, next.demands),
      demandOrder,
    ),
  };
}

/** The answer the contract gives for a folded state at `asOf`, in the contract's order. */
export function viewAt(
  state: FoldState,
  asOf: Instant,
  knownAt: Instant | null,
  revision: number,
  sorted: SortedLists = sortedLists(state),
): NegotiationState {
  // The answer's lists are its own; their items are frozen values (see freezeShared), shared: copying
  // thousands of proposals would cost more than finding the state.
  return {
    negotiationId: state.negotiationId,
    title: state.title,
    asOf,
    knownAt,
    revision,
    parties: [...state.parties.values()],
    tariffs: viewTariffs(state, asOf),
    tradeMeasures: viewTradeMeasures(state, asOf),
    talks: state.talks,
    proposals: flat(sorted.proposals),
    stances: [...state.stances.values()].sort((a, b) => byString(a.party, b.party)),
    demands: flat(sorted.demands),
    agreements: state.agreements.slice(),
  };
}

/** A pair key's two party codes, split once. */
const pairParties = new Map<string, [string, string]>();
function partiesOfPair(pairKey: string): [string, string] {
  let parties = pairParties.get(pairKey);
  if (!parties) {
    const [imposedBy = '', appliedTo = ''] = pairKey.split(PAIR_SEPARATOR);
    pairParties.set(pairKey, (parties = [imposedBy, appliedTo]));
  }
  return parties;
}

const tariffLineOrder = (a: TariffLine, b: TariffLine): number =>
  byString(a.measure, b.measure) || byString(a.effectiveAt, b.effectiveAt);
const tariffPairOrder = (a: TariffPair, b: TariffPair): number =>
  byString(a.imposedBy, b.imposedBy) || byString(a.appliedTo, b.appliedTo);
const tradeMeasureOrder = (a: TradeMeasureItem, b: TradeMeasureItem): number =>
  byString(a.imposedBy, b.imposedBy) || byString(a.measure, b.measure);

/**
 * What the histories of a snapshot show, by the object that holds them (a pair's lines, a trade
 * measure). A snapshot never changes, so what it shows changes only where one of its pending
 * changes takes effect: between two such moments it is the same for every `asOf`, and answers
 * anywhere in that range reuse it instead of going through the lines again. Only holders sealed
 * by `sealFold` are kept (null until first shown); the rest (what an answer folded on top of a
 * snapshot) are computed each time.
 */
interface Shown {
  /** The distinct `effectiveAt` of the pending changes, ascending: range i ends before moments[i]. */
  moments: Instant[];
  /** What range i shows (null: nothing), once computed. */
  views: unknown[];
}

const shownBySealed = new WeakMap<object, Shown | null>();

/**
 * Freezes what answers share of `state` (proposals, demands, agreements, stances, parties,
 * talks, tariff and trade measure changes) and was made since `previous` (the snapshot it was
 * folded on from; without one, what an overlay holds of its own, or everything). `evolve`
 * replaces these values and never changes them, so an answer hands them out without copying;
 * freezing them where they are first shared (a snapshot, or what an answer folded on top of
 * one) rather than in `evolve` keeps that cost out of the fold, and nobody holding an answer can
 * change the state.
 */
export function freezeShared(state: FoldState, previous?: FoldState): void {
  const made = <V>(map: ReadonlyMap<string, V>, before?: ReadonlyMap<string, V>): Iterable<V> => {
    const keys = before && keysChangedSince<string>(map, before);
    if (keys) return keys.map((key) => peekIn(map, key)!);
    if (map instanceof OverlayMap) {
      return Array.from((map as OverlayMap<string, V>).ownEntries(), ([, value]) => value);
    }
    return map.values();
  };
  for (const p of made(state.proposals, previous?.proposals)) {
    frozen(p);
    frozen(p.to);
    frozen(p.terms);
  }
  for (const d of made(state.demands, previous?.demands)) frozen(d);
  for (let i = state.agreements.length - 1; i >= 0; i--) {
    const a = state.agreements[i]!;
    // Agreements are only ever appended: the first frozen one from the end was shared before.
    if (Object.isFrozen(a)) break;
    frozen(a);
    frozen(a.parties);
    frozen(a.terms);
  }
  state.stances.forEach(frozen);
  state.parties.forEach(frozen);
  frozen(state.talks);
  const freezeChanges = (history: ChangeHistory<Change>): void => {
    if (history.settled) freezeChange(history.settled);
    history.pending.forEach(freezeChange);
  };
  for (const lines of made(state.tariffs, previous?.tariffs)) {
    for (const history of made(lines)) freezeChanges(history);
  }
  for (const entry of made(state.tradeMeasures, previous?.tradeMeasures)) {
    freezeChanges(entry.history);
  }
}

function freezeChange(change: Change): void {
  if (Object.isFrozen(change)) return;
  frozen(change);
  if ('appliedTo' in change) frozen(change.appliedTo);
}

/**
 * Freezes what `state`, a snapshot, shares with answers (`freezeShared`), and marks its tariff
 * lines and trade measures as never changing again, so that what they show is kept. Whoever folds on from a snapshot does it on an overlay
 * (`overlayFold`, `resumeFold`), which copies what it changes. With `asOf` (where the snapshot
 * stands in valid time), what its maps show there is worked out now, while it is at hand, rather
 * than by the first answer that starts from it.
 */
export function sealFold(state: FoldState, asOf?: Instant, previous?: FoldState): void {
  freezeShared(state, previous);
  const seal = (holder: object): void => {
    if (!shownBySealed.has(holder)) shownBySealed.set(holder, null);
  };
  seal(state.tariffs);
  seal(state.tradeMeasures);
  state.tariffs.forEach(seal);
  state.tradeMeasures.forEach(seal);
  if (asOf !== undefined) {
    keepList(state.tariffs, asOf, TARIFF_PAIRS, previous?.tariffs);
    keepList(state.tradeMeasures, asOf, TRADE_MEASURES, previous?.tradeMeasures);
  }
}

/** What a sealed `holder` keeps (made on first use), undefined if it is not sealed. */
function shownOf(holder: object, pendingMoments: () => Instant[]): Shown | undefined {
  let shown = shownBySealed.get(holder);
  if (shown === null) {
    const moments = [...new Set(pendingMoments())].sort();
    shownBySealed.set(holder, (shown = { moments, views: new Array<unknown>(moments.length + 1) }));
  }
  return shown;
}

function shownAt<T>(
  holder: object,
  asOf: Instant,
  pendingMoments: () => Instant[],
  view: () => T,
): T {
  const shown = shownOf(holder, pendingMoments);
  if (!shown) return view();
  const { moments, views } = shown;
  const lo = firstAfter(moments, asOf);
  let kept = views[lo] as T | undefined;
  if (kept === undefined) views[lo] = kept = view();
  return kept;
}

/** How a map of histories (tariff lines by pair, trade measures) is shown in an answer. */
interface ShownItems<H, T> {
  /** What `holder`, under `key`, shows at `asOf` (null: nothing). */
  item: (holder: H, key: string, asOf: Instant) => T | null;
  /** The `effectiveAt` of its pending changes: where what it shows can change. */
  moments: (holder: H) => Instant[];
  order: (a: T, b: T) => number;
}

/**
 * A snapshot's map of histories shown at one `asOf` (`at`): its items in answer order with the
 * key of each, and the pending changes of its holders that take effect after `at` (`moments`,
 * ascending, with the key of the holder in `movers`): an answer at a later `asOf` differs only
 * in the holders with a pending change up to it.
 */
interface ShownList<T> {
  at: Instant;
  items: readonly T[];
  keys: readonly string[];
  moments: readonly Instant[];
  movers: readonly string[];
}

const listsBySealed = new WeakMap<object, ShownList<unknown>>();

/**
 * The items `map` shows at `asOf`, in answer order. A snapshot's map keeps its list at the
 * snapshot's place in valid time (see `sealFold`), or else at the first `asOf` asked; an answer
 * at a later `asOf`, or folded on top of the snapshot (an overlay over its map), takes that list
 * and shows again only the holders that can differ: those with a pending change taking effect
 * in between, and what the answer folded (the overlay's own entries). So an answer goes through
 * what changed, not through every pair and measure.
 */
function shownItems<H extends object, T>(
  map: Map<string, H>,
  asOf: Instant,
  shown: ShownItems<H, T>,
): T[] {
  const itemOf = holderItem(shown, asOf);
  let sealed: ReadonlyMap<string, H>;
  let own: OverlayMap<string, H> | undefined;
  if (shownBySealed.has(map)) sealed = map;
  else if (map instanceof OverlayMap && shownBySealed.has(map.base)) {
    own = map as OverlayMap<string, H>;
    sealed = own.base;
  } else return listOf(map, asOf, itemOf, shown).items as T[];
  let list = listsBySealed.get(sealed) as ShownList<T> | undefined;
  if (!list) listsBySealed.set(sealed, (list = listOf(sealed, asOf, itemOf, shown)));
  // Answers start from the last snapshot before them, so they are not before its list.
  if (asOf < list.at) return listOf(map, asOf, itemOf, shown).items as T[];
  const changed = new Set<string>();
  if (own) for (const [key] of own.ownEntries()) changed.add(key);
  return patched(list, asOf, changed, own ?? sealed, itemOf, shown).items;
}

/** What a holder under a key shows at `asOf`: kept per range when it is sealed. */
function holderItem<H extends object, T>(
  shown: ShownItems<H, T>,
  asOf: Instant,
): (holder: H, key: string) => T | null {
  return (holder, key) =>
    shownAt(
      holder,
      asOf,
      () => shown.moments(holder),
      () => shown.item(holder, key, asOf),
    );
}

/**
 * `list` brought to `asOf` (not before its own): the holders under `changed` keys, and those
 * with a pending change taking effect by `asOf` (added to `changed`), shown again from
 * `holders`. An item's place depends only on its key, so one shown again takes its old place.
 */
function patched<H extends object, T>(
  list: ShownList<T>,
  asOf: Instant,
  changed: Set<string>,
  holders: ReadonlyMap<string, H>,
  itemOf: (holder: H, key: string) => T | null,
  shown: ShownItems<H, T>,
): { items: T[]; keys: string[] } {
  const { moments, movers } = list;
  for (let i = 0; i < moments.length && moments[i]! <= asOf; i++) changed.add(movers[i]!);
  const items: Array<T | null> = list.items.slice();
  const keys = list.keys.slice();
  if (changed.size === 0) return { items: items as T[], keys };
  const again = (key: string): T | null => {
    const holder = peekIn(holders, key);
    return holder ? itemOf(holder, key) : null;
  };
  const left = new Set(changed);
  let dropped = false;
  for (let i = 0; i < items.length && left.size > 0; i++) {
    if (!left.delete(keys[i]!)) continue;
    items[i] = again(keys[i]!);
    dropped ||= items[i] === null;
  }
  if (!dropped && left.size === 0) return { items: items as T[], keys };
  const entries = items.map((item, i) => ({ item, key: keys[i]! })).filter((e) => e.item !== null);
  for (const key of left) {
    const item = again(key);
    if (item) entries.push({ item, key });
  }
  if (left.size > 0) entries.sort((a, b) => shown.order(a.item!, b.item!));
  return { items: entries.map((e) => e.item!), keys: entries.map((e) => e.key) };
}

/** Every holder of `map` shown at `at`, from scratch. */
function listOf<H extends object, T>(
  map: ReadonlyMap<string, H>,
  at: Instant,
  itemOf: (holder: H, key: string) => T | null,
  shown: ShownItems<H, T>,
): ShownList<T> {
  const entries: Array<{ key: string; item: T }> = [];
  const pending: Array<{ moment: Instant; key: string }> = [];
  map.forEach((holder, key) => {
    const item = itemOf(holder, key);
    if (item) entries.push({ key, item });
    addMomentsAfter(at, holder, key, shown, pending);
  });
  entries.sort((a, b) => shown.order(a.item, b.item));
  return listFrom(at, entries, pending);
}

function listFrom<T>(
  at: Instant,
  entries: ReadonlyArray<{ key: string; item: T }>,
  pending: Array<{ moment: Instant; key: string }>,
): ShownList<T> {
  pending.sort((a, b) => byString(a.moment, b.moment));
  return {
    at,
    items: entries.map((e) => e.item),
    keys: entries.map((e) => e.key),
    moments: pending.map((p) => p.moment),
    movers: pending.map((p) => p.key),
  };
}

function addMomentsAfter<H extends object, T>(
  at: Instant,
  holder: H,
  key: string,
  shown: ShownItems<H, T>,
  pending: Array<{ moment: Instant; key: string }>,
): void {
  // A sealed holder keeps its moments: most are shared by the snapshots before and after.
  const moments = shownOf(holder, () => shown.moments(holder))?.moments ?? shown.moments(holder);
  for (let i = firstAfter(moments, at); i < moments.length; i++) {
    pending.push({ moment: moments[i]!, key });
  }
}

/**
 * Keeps the list of `sealed`, a snapshot's map, at `at`. From `previous`, the map of the
 * snapshot it was folded on from, when that one has a list: only the holders that differ
 * between the two, or have a pending change taking effect in between, are shown again.
 */
function keepList<H extends object, T>(
  sealed: ReadonlyMap<string, H>,
  at: Instant,
  shown: ShownItems<H, T>,
  previous: ReadonlyMap<string, H> | undefined,
): void {
  const itemOf = holderItem(shown, at);
  const last = previous && (listsBySealed.get(previous) as ShownList<T> | undefined);
  if (!previous || !last || at < last.at) {
    listsBySealed.set(sealed, listOf(sealed, at, itemOf, shown));
    return;
  }
  // The snapshot copy records which keys it changed from `previous`; else compare them all.
  const changedKeys = keysChangedSince<string>(sealed, previous);
  const candidates = changedKeys
    ? changedKeys.map((key): [string, H] => [key, peekIn(sealed, key)!])
    : sealed.entries();
  const changed = new Set<string>();
  for (const [key, holder] of candidates) {
    if (peekIn(previous, key) !== holder) changed.add(key);
  }
  const { items, keys } = patched(last, at, changed, sealed, itemOf, shown);
  const pending: Array<{ moment: Instant; key: string }> = [];
  for (let i = firstAfter(last.moments, at); i < last.moments.length; i++) {
    if (!changed.has(last.movers[i]!))
      pending.push({ moment: last.moments[i]!, key: last.movers[i]! });
  }
  for (const key of changed) {
    const holder = peekIn(sealed, key);
    if (holder) addMomentsAfter(at, holder, key, shown, pending);
  }
  listsBySealed.set(
    sealed,
    listFrom(
      at,
      items.map((item, i) => ({ item, key: keys[i]! })),
      pending,
    ),
  );
}

/** Index of the first of `sorted` after `value`. */
function firstAfter(sorted: readonly Instant[], value: Instant): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const TARIFF_PAIRS: ShownItems<Lines, TariffPair> = {
  item: tariffPairAt,
  moments: (lines) => {
    const moments: Instant[] = [];
    lines.forEach((history) => pendingMomentsOf(history, moments));
    return moments;
  },
  order: tariffPairOrder,
};

const TRADE_MEASURES: ShownItems<TradeMeasureEntry, TradeMeasureItem> = {
  item: (entry, _key, asOf) => tradeMeasureAt(entry, asOf),
  moments: (entry) => pendingMomentsOf(entry.history, []),
  order: tradeMeasureOrder,
};

const viewTariffs = (state: FoldState, asOf: Instant): TariffPair[] =>
  shownItems(state.tariffs, asOf, TARIFF_PAIRS);

const viewTradeMeasures = (state: FoldState, asOf: Instant): TradeMeasureItem[] =>
  shownItems(state.tradeMeasures, asOf, TRADE_MEASURES);

/** Adds the `effectiveAt` of `history`'s pending changes to `moments`, and returns it. */
function pendingMomentsOf(history: ChangeHistory<Change>, moments: Instant[]): Instant[] {
  for (const p of history.pending) moments.push(p.effectiveAt);
  return moments;
}

function tariffPairAt(lines: Lines, pairKey: string, asOf: Instant): TariffPair | null {
  const measures: TariffLine[] = [];
  const scheduled: TariffLine[] = [];
  const show = (history: TariffHistory): void => {
    const active = effectiveChange(history, asOf);
    if (active && active.rate !== 0) measures.push(active);
    for (const p of history.pending) if (p.effectiveAt > asOf) scheduled.push(p);
  };
  const overlay = lines instanceof OverlayMap ? (lines as OverlayMap<string, TariffHistory>) : null;
  if (overlay && shownBySealed.has(overlay.base)) {
    // Folded on top of a snapshot's pair: what that one shows, with the lines the fold touched
    // shown again (rather than going through every line of the pair).
    const before = holderItem(TARIFF_PAIRS, asOf)(overlay.base as Lines, pairKey);
    const touched = new Set<string>();
    for (const [measure, history] of overlay.ownEntries()) {
      touched.add(measure);
      show(history);
    }
    for (const line of before?.measures ?? []) if (!touched.has(line.measure)) measures.push(line);
    for (const line of before?.scheduled ?? [])
      if (!touched.has(line.measure)) scheduled.push(line);
  } else lines.forEach(show);
  if (measures.length === 0 && scheduled.length === 0) return null;
  if (measures.length > 1) measures.sort(tariffLineOrder);
  if (scheduled.length > 1) scheduled.sort(tariffLineOrder);
  let total = 0;
  for (const line of measures) if (line.coverage === 'all-goods') total += line.rate;
  const [imposedBy, appliedTo] = partiesOfPair(pairKey);
  return frozen({
    imposedBy,
    appliedTo,
    total,
    measures: frozen(measures),
    scheduled: frozen(scheduled),
  });
}

function tradeMeasureAt(
  { imposedBy, measure, history }: TradeMeasureEntry,
  asOf: Instant,
): TradeMeasureItem | null {
  const active = effectiveChange(history, asOf);
  const scheduled = history.pending
    .filter((p) => p.effectiveAt > asOf)
    .sort((a, b) => byString(a.effectiveAt, b.effectiveAt));
  const describedBy = active ?? scheduled[0];
  if (!describedBy) return null;
  return frozen({
    imposedBy,
    appliedTo: describedBy.appliedTo,
    measure,
    kind: describedBy.kind,
    status: active ? active.action : null,
    effectiveAt: active ? active.effectiveAt : null,
    eventId: active ? active.eventId : null,
    scheduled: frozen(
      scheduled.map((p) =>
        frozen({ action: p.action, effectiveAt: p.effectiveAt, eventId: p.eventId }),
      ),
    ),
  });
}
