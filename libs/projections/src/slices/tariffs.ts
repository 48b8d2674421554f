import type { Instant } from '@parley/domain';
import type { PossibleTariffLine, TariffLine, TariffPair } from '../negotiation-state';
import type { ChangeHistory } from './effective-changes';
import { addChange, inForce, noChanges } from './effective-changes';
import type { LayeredMap } from './layered-map';
import { branchLayered, copyLayered, emptyLayered, entriesOf, getIn } from './layered-map';
import type { Announcements } from './possible-changes';
import { announce, byEffectiveAt, noAnnouncements, notYetDue } from './possible-changes';
import type { Mark } from './slice';
import { NOTHING, byString, frozen, newMark, slice } from './slice';

/**
 * Tariffs, as the contract's projection rules read: a line is keyed by (imposedBy, appliedTo,
 * measure) and follows the effective-date rule (effective-changes.ts); a line at rate 0 is
 * lifted, not listed; a pair's total counts only its all-goods lines in force. Threatened and
 * considered changes change no rate: they are listed beside (possible-changes.ts).
 */
interface PairLines {
  /** The state that may change it in place (copy-on-write per pair: see Mark). */
  readonly mark: Mark;
  readonly imposedBy: string;
  readonly appliedTo: string;
  /** Each line's changes, by measure: a change is the line an answer shows while it applies. */
  readonly lines: Line[];
}

interface Line extends ChangeHistory<TariffLine>, Announcements<PossibleTariffLine> {
  readonly measure: string;
}

const copyLine = (line: Line): Line => ({ ...line });

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
const possibleOrder = (a: PossibleTariffLine, b: PossibleTariffLine): number =>
  byString(a.measure, b.measure) || byEffectiveAt(a.effectiveAt, b.effectiveAt);
const pairOrder = (a: TariffPair, b: TariffPair): number =>
  byString(a.imposedBy, b.imposedBy) || byString(a.appliedTo, b.appliedTo);

export const tariffs = slice({
  reads: ['TariffChanged'],
  initial: (): Tariffs => ({ pairs: emptyLayered(), mark: newMark() }),
  evolve(state, { data, eventId, occurredAt, modality }) {
    const key = `${data.imposedBy}\u0000${data.appliedTo}`;
    let pair = getIn(state.pairs, key);
    if (pair?.mark !== state.mark) {
      // New, or shared with a copy or a snapshot: this state's own from now on.
      const { imposedBy, appliedTo } = data;
      const lines = pair ? pair.lines.map(copyLine) : [];
      pair = { mark: state.mark, imposedBy, appliedTo, lines };
      state.pairs.own.set(key, pair);
    }
    const lines = pair.lines;
    let at = 0;
    while (at < lines.length && lines[at]!.measure < data.measure) at++;
    let line = lines[at];
    if (line?.measure !== data.measure) {
      line = { measure: data.measure, ...noChanges(), ...noAnnouncements() };
      lines.splice(at, 0, line);
    }
    const effectiveAt = data.effectiveAt;
    if (modality !== undefined) {
      // What did not occur changes no rate (contract v1.1, Modality): it is listed beside.
      const shown: PossibleTariffLine = frozen({
        measure: data.measure,
        rate: data.rate,
        coverage: data.coverage,
        effectiveAt: effectiveAt ?? null,
        eventId,
        at: occurredAt,
      });
      announce(line, occurredAt, { modality, shown });
      return state;
    }
    // Stored occurred changes always have one (the envelope's rule); an odd one changes nothing.
    if (effectiveAt === undefined) return state;
    announce(line, occurredAt, null);
    addChange(
      line,
      frozen({
        measure: data.measure,
        rate: data.rate,
        coverage: data.coverage,
        effectiveAt,
        eventId,
      }),
      occurredAt,
    );
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

/** A pair as of `asOf`: its lines in force, its scheduled changes, its total, what did not occur; null if it has none. */
function pairAt({ imposedBy, appliedTo, lines }: PairLines, asOf: Instant): TariffPair | null {
  const measures: TariffLine[] = [];
  const scheduled: TariffLine[] = [];
  let threatened: PossibleTariffLine[] | undefined;
  let considered: PossibleTariffLine[] | undefined;
  for (const history of lines) {
    const line = inForce(history, asOf);
    // A 0 rate lifts a line.
    if (line && line.rate !== 0) measures.push(line);
    for (const change of history.pending) if (change.effectiveAt > asOf) scheduled.push(change);
    for (const { modality, shown } of history.possible) {
      // A threat or an option at rate 0 withdraws what was pending and is not listed itself.
      if (shown.rate === 0 || !notYetDue(shown.effectiveAt, asOf)) continue;
      if (modality === 'threatened') (threatened ??= []).push(shown);
      else (considered ??= []).push(shown);
    }
  }
  if (measures.length === 0 && scheduled.length === 0 && !threatened && !considered) return null;
  // Only all-goods lines count toward the total.
  const total = totalOf(measures);
  // Lines are kept by measure; scheduled changes of one line come in fold order.
  if (scheduled.length > 1) scheduled.sort(lineOrder);
  return frozen({
    imposedBy,
    appliedTo,
    total,
    measures: frozen(measures),
    scheduled: frozen(scheduled),
    threatened: threatened ? frozen(threatened.sort(possibleOrder)) : NOTHING,
    considered: considered ? frozen(considered.sort(possibleOrder)) : NOTHING,
  });
}

/**
 * The sum of the all-goods lines' rates, exact for rates given to two decimals: summed in
 * integer hundredths (0.1 + 0.2 is 0.3, not 0.30000000000000004).
 */
export function totalOf(lines: readonly TariffLine[]): number {
  let hundredths = 0;
  for (const line of lines)
    if (line.coverage === 'all-goods') hundredths += Math.round(line.rate * 100);
  return hundredths / 100;
}
