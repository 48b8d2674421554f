/**
 * Search (issue 16): how long the MiniSearch index of a 100k-development negotiation (the
 * benchmark's generated one, bench/workload.ts) takes to build, what it holds in memory, and the
 * latency of searches through the query handler (index search, filters, ranking, one page of 20
 * listed with highlights), in process, no HTTP.
 *
 *   node --max-old-space-size=8192 --expose-gc -r ./test/support/register-ts.js bench/search.ts [--events=100000]
 *
 * The generator's text is made of 24 words, so a word of it is in most developments: the common
 * queries below are the worst case (tens of thousands of results ranked per search); a speaker's
 * or a venue's name is a rarer one. A benchmark, not a test.
 */
import type { EventBus } from '@nestjs/cqrs';
import { NegotiationReadModel } from '@parley/projections';
import { Subject } from 'rxjs';
import { SearchIndex } from '../apps/api/src/search/search-index';
import {
  SearchDevelopments,
  SearchDevelopmentsHandler,
} from '../apps/api/src/search/search.queries';
import type { SearchFilter } from '../apps/api/src/search/search.queries';
import { latency, nowMs, round } from './stats';
import { generateNegotiation } from './workload';

const events = Number(
  process.argv.find((a) => a.startsWith('--events='))?.slice('--events='.length) ?? 100_000,
);
const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = (): number => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

async function main(): Promise<void> {
  const developments = generateNegotiation({ events });
  const readModel = new NegotiationReadModel();
  for (let i = 0; i < developments.length; i += 5000) {
    readModel.apply('bench-negotiation', developments.slice(i, i + 5000));
  }
  const before = heapMb();
  const index = new SearchIndex(readModel, new Subject() as unknown as EventBus);
  const started = nowMs();
  await index.syncAll();
  const buildMs = nowMs() - started;
  const after = heapMb();

  const handler = new SearchDevelopmentsHandler(readModel, index);
  const all: SearchFilter = { knownAt: null, includeRetracted: false };
  const queries: [string, string, SearchFilter][] = [
    ['a common word', 'tariffs', all],
    ['two common words', 'trade truce', all],
    [
      'a common word, StatementMade only',
      'officials',
      { ...all, types: new Set(['StatementMade']) },
    ],
    ['a venue (rarer)', 'stockholm', all],
    ['a prefix', 'negot', all],
    ['a misspelling', 'escalaton', all],
    ['no match', 'soybeans', all],
  ];
  const rows: Record<string, unknown>[] = [];
  for (const [name, q, filter] of queries) {
    const samples: number[] = [];
    let total = 0;
    for (let i = 0; i < 25; i++) {
      const t = nowMs();
      const page = await handler.execute(new SearchDevelopments(q, filter, 20));
      samples.push(nowMs() - t);
      total = page.total;
    }
    const { p50, p99 } = latency(samples.slice(5));
    rows.push({
      query: `${name}: "${q}"`,
      results: total,
      p50ms: round(p50, 1),
      p99ms: round(p99, 1),
    });
  }
  console.log(
    JSON.stringify(
      {
        developments: index.size,
        buildMs: round(buildMs, 0),
        indexHeapMb: round(after - before, 1),
        queries: rows,
      },
      null,
      2,
    ),
  );
}

void main();
