import { createEventStore } from '@parley/event-store';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestSchema } from '../support/postgres-server';
import {
  aFreshSchema,
  describeWhenPostgresAnswers,
  onTestDatabase,
} from '../support/postgres-server';
import {
  negotiation,
  proposalMade,
  retraction,
  statementMade,
  tariffChanged,
} from '../support/requests';
import { RunningApp } from '../support/running-app';
import type { ApiProcess, ApiStore } from './api-process';
import { allEvents, call, kill, startApi } from './api-process';

/*
 * Crash safety of the stores, on the real server: several clients post developments
 * concurrently, the process is killed with SIGKILL while their requests are in flight, and is
 * started again on the same store, several times in one run. Whatever was acknowledged before a
 * kill must be there after it, exactly once, in a gapless stream, and the state served after the
 * restart must be the one a fresh rebuild from the log gives. On the embedded store (a SQLite
 * file) always; on PostgreSQL when a server answers at PARLEY_TEST_DATABASE_URL.
 */

/** A store the API is killed on: how to start the API on it, what it holds, and a rebuild from it. */
interface CrashedStore {
  /** 'the same file', 'the same database'. */
  readonly same: string;
  readonly api: ApiStore;
  /** Every event the store holds, read from the store itself, not through the API. */
  rows(): Promise<{ stream: string; revision: number; event_id: string }[]>;
  /** A fresh app that builds its projections from what the store holds now. */
  rebuild(round: number): Promise<RunningApp>;
  remove(): Promise<void>;
}

/** The embedded store: a file in a folder of its own; a rebuild runs on a copy of the file. */
function aSqliteFile(): CrashedStore {
  const dir = mkdtempSync(join(tmpdir(), 'parley-crash-'));
  const dbPath = join(dir, 'parley.db');
  return {
    same: 'the same file',
    api: dbPath,
    rows: async () => {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        return db
          .prepare('SELECT stream, revision, event_id FROM events ORDER BY stream, revision')
          .all() as { stream: string; revision: number; event_id: string }[];
      } finally {
        db.close();
      }
    },
    rebuild: async (round) => {
      const copy = join(dir, `rebuild-${round}.db`);
      const source = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        source.exec(`VACUUM INTO '${copy.replace(/'/g, "''")}'`);
      } finally {
        source.close();
      }
      return RunningApp.start({ dbPath: copy });
    },
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** PostgreSQL: a schema of its own on the test database; a rebuild is another app opened on it. */
async function aPostgresSchema(): Promise<CrashedStore> {
  const schema: TestSchema = await aFreshSchema('crash');
  const config = { kind: 'postgres' as const, connectionString: schema.connectionString };
  return {
    same: 'the same database',
    api: { EVENT_STORE: 'postgres', DATABASE_URL: schema.connectionString },
    rows: async () =>
      (
        await onTestDatabase((client) =>
          client.query<{ stream: string; revision: number; event_id: string }>(
            `SELECT stream, revision, event_id FROM ${schema.schema}.parley_events ORDER BY stream, revision`,
          ),
        )
      ).rows,
    rebuild: async () =>
      RunningApp.start({ store: { store: await createEventStore(config), config } }),
    remove: () => schema.drop(),
  };
}

const NEGOTIATIONS = ['crash-a', 'crash-b'];
const CLIENTS = 8;
const KILLS = 4;
/** Acknowledgements a round waits for (after the first of them, a random pause) before its kill. */
const ACKS_BEFORE_KILL = 40;

interface Acknowledged {
  eventId: string;
  negotiationId: string;
  revision: number;
}

