import type { Instant } from '@parley/domain';
import type { TariffLine, TariffPair } from '../negotiation-state';
import type { ChangeHistory } from './effective-changes';
import { addChange, copyHistory, inForce, noChanges } from './effective-changes';
import type { LayeredMap } from './layered-map';
import { branchLayered, copyLayered, emptyLayered, entriesOf, getIn } from './layered-map';
import type { Mark } from './slice';
import { byString, frozen, newMark, slice } from './slice';

/**
 * Tariffs, as the contract's projection rules read: a line is keyed by (imposedBy, appliedTo,
 * measure) and follows the effective-date rule (effective-changes.ts); a line at rate 0 is
 * lifted, not listed; a pair's total counts only its all-goods lines in force.
 */
interface PairLines {
  /** The state that may change it in place (copy-on-write per pair: see Mark). */
  readonly mark: Mark;
  readonly imposedBy: string;
  readonly appliedTo: string;
  /** Each line's changes, by measure: a change is the line an answer shows while it applies. */
  readonly lines: Line[];
}

interface Line extends ChangeHistory<TariffLine> {
  readonly measure: string;
}

/** The pairs, by `imposedBy` and `appliedTo`. */
export interface Tariffs {
  readonly pairs: LayeredMap<PairLines>;
  mark: Mark;
}

/** A copy of `tariffs` to change on, made by `copyPairs` (copy or branch). */
function copied(
  tariffs: Tariffs,
  copyPairs: (pairs: LayeredMap<PairLines>) => LayeredMap<PairLines>,
): Tariffs {
  tariffs.mark = newMark();
  return { pairs: copyPairs(tariffs.pairs), mark: newMark() };
}

const lineOrder = (a: TariffLine, b: TariffLine): number =>
  byString(a.measure, b.measure) || byString(a.effectiveAt, b.effectiveAt);
const pairOrder = (a: TariffPair, b: TariffPair): number =>
  byString(a.imposedBy, b.imposedBy) || byString(a.appliedTo, b.appliedTo);

export const tariffs = slice({
  reads: ['TariffChanged'],
  initial: (): Tariffs => ({ pairs: emptyLayered(), mark: newMark() }),
  evolve(state, { data, eventId, occurredAt, modality }) {
    // What did not occur changes no rate (contract v1.1, Modality).
    const effectiveAt = data.effectiveAt;
    if (modality !== undefined || effectiveAt === undefined) return state;
    const key = `${data.imposedBy}\u0000${data.appliedTo}`;
    let pair = getIn(state.pairs, key);
    if (pair?.mark !== state.mark) {
      // New, or shared with a copy or a snapshot: this state's own from now on.
      const { imposedBy, appliedTo } = data;
      const lines = pair
        ? pair.lines.map((line) => ({ measure: line.measure, ...copyHistory(line) }))
        : [];
      pair = { mark: state.mark, imposedBy, appliedTo, lines };
      state.pairs.own.set(key, pair);
    }
    const change: TariffLine = frozen({
      measure: data.measure,
      rate: data.rate,
      coverage: data.coverage,
      effectiveAt,
      eventId,
    });
    const lines = pair.lines;
    let at = 0;
    while (at < lines.length && lines[at]!.measure < data.measure) at++;
    let line = lines[at];
    if (line?.measure !== data.measure)
      lines.splice(at, 0, (line = { measure: data.measure, ...noChanges() }));
    addChange(line, change, occurredAt);
    return state;
  },
  copy: (state) => copied(state, copyLayered),
  branch: (state) => copied(state, branchLayered),
  show(state, asOf) {
    const shown: TariffPair[] = [];
    for (const [, pair] of entriesOf(state.pairs)) {
      const shownPair = pairAt(pair, asOf);
      if (shownPair) shown.push(shownPair);
    }
    return shown.sort(pairOrder);
  },
  size(state) {
    let lines = 0;
    for (const [, pair] of entriesOf(state.pairs)) lines += pair.lines.length;
    return lines;
  },
});

/** A pair as of `asOf`: its lines in force, its scheduled changes, its total; null if it has none. */
function pairAt({ imposedBy, appliedTo, lines }: PairLines, asOf: Instant): TariffPair | null {
  const measures: TariffLine[] = [];
  const scheduled: TariffLine[] = [];
  for (const history of lines) {
    const line = inForce(history, asOf);
    // A 0 rate lifts a line.
    if (line && line.rate !== 0) measures.push(line);
    for (const change of history.pending) if (change.effectiveAt > asOf) scheduled.push(change);
  }
  if (measures.length === 0 && scheduled.length === 0) return null;
  let total = 0;
  // Only all-goods lines count toward the total.
  for (const line of measures) if (line.coverage === 'all-goods') total += line.rate;
  // Lines are kept by measure; scheduled changes of one line come in fold order.
  if (scheduled.length > 1) scheduled.sort(lineOrder);
  return frozen({
    imposedBy,
    appliedTo,
    total,
    measures: frozen(measures),
    scheduled: frozen(scheduled),
  });
}
