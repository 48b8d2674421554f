import { SqliteEventStore } from '@parley/event-store';
import { Agent } from 'node:http';
import { streamOf } from '../apps/api/src/store/development-envelope';
import { send, startServer } from './http';
import { latency, nowMs, round, seeded } from './stats';
import type { Latency } from './stats';
import { generateNegotiation, scratchDir, storeEvent } from './workload';

export interface StartupResult {
  events: number;
  /** ReadModelSync's own measure: reading every stored event and applying it to the read model. */
  catchUpMs: number;
  /** From process start to listening (module loading and Nest wiring included). */
  toListeningMs: number;
  rssMb: number;
  rssAfterGcMb: number;
  heapMb: number;
  /** After the as-of queries below, which build the snapshots they use. */
  rssAfterQueriesMb: number;
  /** End-to-end as-of queries on that negotiation over HTTP, JSON serialisation included. */
  httpState: Latency;
  httpTariffs: Latency;
  stateKb: number;
}

/** (5) Start-up with `events` developments stored (one negotiation), then as-of GETs over loopback. */
export async function benchStartup(events: number, quick: boolean): Promise<StartupResult> {
  const scratch = scratchDir('startup');
  const dbPath = `${scratch.dir}/parley.db`;
  const stream = generateNegotiation({ events, seed: 500, negotiationId: 'startup' });
  const store = new SqliteEventStore({ path: dbPath });
  let revision: number | 'no-stream' = 'no-stream';
  for (let i = 0; i < stream.length; i += 1000) {
    revision = (
      await store.append(streamOf('startup'), stream.slice(i, i + 1000).map(storeEvent), revision)
    ).revision;
  }
  await store.close();
  const server = await startServer(dbPath);
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const rnd = seeded(55);
    const first = Date.parse(stream[0]!.occurredAt);
    const last = Date.parse(stream[stream.length - 1]!.occurredAt);
    const queries = quick ? 60 : 300;
    const run = async (path: string): Promise<{ lat: Latency; kb: number }> => {
      const samples: number[] = [];
      let kb = 0;
      const budgetEnd = nowMs() + (quick ? 3000 : 10000);
      for (let i = 0; i < queries + 5; i++) {
        const asOf = new Date(first + rnd() * (last - first)).toISOString();
        const t = nowMs();
        const answer = await send(
          agent,
          server.baseUrl,
          'GET',
          `/negotiations/startup/${path}?asOf=${asOf}`,
        );
        if (answer.status !== 200)
          throw new Error(`GET ${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
        if (i >= 5) samples.push(nowMs() - t);
        kb += answer.body.length / 1024;
        if (samples.length >= 20 && nowMs() > budgetEnd) break;
      }
      return { lat: latency(samples), kb: kb / (samples.length + 5) };
    };
    const state = await run('state');
    const tariffs = await run('tariffs');
    const afterQueries = await server.memory();
    agent.destroy();
    const r = server.report;
    return {
      events,
      catchUpMs: r.catchUp?.ms ?? NaN,
      toListeningMs: round(r.toListeningMs, 0),
      rssMb: round(r.rssMb, 0),
      rssAfterGcMb: round(r.rssAfterGcMb, 0),
      heapMb: round(r.heapMb, 0),
      rssAfterQueriesMb: round(afterQueries.rssMb, 0),
      httpState: state.lat,
      httpTariffs: tariffs.lat,
      stateKb: round(state.kb, 0),
    };
  } finally {
    await server.stop();
    scratch.remove();
  }
}
