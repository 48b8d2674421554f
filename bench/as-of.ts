import type { Instant, RecordedDevelopment } from '@parley/domain';
import { toInstant } from '@parley/domain';
import { NegotiationTimeline } from '@parley/projections';
import { latency, nowMs, round, seeded, timeEach } from './stats';
import type { Latency } from './stats';

export interface AsOfLevel {
  events: number;
  /** Time to append the stream to an empty timeline (what start-up catch-up does per negotiation). */
  loadMs: number;
  /** The first query after loading, which builds what later ones reuse. */
  firstQueryMs: number;
  randomAsOf: Latency;
  nearEnd: Latency;
  withKnownAt: Latency;
  /** Size of the answer at the end of the history. */
  stateAtEnd: {
    proposals: number;
    demands: number;
    agreements: number;
    tariffPairs: number;
    jsonKb: number;
  };
}

const iso = (ms: number): Instant => toInstant(ms);

/**
 * (4) As-of state queries (timeline.stateAt, what GET /negotiations/:id/state runs) over one
 * negotiation of `stream.length` developments: a random asOf over its whole valid time; an asOf
 * in its last day; and a random knownAt over its transaction time with a random asOf up to it.
 */
export function benchAsOf(
  stream: readonly RecordedDevelopment[],
  quick: boolean,
  seed = 4,
): AsOfLevel {
  const queries = quick ? 400 : 2000;
  const budgetMs = quick ? 4000 : 15000;
  const rnd = seeded(seed + stream.length);
  let start = nowMs();
  const timeline = new NegotiationTimeline(stream[0]!.negotiationId);
  if (!timeline.append(stream)) throw new Error('gap in the generated stream');
  const loadMs = nowMs() - start;
  const first = Date.parse(stream[0]!.occurredAt);
  let last = first;
  for (const d of stream) last = Math.max(last, Date.parse(d.occurredAt));
  const firstRecorded = Date.parse(stream[0]!.recordedAt);
  const lastRecorded = Date.parse(stream[stream.length - 1]!.recordedAt);

  start = nowMs();
  const end = timeline.stateAt({ asOf: iso(last), knownAt: null });
  const firstQueryMs = nowMs() - start;

  const perspectives = (kind: 'random' | 'end' | 'known') =>
    Array.from({ length: queries }, () => {
      if (kind === 'random') return { asOf: iso(first + rnd() * (last - first)), knownAt: null };
      if (kind === 'end') return { asOf: iso(last - rnd() * 86_400_000), knownAt: null };
      const known = firstRecorded + rnd() * (lastRecorded - firstRecorded);
      return { asOf: iso(first + rnd() * (known - first)), knownAt: iso(known) };
    });
  let sink = 0;
  const measure = (kind: 'random' | 'end' | 'known'): Latency => {
    const list = perspectives(kind);
    // Warm up on a few of them, then time every query.
    for (let i = 0; i < Math.min(20, list.length); i++) sink += timeline.stateAt(list[i]!).revision;
    return latency(
      timeEach((i) => (sink += timeline.stateAt(list[i]!).revision), list.length, budgetMs),
    );
  };
  const randomAsOf = measure('random');
  const nearEnd = measure('end');
  const withKnownAt = measure('known');
  if (sink === -1) console.log(sink);
  return {
    events: stream.length,
    loadMs: round(loadMs, 1),
    firstQueryMs: round(firstQueryMs, 2),
    randomAsOf,
    nearEnd,
    withKnownAt,
    stateAtEnd: {
      proposals: end.proposals.length,
      demands: end.demands.length,
      agreements: end.agreements.length,
      tariffPairs: end.tariffs.length,
      jsonKb: round(JSON.stringify(end).length / 1024, 0),
    },
  };
}
