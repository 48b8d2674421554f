import type { Instant, MinEvidence, RecordedDevelopment } from '@parley/domain';
import { laterOf } from '@parley/domain';
import { evolve } from '../evolve';
import type { TariffLine, TariffPair } from '../negotiation-state';
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
}

/** The pair's tariff from `at` until the next point: its total and its active lines, as `/tariffs` gives them. */
export interface TariffPoint {
  at: Instant;
  total: number;
  measures: readonly TariffLine[];
}

const TARIFF_CHANGED: ReadonlySet<string> = new Set(['TariffChanged']);

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
  const { imposedBy, appliedTo, to, knownAt, minEvidence } = query;
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
      types: TARIFF_CHANGED,
      party: imposedBy,
      knownAt,
      includeRetracted: false,
      limit: Infinity,
      ...(minEvidence === undefined ? {} : { minEvidence }),
    })
    .items.map((item) => item.development)
    .filter(
      (d): d is RecordedDevelopment & { type: 'TariffChanged' } =>
        d.type === 'TariffChanged' && d.data.appliedTo === appliedTo && d.modality === undefined,
    );
  for (const change of changes) {
    // Only changes that occurred have an effectiveAt to count from.
    if (change.data.effectiveAt === undefined) continue;
    const counts = laterOf(change.occurredAt, change.data.effectiveAt);
    if (counts <= to) moments.add(counts);
  }

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

function pointOf(at: Instant, pair: TariffPair | undefined): TariffPoint {
  return { at, total: pair?.total ?? 0, measures: pair?.measures ?? [] };
}

/** The same level: same total and the same lines at the same rates and coverage. */
function samePoint(a: TariffPoint, b: TariffPoint): boolean {
  return (
    a.total === b.total &&
    a.measures.length === b.measures.length &&
    a.measures.every((line, i) => {
      const other = b.measures[i]!;
      return (
        line.measure === other.measure &&
        line.rate === other.rate &&
        line.coverage === other.coverage
      );
    })
  );
}
