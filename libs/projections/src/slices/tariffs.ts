import type { Instant } from '@parley/domain';
import type { LineScope, PossibleTariffLine, TariffLine, TariffPair } from '../negotiation-state';
import type { LayeredMap } from './layered-map';
import { branchLayered, copyLayered, emptyLayered, entriesOf, getIn } from './layered-map';
import type { Announcements, Possible } from './possible-changes';
import { announce, byEffectiveAt, noAnnouncements, notYetDue } from './possible-changes';
import type { Mark, Recorded } from './slice';
import { NOTHING, byString, frozen, newMark, slice } from './slice';
import type { RateHistory, RateStep } from './tariff-rates';
import {
  SETTLES_NOTHING,
  addRateSteps,
  noRates,
  rateInForce,
  ratesScheduledAfter,
} from './tariff-rates';
import type { ScopeAt, ScopeHistory } from './tariff-scope';
import { scopeAt, withScopeStep } from './tariff-scope';

/**
 * Tariffs, as the contract's projection rules read: a line is keyed by (imposedBy, appliedTo,
 * measure) and follows the effective-date rule with temporary rates (tariff-rates.ts); a line at
 * rate 0 is lifted, not listed; a pair's total counts only its all-goods lines in force, whatever
 * their scope (tariff-scope.ts). Threatened and considered changes change no rate: they are
 * listed beside (possible-changes.ts).
 *
 * The same slice, folded without settling (`tariffsAsDecided`), keeps every step of every line
 * and answers what goods entering on a date owe as finally decided (contract v1.1, effectiveOn).
 */
interface PairLines {
  /** The state that may change it in place (copy-on-write per pair: see Mark). */
  readonly mark: Mark;
  readonly imposedBy: string;
  readonly appliedTo: string;
  /** Its lines, by measure. */
  readonly lines: Line[];
}

interface Line extends RateHistory, Announcements<PossibleTariffLine> {
  readonly measure: string;
  scope: ScopeHistory;
}

const copyLine = (line: Line): Line => ({ ...line });

/** The pairs, by `imposedBy` and `appliedTo`. */
export interface Tariffs {
  readonly pairs: LayeredMap<PairLines>;
  /** Each pair's key in `pairs`, made once (see PairKeys). */
  readonly keys: PairKeys;
  mark: Mark;
  /**
   * true: folded as finally decided, every development known whatever its occurredAt, nothing
   * settled; shown at an effective date, with no threats or options.
   */
  readonly asDecided: boolean;
}

/**
 * Each (imposedBy, appliedTo)'s key, made once rather than joined and hashed anew for every change
 * folded (as demands' keys: issue 15). A key is the same whichever state makes it, so copies of a
 * state share the table.
 */
type PairKeys = Map<string, Map<string, string>>;

function pairKey(keys: PairKeys, imposedBy: string, appliedTo: string): string {
  let byImposer = keys.get(imposedBy);
  if (!byImposer) keys.set(imposedBy, (byImposer = new Map<string, string>()));
  let key = byImposer.get(appliedTo);
  if (key === undefined) byImposer.set(appliedTo, (key = `${imposedBy}\u0000${appliedTo}`));
  return key;
}

/** A copy of `tariffs` to change on, made by `copyPairs` (copy or branch). */
function copied(
  tariffs: Tariffs,
  copyPairs: (pairs: LayeredMap<PairLines>) => LayeredMap<PairLines>,
): Tariffs {
  tariffs.mark = newMark();
  const { keys, asDecided } = tariffs;
  return { pairs: copyPairs(tariffs.pairs), keys, mark: newMark(), asDecided };
}

const lineOrder = (a: TariffLine, b: TariffLine): number =>
  byString(a.measure, b.measure) || byString(a.effectiveAt, b.effectiveAt);
const possibleOrder = (a: PossibleTariffLine, b: PossibleTariffLine): number =>
  byString(a.measure, b.measure) || byEffectiveAt(a.effectiveAt, b.effectiveAt);
