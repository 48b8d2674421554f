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
  Proposal,
  TariffLine,
  TariffPair,
} from '../negotiation-state';
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

export interface TariffPairChange {
  imposedBy: string;
  appliedTo: string;
  /** The pair's total at `from` and at `to`. */
  before: number;
  after: number;
  /** Only the lines whose rate or coverage differ. */
  lines: TariffLineChange[];
}

export interface TradeMeasureChange {
  imposedBy: string;
  measure: string;
  appliedTo: readonly string[];
  kind: TradeMeasureKind;
  before: TradeMeasureAction | null;
  after: TradeMeasureAction | null;
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
    /** Made in (from, to], with their status at `to`. */
    opened: Proposal[];
    /** Open at `from` or made since, and no longer open at `to`: their final status. */
    closed: Proposal[];
    /** Every proposal open at `to`, including those opened in the range. */
    stillOpen: Proposal[];
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
    tariffs: tariffChanges(before, after),
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
  const { rate, coverage, effectiveAt, eventId } = line;
  return { rate, coverage, effectiveAt, eventId };
}

function tariffChanges(before: NegotiationState, after: NegotiationState): TariffPairChange[] {
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
  for (const { imposedBy, appliedTo, before: b, after: a } of pairs.values()) {
    const beforeLines = new Map((b?.measures ?? []).map((l) => [l.measure, l]));
    const afterLines = new Map((a?.measures ?? []).map((l) => [l.measure, l]));
    const measures = [...new Set([...beforeLines.keys(), ...afterLines.keys()])].sort(byString);
    const lines: TariffLineChange[] = [];
    for (const measure of measures) {
      const x = beforeLines.get(measure);
      const y = afterLines.get(measure);
      if (x?.rate !== y?.rate || x?.coverage !== y?.coverage) {
        lines.push({ measure, before: lineValue(x), after: lineValue(y) });
      }
    }
    const totals = { before: b?.total ?? 0, after: a?.total ?? 0 };
    if (lines.length > 0 || totals.before !== totals.after) {
      changes.push({ imposedBy, appliedTo, ...totals, lines });
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
  for (const proposal of after.proposals) {
    const was = earlier.get(proposal.proposalId);
    if (!was) opened.push(proposal);
    if (isOpen(proposal)) stillOpen.push(proposal);
    else if (!was || isOpen(was)) closed.push(proposal);
  }
  return { opened, closed, stillOpen };
}

function tradeMeasureChanges(
  before: NegotiationState,
  after: NegotiationState,
): TradeMeasureChange[] {
  const key = (m: { imposedBy: string; measure: string }): string => `${m.imposedBy} ${m.measure}`;
  const earlier = new Map(before.tradeMeasures.map((m) => [key(m), m]));
  const changes: TradeMeasureChange[] = [];
  for (const item of after.tradeMeasures) {
    const was = earlier.get(key(item));
    earlier.delete(key(item));
    const previous = was?.status ?? null;
    if (previous !== item.status) {
      const { imposedBy, measure, appliedTo, kind } = item;
      changes.push({ imposedBy, measure, appliedTo, kind, before: previous, after: item.status });
    }
  }
  // Known at `from` but not at `to` cannot happen in valid time; kept total all the same.
  for (const was of earlier.values()) {
    if (was.status !== null) {
      const { imposedBy, measure, appliedTo, kind } = was;
      changes.push({ imposedBy, measure, appliedTo, kind, before: was.status, after: null });
    }
  }
  return changes.sort(
    (x, y) => byString(x.imposedBy, y.imposedBy) || byString(x.measure, y.measure),
  );
}

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
