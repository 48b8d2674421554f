import type {
  Instant,
  MinEvidence,
  RecordedDevelopment,
  Stance,
  TalksStatus,
  TradeMeasureAction,
  TradeMeasureKind,
} from '@parley/domain';
import { OPEN_PROPOSAL_STATUSES } from '@parley/domain';
import { initialFoldState, viewAt } from '../evolve';
import type {
  Demand,
  NegotiationState,
  PossibleTariffLine,
  PossibleTradeMeasureChange,
  Proposal,
  TariffLine,
  TariffPair,
  TradeMeasureItem,
} from '../negotiation-state';
import { reversionOf } from '../slices/tariffs';
import type { NegotiationTimeline } from '../timeline';
import { justAfter } from './fold-from';

/** What changed between the state at `from` and at `to` (both in valid time), as known at `knownAt`. */
export interface ChangesQuery {
  /** null: from the beginning, before the first development. */
  from: Instant | null;
  to: Instant;
  knownAt: Instant | null;
  /** Both states and the developments listed are those of the reports at least this well supported. */
  minEvidence?: MinEvidence;
}

export type TariffLineValue = Omit<TariffLine, 'measure'>;

export interface TariffLineChange {
  measure: string;
  /** The line in force at `from` (null: none, or lifted). */
  before: TariffLineValue | null;
  after: TariffLineValue | null;
}

/**
 * What did not occur (contract v1.1, Modality), listed at one end and not at the other: a threat
 * or an option that appeared in the range, or went (replaced, carried out, settled, withdrawn, or
 * its date passed), each as it was listed.
 */
export interface Appeared<E> {
  /** Listed at `to`, not at `from`. */
  appeared: E[];
  /** Listed at `from`, not at `to`. */
  went: E[];
}

export interface TariffPairChange {
  imposedBy: string;
  appliedTo: string;
  /** The pair's total at `from` and at `to`. */
  before: number;
  after: number;
  /** Only the lines whose rate, coverage or scope (excluded, included codes) differ. */
  lines: TariffLineChange[];
  threatened: Appeared<PossibleTariffLine>;
  considered: Appeared<PossibleTariffLine>;
  /**
   * Temporary rates' expiries (reversions) pending at `from` or announced since, voided in the
   * range by a later-announced change of their line taking effect at or before them (contract v1.1).
   */
  voided: TariffLine[];
}

export interface TradeMeasureChange {
  imposedBy: string;
  measure: string;
  appliedTo: readonly string[];
  kind: TradeMeasureKind;
  before: TradeMeasureAction | null;
  after: TradeMeasureAction | null;
  threatened: Appeared<PossibleTradeMeasureChange>;
  considered: Appeared<PossibleTradeMeasureChange>;
}

export interface StanceChange {
  party: string;
  before: Stance | null;
  after: Stance | null;
  /** Who stated the stance in force at `to`, and when. */
  speaker: string | null;
  at: Instant | null;
}

export interface NegotiationChanges {
  negotiationId: string;
  from: Instant | null;
  to: Instant;
  knownAt: Instant | null;
  /** The last revision considered (the `knownAt` cut). */
  revision: number;
  /** Developments with `occurredAt` in (from, to], in valid-time order, retracted ones left out. */
  developments: RecordedDevelopment[];
  tariffs: TariffPairChange[];
  talks: { before: TalksStatus; after: TalksStatus };
  proposals: {
    /** Made in (from, to] (only considered at `from`, or not yet known), with their status at `to`. */
    opened: Proposal[];
    /** Open at `from` or made since, and no longer open at `to`: their final status. */
    closed: Proposal[];
    /** Every proposal open at `to`, including those opened in the range. */
    stillOpen: Proposal[];
    /** Only considered at `to` and not at `from`; considered at `from` and made since (as at `to`). */
    considered: Appeared<Proposal>;
  };
  tradeMeasures: TradeMeasureChange[];
  stances: StanceChange[];
  demands: {
    /** Made (or made again after being resolved) in (from, to]. */
    made: Demand[];
    /** Resolved in (from, to]. */
    resolved: Demand[];
  };
}

