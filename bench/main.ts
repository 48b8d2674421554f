/**
 * Parley's benchmark: `npm run bench` (about 2-3 minutes), `npm run bench -- --quick` (under a
 * minute), `npm run bench -- --full` (adds a 1M-event history). Prints a table and writes the
 * same figures to bench/results/latest.json. Options: --only=append,ingest,fold,asof,startup,asof-http,across,import,
 * --import-events=N (the batch import's negotiation, 100k by default, 20k with --quick),
 * --clients=1,16,64 (HTTP ingest levels) and --out=<file>. With DATABASE_URL (or
 * --database-url=<url>) set, the raw appends and the HTTP ingest are measured on PostgreSQL too, in
 * a schema of their own on that database, dropped afterwards. A benchmark, not a test: nothing here
 * fails because a machine is slow.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { benchAsOf } from './as-of';
import { benchAcross } from './across';
import type { AcrossResult } from './across';
import { benchAsOfHttp } from './as-of-http';
import type { AsOfHttpResult } from './as-of-http';
import type { AsOfLevel } from './as-of';
import { benchFold } from './fold';
import type { FoldResult } from './fold';
import { benchBareIngest, benchHttpIngest } from './http-ingest';
import { benchImport } from './import';
import type { ImportResult } from './import';
import type { IngestLevel, IngestResult } from './http-ingest';
import { fmt, round, table } from './stats';
import { benchStartup } from './startup';
import type { StartupResult } from './startup';
import { aPostgresStore, benchBatchOfOne, benchStoreAppend } from './store-append';
import type { StoreAppendResult } from './store-append';
import { generateNegotiation } from './workload';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(`--${name}`);
const option = (name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = flag('quick');
const full = flag('full');
const only = option('only')?.split(',');
const wants = (section: string): boolean => !only || only.includes(section);
const out = resolve(option('out') ?? join(__dirname, 'results/latest.json'));
const databaseUrl = option('database-url') ?? process.env.DATABASE_URL;

interface Target {
  target: string;
  value: string;
  met: boolean;
}

async function main(): Promise<void> {
  const began = Date.now();
  const loadBefore = loadavg();
  const cpuBefore = machineCpu();
  const sizes = full ? [1_000, 10_000, 100_000, 1_000_000] : [1_000, 10_000, 100_000];
  const results: {
    storeAppend?: StoreAppendResult;
    httpIngest?: IngestResult & { ratio64ToRawBatch1?: number };
    /**
     * The bare durable server (bench/bare-server.ts: node:http + better-sqlite3, one fsync per
     * request) under Parley's 64-client load, just before and just after Parley's levels; the
     * ratio is Parley's 64 clients over the mean of the two.
     */
    bareIngest?: {
      before: IngestLevel;
      after: IngestLevel;
      durable: boolean;
      ratio64ToBare?: number;
    };
    fold?: FoldResult & { million?: FoldResult };
    asOf?: AsOfLevel[] & { ratio?: never };
    asOfRatios?: { randomAsOf: number; nearEnd: number; withKnownAt: number };
    asOfRatiosMillion?: { randomAsOf: number; nearEnd: number; withKnownAt: number };
    startup?: StartupResult;
    /** GET …/tariffs and …/state at a random asOf over HTTP, on 1k and 100k developments. */
    asOfHttp?: AsOfHttpResult;
    /** GET /tariffs and GET /deadlines over 100 negotiations of 1k, beside one negotiation's GET …/tariffs. */
    across?: AcrossResult;
    /** Batch import over HTTP, random valid-time order and sorted, 1,000 per batch. */
    import?: ImportResult;
    /** The same raw appends and HTTP ingest on PostgreSQL, when a DATABASE_URL is given. */
    postgres?: {
      storeAppend?: StoreAppendResult;
      httpIngest?: IngestResult & { ratio64ToRawBatch1?: number };
    };
  } = {};
  const log = (text: string): void => void process.stderr.write(`${text}\n`);

  // The CPU-only measures first, on a quiet heap; then the ones that touch the disk and HTTP.
  const streams = new Map<number, ReturnType<typeof generateNegotiation>>();
  const streamOf = (events: number) => {
    let stream = streams.get(events);
    if (!stream)
      streams.set(
        events,
        (stream = generateNegotiation({ events, seed: 42, negotiationId: 'as-of' })),
      );
    return stream;
  };
  if (wants('fold')) {
    log('(3) fold…');
    results.fold = benchFold(streamOf(100_000), quick);
    if (full) results.fold.million = benchFold(streamOf(1_000_000), quick);
  }
  if (wants('asof')) {
    log('(4) warming up the as-of code on another negotiation…');
    benchAsOf(generateNegotiation({ events: 2_000, seed: 7, negotiationId: 'warm-up' }), true);
    results.asOf = [];
    for (const size of sizes) {
      log(`(4) as-of queries at ${fmt(size)} events…`);
      results.asOf.push(benchAsOf(streamOf(size), quick));
      if (size !== 100_000) streams.delete(size);
    }
    // The target compares 1k with 100k; with --full, 1M is reported beside it.
    const shortest = results.asOf[0]!;
    const ratios = (longest: AsOfLevel) => ({
      randomAsOf: round(longest.randomAsOf.p50 / shortest.randomAsOf.p50, 2),
      nearEnd: round(longest.nearEnd.p50 / shortest.nearEnd.p50, 2),
      withKnownAt: round(longest.withKnownAt.p50 / shortest.withKnownAt.p50, 2),
    });
    results.asOfRatios = ratios(
      results.asOf.find((a) => a.events === 100_000) ?? results.asOf[results.asOf.length - 1]!,
    );
    const million = results.asOf.find((a) => a.events === 1_000_000);
    if (million) results.asOfRatiosMillion = ratios(million);
  }
  streams.clear();
  if (wants('append')) {
    log('(1) raw SQLite adapter appends…');
    results.storeAppend = await benchStoreAppend(quick);
  }
  if (wants('ingest')) {
    const clients = option('clients')?.split(',').map(Number);
    log('(2) the bare durable server, 64 clients…');
    const bareBefore = await benchBareIngest(quick, 64);
    log(`(2) HTTP ingest, ${(clients ?? [1, 16, 64]).join('/')} clients…`);
    results.httpIngest = await benchHttpIngest(quick, clients);
    log('(2) the bare durable server again, 64 clients…');
    const bareAfter = await benchBareIngest(quick, 64);
    const at64 = results.httpIngest.levels.find((l) => l.clients === 64);
    results.bareIngest = {
      before: bareBefore,
      after: bareAfter,
      durable: [bareBefore, bareAfter].every((l) => l.stored >= l.acknowledged),
      ...(at64
        ? {
            ratio64ToBare: round(
              at64.eventsPerSec / ((bareBefore.eventsPerSec + bareAfter.eventsPerSec) / 2),
              2,
            ),
          }
        : {}),
    };
    if (at64 && results.storeAppend) {
      // The disk's commit latency drifts: compare with raw batch-of-1 measured before and after.
      const after = await benchBatchOfOne(quick);
      results.storeAppend.batch1AfterIngestEventsPerSec = after;
      const raw = (results.storeAppend.batch1EventsPerSec + after) / 2;
      results.httpIngest.ratio64ToRawBatch1 = round(at64.eventsPerSec / raw, 2);
    }
  }
  if (databaseUrl && (wants('append') || wants('ingest'))) {
    const pg: NonNullable<typeof results.postgres> = (results.postgres = {});
    const onPostgres = aPostgresStore(databaseUrl);
    if (wants('append')) {
      log('(1) raw PostgreSQL adapter appends…');
      pg.storeAppend = await benchStoreAppend(quick, onPostgres);
    }
    if (wants('ingest')) {
      log('(2) HTTP ingest on PostgreSQL, 1/16/64 clients…');
      const clients = option('clients')?.split(',').map(Number);
      pg.httpIngest = await benchHttpIngest(quick, clients, { kind: 'postgres', databaseUrl });
      const at64 = pg.httpIngest.levels.find((l) => l.clients === 64);
      if (at64 && pg.storeAppend) {
        const after = await benchBatchOfOne(quick, onPostgres);
        pg.storeAppend.batch1AfterIngestEventsPerSec = after;
        const raw = (pg.storeAppend.batch1EventsPerSec + after) / 2;
        pg.httpIngest.ratio64ToRawBatch1 = round(at64.eventsPerSec / raw, 2);
      }
    }
  }
  if (wants('startup')) {
    log('(5) start-up with 100k events stored…');
    results.startup = await benchStartup(100_000, quick);
  }

  if (wants('asof-http')) {
    log('(7) as-of GETs over HTTP at 1k and 100k developments…');
    results.asOfHttp = await benchAsOfHttp([1_000, 100_000], quick);
  }

  if (wants('across')) {
    const negotiations = quick ? 20 : 100;
    log(`(8) reads across ${negotiations} negotiations of 1k developments over HTTP…`);
    results.across = await benchAcross(negotiations, 1_000, quick);
  }

  if (wants('import')) {
    const events = Number(option('import-events') ?? (quick ? 20_000 : 100_000));
    log(
      `(6) batch import of ${fmt(events)} developments, random order, valid-time order, random with a /live follower…`,
    );
    results.import = await benchImport(events, 1000, quick ? 120_000 : 300_000, log);
  }

  const cpuAfter = machineCpu();
  const busy = cpuAfter && cpuBefore ? cpuAfter.map((v, i) => v - cpuBefore[i]!) : undefined;
  const total = busy?.reduce((a, b) => a + b, 0) ?? 0;
  const machine = {
    loadAverageBefore: round(loadBefore[0]!, 2),
    loadAverageAfter: round(loadavg()[0]!, 2),
    /** Share of the machine's CPU time stolen by the hypervisor during the run (a shared host). */
    stealPercent: busy && total ? round((100 * (busy[7] ?? 0)) / total, 1) : null,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30, 0),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', {
      cwd: __dirname,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    /* not a git checkout */
  }

  const targets: Record<string, Target> = {};
  const lines: string[] = [];
  lines.push(
    `Parley benchmark — ${new Date().toISOString().slice(0, 10)}, ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${quick ? 'quick' : full ? 'full' : 'standard'} run, commit ${commit}; load average ${machine.loadAverageBefore} before, ${machine.loadAverageAfter} after; CPU steal ${machine.stealPercent ?? '-'}%`,
  );
  const appendTable = (title: string, s: StoreAppendResult): string =>
    table(
      title,
      ['measure', 'events/s'],
      [
        ['batch of 1, sequential (one commit each)', fmt(s.batch1EventsPerSec)],
        ...(s.batch1AfterIngestEventsPerSec !== undefined
          ? [['batch of 1 again, after the HTTP run', fmt(s.batch1AfterIngestEventsPerSec)]]
          : []),
        ['batch of 100, sequential', fmt(s.batch100EventsPerSec)],
        [
          'batch of 1, 64 concurrent appenders (group commit)',
          fmt(s.concurrent64Batch1EventsPerSec),
        ],
      ],
    );
  const ingestLines = (title: string, h: IngestResult & { ratio64ToRawBatch1?: number }) => [
    table(
      title,
      ['clients', 'events/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU', 'client CPU'],
      h.levels.map((l) => [
        String(l.clients),
        fmt(l.eventsPerSec),
        fmt(l.latencyMs.p50),
        fmt(l.latencyMs.p99),
        String(l.errors),
        fmt(l.serverCpu, 2),
        fmt(l.clientCpu, 2),
      ]),
    ),
    `every acknowledged event in the store afterwards: ${h.durable ? 'yes' : 'NO'}; 64 clients / raw batch-of-1 (mean of before and after): ${fmt(h.ratio64ToRawBatch1, 2)}`,
  ];
  if (results.storeAppend) {
    lines.push(
      appendTable('(1) Raw SQLite adapter append (WAL, synchronous=FULL)', results.storeAppend),
    );
  }
  if (results.httpIngest) {
    const h = results.httpIngest;
    lines.push(
      ...ingestLines('(2) HTTP ingest: single-event POSTs to one negotiation over loopback', h),
    );
    if (h.ratio64ToRawBatch1 !== undefined) {
      targets.ingest = {
        target: 'HTTP 64 clients >= 0.5 x raw batch-of-1, durable',
        value: `${fmt(h.ratio64ToRawBatch1, 2)}x`,
        met: h.ratio64ToRawBatch1 >= 0.5 && h.durable,
      };
    }
  }
  if (results.bareIngest) {
    const b = results.bareIngest;
    lines.push(
      table(
        '(2) Bare durable server (node:http + better-sqlite3, a commit with fsync per POST), 64 clients, same bodies',
        ['when', 'events/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU', 'client CPU'],
        (
          [
            ['before Parley', b.before],
            ['after Parley', b.after],
          ] as const
        ).map(([when, level]) => [
          when,
          fmt(level.eventsPerSec),
          fmt(level.latencyMs.p50),
          fmt(level.latencyMs.p99),
          String(level.errors),
          fmt(level.serverCpu, 2),
          fmt(level.clientCpu, 2),
        ]),
      ),
      `every acknowledged post in its file afterwards: ${b.durable ? 'yes' : 'NO'}; Parley at 64 clients / bare server (mean of before and after): ${fmt(b.ratio64ToBare, 2)}x`,
    );
    if (b.ratio64ToBare !== undefined) {
      targets.ingestVsBare = {
        target: 'HTTP 64 clients >= 2x the bare durable server, durable (3x the aim)',
        value: `${fmt(b.ratio64ToBare, 2)}x`,
        met: b.ratio64ToBare >= 2 && (results.httpIngest?.durable ?? false),
      };
    }
  }
  if (results.postgres?.storeAppend) {
    lines.push(
      appendTable(
        '(1) Raw PostgreSQL adapter append (synchronous_commit=on)',
        results.postgres.storeAppend,
      ),
    );
  }
  if (results.postgres?.httpIngest) {
    lines.push(
      ...ingestLines(
        '(2) HTTP ingest on PostgreSQL: single-event POSTs to one negotiation over loopback',
        results.postgres.httpIngest,
      ),
    );
  }
  if (results.fold) {
    const f = results.fold;
    lines.push(
      table(
        '(3) Fold (evolve over a generated negotiation, valid-time order)',
        ['history', 'events/s (median)', 'best'],
        [
          [fmt(f.events), fmt(f.eventsPerSec), fmt(f.bestEventsPerSec)],
          ...(f.million
            ? [
                [
                  fmt(f.million.events),
                  fmt(f.million.eventsPerSec),
                  fmt(f.million.bestEventsPerSec),
                ],
              ]
            : []),
        ],
      ),
    );
    targets.fold = {
      target: 'fold >= 1M events/s',
      value: fmt(f.eventsPerSec),
      met: f.eventsPerSec >= 1_000_000,
    };
  }
  if (results.asOf && results.asOfRatios) {
    lines.push(
      table(
        '(4) As-of state queries (timeline.stateAt), ms',
        [
          'history',
          'load ms',
          '1st query',
          'random p50',
          'p99',
          'near end p50',
          'p99',
          'knownAt p50',
          'p99',
          'answer at end',
        ],
        results.asOf.map((a) => [
          fmt(a.events),
          fmt(a.loadMs),
          fmt(a.firstQueryMs),
          fmt(a.randomAsOf.p50),
          fmt(a.randomAsOf.p99),
          fmt(a.nearEnd.p50),
          fmt(a.nearEnd.p99),
          fmt(a.withKnownAt.p50),
          fmt(a.withKnownAt.p99),
          `${a.stateAtEnd.proposals} prop, ${a.stateAtEnd.agreements} agr, ${a.stateAtEnd.jsonKb} KB`,
        ]),
      ),
    );
    const r = results.asOfRatios;
    lines.push(
      `p50 ratio 100k/1k: random ${fmt(r.randomAsOf, 2)}x, near end ${fmt(r.nearEnd, 2)}x, knownAt ${fmt(r.withKnownAt, 2)}x`,
    );
    const m = results.asOfRatiosMillion;
    if (m) {
      lines.push(
        `p50 ratio 1M/1k: random ${fmt(m.randomAsOf, 2)}x, near end ${fmt(m.nearEnd, 2)}x, knownAt ${fmt(m.withKnownAt, 2)}x`,
      );
    }
    lines.push(
      'Every level is measured after a warm-up on another negotiation, so the 1k figures are not those of code the JIT has not optimised yet.',
    );
    const worst = Math.max(r.randomAsOf, r.nearEnd, r.withKnownAt);
    targets.asOfGrowth = {
      target: 'as-of p50 grows <= 3x from 1k to 100k',
      value: `${fmt(worst, 2)}x (worst of three)`,
      met: worst <= 3,
    };
    const at100k = results.asOf.find((a) => a.events === 100_000);
    if (at100k) {
      const p50 = Math.max(at100k.randomAsOf.p50, at100k.nearEnd.p50, at100k.withKnownAt.p50);
      targets.asOf100k = {
        target: 'as-of p50 < 5 ms at 100k',
        value: `${fmt(p50)} ms (worst of three)`,
        met: p50 < 5,
      };
    }
  }
  if (results.startup) {
    const s = results.startup;
    lines.push(
      table(
        `(5) Start-up with ${fmt(s.events)} events stored (one negotiation)`,
        ['measure', 'value'],
        [
          ['catch-up (ReadModelSync), ms', fmt(s.catchUpMs)],
          ['process start to listening, ms', fmt(s.toListeningMs)],
          ['RSS after catch-up, MB', fmt(s.rssMb)],
          ['RSS after a GC, MB', fmt(s.rssAfterGcMb)],
          ['JS heap used, MB', fmt(s.heapMb)],
          ['RSS after the as-of GETs below (snapshots built), MB', fmt(s.rssAfterQueriesMb)],
          [
            `GET /state random asOf over HTTP p50 / p99 ms (~${fmt(s.stateKb)} KB answers)`,
            `${fmt(s.httpState.p50)} / ${fmt(s.httpState.p99)}`,
          ],
          [
            'GET /tariffs random asOf over HTTP p50 / p99 ms',
            `${fmt(s.httpTariffs.p50)} / ${fmt(s.httpTariffs.p99)}`,
          ],
        ],
      ),
    );
    targets.catchUp = {
      target: 'catch-up of 100k events < 3 s',
      value: `${fmt(s.catchUpMs)} ms`,
      met: s.catchUpMs < 3000,
    };
    targets.rss = {
      target: 'RSS < 400 MB at 100k events',
      value: `${fmt(s.rssMb)} MB`,
      met: s.rssMb < 400,
    };
  }
  if (results.import) {
    const im = results.import;
    const runs = [im.random, im.validTime, im.randomFollowed];
    const shown = (ms: number[]) => ms.map((m) => fmt(m, 0)).join(' ');
    lines.push(
      table(
        `(6) Batch import over HTTP: ${fmt(im.events)} developments over ${im.spreadYears} years, ${fmt(im.batchSize)} per POST …/events/batch, fresh SQLite file each`,
        [
          'order',
          'posted',
          'total s',
          'events/s',
          'first 5 batches ms',
          'last 5 batches ms',
          'last 10 / first 10 (medians)',
        ],
        runs.map((r) => [
          r.order,
          `${fmt(r.events)}${r.finished ? '' : ' (stopped)'}`,
          fmt(r.totalMs / 1000, 1),
          fmt(r.eventsPerSec),
          shown(r.batchMs.slice(0, 5)),
          shown(r.batchMs.slice(-5)),
          `${fmt(r.lastToFirst, 2)}x`,
        ]),
      ),
    );
    if (im.events >= 100_000) {
      targets.importTotal = {
        target: 'random-order import of 100k < 60 s',
        value: `${fmt(im.random.totalMs / 1000, 1)} s${im.random.finished ? '' : ' (stopped)'}`,
        met: im.random.finished && im.random.totalMs < 60_000,
      };
    }
    targets.importGrowth = {
      target: 'random-order import: last batches <= 2x the first',
      value: `${fmt(im.random.lastToFirst, 2)}x`,
      met: im.random.finished && im.random.lastToFirst <= 2,
    };
  }
  if (results.asOfHttp) {
    const a = results.asOfHttp;
    lines.push(
      table(
        '(7) As-of GETs over HTTP, random asOf, one server, the negotiations asked in turn (ms)',
        ['history', 'tariffs p50', 'p99', 'KB', 'state p50', 'p99', 'KB'],
        a.levels.map((l) => [
          fmt(l.events),
          fmt(l.tariffs.p50),
          fmt(l.tariffs.p99),
          fmt(l.tariffsKb),
          fmt(l.state.p50),
          fmt(l.state.p99),
          fmt(l.stateKb),
        ]),
      ),
      `p50 ratio ${fmt(a.levels[a.levels.length - 1]!.events)}/${fmt(a.levels[0]!.events)}: tariffs ${fmt(a.tariffsRatio, 2)}x, state ${fmt(a.stateRatio, 2)}x`,
    );
    const top = a.levels[a.levels.length - 1]!;
    if (top.events >= 100_000) {
      targets.asOfHttpTariffs = {
        target: 'GET …/tariffs over HTTP: p50 at 100k <= 3x p50 at 1k, and < 5 ms',
        value: `${fmt(a.tariffsRatio, 2)}x, ${fmt(top.tariffs.p50)} ms`,
        met: a.tariffsRatio <= 3 && top.tariffs.p50 < 5,
      };
    }
  }
  if (results.across) {
    const x = results.across;
    lines.push(
      table(
        `(8) Across negotiations over HTTP: ${x.negotiations} negotiations of ${fmt(x.eventsEach)} developments, random asOf (ms)`,
        ['read', 'p50', 'p99'],
        [
          ['GET /negotiations/:id/tariffs (one)', fmt(x.oneTariffs.p50), fmt(x.oneTariffs.p99)],
          ['GET /tariffs (all)', fmt(x.acrossTariffs.p50), fmt(x.acrossTariffs.p99)],
          ['GET /deadlines (all)', fmt(x.acrossDeadlines.p50), fmt(x.acrossDeadlines.p99)],
        ],
      ),
      `GET /tariffs p50 over one negotiation's: ${fmt(x.ratio, 1)}x (${x.negotiations} negotiations)`,
    );
    targets.across = {
      target: `GET /tariffs over ${x.negotiations} negotiations: p50 <= ${x.negotiations}x one negotiation's`,
      value: `${fmt(x.ratio, 1)}x`,
      met: x.ratio <= x.negotiations,
    };
  }
  lines.push(
    table(
      'Targets',
      ['target', 'measured', 'met'],
      Object.values(targets).map((t) => [t.target, t.value, t.met ? 'yes' : 'NO']),
    ),
  );
  lines.push(`\n(${round((Date.now() - began) / 1000, 0)} s)`);
  console.log(lines.join('\n'));

  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        commit,
        mode: quick ? 'quick' : full ? 'full' : 'standard',
        machine,
        results,
        targets,
        seconds: round((Date.now() - began) / 1000, 0),
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`written to ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/** The machine's CPU time counters (user, nice, system, idle, iowait, irq, softirq, steal), from /proc/stat. */
function machineCpu(): number[] | undefined {
  try {
    return readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
  } catch {
    return undefined;
  }
}
