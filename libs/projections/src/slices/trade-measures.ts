import type { Instant, TradeMeasureAction, TradeMeasureKind } from '@parley/domain';
import type { TradeMeasureItem } from '../negotiation-state';
import type { ChangeHistory } from './effective-changes';
import { addChange, copyHistory, inForce, noChanges, scheduledAfter } from './effective-changes';
import type { Mark } from './slice';
import { byString, frozen, newMark, slice } from './slice';

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

interface Measure extends ChangeHistory<MeasureChange> {
  /** The state that may change it in place (copy-on-write per measure: see Mark). */
  readonly mark: Mark;
  readonly imposedBy: string;
  readonly measure: string;
}

/** The measures, by `imposedBy` then `measure`. */
export interface TradeMeasures {
  readonly byImposer: Map<string, Map<string, Measure>>;
  mark: Mark;
}

const measureOrder = (a: TradeMeasureItem, b: TradeMeasureItem): number =>
  byString(a.imposedBy, b.imposedBy) || byString(a.measure, b.measure);

export const tradeMeasures = slice({
  reads: ['TradeMeasureChanged'],
  initial: (): TradeMeasures => ({ byImposer: new Map(), mark: newMark() }),
  evolve(state, { data, eventId, occurredAt, modality }) {
    // What did not occur changes no status (contract v1.1, Modality).
    const effectiveAt = data.effectiveAt;
    if (modality !== undefined || effectiveAt === undefined) return state;
    let measures = state.byImposer.get(data.imposedBy);
    if (!measures) state.byImposer.set(data.imposedBy, (measures = new Map<string, Measure>()));
    let measure = measures.get(data.measure);
    if (measure?.mark !== state.mark) {
      // New, or shared with a copy or a snapshot: this state's own from now on.
      const { settled, pending } = measure ? copyHistory(measure) : noChanges<MeasureChange>();
      const { imposedBy } = data;
      measure = { mark: state.mark, imposedBy, measure: data.measure, settled, pending };
      measures.set(data.measure, measure);
    }
    const change: MeasureChange = {
      effectiveAt,
      appliedTo: frozen(data.appliedTo.slice()),
      kind: data.kind,
      action: data.action,
      eventId,
    };
    addChange(measure, change, occurredAt);
    return state;
  },
  copy(state) {
    const copy: TradeMeasures = { byImposer: new Map(), mark: newMark() };
    for (const [imposedBy, measures] of state.byImposer)
      copy.byImposer.set(imposedBy, new Map(measures));
    state.mark = newMark();
    return copy;
  },
  show(state, asOf) {
    const shown: TradeMeasureItem[] = [];
    for (const measures of state.byImposer.values()) {
      for (const measure of measures.values()) {
        const item = measureAt(measure, asOf);
        if (item) shown.push(item);
      }
    }
    return shown.sort(measureOrder);
  },
  size(state) {
    let measures = 0;
    for (const byMeasure of state.byImposer.values()) measures += byMeasure.size;
    return measures;
  },
});

/** A measure as of `asOf`; null while nothing of it is in force or scheduled. */
function measureAt(history: Measure, asOf: Instant): TradeMeasureItem | null {
  const { imposedBy, measure } = history;
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