const isOpen = (p: Proposal): boolean => OPEN_PROPOSAL_STATUSES.includes(p.status);
const isConsidered = (p: Proposal | undefined): boolean => p?.status === 'considered';
const inRange = (t: Instant, from: Instant | null, to: Instant): boolean =>
  (from === null || t > from) && t <= to;
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Compares two perspectives of one negotiation: the state at `from` and at `to`, both as known at
 * `knownAt`. Costs two state lookups (the timeline's folds) and a pass over the range's developments.
 */
export function changesBetween(
  timeline: NegotiationTimeline,
  query: ChangesQuery,
): NegotiationChanges {
  const { from, to, knownAt, minEvidence } = query;
  const selection = minEvidence === undefined ? {} : { minEvidence };
  const revision = timeline.revisionKnownAt(knownAt);
  const after = timeline.stateAt({ asOf: to, knownAt, ...selection });
  const before =
    from === null
      ? viewAt(initialFoldState(timeline.negotiationId), to, knownAt, revision)
      : timeline.stateAt({ asOf: from, knownAt, ...selection });
  const developments =
    from !== null && from >= to
      ? []
      : timeline
          .list({
            ...(from === null ? {} : { from: justAfter(from) }),
            to,
            knownAt,
            includeRetracted: false,
            limit: Infinity,
            ...selection,
          })
          .items.map((item) => item.development);
  return {
    negotiationId: timeline.negotiationId,
    from,
    to,
    knownAt,
    revision,
    developments,
    tariffs: tariffChanges(before, after, developments),
    talks: { before: before.talks.status, after: after.talks.status },
    proposals: proposalChanges(before, after),
    tradeMeasures: tradeMeasureChanges(before, after),
    stances: stanceChanges(before, after),
    demands: {
      made: after.demands.filter((d) => inRange(d.madeAt, from, to)),
      resolved: after.demands.filter(
        (d) => d.status === 'resolved' && d.resolvedAt !== null && inRange(d.resolvedAt, from, to),
      ),
    },
  };
}

const pairKey = (p: { imposedBy: string; appliedTo: string }): string =>
  `${p.imposedBy} ${p.appliedTo}`;

function lineValue(line: TariffLine | undefined): TariffLineValue | null {
  if (!line) return null;
  // Every field of the line but its measure, which the change names once.
  const value: { -readonly [K in keyof TariffLine]?: TariffLine[K] } = { ...line };
  delete value.measure;
  return value as TariffLineValue;
}

const sameCodes = (a: readonly string[] = [], b: readonly string[] = []): boolean =>
  a.length === b.length && a.every((code, i) => code === b[i]);

/** Whether a line differs in what /changes reports: its rate, coverage or scope. */
const lineDiffers = (x: TariffLine | undefined, y: TariffLine | undefined): boolean =>
  x?.rate !== y?.rate ||
  x?.coverage !== y?.coverage ||
  !sameCodes(x?.excluded, y?.excluded) ||
  !sameCodes(x?.included, y?.included);

/**
 * The reversions voided in the range, by pair: those scheduled at `from` (announced by then, so
 * before anything in the range) and those of changes in the range, each voided by a change of its
 * line announced later in the range that takes effect at or before it (the fold's rule,
 * slices/tariff-rates.ts).
 */
function voidedReversions(
  before: NegotiationState,
  developments: readonly RecordedDevelopment[],
): Map<string, TariffLine[]> {
  const lineKey = (imposedBy: string, appliedTo: string, measure: string) =>
    `${imposedBy} ${appliedTo} ${measure}`;
  const pending = new Map<string, { line: TariffLine; announcedAt: Instant | null }[]>();
  const add = (key: string, line: TariffLine, announcedAt: Instant | null) =>
    pending.set(key, [...(pending.get(key) ?? []), { line, announcedAt }]);
  for (const pair of before.tariffs)
    for (const line of pair.scheduled)
      if (line.reversion) add(lineKey(pair.imposedBy, pair.appliedTo, line.measure), line, null);
  const voided = new Map<string, TariffLine[]>();
  for (const d of developments) {
    if (d.type !== 'TariffChanged' || d.modality !== undefined) continue;
    const { imposedBy, appliedTo, measure, effectiveAt } = d.data;
    if (effectiveAt === undefined) continue;
    const key = lineKey(imposedBy, appliedTo, measure);
    const stillPending = [];
    for (const entry of pending.get(key) ?? []) {
      const later = entry.announcedAt === null || entry.announcedAt < d.occurredAt;
      if (later && entry.line.effectiveAt >= effectiveAt) {
        const pair = pairKey({ imposedBy, appliedTo });
        voided.set(pair, [...(voided.get(pair) ?? []), entry.line]);
      } else stillPending.push(entry);
    }
    pending.set(key, stillPending);
    const reversion = reversionOf(d);
    if (reversion) add(key, reversion, d.occurredAt);
  }
  return voided;
}

function tariffChanges(
  before: NegotiationState,
  after: NegotiationState,
  developments: readonly RecordedDevelopment[],
): TariffPairChange[] {
  const voidedByPair = voidedReversions(before, developments);
  const pairs = new Map<
    string,
    { imposedBy: string; appliedTo: string; before?: TariffPair; after?: TariffPair }
  >();
  for (const p of before.tariffs)
    pairs.set(pairKey(p), { imposedBy: p.imposedBy, appliedTo: p.appliedTo, before: p });
  for (const p of after.tariffs) {
    const entry = pairs.get(pairKey(p));
    if (entry) entry.after = p;
    else pairs.set(pairKey(p), { imposedBy: p.imposedBy, appliedTo: p.appliedTo, after: p });
  }
  const changes: TariffPairChange[] = [];
  for (const key of voidedByPair.keys()) {
    if (pairs.has(key)) continue;
    const [imposedBy, appliedTo] = key.split(' ') as [string, string];
    pairs.set(key, { imposedBy, appliedTo });
  }
  for (const { imposedBy, appliedTo, before: b, after: a } of pairs.values()) {
    const threatened = appearedOrWent(b?.threatened, a?.threatened);
    const considered = appearedOrWent(b?.considered, a?.considered);
    const beforeLines = new Map((b?.measures ?? []).map((l) => [l.measure, l]));
    const afterLines = new Map((a?.measures ?? []).map((l) => [l.measure, l]));
    const measures = [...new Set([...beforeLines.keys(), ...afterLines.keys()])].sort(byString);
    const lines: TariffLineChange[] = [];
    for (const measure of measures) {
      const x = beforeLines.get(measure);
      const y = afterLines.get(measure);
      if (lineDiffers(x, y)) lines.push({ measure, before: lineValue(x), after: lineValue(y) });
    }
    const totals = { before: b?.total ?? 0, after: a?.total ?? 0 };
    const voided = voidedByPair.get(pairKey({ imposedBy, appliedTo })) ?? [];
    if (
      lines.length > 0 ||
      totals.before !== totals.after ||
      anyIn(threatened) ||
      anyIn(considered) ||
      voided.length > 0
    ) {
      changes.push({ imposedBy, appliedTo, ...totals, lines, threatened, considered, voided });
    }
  }
  return changes.sort(
    (x, y) => byString(x.imposedBy, y.imposedBy) || byString(x.appliedTo, y.appliedTo),
  );
}

function proposalChanges(
  before: NegotiationState,
  after: NegotiationState,
): NegotiationChanges['proposals'] {
  const earlier = new Map(before.proposals.map((p) => [p.proposalId, p]));
  const opened: Proposal[] = [];
  const closed: Proposal[] = [];
  const stillOpen: Proposal[] = [];
  const considered: Appeared<Proposal> = { appeared: [], went: [] };
  for (const proposal of after.proposals) {
    const was = earlier.get(proposal.proposalId);
    if (isConsidered(proposal)) {
      // Not made: neither opened nor closed.
      if (!isConsidered(was)) considered.appeared.push(proposal);
      continue;
    }
    // Made in the range: a proposal only considered at `from` is made since.
    if (isConsidered(was)) considered.went.push(proposal);
    if (!was || isConsidered(was)) opened.push(proposal);
    if (isOpen(proposal)) stillOpen.push(proposal);
    else if (!was || isConsidered(was) || isOpen(was)) closed.push(proposal);
  }
  return { opened, closed, stillOpen, considered };
}

function tradeMeasureChanges(
  before: NegotiationState,
  after: NegotiationState,
): TradeMeasureChange[] {
  const key = (m: { imposedBy: string; measure: string }): string => `${m.imposedBy} ${m.measure}`;
  const earlier = new Map(before.tradeMeasures.map((m) => [key(m), m]));
  const changes: TradeMeasureChange[] = [];
  const change = (
    item: TradeMeasureItem,
    was: TradeMeasureItem | undefined,
    is: TradeMeasureItem | undefined,
  ): void => {
    const previous = was?.status ?? null;
    const next = is?.status ?? null;
    const threatened = appearedOrWent(was?.threatened, is?.threatened);
    const considered = appearedOrWent(was?.considered, is?.considered);
    if (previous !== next || anyIn(threatened) || anyIn(considered)) {
      const { imposedBy, measure, appliedTo, kind } = item;
      changes.push({
        imposedBy,
        measure,
        appliedTo,
        kind,
        before: previous,
        after: next,
        threatened,
        considered,
      });
    }
  };
  for (const item of after.tradeMeasures) {
    const was = earlier.get(key(item));
    earlier.delete(key(item));
    change(item, was, item);
  }
  // Listed at `from` but not at `to`: only what did not occur can go so (its date passed).
  for (const was of earlier.values()) change(was, was, undefined);
  return changes.sort(
    (x, y) => byString(x.imposedBy, y.imposedBy) || byString(x.measure, y.measure),
  );
}

/** The entries listed at one end only, by eventId, each in its list's order. */
function appearedOrWent<E extends { eventId: string }>(
  before: readonly E[] | undefined,
  after: readonly E[] | undefined,
): Appeared<E> {
  const was = new Set((before ?? []).map((e) => e.eventId));
  const is = new Set((after ?? []).map((e) => e.eventId));
  return {
    appeared: (after ?? []).filter((e) => !was.has(e.eventId)),
    went: (before ?? []).filter((e) => !is.has(e.eventId)),
  };
}

const anyIn = ({ appeared, went }: Appeared<unknown>): boolean =>
  appeared.length > 0 || went.length > 0;

function stanceChanges(before: NegotiationState, after: NegotiationState): StanceChange[] {
  const earlier = new Map(before.stances.map((s) => [s.party, s]));
  const later = new Map(after.stances.map((s) => [s.party, s]));
  const parties = [...new Set([...earlier.keys(), ...later.keys()])].sort(byString);
  const changes: StanceChange[] = [];
  for (const party of parties) {
    const was = earlier.get(party);
    const is = later.get(party);
    if (was?.stance !== is?.stance) {
      changes.push({
        party,
        before: was?.stance ?? null,
        after: is?.stance ?? null,
        speaker: is?.speaker ?? null,
        at: is?.at ?? null,
      });
    }
  }
  return changes;
}
