import { SqliteEventStore } from '@parley/event-store';
import { Agent } from 'node:http';
import { streamOf } from '../apps/api/src/store/development-envelope';
import { send, startServer } from './http';
import { latency, nowMs, round, seeded } from './stats';
import type { Latency } from './stats';
import { generateNegotiation, scratchDir, storeEvent } from './workload';

/** Reads across negotiations over HTTP (contract v1.1), beside one negotiation's read in the same run. */
export interface AcrossResult {
  negotiations: number;
  eventsEach: number;
  /** GET /negotiations/:id/tariffs at a random asOf, the negotiation taken in turn. */
  oneTariffs: Latency;
  /** GET /tariffs at a random asOf: every pair of every negotiation. */
  acrossTariffs: Latency;
  /** GET /deadlines at a random asOf. */
  acrossDeadlines: Latency;
  /** acrossTariffs p50 over oneTariffs p50 (the target: at most the number of negotiations). */
  ratio: number;
}

/**
 * (8) `GET /tariffs` and `GET /deadlines` over `negotiations` negotiations of `eventsEach`
 * developments each, stored in one SQLite file and served by one server, beside a single
 * negotiation's `GET …/tariffs`, alternated so both see the same load and warm code.
 */
export async function benchAcross(
  negotiations: number,
  eventsEach: number,
  quick: boolean,
): Promise<AcrossResult> {
  const scratch = scratchDir('across');
  const dbPath = `${scratch.dir}/parley.db`;
  const store = new SqliteEventStore({ path: dbPath });
  let first = Infinity;
  let last = -Infinity;
  const ids: string[] = [];
  for (let n = 0; n < negotiations; n++) {
    const id = `across-${String(n).padStart(3, '0')}`;
    ids.push(id);
    const stream = generateNegotiation({ events: eventsEach, seed: 900 + n, negotiationId: id });
    first = Math.min(first, Date.parse(stream[0]!.occurredAt));
    last = Math.max(last, Date.parse(stream[stream.length - 1]!.occurredAt));
    let revision: number | 'no-stream' = 'no-stream';
    for (let i = 0; i < stream.length; i += 1000) {
      revision = (
        await store.append(streamOf(id), stream.slice(i, i + 1000).map(storeEvent), revision)
      ).revision;
    }
  }
  await store.close();
  const server = await startServer(dbPath);
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const rnd = seeded(91);
    const samples = { one: [] as number[], tariffs: [] as number[], deadlines: [] as number[] };
    let turn = 0;
    const ask = async (kind: keyof typeof samples, record: boolean) => {
      const asOf = new Date(first + rnd() * (last - first)).toISOString();
      const path =
        kind === 'one'
          ? `/negotiations/${ids[turn++ % ids.length]}/tariffs?asOf=${asOf}`
          : `/${kind}?asOf=${asOf}`;
      const t = nowMs();
      const answer = await send(agent, server.baseUrl, 'GET', path);
      const ms = nowMs() - t;
      if (answer.status !== 200)
        throw new Error(`GET ${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
      if (record) samples[kind].push(ms);
    };
    // Warm-up: the first answers build each negotiation's snapshots.
    for (let i = 0; i < 3; i++) {
      await ask('tariffs', false);
      await ask('deadlines', false);
    }
    for (let i = 0; i < negotiations; i++) await ask('one', false);
    const rounds = quick ? 15 : 60;
    const budgetEnd = nowMs() + (quick ? 10_000 : 45_000);
    for (let i = 0; i < rounds && (i < 5 || nowMs() < budgetEnd); i++) {
      for (let j = 0; j < 5; j++) await ask('one', true);
      await ask('tariffs', true);
      await ask('deadlines', true);
    }
    agent.destroy();
    const oneTariffs = latency(samples.one);
    const acrossTariffs = latency(samples.tariffs);
    return {
      negotiations,
      eventsEach,
      oneTariffs,
      acrossTariffs,
      acrossDeadlines: latency(samples.deadlines),
      ratio: round(acrossTariffs.p50 / oneTariffs.p50, 1),
    };
  } finally {
    await server.stop();
    scratch.remove();
  }
}