/** One client: posts until the server goes away, keeping what it was answered 201/200. */
async function client(
  baseUrl: string,
  index: number,
  acked: Acknowledged[],
  stop: { now: boolean },
): Promise<'cut' | 'stopped'> {
  const negotiationId = NEGOTIATIONS[index % NEGOTIATIONS.length]!;
  let retractable: string | undefined;
  for (let n = 0; !stop.now; n++) {
    const day = String(1 + ((index * 7 + n) % 27)).padStart(2, '0');
    const month = String(2 + (n % 3)).padStart(2, '0');
    let path = `/negotiations/${negotiationId}/events`;
    let body: Record<string, unknown>;
    if (index % 4 === 3 && n % 3 === 0) {
      // A batch: all or nothing.
      path += '/batch';
      body = {
        events: Array.from({ length: 20 }, (_, k) =>
          tariffChanged(
            {
              measure: `line-${index}-${k}`,
              rate: (n + k) % 150,
              effectiveAt: `2025-${month}-${day}`,
            },
            { eventId: randomUUID(), occurredAt: `2025-${month}-${day}` },
          ),
        ),
      };
    } else if (retractable && n % 5 === 4) {
      body = retraction(retractable, { eventId: randomUUID(), occurredAt: '2025-06-01' });
      retractable = undefined;
    } else if (n % 4 === 1) {
      body = proposalMade(
        { proposalId: `p-${index}-${n}-${randomUUID().slice(0, 8)}` },
        { eventId: randomUUID(), occurredAt: `2025-${month}-${day}` },
      );
    } else if (n % 4 === 2) {
      body = statementMade(
        { party: n % 2 ? 'US' : 'CN', stance: n % 3 ? 'hardline' : 'conciliatory' },
        { eventId: randomUUID(), occurredAt: `2025-${month}-${day}` },
      );
    } else {
      body = tariffChanged(
        {
          measure: `m-${index % 3}`,
          rate: (index * 13 + n) % 200,
          effectiveAt: `2025-${month}-${day}`,
        },
        { eventId: randomUUID(), occurredAt: `2025-${month}-${day}` },
      );
    }
    let answer;
    try {
      answer = await call(baseUrl, 'POST', path, body);
    } catch {
      return 'cut'; // the server went away under this request: it was not acknowledged
    }
    if (answer.status === 201 && path.endsWith('/batch')) {
      for (const result of answer.body.results)
        acked.push({ eventId: result.eventId, negotiationId, revision: result.revision });
    } else if (answer.status === 201) {
      acked.push({ eventId: answer.body.eventId, negotiationId, revision: answer.body.revision });
      if (body.type !== 'DevelopmentRetracted') retractable = answer.body.eventId;
    } else {
      throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
  }
  return 'stopped';
}

/** Checks the acknowledged events against what the server lists and what the store holds. */
async function checkLog(
  api: ApiProcess,
  store: CrashedStore,
  acked: readonly Acknowledged[],
): Promise<void> {
  for (const negotiationId of NEGOTIATIONS) {
    const listed = await allEvents(api.baseUrl, negotiationId);
    const count = new Map<string, number>();
    for (const event of listed) count.set(event.eventId, (count.get(event.eventId) ?? 0) + 1);
    const mine = acked.filter((a) => a.negotiationId === negotiationId);
    const missing = mine.filter((a) => count.get(a.eventId) !== 1);
    expect({ negotiationId, missingOrRepeated: missing }).toEqual({
      negotiationId,
      missingOrRepeated: [],
    });
    // Each acknowledged event is at the revision it was acknowledged with.
    const revisionOf = new Map(listed.map((e) => [e.eventId, e.revision]));
    expect(mine.filter((a) => revisionOf.get(a.eventId) !== a.revision)).toEqual([]);
    const revisions = listed.map((e) => e.revision).sort((a, b) => a - b);
    expect(revisions).toEqual(revisions.map((_, i) => i));
    const item = await call(api.baseUrl, 'GET', `/negotiations/${negotiationId}`);
    expect(item.body.revision).toBe(revisions.length - 1);
  }
  // The store itself: every stream's revisions 0..n, each event id once.
  const rows = await store.rows();
  const ids = new Set(rows.map((r) => r.event_id));
  expect(ids.size).toBe(rows.length);
  for (const stream of new Set(rows.map((r) => r.stream))) {
    const revisions = rows.filter((r) => r.stream === stream).map((r) => r.revision);
    expect(revisions).toEqual(revisions.map((_, i) => i));
  }
  expect(acked.filter((a) => !ids.has(a.eventId))).toEqual([]);
}

/** Paths whose answers must equal those of a fresh rebuild: the state at several asOf and knownAt. */
async function perspectives(api: ApiProcess): Promise<string[]> {
  const paths = ['/negotiations'];
  for (const negotiationId of NEGOTIATIONS) {
    const listed = await allEvents(api.baseUrl, negotiationId);
    const byRevision = [...listed].sort((a, b) => a.revision - b.revision);
    const knownAts = [1 / 3, 2 / 3].map(
      (f) => byRevision[Math.floor(f * (byRevision.length - 1))]!.recordedAt,
    );
    for (const asOf of [undefined, '2025-02-15', '2025-03-20', '2025-04-10T12:00:00Z']) {
      for (const knownAt of [undefined, ...knownAts]) {
        const query = [
          asOf && `asOf=${encodeURIComponent(asOf)}`,
          knownAt && `knownAt=${encodeURIComponent(knownAt)}`,
        ]
          .filter(Boolean)
          .join('&');
        paths.push(`/negotiations/${negotiationId}/state${query ? `?${query}` : ''}`);
      }
    }
    paths.push(`/negotiations/${negotiationId}/proposals?status=all`);
  }
  return paths;
}

/** Compares what `api` answers with what an app started afresh on its store answers. */
async function expectSameAsRebuild(
  api: ApiProcess,
  store: CrashedStore,
  round: number,
): Promise<number> {
  const rebuilt = await store.rebuild(round);
  try {
    const paths = await perspectives(api);
    for (const path of paths) {
      const [served, fresh] = await Promise.all([
        call(api.baseUrl, 'GET', path),
        rebuilt.get(path),
      ]);
      if (path.includes('/state') && !path.includes('asOf=')) {
        // asOf defaults to the moment of the request, which differs by a few milliseconds.
        delete served.body.asOf;
        delete fresh.body.asOf;
      }
      expect({ path, status: served.status, body: served.body }).toEqual({
        path,
        status: fresh.status,
        body: fresh.body,
      });
    }
    return paths.length;
  } finally {
    await rebuilt.stop();
  }
}

function describeCrashRestart(
  name: string,
  describeOnStore: jest.Describe,
  open: () => Promise<CrashedStore> | CrashedStore,
): void {
  describeOnStore(`on ${name}`, () => {
    let store: CrashedStore;
    let api: ApiProcess | undefined;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      if (api) await kill(api, 'SIGKILL');
      api = undefined;
      await store.remove();
    });

    it('keeps every acknowledged development exactly once, gapless, with the projections of a rebuild, and goes on', async () => {
      const acked: Acknowledged[] = [];
      const dropped: number[] = [];
      let compared = 0;
      let cut = 0;
      api = await startApi(store.api);
      for (const id of NEGOTIATIONS) {
        expect((await call(api.baseUrl, 'POST', '/negotiations', negotiation({ id }))).status).toBe(
          201,
        );
      }

      for (let round = 1; round <= KILLS; round++) {
        const before = acked.length;
        const stop = { now: false };
        const clients = Array.from({ length: CLIENTS }, (_, i) =>
          client(api!.baseUrl, i, acked, stop),
        );
        // Kill at a different point each round: after some acknowledgements, and a random pause.
        const deadline = Date.now() + 10_000;
        while (acked.length - before < ACKS_BEFORE_KILL && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 5));
        }
        expect(acked.length - before).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 150)));
        const killed = await kill(api, 'SIGKILL');
        expect(killed.signal).toBe('SIGKILL');
        stop.now = true;
        // Every client has seen its last answer or its connection drop; the kill came mid-flight.
        const ends = await Promise.all(clients);
        expect(ends.filter((end) => end === 'cut').length).toBeGreaterThan(0);
        cut += ends.filter((end) => end === 'cut').length;
        dropped.push(acked.length - before);

        api = await startApi(store.api);
        await checkLog(api, store, acked);
        compared += await expectSameAsRebuild(api, store, round);
      }

      // Posting goes on after the last restart, on every negotiation, and is applied like a rebuild.
      for (const negotiationId of NEGOTIATIONS) {
        const next =
          (await call(api.baseUrl, 'GET', `/negotiations/${negotiationId}`)).body.revision + 1;
        const eventId = randomUUID();
        const answer = await call(
          api.baseUrl,
          'POST',
          `/negotiations/${negotiationId}/events`,
          tariffChanged({ rate: 42 }, { eventId, occurredAt: '2025-03-03' }),
        );
        expect(answer).toEqual({
          status: 201,
          body: expect.objectContaining({ eventId, revision: next }),
        });
        acked.push({ eventId, negotiationId, revision: next });
      }
      await checkLog(api, store, acked);
      compared += await expectSameAsRebuild(api, store, KILLS + 1);

      process.stdout.write(
        `crash-restart on ${name}: ${KILLS} SIGKILLs survived, ${acked.length} acknowledged events checked (acknowledged per round before its kill: ${dropped.join(', ')}), ${CLIENTS} concurrent clients, ${cut} requests cut off by the kills, ${compared} answers compared with a rebuild, nothing lost\n`,
      );
    }, 60_000);
  });
}

describe(`killed with SIGKILL while clients are posting, then started again on the same store`, () => {
  describeCrashRestart('SQLite', describe, aSqliteFile);
  describeCrashRestart(
    'PostgreSQL',
    describeWhenPostgresAnswers(
      'the SIGKILL test on PostgreSQL',
      'test/safety/crash-restart.e2e.spec.ts',
    ),
    aPostgresSchema,
  );
});
