import type { Instant } from '@parley/domain';
import type { TariffLine, TariffPair } from '../negotiation-state';
import type { ChangeHistory } from './effective-changes';
import { inForce, withChange } from './effective-changes';
import type { LayeredMap } from './layered-map';
import { branchLayered, copyLayered, emptyLayered, entriesOf, getIn } from './layered-map';
import { byString, frozen, slice } from './slice';

/**
 * Tariffs, as the contract's projection rules read: a line is keyed by (imposedBy, appliedTo,
 * measure) and follows the effective-date rule (effective-changes.ts); a line at rate 0 is
 * lifted, not listed; a pair's total counts only its all-goods lines in force.
 */
interface PairLines {
  readonly imposedBy: string;
  readonly appliedTo: string;
  /**
   * Each line's changes, by measure: a change is the line an answer shows while it applies.
   * A value: a change to a line makes a new pair, so copies of the state share the others.
   */
  readonly lines: ReadonlyArray<{
    readonly measure: string;
    readonly history: ChangeHistory<TariffLine>;
  }>;
}

/** The pairs, by `imposedBy` and `appliedTo`. */
export type Tariffs = LayeredMap<PairLines>;

const lineOrder = (a: TariffLine, b: TariffLine): number =>
  byString(a.measure, b.measure) || byString(a.effectiveAt, b.effectiveAt);
const pairOrder = (a: TariffPair, b: TariffPair): number =>
  byString(a.imposedBy, b.imposedBy) || byString(a.appliedTo, b.appliedTo);

export const tariffs = slice({
  reads: ['TariffChanged'],
  initial: (): Tariffs => emptyLayered(),
  evolve(state, { data, eventId, occurredAt }) {
    const key = `${data.imposedBy}\u0000${data.appliedTo}`;
    const pair = getIn(state, key);
    const change: TariffLine = frozen({
      measure: data.measure,
      rate: data.rate,
      coverage: data.coverage,
      effectiveAt: data.effectiveAt,
      eventId,
    });
    const lines = pair ? pair.lines.slice() : [];
    let at = 0;
    while (at < lines.length && lines[at]!.measure < data.measure) at++;
    const existing = lines[at]?.measure === data.measure ? lines[at] : undefined;
    const line = {
      measure: data.measure,
      history: withChange(existing?.history, change, occurredAt),
    };
    if (existing) lines[at] = line;
    else lines.splice(at, 0, line);
    state.own.set(key, { imposedBy: data.imposedBy, appliedTo: data.appliedTo, lines });
    return state;
  },
  copy: copyLayered,
  branch: branchLayered,
  show(state, asOf) {
    const shown: TariffPair[] = [];
    for (const [, pair] of entriesOf(state)) {
      const shownPair = pairAt(pair, asOf);
      if (shownPair) shown.push(shownPair);
    }
    return shown.sort(pairOrder);
  },
  size(state) {
    let lines = 0;
    for (const [, pair] of entriesOf(state)) lines += pair.lines.length;
    return lines;
  },
});

/** A pair as of `asOf`: its lines in force, its scheduled changes, its total; null if it has none. */
function pairAt({ imposedBy, appliedTo, lines }: PairLines, asOf: Instant): TariffPair | null {
  const measures: TariffLine[] = [];
  const scheduled: TariffLine[] = [];
  for (const { history } of lines) {
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
