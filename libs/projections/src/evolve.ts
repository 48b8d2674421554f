import type {
  DevelopmentOf,
  Instant,
  Party,
  RecordedDevelopment,
  TradeMeasureAction,
  TradeMeasureKind,
} from '@parley/domain';
import { assertNever, demandKey } from '@parley/domain';
import type {
  Agreement,
  Demand,
  NegotiationState,
  Proposal,
  StanceItem,
  Talks,
  TariffLine,
  TariffPair,
  TradeMeasureItem,
} from './negotiation-state';

/**
 * A change to a tariff line or trade measure, in fold order. Changes that took effect before the
 * fold reached them are "settled" into one winner per line; the rest stay "pending", so a line
 * costs O(changes not yet effective) to read, however long its history.
 */
interface Change<T> {
  effectiveAt: Instant;
  value: T;
}

interface ChangeHistory<T> {
  settled: Change<T> | null;
  /** Not yet effective at the fold's watermark, in fold order, at most one per `effectiveAt`. */
  pending: Change<T>[];
}

interface TariffValue {
  rate: number;
  coverage: TariffLine['coverage'];
  eventId: string;
}

interface TradeMeasureValue {
  appliedTo: string[];
  kind: TradeMeasureKind;
  action: TradeMeasureAction;
  eventId: string;
}

/**
 * The state of play as the fold builds it. `evolve` updates it in place for speed (a fold is
 * over millions of events); it never escapes a fold except through `cloneFold` and `viewAt`.
 */
export interface FoldState {
  negotiationId: string;
  title: string;
  parties: Map<string, Party>;
  /** Tariff lines by pair key, then by measure. */
  tariffs: Map<string, Map<string, ChangeHistory<TariffValue>>>;
  tradeMeasures: Map<string, { imposedBy: string; measure: string; history: ChangeHistory<TradeMeasureValue> }>;
  talks: Talks;
  proposals: Map<string, Proposal>;
  stances: Map<string, StanceItem>;
  demands: Map<string, Demand>;
  agreements: Agreement[];
}

export function initialFoldState(negotiationId: string): FoldState {
  return {
    negotiationId,
    title: '',
    parties: new Map(),
    tariffs: new Map(),
    tradeMeasures: new Map(),
    talks: { status: 'none', since: null, rounds: 0, lastRoundAt: null, nextRoundAt: null },
    proposals: new Map(),
    stances: new Map(),
    demands: new Map(),
    agreements: [],
  };
}

const PAIR_SEPARATOR = '\u0000';

/** Applies one development to the state. Total: it never throws on a stored event. */
export function evolve(state: FoldState, event: RecordedDevelopment): FoldState {
  switch (event.type) {
    case 'NegotiationOpened':
      state.title = event.data.title;
      for (const party of event.data.parties) state.parties.set(party.code, { ...party });
      break;
    case 'PartyJoined':
      if (!state.parties.has(event.data.party.code)) {
        state.parties.set(event.data.party.code, { ...event.data.party });
      }
      break;
    case 'TariffChanged':
      evolveTariff(state, event);
      break;
    case 'TradeMeasureChanged':
      evolveTradeMeasure(state, event);
      break;
    case 'ProposalMade': {
      const d = event.data;
      state.proposals.set(d.proposalId, {
        proposalId: d.proposalId,
        by: d.by,
        to: [...d.to],
        subject: d.subject,
        summary: d.summary,
        terms: d.terms ? [...d.terms] : [],
        status: 'proposed',
        counterProposalId: null,
        madeAt: event.occurredAt,
        updatedAt: event.occurredAt,
      });
      break;
    }
    case 'ProposalResponded': {
      const proposal = state.proposals.get(event.data.proposalId);
      if (proposal) {
        state.proposals.set(proposal.proposalId, {
          ...proposal,
          status: event.data.response,
          counterProposalId: event.data.counterProposalId ?? proposal.counterProposalId,
          updatedAt: event.occurredAt,
        });
      }
      break;
    }
    case 'TalksScheduled':
      state.talks = {
        ...state.talks,
        status: 'scheduled',
        since: event.occurredAt,
        nextRoundAt: event.data.scheduledFor,
      };
      break;
    case 'TalksHeld':
      state.talks = {
        status: talksStatusAfterRound(event.data.outcome),
        since: event.occurredAt,
        rounds: state.talks.rounds + 1,
        lastRoundAt: event.occurredAt,
        nextRoundAt: null,
      };
      break;
    case 'TalksStatusChanged':
      state.talks = { ...state.talks, status: event.data.status, since: event.occurredAt };
      break;
    case 'StatementMade':
      if (event.data.stance) {
        state.stances.set(event.data.party, {
          party: event.data.party,
          stance: event.data.stance,
          speaker: event.data.speaker,
          at: event.occurredAt,
        });
      }
      break;
    case 'DemandMade': {
      const { by, of, issue, summary } = event.data;
      const key = demandKey(by, of, issue);
      const existing = state.demands.get(key);
      // Repeating an open demand restates it; making it again after it was resolved reopens it.
      const madeAt = existing?.status === 'open' ? existing.madeAt : event.occurredAt;
      state.demands.set(key, { by, of, issue, summary, status: 'open', madeAt, resolvedAt: null });
      break;
    }
    case 'DemandResolved': {
      const key = demandKey(event.data.by, event.data.of, event.data.issue);
      const demand = state.demands.get(key);
      if (demand?.status === 'open') {
        state.demands.set(key, { ...demand, status: 'resolved', resolvedAt: event.occurredAt });
      }
      break;
    }
    case 'AgreementReached':
      state.agreements.push({
        parties: [...event.data.parties],
        summary: event.data.summary,
        terms: event.data.terms ? [...event.data.terms] : [],
        at: event.occurredAt,
        effectiveAt: event.data.effectiveAt ?? null,
      });
      state.talks = { ...state.talks, status: 'agreement-reached', since: event.occurredAt };
      break;
    case 'DevelopmentRetracted':
      // A retraction acts through the selection of events to fold, not as a change of state.
      break;
    default:
      assertNever(event);
  }
  return state;
}

