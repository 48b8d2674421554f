import type { Instant, TradeMeasureAction, TradeMeasureKind } from '@parley/domain';
import type { PossibleTradeMeasureChange, TradeMeasureItem } from '../negotiation-state';
import type { ChangeHistory } from './effective-changes';
import { addChange, inForce, noChanges, scheduledAfter } from './effective-changes';
import type { Announcements } from './possible-changes';
import { announce, byEffectiveAt, noAnnouncements, notYetDue } from './possible-changes';
import type { Mark } from './slice';
import { NOTHING, byString, frozen, newMark, slice } from './slice';

/**
 * Trade measures: keyed by (imposedBy, measure), following the effective-date rule of tariff
 * lines (effective-changes.ts). Status is the action in force (null while none is effective
 * yet); known changes not yet effective are listed under the item's `scheduled`. Threatened and
 * considered changes change no status: they are listed beside, as tariff lines' are
 * (possible-changes.ts); a trade measure has no rate, so only a later development or its
 * effective time takes one off the list.
 */
interface MeasureChange {
  readonly effectiveAt: Instant;
  /** The development's own list (it never changes): an answer shows a frozen copy (measureAt). */
  readonly appliedTo: readonly string[];
  readonly kind: TradeMeasureKind;
  readonly action: TradeMeasureAction;
  readonly eventId: string;
}

/** What did not occur, with what describes the item when nothing else does. */
interface PossibleChange {
  /** The development's own list, as MeasureChange's. */
  readonly appliedTo: readonly string[];
  readonly kind: TradeMeasureKind;
  readonly item: PossibleTradeMeasureChange;
}

interface Measure extends ChangeHistory<MeasureChange>, Announcements<PossibleChange> {
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
    let measures = state.byImposer.get(data.imposedBy);
    if (!measures) state.byImposer.set(data.imposedBy, (measures = new Map<string, Measure>()));
    let measure = measures.get(data.measure);
    if (measure?.mark !== state.mark) {
      // New, or shared with a copy or a snapshot: this state's own from now on.
      measure = measure
        ? { ...measure, mark: state.mark }
        : {
            mark: state.mark,
            imposedBy: data.imposedBy,
            measure: data.measure,
            ...noChanges<MeasureChange>(),
            ...noAnnouncements<PossibleChange>(),
          };
      measures.set(data.measure, measure);
    }
    const effectiveAt = data.effectiveAt;
    // Copied when shown, not here: most changes are never shown, and freezing a copy was a
    // quarter of this fold's time (issue 15).
    const appliedTo = data.appliedTo;
    if (modality !== undefined) {
      // What did not occur changes no status (contract v1.1, Modality): it is listed beside.
      const item = frozen({
        action: data.action,
        effectiveAt: effectiveAt ?? null,
        eventId,
        at: occurredAt,
      });
      announce(measure, occurredAt, { modality, shown: { appliedTo, kind: data.kind, item } });
      return state;
    }
    // Stored occurred changes always have one (the envelope's rule); an odd one changes nothing.
    if (effectiveAt === undefined) return state;
    announce(measure, occurredAt, null);
    const change: MeasureChange = {
      effectiveAt,
      appliedTo,
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

/** A measure as of `asOf`; null while nothing of it is in force, scheduled, threatened or considered. */
function measureAt(history: Measure, asOf: Instant): TradeMeasureItem | null {
  const { imposedBy, measure } = history;
  const active = inForce(history, asOf);
  const scheduled = scheduledAfter(history, asOf).sort((a, b) =>
    byString(a.effectiveAt, b.effectiveAt),
  );
  let threatened: PossibleChange[] | undefined;
  let considered: PossibleChange[] | undefined;
  for (const { modality, shown } of history.possible) {
    if (!notYetDue(shown.item.effectiveAt, asOf)) continue;
    if (modality === 'threatened') (threatened ??= []).push(shown);
    else (considered ??= []).push(shown);
  }
  // Which countries and what kind: the change in force, else the next one, else what did not occur.
  const describedBy = active ?? scheduled[0] ?? threatened?.[0] ?? considered?.[0];
  if (!describedBy) return null;
  return frozen({
    imposedBy,
    appliedTo: frozen(describedBy.appliedTo.slice()),
    measure,
    kind: describedBy.kind,
    status: active ? active.action : null,
    effectiveAt: active ? active.effectiveAt : null,
    eventId: active ? active.eventId : null,
    scheduled: frozen(
      scheduled.map(({ action, effectiveAt, eventId }) => frozen({ action, effectiveAt, eventId })),
    ),
    threatened: listed(threatened),
    considered: listed(considered),
  });
}

/** Possible changes as an item lists them: by `effectiveAt`, those without one last. */
function listed(changes: PossibleChange[] | undefined): readonly PossibleTradeMeasureChange[] {
  if (!changes) return NOTHING;
  return frozen(
    changes.map(({ item }) => item).sort((a, b) => byEffectiveAt(a.effectiveAt, b.effectiveAt)),
  );
}
