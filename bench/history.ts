/**
 * Response times of the history endpoints (issue 7) on one negotiation of N developments
 * (default 10,000), recorded through HTTP on a fresh SQLite file, with late reports (a tenth of
 * the tariff changes are dated into the past) and retractions. Prints a table of p50/p95 per
 * endpoint, beside GET /state for scale, and the time from a POST to its SSE event.
 *
 *   node -r ./test/support/register-ts.js bench/history.ts [--events=10000] [--runs=50]
 *
 * A benchmark, not a test: nothing fails because a machine is slow. Self-contained (the app and
 * node built-ins only), so it runs whether or not it is wired into `npm run bench`.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@parley/event-store';
import { createApp } from '../apps/api/src/app.factory';

const option = (name: string, fallback: number): number => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
};
const EVENTS = option('events', 10_000);
const RUNS = option('runs', 50);
const ID = 'bench-history';
const DAY = 86_400_000;
const START = Date.parse('2023-01-01T00:00:00.000Z');

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function workload(count: number): Record<string, unknown>[] {
  const next = random(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const pairs = [
    ['US', 'CN'],
    ['CN', 'US'],
    ['US', 'EU'],
    ['EU', 'US'],
    ['US', 'HK'],
  ] as const;
  const measures = ['fentanyl-ieepa', 'reciprocal', 'section-301', 'steel', 'autos', 'retaliation'];
  const span = 900 * DAY;
  const events: Record<string, unknown>[] = [];
  const tariffIds: string[] = [];
  let proposals = 0;
  for (let i = 0; events.length < count; i++) {
    const t = START + Math.floor((i / count) * span);
    const day = (ms: number) => new Date(ms).toISOString();
    const roll = next();
    if (roll < 0.55) {
      const [imposedBy, appliedTo] = pick(pairs);
      const late = next() < 0.1; // a late report: dated up to 60 days back
      const occurredAt = late ? t - Math.floor(next() * 60) * DAY : t;
      const eventId = crypto.randomUUID();
      tariffIds.push(eventId);
      events.push({
        type: 'TariffChanged',
        eventId,
        occurredAt: day(occurredAt),
        data: {
          imposedBy,
          appliedTo,
          measure: pick(measures),
          rate: pick([0, 10, 20, 25, 34, 125]),
          effectiveAt: day(occurredAt + Math.floor(next() * 10) * DAY),
          coverage: next() < 0.8 ? 'all-goods' : 'selected-goods',
        },
      });
    } else if (roll < 0.7) {
      events.push({
        type: 'StatementMade',
        occurredAt: day(t),
        data: {
          party: pick(['US', 'CN', 'EU']),
          speaker: 'spokesperson',
          stance: pick(['conciliatory', 'neutral', 'hardline']),
        },
      });
    } else if (roll < 0.8) {
      events.push({
        type: 'TalksStatusChanged',
        occurredAt: day(t),
        data: { status: pick(['exploratory', 'ongoing', 'stalled', 'suspended']) },
      });
    } else if (roll < 0.95) {
      const proposalId = `p-${proposals++}`;
      events.push({
        type: 'ProposalMade',
        occurredAt: day(t),
        data: { proposalId, by: 'US', to: ['CN'], subject: 'tariffs', summary: 'cut tariffs' },
      });
      if (next() < 0.6 && events.length < count) {
        events.push({
          type: 'ProposalResponded',
          occurredAt: day(t + DAY),
          data: { proposalId, by: 'CN', response: pick(['accepted', 'rejected', 'under-review']) },
        });
      }
    } else if (tariffIds.length > 0) {
      const target = tariffIds.splice(Math.floor(next() * tariffIds.length), 1)[0]!;
      events.push({
        type: 'DevelopmentRetracted',
        occurredAt: day(t),
        data: { targetEventId: target, reason: 'misreported' },
      });
    }
  }
  return events;
}

function get(url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    })
      .on('error', reject)
      .end();
  });
}

async function post(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (response.status >= 300)
    throw new Error(`${response.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

const percentile = (samples: number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-history-'));
  const dbPath = join(dir, 'parley.db');
  const app = await createApp({
    config: { port: 0, host: '127.0.0.1', store: { kind: 'sqlite', path: dbPath } },
    store: new SqliteEventStore({ path: dbPath }),
    logger: ['error'],
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    await post(`${base}/negotiations`, {
      id: ID,
      title: 'Bench',
      openedAt: '2022-12-01',
      parties: [
        { code: 'US', name: 'US' },
        { code: 'CN', name: 'CN' },
        { code: 'EU', name: 'EU' },
        { code: 'HK', name: 'HK' },
      ],
    });
    const events = workload(EVENTS);
    const loading = Date.now();
    for (let i = 0; i < events.length; i += 1000)
      await post(`${base}/negotiations/${ID}/events/batch`, { events: events.slice(i, i + 1000) });
    process.stderr.write(`recorded ${events.length} developments in ${Date.now() - loading} ms\n`);

    const n = `/negotiations/${ID}`;
    const cases: [string, string][] = [
      ['GET /state (for scale)', `${n}/state?asOf=2024-06-30`],
      ['GET /changes, a month', `${n}/changes?from=2024-05-31&to=2024-06-30`],
      ['GET /changes, since a time (to now)', `${n}/changes?from=2025-06-01T00:00:00Z`],
      [
        'GET /changes, a month, knownAt',
        `${n}/changes?from=2024-05-31&to=2024-06-30&knownAt=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      ],
      ['GET /changes, whole history', `${n}/changes`],
      [
        'GET /tariffs/history, a year',
        `${n}/tariffs/history?imposedBy=US&appliedTo=CN&from=2023-12-31&to=2024-12-31`,
      ],
      ['GET /tariffs/history, all', `${n}/tariffs/history?imposedBy=US&appliedTo=CN`],
      ['GET /replay, first page (100)', `${n}/replay`],
      [
        'GET /replay, page of 100 mid-history',
        `${n}/replay?from=2024-06-30&to=2024-12-31&limit=100`,
      ],
      ['GET /replay, page of 1000', `${n}/replay?from=2024-06-30&limit=1000`],
    ];
    const rows: string[] = [];
    for (const [name, path] of cases) {
      const samples: number[] = [];
      let bytes = 0;
      for (let i = 0; i < RUNS + 3; i++) {
        const began = performance.now();
        const answer = await get(base + path);
        if (answer.status !== 200) throw new Error(`${path}: ${answer.status}`);
        if (i >= 3) samples.push(performance.now() - began); // three warm-up runs
        bytes = answer.bytes;
      }
      rows.push(
        `${name.padEnd(40)} ${percentile(samples, 50).toFixed(2).padStart(8)} ${percentile(samples, 95).toFixed(2).padStart(8)} ${String(Math.round(bytes / 1024)).padStart(8)}`,
      );
    }

    // Live: from a POST's answer to the development's event on an open stream.
    const live = await new Promise<number[]>((resolve, reject) => {
      const delays: number[] = [];
      let sentAt = 0;
      let buffer = '';
      const req = request(
        `${base}${n}/live`,
        { headers: { accept: 'text/event-stream' } },
        (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              if (block.includes('event: development')) delays.push(performance.now() - sentAt);
              if (block.includes('event: state')) void postNext();
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
      const postNext = async (): Promise<void> => {
        if (delays.length >= 30) {
          req.destroy();
          resolve(delays);
          return;
        }
        sentAt = performance.now();
        await post(`${base}${n}/events`, {
          type: 'StatementMade',
          occurredAt: '2025-06-02',
          data: { party: 'US', speaker: 'bench', stance: 'neutral' },
        });
      };
    });

    console.log(
      `history endpoints on ${EVENTS.toLocaleString('en-US')} developments, ${RUNS} runs each, sequential (ms)`,
    );
    console.log(
      `${'endpoint'.padEnd(40)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'KiB'.padStart(8)}`,
    );
    for (const row of rows) console.log(row);
    console.log(
      `${'/live: POST sent to SSE event received'.padEnd(40)} ${percentile(live, 50).toFixed(2).padStart(8)} ${percentile(live, 95).toFixed(2).padStart(8)}`,
    );
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
