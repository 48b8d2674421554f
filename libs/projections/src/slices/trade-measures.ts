import type { Instant, TradeMeasureAction, TradeMeasureKind } from '@parley/domain';
import type { TradeMeasureItem } from '../negotiation-state';
import type { ChangeHistory } from './effective-changes';
import { inForce, scheduledAfter, withChange } from './effective-changes';
import { byString, frozen, slice } from './slice';

/**
 * Trade measures: keyed by (imposedBy, measure), following the effective-date rule of tariff
 * lines (effective-changes.ts). Status is the action in force (null while none is effective
 * yet); known changes not yet effective are listed under the item's `scheduled`.
 */
interface MeasureChange {
  readonly effectiveAt: Instant;
  readonly appliedTo: readonly string[];
  readonly kind: TradeMeasureKind;
  readonly action: TradeMeasureAction;
  readonly eventId: string;
}

interface Measure {
  readonly imposedBy: string;
  readonly measure: string;
  readonly history: ChangeHistory<MeasureChange>;
}

/** The measures, by `imposedBy` then `measure`; each a value, replaced when it changes. */
export type TradeMeasures = Map<string, Map<string, Measure>>;

const measureOrder = (a: TradeMeasureItem, b: TradeMeasureItem): number =>
  byString(a.imposedBy, b.imposedBy) || byString(a.measure, b.measure);

export const tradeMeasures = slice({
  reads: ['TradeMeasureChanged'],
  initial: (): TradeMeasures => new Map(),
  evolve(state, { data, eventId, occurredAt }) {
    let measures = state.get(data.imposedBy);
    if (!measures) state.set(data.imposedBy, (measures = new Map<string, Measure>()));
    const change: MeasureChange = {
      effectiveAt: data.effectiveAt,
      appliedTo: frozen(data.appliedTo.slice()),
      kind: data.kind,
      action: data.action,
      eventId,
    };
    measures.set(data.measure, {
      imposedBy: data.imposedBy,
      measure: data.measure,
      history: withChange(measures.get(data.measure)?.history, change, occurredAt),
    });
    return state;
  },
  copy(state) {
    const copy: TradeMeasures = new Map();
    for (const [imposedBy, measures] of state) copy.set(imposedBy, new Map(measures));
    return copy;
  },
  show(state, asOf) {
    const shown: TradeMeasureItem[] = [];
    for (const measures of state.values()) {
      for (const measure of measures.values()) {
        const item = measureAt(measure, asOf);
        if (item) shown.push(item);
      }
    }
    return shown.sort(measureOrder);
  },
  size(state) {
    let measures = 0;
    for (const byMeasure of state.values()) measures += byMeasure.size;
    return measures;
  },
});

/** A measure as of `asOf`; null while nothing of it is in force or scheduled. */
function measureAt(
  { imposedBy, measure, history }: Measure,
  asOf: Instant,
): TradeMeasureItem | null {
  const active = inForce(history, asOf);
  const scheduled = scheduledAfter(history, asOf).sort((a, b) =>
    byString(a.effectiveAt, b.effectiveAt),
  );
  // Which countries and what kind: the change in force, else the next one.
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
      scheduled.map(({ action, effectiveAt, eventId }) => frozen({ action, effectiveAt, eventId })),
    ),
  });
}
