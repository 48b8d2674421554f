import { SqliteEventStore } from '@parley/event-store';
import { Agent } from 'node:http';
import { streamOf } from '../apps/api/src/store/development-envelope';
import { send, startServer } from './http';
import { latency, nowMs, round, seeded } from './stats';
import type { Latency } from './stats';
import { generateNegotiation, scratchDir, storeEvent } from './workload';

/** One negotiation's as-of GETs over HTTP: a random `asOf` over its valid time each. */
export interface AsOfHttpLevel {
  events: number;
  tariffs: Latency;
  state: Latency;
  /** Mean size of the answers, in KB (JSON, uncompressed: the client asks for no encoding). */
  tariffsKb: number;
  stateKb: number;
}

export interface AsOfHttpResult {
  levels: AsOfHttpLevel[];
  /** p50 of the largest negotiation over p50 of the smallest. */
  tariffsRatio: number;
  stateRatio: number;
}

/**
 * (7) `GET …/tariffs` and `GET …/state` at a random `asOf` over loopback, on negotiations of
 * `sizes` developments stored in one SQLite file and served by one server: the queries go round
 * the negotiations in turn, so that every level sees the same load and the same warm code.
 */
export async function benchAsOfHttp(sizes: number[], quick: boolean): Promise<AsOfHttpResult> {
  const scratch = scratchDir('asof-http');
  const dbPath = `${scratch.dir}/parley.db`;
  const store = new SqliteEventStore({ path: dbPath });
  const spans = new Map<number, { id: string; first: number; last: number }>();
  for (const events of sizes) {
    const id = `asof-${events}`;
    const stream = generateNegotiation({ events, seed: 500 + events, negotiationId: id });
    let revision: number | 'no-stream' = 'no-stream';
    for (let i = 0; i < stream.length; i += 1000) {
      revision = (
        await store.append(streamOf(id), stream.slice(i, i + 1000).map(storeEvent), revision)
      ).revision;
    }
    spans.set(events, {
      id,
      first: Date.parse(stream[0]!.occurredAt),
      last: Date.parse(stream[stream.length - 1]!.occurredAt),
    });
  }
  await store.close();
  const server = await startServer(dbPath);
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const rnd = seeded(77);
    const samples = new Map<string, number[]>();
    const bytes = new Map<string, number>();
    const ask = async (events: number, path: 'tariffs' | 'state', record: boolean) => {
      const span = spans.get(events)!;
      const asOf = new Date(span.first + rnd() * (span.last - span.first)).toISOString();
      const t = nowMs();
      const answer = await send(
        agent,
        server.baseUrl,
        'GET',
        `/negotiations/${span.id}/${path}?asOf=${asOf}`,
      );
      const ms = nowMs() - t;
      if (answer.status !== 200)
        throw new Error(`GET ${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
      if (!record) return;
      const key = `${events} ${path}`;
      samples.set(key, [...(samples.get(key) ?? []), ms]);
      bytes.set(key, (bytes.get(key) ?? 0) + Buffer.byteLength(answer.body));
    };
    // Warm-up: every path on every negotiation (the first answers build the snapshots they use).
    for (let i = 0; i < 20; i++)
      for (const events of sizes)
        for (const path of ['tariffs', 'state'] as const) await ask(events, path, false);
    // One path at a time, so that no small answer pays for the garbage of a large one just before.
    const rounds = quick ? 60 : 300;
    for (const path of ['tariffs', 'state'] as const) {
      const budgetEnd = nowMs() + (quick ? 5_000 : 20_000);
      for (let i = 0; i < rounds && (i < 20 || nowMs() < budgetEnd); i++)
        for (const events of sizes) await ask(events, path, true);
    }
    agent.destroy();
    const levels = sizes.map((events): AsOfHttpLevel => {
      const of = (path: string) => samples.get(`${events} ${path}`) ?? [];
      const kb = (path: string) =>
        round((bytes.get(`${events} ${path}`) ?? 0) / 1024 / Math.max(1, of(path).length), 1);
      return {
        events,
        tariffs: latency(of('tariffs')),
        state: latency(of('state')),
        tariffsKb: kb('tariffs'),
        stateKb: kb('state'),
      };
    });
    const first = levels[0]!;
    const last = levels[levels.length - 1]!;
    return {
      levels,
      tariffsRatio: round(last.tariffs.p50 / first.tariffs.p50, 2),
      stateRatio: round(last.state.p50 / first.state.p50, 2),
    };
  } finally {
    await server.stop();
    scratch.remove();
  }
}