function talksStatusAfterRound(outcome: DevelopmentOf<'TalksHeld'>['data']['outcome']): Talks['status'] {
  switch (outcome) {
    case undefined:
    case 'progress':
      return 'ongoing';
    case 'no-result':
      return 'stalled';
    case 'agreement':
      return 'agreement-reached';
    case 'breakdown':
      return 'collapsed';
    default:
      return assertNever(outcome);
  }
}

/**
 * Records a change in fold order. `watermark` is the `occurredAt` of the event being folded:
 * every later fold step is at or after it, so a change effective by then can never be
 * scheduled again and only the latest such change matters.
 */
function recordChange<T>(history: ChangeHistory<T>, change: Change<T>, watermark: Instant): void {
  const sameDay = history.pending.findIndex((p) => p.effectiveAt === change.effectiveAt);
  if (sameDay >= 0) history.pending.splice(sameDay, 1);
  history.pending.push(change);
  if (history.pending.some((p) => p.effectiveAt <= watermark)) {
    const stillPending: Change<T>[] = [];
    for (const p of history.pending) {
      if (p.effectiveAt > watermark) stillPending.push(p);
      else if (!history.settled || p.effectiveAt >= history.settled.effectiveAt) history.settled = p;
    }
    history.pending = stillPending;
  }
}

/** The change in effect at `asOf` (ties on `effectiveAt` go to the later in fold order). */
function effectiveChange<T>(history: ChangeHistory<T>, asOf: Instant): Change<T> | null {
  let best = history.settled;
  for (const p of history.pending) {
    if (p.effectiveAt <= asOf && (!best || p.effectiveAt >= best.effectiveAt)) best = p;
  }
  return best;
}

function evolveTariff(state: FoldState, event: DevelopmentOf<'TariffChanged'> & RecordedDevelopment): void {
  const d = event.data;
  const pairKey = d.imposedBy + PAIR_SEPARATOR + d.appliedTo;
  let lines = state.tariffs.get(pairKey);
  if (!lines) state.tariffs.set(pairKey, (lines = new Map<string, ChangeHistory<TariffValue>>()));
  let history = lines.get(d.measure);
  if (!history) lines.set(d.measure, (history = { settled: null, pending: [] }));
  recordChange(
    history,
    { effectiveAt: d.effectiveAt, value: { rate: d.rate, coverage: d.coverage, eventId: event.eventId } },
    event.occurredAt,
  );
}

function evolveTradeMeasure(
  state: FoldState,
  event: DevelopmentOf<'TradeMeasureChanged'> & RecordedDevelopment,
): void {
  const d = event.data;
  const key = d.imposedBy + PAIR_SEPARATOR + d.measure;
  let item = state.tradeMeasures.get(key);
  if (!item) {
    item = { imposedBy: d.imposedBy, measure: d.measure, history: { settled: null, pending: [] } };
    state.tradeMeasures.set(key, item);
  }
  recordChange(
    item.history,
    {
      effectiveAt: d.effectiveAt,
      value: { appliedTo: [...d.appliedTo], kind: d.kind, action: d.action, eventId: event.eventId },
    },
    event.occurredAt,
  );
}

