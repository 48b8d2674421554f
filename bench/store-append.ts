import type { EventStore } from '@parley/event-store';
import { PostgresEventStore, SqliteEventStore } from '@parley/event-store';
import { streamOf } from '../apps/api/src/store/development-envelope';
import { scratchSchema } from './postgres';
import { nowMs, round } from './stats';
import { generateNegotiation, scratchDir, storeEvent } from './workload';

export interface StoreAppendResult {
  batch1EventsPerSec: number;
  batch100EventsPerSec: number;
  /** Batch of 1 measured again right after the HTTP ingest run (set by main.ts). */
  batch1AfterIngestEventsPerSec?: number;
  /** Context: 64 appenders of one event at a time on 64 streams, group-committed by the adapter. */
  concurrent64Batch1EventsPerSec: number;
}

/** A store to measure, empty, and how to close and remove it. */
export interface ScratchStore {
  store: EventStore;
  remove(): Promise<void>;
}

/** An embedded store on a file in a fresh folder. */
export function aSqliteStore(label: string): Promise<ScratchStore> {
  const scratch = scratchDir(label);
  const store = new SqliteEventStore({ path: `${scratch.dir}/parley.db` });
  return Promise.resolve({
    store,
    remove: async () => {
      await store.close();
      scratch.remove();
    },
  });
}

/** A PostgreSQL store in a fresh schema of the database at `databaseUrl`, migrated. */
export function aPostgresStore(databaseUrl: string): (label: string) => Promise<ScratchStore> {
  return async (label) => {
    const schema = await scratchSchema(databaseUrl, label.replace(/\W/g, '_'));
    const store = new PostgresEventStore({ connectionString: schema.connectionString });
    await store.migrate();
    return {
      store,
      remove: async () => {
        await store.close();
        await schema.remove();
      },
    };
  };
}

/** (1) Raw appends through a store adapter: each append awaited before the next (one commit each). */
export async function benchStoreAppend(
  quick: boolean,
  open: (label: string) => Promise<ScratchStore> = aSqliteStore,
): Promise<StoreAppendResult> {
  const seconds = quick ? 1.5 : 4;
  const scratch = await open('append');
  const store = scratch.store;
  try {
    const events = generateNegotiation({
      events: 40_000,
      seed: 101,
      negotiationId: 'raw-append',
    }).map(storeEvent);
    let next = 0;
    const take = (n: number) => {
      const batch = events.slice(next, next + n);
      next += n;
      if (batch.length < n) throw new Error('workload exhausted');
      return batch;
    };
    // batch of 1, sequential
    let revision = -1;
    const stream1 = streamOf('raw-append-1');
    for (let i = 0; i < 50; i++)
      revision = (await store.append(stream1, take(1), i === 0 ? 'no-stream' : revision)).revision;
    let count = 0;
    let start = nowMs();
    while (nowMs() - start < seconds * 1000) {
      revision = (await store.append(stream1, take(1), revision)).revision;
      count += 1;
    }
    const batch1 = count / ((nowMs() - start) / 1000);
    // batch of 100, sequential
    const stream100 = streamOf('raw-append-100');
    revision = (await store.append(stream100, take(100), 'no-stream')).revision;
    count = 0;
    start = nowMs();
    while (nowMs() - start < seconds * 1000 && next + 100 <= events.length) {
      revision = (await store.append(stream100, take(100), revision)).revision;
      count += 100;
    }
    const batch100 = count / ((nowMs() - start) / 1000);
    // 64 concurrent appenders of one event, one stream each
    const many = generateNegotiation({
      events: 60_000,
      seed: 102,
      negotiationId: 'raw-concurrent',
    }).map(storeEvent);
    let cursor = 0;
    count = 0;
    start = nowMs();
    const deadline = start + seconds * 1000;
    await Promise.all(
      Array.from({ length: 64 }, async (_, client) => {
        const stream = streamOf(`raw-concurrent-${client}`);
        let rev: number | 'no-stream' = 'no-stream';
        while (nowMs() < deadline && cursor < many.length) {
          const event = many[cursor++]!;
          rev = (await store.append(stream, [event], rev)).revision;
          count += 1;
        }
      }),
    );
    const concurrent = count / ((nowMs() - start) / 1000);
    return {
      batch1EventsPerSec: round(batch1, 0),
      batch100EventsPerSec: round(batch100, 0),
      concurrent64Batch1EventsPerSec: round(concurrent, 0),
    };
  } finally {
    await scratch.remove();
  }
}

/** Raw batch-of-1 appends alone, for a second measure after the HTTP run (disks vary by the minute). */
export async function benchBatchOfOne(
  quick: boolean,
  open: (label: string) => Promise<ScratchStore> = aSqliteStore,
): Promise<number> {
  const seconds = quick ? 1.5 : 4;
  const scratch = await open('append-again');
  const store = scratch.store;
  try {
    const events = generateNegotiation({
      events: 20_000,
      seed: 103,
      negotiationId: 'raw-append-again',
    }).map(storeEvent);
    const stream = streamOf('raw-append-again');
    let revision = -1;
    let next = 0;
    for (; next < 50; next++)
      revision = (await store.append(stream, [events[next]!], next === 0 ? 'no-stream' : revision))
        .revision;
    const start = nowMs();
    let count = 0;
    while (nowMs() - start < seconds * 1000 && next < events.length) {
      revision = (await store.append(stream, [events[next++]!], revision)).revision;
      count += 1;
    }
    return round(count / ((nowMs() - start) / 1000), 0);
  } finally {
    await scratch.remove();
  }
}
