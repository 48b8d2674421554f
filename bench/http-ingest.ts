import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { send, startServer } from './http';
import { latency, nowMs, round } from './stats';
import type { Latency } from './stats';
import { envelopeBody, generateNegotiation, openingBody, scratchDir } from './workload';

export interface IngestLevel {
  clients: number;
  eventsPerSec: number;
  latencyMs: Latency;
  acknowledged: number;
  /** Answers other than 201 (none expected). */
  errors: number;
  /** Events the store holds for the negotiation after the server stopped, NegotiationOpened excluded. */
  stored: number;
  /** CPU used by the server and by the load generator, in cores (1 = one core busy all the time). */
  serverCpu: number;
  clientCpu: number;
}

export interface IngestResult {
  levels: IngestLevel[];
  /** Every acknowledged event found in the store after the server stopped. */
  durable: boolean;
}

/**
 * (2) Single-event POSTs over loopback from 1, 16 and 64 concurrent clients, all to one
 * negotiation (the hardest case: one negotiation's decisions are serialised), against the real
 * app in its own process on a real SQLite file.
 */
export async function benchHttpIngest(
  quick: boolean,
  clientCounts = [1, 16, 64],
): Promise<IngestResult> {
  const seconds = quick ? 3 : 8;
  const warmupSeconds = quick ? 1 : 2;
  const scratch = scratchDir('ingest');
  const dbPath = `${scratch.dir}/parley.db`;
  const server = await startServer(dbPath);
  const levels: IngestLevel[] = [];
  try {
    for (const [level, clients] of clientCounts.entries()) {
      const negotiationId = `ingest-${level + 1}-${clients}`;
      // Enough for ~15k posts/s; a level stops early if it runs out.
      const budget = Math.ceil((seconds + warmupSeconds) * (clients === 1 ? 6000 : 15000));
      const stream = generateNegotiation({
        events: budget + 1,
        seed: 200 + 100 * level + clients,
        negotiationId,
        // Concurrent clients overtake each other: keep dependent developments far enough apart.
        dependencyDistance: Math.max(256, 8 * clients),
      });
      const bodies = stream.slice(1).map((d) => JSON.stringify(envelopeBody(d)));
      const agent = new Agent({ keepAlive: true, maxSockets: clients });
      const opened = await send(
        agent,
        server.baseUrl,
        'POST',
        '/negotiations',
        JSON.stringify(openingBody(stream[0]!)),
      );
      if (opened.status !== 201) throw new Error(`opening failed: ${opened.status} ${opened.body}`);
      // Open every client's connection first, so that none starts late.
      await Promise.all(
        Array.from({ length: clients }, () =>
          send(agent, server.baseUrl, 'GET', `/negotiations/${negotiationId}`),
        ),
      );
      let next = 0;
      let errors = 0;
      let acknowledged = 0;
      let firstError = '';
      const samples: number[] = [];
      let measuredCount = 0;
      const serverCpuBefore = cpuSeconds(server.report.pid);
      const clientCpuBefore = process.cpuUsage();
      const begin = nowMs();
      const measureFrom = begin + warmupSeconds * 1000;
      const deadline = measureFrom + seconds * 1000;
      let measureEnd = deadline;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          for (;;) {
            const now = nowMs();
            if (now >= deadline || next >= bodies.length) {
              if (next >= bodies.length) measureEnd = Math.min(measureEnd, now);
              return;
            }
            const body = bodies[next++]!;
            const t = nowMs();
            const answer = await send(
              agent,
              server.baseUrl,
              'POST',
              `/negotiations/${negotiationId}/events`,
              body,
            );
            const done = nowMs();
            if (answer.status === 201) acknowledged += 1;
            else {
              errors += 1;
              firstError ||= `${answer.status} ${answer.body.slice(0, 300)}`;
            }
            if (t >= measureFrom && done <= deadline) {
              samples.push(done - t);
              measuredCount += 1;
            }
          }
        }),
      );
      const wallSeconds = (nowMs() - begin) / 1000;
      const serverCpu = (cpuSeconds(server.report.pid) - serverCpuBefore) / wallSeconds;
      const clientUsage = process.cpuUsage(clientCpuBefore);
      const clientCpu = (clientUsage.user + clientUsage.system) / 1e6 / wallSeconds;
      agent.destroy();
      if (firstError) console.error(`  ${clients} clients: first error ${firstError}`);
      const measuredSeconds = (Math.min(measureEnd, deadline) - measureFrom) / 1000;
      levels.push({
        clients,
        eventsPerSec: round(measuredCount / measuredSeconds, 0),
        latencyMs: latency(samples),
        acknowledged,
        errors,
        stored: 0,
        serverCpu: round(serverCpu, 2),
        clientCpu: round(clientCpu, 2),
      });
    }
  } finally {
    await server.stop();
  }
  // Durability: every acknowledged event is in the file once the server is gone.
  const db = new Database(dbPath, { readonly: true });
  let durable = true;
  for (const [index, level] of levels.entries()) {
    const row = db
      .prepare('SELECT COUNT(*) AS n FROM events WHERE stream = ? AND revision > 0')
      .get(`negotiation-ingest-${index + 1}-${level.clients}`) as { n: number };
    level.stored = row.n;
    if (row.n < level.acknowledged) durable = false;
  }
  db.close();
  scratch.remove();
  return { levels, durable };
}

/** CPU seconds (user + system) a process has used so far, from /proc (NaN where there is none). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return NaN;
  }
}
