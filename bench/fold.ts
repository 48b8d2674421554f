import type { RecordedDevelopment } from '@parley/domain';
import { evolve, initialFoldState } from '@parley/projections';
import { nowMs, round } from './stats';

export interface FoldResult {
  events: number;
  /** evolve() over the whole negotiation in valid-time order, retracted ones left out: the pure projection. */
  eventsPerSec: number;
  /** Best of the runs, for reference. */
  bestEventsPerSec: number;
}

/** The developments a full fold visits, in the order it visits them (NegotiationOpened first). */
export function foldOrder(stream: readonly RecordedDevelopment[]): RecordedDevelopment[] {
  const retracted = new Set<string>();
  for (const d of stream)
    if (d.type === 'DevelopmentRetracted') retracted.add(d.data.targetEventId);
  const rest = stream
    .slice(1)
    .filter((d) => !retracted.has(d.eventId))
    .sort((a, b) =>
      a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.revision - b.revision,
    );
  return [stream[0]!, ...rest];
}

/** (3) Pure fold throughput: median of several runs of evolve() over a generated negotiation. */
export function benchFold(stream: readonly RecordedDevelopment[], quick: boolean): FoldResult {
  const ordered = foldOrder(stream);
  const negotiationId = stream[0]!.negotiationId;
  const runs = quick ? 9 : 21;
  const rates: number[] = [];
  for (let run = 0; run < runs + 2; run++) {
    const start = nowMs();
    let state = initialFoldState(negotiationId);
    for (const d of ordered) state = evolve(state, d);
    const ms = nowMs() - start;
    if (run >= 2) rates.push(ordered.length / (ms / 1000)); // two warm-up runs
  }
  rates.sort((a, b) => a - b);
  return {
    events: ordered.length,
    eventsPerSec: round(rates[Math.floor(rates.length / 2)]!, 0),
    bestEventsPerSec: round(rates[rates.length - 1]!, 0),
  };
}
