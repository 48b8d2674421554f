import type { Coverage, Instant, TradeMeasureAction } from '@parley/domain';
import type { NegotiationState } from './negotiation-state';
import { byString, frozen } from './slices/slice';
import type { NegotiationTimeline, Perspective } from './timeline';

/** Something due after `asOf` (contract v1.1, Deadlines): when, what kind, and the development behind it. */
export type Deadline =
  TariffChangeDue | TariffThreatDue | TradeMeasureChangeDue | TalksRoundDue | AgreementEffectiveDue;

interface Due {
  readonly at: Instant;
  readonly eventId: string;
}

export interface TariffChangeDue extends Due {
  readonly kind: 'tariff-change';
  readonly imposedBy: string;
  readonly appliedTo: string;
  readonly measure: string;
  readonly rate: number;
  readonly coverage: Coverage;
  /** A temporary rate's expiry. */
  readonly reversion: boolean;
}

export interface TariffThreatDue extends Omit<TariffChangeDue, 'kind' | 'reversion'> {
  readonly kind: 'tariff-threat';
  readonly modality: 'threatened' | 'considered';
}

export interface TradeMeasureChangeDue extends Due {
  readonly kind: 'trade-measure-change';
  readonly imposedBy: string;
  readonly appliedTo: readonly string[];
  readonly measure: string;
  readonly action: TradeMeasureAction;
}

export interface TalksRoundDue extends Due {
  readonly kind: 'talks-round';
}

export interface AgreementEffectiveDue extends Due {
  readonly kind: 'agreement-effective';
  readonly parties: readonly string[];
  readonly summary: string;
}

const deadlineOrder = (a: Deadline, b: Deadline): number =>
  byString(a.at, b.at) ||
  byString(a.kind, b.kind) ||
  byString('measure' in a ? a.measure : '', 'measure' in b ? b.measure : '') ||
  byString(a.eventId, b.eventId);

/**
 * What is due after the perspective's `asOf`, up to `to` (null: no end), by `at` then `kind`: the
 * tariff steps scheduled (reversions included), the threatened and considered tariff changes with
 * a date, the trade measure changes scheduled, the next round of talks and the agreements not yet
 * in effect, all as the state as of `asOf` (known at `knownAt`) has them.
 */
export function deadlinesOf(
  timeline: NegotiationTimeline,
  perspective: Perspective,
  to: Instant | null,
): Deadline[] {
  const { asOf } = perspective;
  const state = timeline.stateAt(perspective);
  const due: Deadline[] = [];
  const inRange = (at: Instant | null): at is Instant =>
    at !== null && at > asOf && (to === null || at <= to);
  for (const { imposedBy, appliedTo, scheduled, threatened, considered } of state.tariffs) {
    for (const line of scheduled) {
      if (!inRange(line.effectiveAt)) continue;
      const { measure, rate, coverage, eventId } = line;
      due.push({
        at: line.effectiveAt,
        kind: 'tariff-change',
        eventId,
        imposedBy,
        appliedTo,
        measure,
        rate,
        coverage,
        reversion: line.reversion === true,
      });
    }
    for (const [modality, lines] of [
      ['threatened', threatened],
      ['considered', considered],
    ] as const) {
      for (const { effectiveAt, eventId, measure, rate, coverage } of lines) {
        if (!inRange(effectiveAt)) continue;
        due.push({
          at: effectiveAt,
          kind: 'tariff-threat',
          eventId,
          imposedBy,
          appliedTo,
          measure,
          rate,
          coverage,
          modality,
        });
      }
    }
  }
  for (const { imposedBy, appliedTo, measure, scheduled } of state.tradeMeasures) {
    for (const { effectiveAt, eventId, action } of scheduled) {
      if (inRange(effectiveAt))
        due.push({
          at: effectiveAt,
          kind: 'trade-measure-change',
          eventId,
          imposedBy,
          appliedTo,
          measure,
          action,
        });
    }
  }
  due.push(...talksAndAgreementsDue(timeline, perspective, state, inRange));
  return due.sort(deadlineOrder).map((item) => frozen(item));
}

/**
 * The next round and the agreements not yet in effect: the state says when, the log which
 * development (the latest TalksScheduled for that time; each AgreementReached).
 */
function talksAndAgreementsDue(
  timeline: NegotiationTimeline,
  { asOf, knownAt, minEvidence }: Perspective,
  state: NegotiationState,
  inRange: (at: Instant | null) => at is Instant,
): Deadline[] {
  const due: Deadline[] = [];
  const listed = (type: string) =>
    timeline
      .list({
        to: asOf,
        types: new Set([type]),
        knownAt,
        includeRetracted: false,
        limit: Infinity,
        ...(minEvidence === undefined ? {} : { minEvidence }),
      })
      .items.map((item) => item.development);
  const nextRoundAt = state.talks.nextRoundAt;
  if (inRange(nextRoundAt)) {
    const scheduling = listed('TalksScheduled').filter(
      (d) => d.type === 'TalksScheduled' && d.data.scheduledFor === nextRoundAt,
    );
    const last = scheduling[scheduling.length - 1];
    if (last) due.push({ at: nextRoundAt, kind: 'talks-round', eventId: last.eventId });
  }
  for (const d of listed('AgreementReached')) {
    if (d.type !== 'AgreementReached') continue;
    const effectiveAt = d.data.effectiveAt ?? null;
    if (!inRange(effectiveAt)) continue;
    due.push({
      at: effectiveAt,
      kind: 'agreement-effective',
      eventId: d.eventId,
      parties: d.data.parties,
      summary: d.data.summary,
    });
  }
  return due;
}