const pairOrder = (a: TariffPair, b: TariffPair): number =>
  byString(a.imposedBy, b.imposedBy) || byString(a.appliedTo, b.appliedTo);

/** The line of `data`'s pair and measure in `state`, made if new; this state's own to change. */
function lineOf(
  state: Tariffs,
  data: { imposedBy: string; appliedTo: string; measure: string },
): Line {
  const key = pairKey(state.keys, data.imposedBy, data.appliedTo);
  let pair = getIn(state.pairs, key);
  if (pair?.mark !== state.mark) {
    // New, or shared with a copy or a snapshot: this state's own from now on.
    const { imposedBy, appliedTo } = data;
    const lines = pair ? pair.lines.map(copyLine) : [];
    pair = { mark: state.mark, imposedBy, appliedTo, lines };
    state.pairs.own.set(key, pair);
  }
  const lines = pair.lines;
  const measure = data.measure;
  // Most changes are to a line the pair has: found by equality, which costs less than ordering.
  for (const line of lines) if (line.measure === measure) return line;
  let at = 0;
  while (at < lines.length && lines[at]!.measure < measure) at++;
  const line: Line = { measure, ...noRates(), ...noAnnouncements(), scope: NOTHING };
  lines.splice(at, 0, line);
  return line;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `line` with what its change says of the goods the line covers, frozen. Built up field by field,
 * not spread: V8 gives each frozen object made by a spread a hidden class of its own, and every
 * read of such lines (the fold's, an answer's) was then a megamorphic lookup (issue 15).
 */
function withScope<L extends LineScope>(line: Writable<L>, { products, displaces }: LineScope): L {
  if (products !== undefined) line.products = frozen([...products]);
  if (displaces !== undefined) line.displaces = frozen([...displaces]);
  return frozen(line);
}

/**
 * What each tariff change contributes to a fold, made once per development and shared by every
 * fold that takes it (snapshots are folded again and again from the same developments: a late
 * development, an as-of answer past a snapshot): its rate steps when it occurred, its possible
 * change when it did not. A development never changes, and what is kept is frozen throughout.
 */
const contributions = new WeakMap<
  Recorded<'TariffChanged'>,
  readonly RateStep[] | Possible<PossibleTariffLine>
>();

/** The steps of an occurred change (rateSteps), made once per development. */
function rateStepsOf(
  development: Recorded<'TariffChanged'>,
  effectiveAt: Instant,
): readonly RateStep[] {
  let steps = contributions.get(development) as readonly RateStep[] | undefined;
  if (!steps) contributions.set(development, (steps = rateSteps(development, effectiveAt)));
  return steps;
}

/** What a change that did not occur shows, beside the lines (possibleOf), made once per development. */
function possibleOf(
  development: Recorded<'TariffChanged'>,
  modality: Possible<PossibleTariffLine>['modality'],
): Possible<PossibleTariffLine> {
  let possible = contributions.get(development) as Possible<PossibleTariffLine> | undefined;
  if (!possible) {
    const { data, eventId, occurredAt } = development;
    const shown = withScope<PossibleTariffLine>(
      {
        measure: data.measure,
        rate: data.rate,
        coverage: data.coverage,
        effectiveAt: data.effectiveAt ?? null,
        eventId,
        at: occurredAt,
      },
      data,
    );
    contributions.set(development, (possible = frozen({ modality, shown })));
  }
  return possible;
}

/** The steps of an occurred change: its rate from effectiveAt, and its reversion at `until`. */
function rateSteps(
  development: Recorded<'TariffChanged'>,
  effectiveAt: Instant,
): readonly RateStep[] {
  const { data, eventId, occurredAt, revision } = development;
  const step = (line: TariffLine, reversion: boolean): RateStep =>
    frozen({ line, announcedAt: occurredAt, revision, reversion });
  const rate: Writable<TariffLine> = {
    measure: data.measure,
    rate: data.rate,
    coverage: data.coverage,
    effectiveAt,
    eventId,
  };
  const reversion = reversionOf(development);
  if (!reversion) return frozen([step(withScope(rate, data), false)]);
  rate.until = reversion.effectiveAt;
  rate.thenRate = reversion.rate;
  return frozen([step(withScope(rate, data), false), step(reversion, true)]);
}

/** A temporary rate's expiry as lines show it (`reversion: true`); null for a change without `until`. */
export function reversionOf({ data, eventId }: Recorded<'TariffChanged'>): TariffLine | null {
  const { measure, coverage, until } = data;
  if (until === undefined) return null;
  return withScope<TariffLine>(
    { measure, rate: data.thenRate ?? 0, coverage, effectiveAt: until, eventId, reversion: true },
    data,
  );
}

export const tariffs = slice({
  reads: ['TariffChanged', 'TariffScopeChanged'],
  initial: (): Tariffs => ({
    pairs: emptyLayered(),
    keys: new Map(),
    mark: newMark(),
    asDecided: false,
  }),
  evolve(state, development) {
    if (development.type === 'TariffScopeChanged') {
      const { data, occurredAt, revision } = development;
      const line = lineOf(state, data);
      line.scope = withScopeStep(line.scope, {
        effectiveAt: data.effectiveAt,
        announcedAt: occurredAt,
        revision,
        exclude: data.exclude ?? NOTHING,
        include: data.include ?? NOTHING,
      });
      return state;
    }
    const { data, occurredAt, modality } = development;
    const effectiveAt = data.effectiveAt;
    if (modality !== undefined) {
      // What did not occur changes no rate (contract v1.1, Modality): it is listed beside, and
      // never in what was decided.
      if (state.asDecided) return state;
      announce(lineOf(state, data), occurredAt, possibleOf(development, modality));
      return state;
    }
    // Stored occurred changes always have one (the envelope's rule); an odd one changes nothing.
    if (effectiveAt === undefined) return state;
    const line = lineOf(state, data);
    announce(line, occurredAt, null);
    addRateSteps(
      line,
      rateStepsOf(development, effectiveAt),
      state.asDecided ? SETTLES_NOTHING : occurredAt,
    );
    return state;
  },
  copy: (state) => copied(state, copyLayered),
  branch: (state) => copied(state, branchLayered),
  show(state, asOf) {
    const shown: TariffPair[] = [];
    for (const [, pair] of entriesOf(state.pairs)) {
      // A pair another state made (a snapshot's, shared) never changes again: its answer is kept.
      const shownPair =
        pair.mark === state.mark
          ? pairAt(pair, asOf, state.asDecided)
          : keptPairAt(pair, asOf, state.asDecided);
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

/** An empty tariffs state to fold as finally decided (see Tariffs.asDecided). */
export const tariffsAsDecided = (): Tariffs => ({ ...tariffs.initial(), asDecided: true });

/**
 * A pair's answer (pairAt) at one asOf, and the times between which it is the same: every asOf
 * strictly between `after` and `before` (null: no bound), or exactly `asOf`.
 */
interface KeptPair {
  readonly asDecided: boolean;
  readonly asOf: Instant;
  readonly after: Instant | null;
  readonly before: Instant | null;
  readonly shown: TariffPair | null;
}

/**
 * Answers of pairs no state changes any more (a pair's mark is not its state's: it was made by a
 * state since copied, so nothing changes it in place again), by pair, the latest first. A
 * snapshot's pairs are shared by every answer folded from it and by later snapshots until a
 * development changes them, so most pairs of an answer inside a long history are kept ones:
 * showing them again at another asOf gives the same frozen pair as long as no date they are read
 * against lies in between. A few spans are kept: a change scheduled a few weeks ahead splits a
 * pair's life in two, and answers come on either side.
 */
const keptPairs = new WeakMap<PairLines, KeptPair[]>();
const KEPT_SPANS = 4;

/** pairAt(pair, asOf, asDecided) for a pair that never changes any more, made once per span of asOf. */
function keptPairAt(pair: PairLines, asOf: Instant, asDecided: boolean): TariffPair | null {
  let kept = keptPairs.get(pair);
  if (kept === undefined) keptPairs.set(pair, (kept = []));
  for (const span of kept) {
    if (
      span.asDecided === asDecided &&
      (span.asOf === asOf ||
        ((span.after === null || span.after < asOf) &&
          (span.before === null || asOf < span.before)))
    ) {
      return span.shown;
    }
  }
  const shown = pairAt(pair, asOf, asDecided);
  if (kept.length === KEPT_SPANS) kept.pop();
  kept.unshift({ asDecided, asOf, ...spanOf(pair, asOf), shown });
  return shown;
}

/**
 * The nearest dates before and after `asOf` that pairAt compares asOf with (a pending step's
 * effectiveAt, a scope step's, a threat's or an option's); none on asOf itself, else the span is
 * that instant alone. Between them every comparison comes out the same, and so does the pair.
 */
function spanOf(
  { lines }: PairLines,
  asOf: Instant,
): { after: Instant | null; before: Instant | null } {
  let after: Instant | null = null;
  let before: Instant | null = null;
  let on = false;
  const see = (at: Instant | null) => {
    if (at === null) return;
    if (at < asOf) {
      if (after === null || at > after) after = at;
    } else if (at > asOf) {
      if (before === null || at < before) before = at;
    } else on = true;
  };
  for (const history of lines) {
    for (const step of history.pending) see(step.line.effectiveAt);
    for (const step of history.scope) see(step.effectiveAt);
    for (const { shown } of history.possible) see(shown.effectiveAt);
  }
  return on ? { after: asOf, before: asOf } : { after, before };
}

/**
 * A pair as of `asOf` (as finally decided: on that effective date): its lines in force, its
 * scheduled steps, its total, what did not occur; null if it has none.
 */
function pairAt(
  { imposedBy, appliedTo, lines }: PairLines,
  asOf: Instant,
  asDecided: boolean,
): TariffPair | null {
  const measures: TariffLine[] = [];
  const scheduled: TariffLine[] = [];
  let threatened: PossibleTariffLine[] | undefined;
  let considered: PossibleTariffLine[] | undefined;
  for (const history of lines) {
    const scope = scopeAt(history.scope, asOf);
    const step = rateInForce(history, asOf);
    // A 0 rate lifts a line.
    if (step && step.line.rate !== 0) {
      const retroactive =
        asDecided && (step.line.effectiveAt < step.announcedAt || scope?.retroactive === true);
      measures.push(inScope(step.line, scope, retroactive));
    }
    for (const pending of ratesScheduledAfter(history, asOf))
      scheduled.push(inScope(pending.line, scope, false));
    for (const { modality, shown } of history.possible) {
      // A threat or an option at rate 0 withdraws what was pending and is not listed itself.
      if (shown.rate === 0 || !notYetDue(shown.effectiveAt, asOf)) continue;
      if (modality === 'threatened') (threatened ??= []).push(inScope(shown, scope, false));
      else (considered ??= []).push(inScope(shown, scope, false));
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

/** `line` as shown with its line's scope at the answer's time; the shared value when there is nothing to add. */
function inScope<L extends TariffLine | PossibleTariffLine>(
  line: L,
  scope: ScopeAt | null,
  retroactive: boolean,
): L {
  if (!scope && !retroactive) return line;
  const shown: L = {
    ...line,
    ...(scope ? { excluded: scope.excluded } : {}),
    ...(scope && scope.included.length > 0 ? { included: scope.included } : {}),
    ...(retroactive ? { retroactive: true } : {}),
  };
  return frozen(shown);
}

/** The sum of the all-goods lines' rates (sumOfRates). */
export const totalOf = (lines: readonly TariffLine[]): number =>
  sumOfRates(lines.filter((line) => line.coverage === 'all-goods'));

/**
 * The sum of lines' rates, exact for rates given to two decimals: summed in integer hundredths
 * (0.1 + 0.2 is 0.3, not 0.30000000000000004).
 */
export function sumOfRates(lines: readonly TariffLine[]): number {
  let hundredths = 0;
  for (const line of lines) hundredths += Math.round(line.rate * 100);
  return hundredths / 100;
}