/** A copy that shares nothing mutable with the original, for snapshots. */
export function cloneFold(state: FoldState): FoldState {
  const cloneHistory = <T>(h: ChangeHistory<T>): ChangeHistory<T> => ({
    settled: h.settled,
    pending: [...h.pending],
  });
  return {
    ...state,
    parties: new Map(state.parties),
    tariffs: new Map(
      [...state.tariffs].map(([pair, lines]) => [
        pair,
        new Map([...lines].map(([measure, h]) => [measure, cloneHistory(h)])),
      ]),
    ),
    tradeMeasures: new Map(
      [...state.tradeMeasures].map(([key, item]) => [key, { ...item, history: cloneHistory(item.history) }]),
    ),
    proposals: new Map(state.proposals),
    stances: new Map(state.stances),
    demands: new Map(state.demands),
    agreements: [...state.agreements],
  };
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The answer the contract gives for a folded state at `asOf`, in the contract's order. */
export function viewAt(
  state: FoldState,
  asOf: Instant,
  knownAt: Instant | null,
  revision: number,
): NegotiationState {
  return {
    negotiationId: state.negotiationId,
    title: state.title,
    asOf,
    knownAt,
    revision,
    parties: [...state.parties.values()].map((p) => ({ ...p })),
    tariffs: viewTariffs(state, asOf),
    tradeMeasures: viewTradeMeasures(state, asOf),
    talks: { ...state.talks },
    proposals: [...state.proposals.values()]
      .sort((a, b) => byString(a.madeAt, b.madeAt) || byString(a.proposalId, b.proposalId))
      .map((p) => ({ ...p, to: [...p.to], terms: [...p.terms] })),
    stances: [...state.stances.values()].sort((a, b) => byString(a.party, b.party)).map((s) => ({ ...s })),
    demands: [...state.demands.values()]
      .sort((a, b) => byString(a.madeAt, b.madeAt) || byString(a.issue, b.issue))
      .map((d) => ({ ...d })),
    agreements: state.agreements.map((a) => ({ ...a, parties: [...a.parties], terms: [...a.terms] })),
  };
}

function viewTariffs(state: FoldState, asOf: Instant): TariffPair[] {
  const pairs: TariffPair[] = [];
  for (const [pairKey, lines] of state.tariffs) {
    const [imposedBy = '', appliedTo = ''] = pairKey.split(PAIR_SEPARATOR);
    const measures: TariffLine[] = [];
    const scheduled: TariffLine[] = [];
    for (const [measure, history] of lines) {
      const active = effectiveChange(history, asOf);
      if (active && active.value.rate !== 0) measures.push(tariffLine(measure, active));
      for (const p of history.pending) {
        if (p.effectiveAt > asOf) scheduled.push(tariffLine(measure, p));
      }
    }
    if (measures.length === 0 && scheduled.length === 0) continue;
    const order = (a: TariffLine, b: TariffLine): number =>
      byString(a.measure, b.measure) || byString(a.effectiveAt, b.effectiveAt);
    measures.sort(order);
    scheduled.sort(order);
    const total = measures.reduce((sum, l) => (l.coverage === 'all-goods' ? sum + l.rate : sum), 0);
    pairs.push({ imposedBy, appliedTo, total, measures, scheduled });
  }
  return pairs.sort((a, b) => byString(a.imposedBy, b.imposedBy) || byString(a.appliedTo, b.appliedTo));
}

function tariffLine(measure: string, change: Change<TariffValue>): TariffLine {
  return {
    measure,
    rate: change.value.rate,
    coverage: change.value.coverage,
    effectiveAt: change.effectiveAt,
    eventId: change.value.eventId,
  };
}

function viewTradeMeasures(state: FoldState, asOf: Instant): TradeMeasureItem[] {
  const items: TradeMeasureItem[] = [];
  for (const { imposedBy, measure, history } of state.tradeMeasures.values()) {
    const active = effectiveChange(history, asOf);
    const scheduled = history.pending
      .filter((p) => p.effectiveAt > asOf)
      .sort((a, b) => byString(a.effectiveAt, b.effectiveAt));
    const describedBy = active ?? scheduled[0];
    if (!describedBy) continue;
    items.push({
      imposedBy,
      appliedTo: [...describedBy.value.appliedTo],
      measure,
      kind: describedBy.value.kind,
      status: active ? active.value.action : null,
      effectiveAt: active ? active.effectiveAt : null,
      eventId: active ? active.value.eventId : null,
      scheduled: scheduled.map((p) => ({
        action: p.value.action,
        effectiveAt: p.effectiveAt,
        eventId: p.value.eventId,
      })),
    });
  }
  return items.sort((a, b) => byString(a.imposedBy, b.imposedBy) || byString(a.measure, b.measure));
}
