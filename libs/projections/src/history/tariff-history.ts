import type { Instant, MinEvidence, RecordedDevelopment } from '@parley/domain';
import { laterOf } from '@parley/domain';
import { evolve } from '../evolve';
import { applicableTo } from '../applicable';
import type { Applicable, TariffLine, TariffPair } from '../negotiation-state';
import type { NegotiationTimeline } from '../timeline';
import { BEFORE_EVERYTHING, foldFrom, justAfter } from './fold-from';
import { tariffPairsAt } from './state-summary';

export interface TariffHistoryQuery {
  imposedBy: string;
  appliedTo: string;
  /** null: from the first change. */
  from: Instant | null;
  to: Instant;
  knownAt: Instant | null;
  /** Only the changes a fold with this minEvidence takes. */
  minEvidence?: MinEvidence;
  /** A product code: each point says what goods of it pay (`applicable`), and a change of that is a point. */
  product?: string;
}

/** The pair's tariff from `at` until the next point: its total and its active lines, as `/tariffs` gives them. */
export interface TariffPoint {
  at: Instant;
  total: number;
  measures: readonly TariffLine[];
  /** With `product`: what goods of it pay from `at`. */
  applicable?: Applicable;
}

const TARIFF_DEVELOPMENTS: ReadonlySet<string> = new Set(['TariffChanged', 'TariffScopeChanged']);

/**
 * The step series of one pair's tariff in valid time: a point wherever its total or one of its
 * lines changes. In valid time a change counts from `max(occurredAt, effectiveAt)`: a change
 * announced ahead counts once it takes effect, one reported afterwards (backdated) once it happened.
 * With `from`, the series opens with the level in force at `from` (when a line is active).
 *
 * One fold to `from` (the timeline's), then only the pair's own changes in (from, to] are evolved,
 * so the cost is a state lookup plus the range's developments.
 */
export function tariffHistory(
  timeline: NegotiationTimeline,
  query: TariffHistoryQuery,
): TariffPoint[] {
  const { imposedBy, appliedTo, to, knownAt, minEvidence, product } = query;
  const start = query.from ?? BEFORE_EVERYTHING;
  if (start > to) return [];
  const state = foldFrom(timeline, { asOf: start }, knownAt, minEvidence);
  const pairAt = (asOf: Instant): TariffPair | undefined =>
    tariffPairsAt(state, asOf).find((p) => p.imposedBy === imposedBy && p.appliedTo === appliedTo);

  const initial = pairAt(start);
  // When the level can change: a change scheduled at `from` taking effect, or a later change counting.
  const moments = new Set<Instant>();
  for (const line of initial?.scheduled ?? [])
    if (line.effectiveAt <= to) moments.add(line.effectiveAt);
  const changes = timeline
    .list({
      from: justAfter(start),
      to,
      types: TARIFF_DEVELOPMENTS,
      party: imposedBy,
      knownAt,
      includeRetracted: false,
      limit: Infinity,
      ...(minEvidence === undefined ? {} : { minEvidence }),
    })
    .items.map((item) => item.development)
    .filter(
      (d): d is RecordedDevelopment & { type: 'TariffChanged' | 'TariffScopeChanged' } =>
        (d.type === 'TariffChanged' || d.type === 'TariffScopeChanged') &&
        d.data.appliedTo === appliedTo &&
        d.modality === undefined,
    );
  for (const change of changes) {
    // Only changes that occurred have an effectiveAt to count from; a temporary rate's expiry
    // (`until`) is a moment too, unless a later change voids it (the fold then shows no step).
    const { effectiveAt } = change.data;
    const until = change.type === 'TariffChanged' ? change.data.until : undefined;
    for (const moment of [effectiveAt, until]) {
      if (moment === undefined) continue;
      const counts = laterOf(change.occurredAt, moment);
      if (counts <= to) moments.add(counts);
    }
  }

  const pointOf = (at: Instant, pair: TariffPair | undefined): TariffPoint => ({
    at,
    total: pair?.total ?? 0,
    measures: pair?.measures ?? [],
    ...(product === undefined ? {} : { applicable: applicableTo(pair ?? NO_LINES, product) }),
  });
  const points: TariffPoint[] = [];
  let last = pointOf(start, initial);
  if (query.from !== null && last.measures.length > 0) points.push(last);
  let next = 0;
  for (const moment of [...moments].sort()) {
    while (next < changes.length && changes[next]!.occurredAt <= moment)
      evolve(state, changes[next++]!);
    const point = pointOf(moment, pairAt(moment));
    if (!samePoint(point, last)) points.push(point);
    last = point;
  }
  return points;
}

/** A pair with no line, for the points before it has one. */
const NO_LINES: TariffPair = {
  imposedBy: '',
  appliedTo: '',
  total: 0,
  measures: [],
  scheduled: [],
  threatened: [],
  considered: [],
};

/** The same level: same total, the same product's rate, and the same lines at the same rates, coverage and scope. */
function samePoint(a: TariffPoint, b: TariffPoint): boolean {
  return (
    a.total === b.total &&
    a.applicable?.rate === b.applicable?.rate &&
    a.measures.length === b.measures.length &&
    a.measures.every((line, i) => {
      const other = b.measures[i]!;
      return (
        line.measure === other.measure &&
        line.rate === other.rate &&
        line.coverage === other.coverage &&
        String(line.excluded) === String(other.excluded) &&
        String(line.included) === String(other.included)
      );
    })
  );
}
