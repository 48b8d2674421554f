import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { send, startServer } from './http';
import { onDatabase, scratchSchema } from './postgres';
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
  /** The server's CPU time (user + system) over the posts it answered, in ms: what one post costs it. */
  serverCpuMsPerPost: number;
}

export interface IngestResult {
  levels: IngestLevel[];
  /** Every acknowledged event found in the store after the server stopped. */
  durable: boolean;
}

/** The store the server runs on: a SQLite file, or a fresh schema of the PostgreSQL database at the URL. */
export type IngestStore = { kind: 'sqlite' } | { kind: 'postgres'; databaseUrl: string };

/**
 * (2) Single-event POSTs over loopback from 1, 16 and 64 concurrent clients, all to one
 * negotiation (the hardest case: one negotiation's decisions are serialised), against the real
 * app in its own process on a real SQLite file (or on PostgreSQL).
 */
export async function benchHttpIngest(
  quick: boolean,
  clientCounts = [1, 16, 64],
  on: IngestStore = { kind: 'sqlite' },
): Promise<IngestResult> {
  const seconds = quick ? 3 : 8;
  const warmupSeconds = quick ? 1 : 2;
  const scratch = scratchDir('ingest');
  // The file is the store's on SQLite; on PostgreSQL only the server's log goes beside it.
  const dbPath = `${scratch.dir}/parley.db`;
  const schema = on.kind === 'postgres' ? await scratchSchema(on.databaseUrl, 'ingest') : undefined;
  const server = await startServer(
    dbPath,
    undefined,
    schema ? { EVENT_STORE: 'postgres', DATABASE_URL: schema.connectionString } : {},
  );
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
      const driven = await drive({
        agent,
        baseUrl: server.baseUrl,
        path: `/negotiations/${negotiationId}/events`,
        bodies,
        clients,
        seconds,
        warmupSeconds,
        pid: server.report.pid,
      });
      agent.destroy();
      levels.push({ clients, ...driven, stored: 0 });
    }
  } finally {
    await server.stop();
  }
  // Durability: every acknowledged event is in the store once the server is gone.
  const streamOfLevel = (index: number, level: IngestLevel): string =>
    `negotiation-ingest-${index + 1}-${level.clients}`;
  let durable = true;
  if (schema && on.kind === 'postgres') {
    await onDatabase(on.databaseUrl, async (client) => {
      for (const [index, level] of levels.entries()) {
        const { rows } = await client.query<{ n: string }>(
          `SELECT COUNT(*) AS n FROM ${schema.schema}.parley_events WHERE stream = $1 AND revision > 0`,
          [streamOfLevel(index, level)],
        );
        level.stored = Number(rows[0]!.n);
      }
    });
    await schema.remove();
  } else {
    const db = new Database(dbPath, { readonly: true });
    for (const [index, level] of levels.entries()) {
      const row = db
        .prepare('SELECT COUNT(*) AS n FROM events WHERE stream = ? AND revision > 0')
        .get(streamOfLevel(index, level)) as { n: number };
      level.stored = row.n;
    }
    db.close();
  }
  for (const level of levels) if (level.stored < level.acknowledged) durable = false;
  scratch.remove();
  return { levels, durable };
}

/** What one level of load measured: posts answered 201 per second while measuring, and so on. */
type Driven = Omit<IngestLevel, 'clients' | 'stored'>;

/**
 * `clients` concurrent clients, each posting the next body as soon as its previous post is
 * answered, for a warm-up then `seconds` measured; `pid` is the server's, for its CPU.
 */
async function drive(run: {
  agent: Agent;
  baseUrl: string;
  path: string;
  bodies: readonly string[];
  clients: number;
  seconds: number;
  warmupSeconds: number;
  pid: number;
}): Promise<Driven> {
  const { agent, baseUrl, path, bodies, clients } = run;
  let next = 0;
  let errors = 0;
  let acknowledged = 0;
  let firstError = '';
  const samples: number[] = [];
  let measuredCount = 0;
  const serverCpuBefore = cpuSeconds(run.pid);
  const clientCpuBefore = process.cpuUsage();
  const begin = nowMs();
  const measureFrom = begin + run.warmupSeconds * 1000;
  const deadline = measureFrom + run.seconds * 1000;
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
        const answer = await send(agent, baseUrl, 'POST', path, body);
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
  const serverCpuSeconds = cpuSeconds(run.pid) - serverCpuBefore;
  const serverCpu = serverCpuSeconds / wallSeconds;
  const clientUsage = process.cpuUsage(clientCpuBefore);
  const clientCpu = (clientUsage.user + clientUsage.system) / 1e6 / wallSeconds;
  if (firstError) console.error(`  ${clients} clients on ${path}: first error ${firstError}`);
  const measuredSeconds = (Math.min(measureEnd, deadline) - measureFrom) / 1000;
  return {
    eventsPerSec: round(measuredCount / measuredSeconds, 0),
    latencyMs: latency(samples),
    acknowledged,
    errors,
    serverCpu: round(serverCpu, 2),
    clientCpu: round(clientCpu, 2),
    serverCpuMsPerPost: round((serverCpuSeconds * 1000) / Math.max(1, acknowledged + errors), 3),
  };
}

/**
 * The bare durable server (bench/bare-server.ts) under the same load as Parley's 64 clients: the
 * same generated development bodies, one per POST, over loopback, on a fresh SQLite file. The
 * level's `stored` is the rows in its file afterwards (every acknowledged post must be there).
 */
export async function benchBareIngest(quick: boolean, clients = 64): Promise<IngestLevel> {
  const seconds = quick ? 3 : 8;
  const warmupSeconds = quick ? 1 : 2;
  const scratch = scratchDir('bare');
  const dbPath = `${scratch.dir}/bare.db`;
  const child = spawn(
    process.execPath,
    ['-r', join(__dirname, '../test/support/register-ts.js'), join(__dirname, 'bare-server.ts')],
    { env: { ...process.env, SQLITE_PATH: dbPath }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  try {
    const { port, pid } = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bare server exited (${code})`)));
      child.once('message', (m) => resolve(m as { port: number; pid: number }));
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    const budget = Math.ceil((seconds + warmupSeconds) * 15000);
    const stream = generateNegotiation({
      events: budget + 1,
      seed: 900 + clients,
      negotiationId: 'bare',
    });
    const bodies = stream.slice(1).map((d) => JSON.stringify(envelopeBody(d)));
    const agent = new Agent({ keepAlive: true, maxSockets: clients });
    await Promise.all(Array.from({ length: clients }, () => send(agent, baseUrl, 'GET', '/')));
    const driven = await drive({
      agent,
      baseUrl,
      path: '/negotiations/bare/events',
      bodies,
      clients,
      seconds,
      warmupSeconds,
      pid,
    });
    agent.destroy();
    await new Promise<void>((done) => {
      child.removeAllListeners('exit');
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
    const db = new Database(dbPath, { readonly: true });
    const stored = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    db.close();
    return { clients, ...driven, stored };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    scratch.remove();
  }
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
