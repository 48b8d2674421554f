/**
 * Nothing stored can break a read (issue 11): whatever a store holds (written by an older
 * version, by hand, or by another tool), every read of its negotiation answers, unreadable
 * developments are listed as stored and left out of every fold, and they can be retracted.
 */
import type { NewEvent, StoredEvent } from '@parley/event-store';
import { SqliteEventStore } from '@parley/event-store';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningApp } from '../support/running-app';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'us-china-2025.ndjson');
const exampleLines = readFileSync(EXAMPLE, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Record<string, unknown> & { type: string });

/** Every read of one negotiation a client can make, with the history endpoints. */
const READS = [
  '',
  '/state',
  '/state?asOf=2025-04-10',
  '/state?knownAt=2999-12-31',
  '/tariffs',
  '/talks',
  '/proposals?status=all',
  '/events?includeRetracted=true&limit=1000',
  '/changes?from=2025-01-01&to=2025-12-31',
  '/tariffs/history?imposedBy=US&appliedTo=CN',
  '/replay?to=2025-12-31&limit=1000',
];

const opened = (id: string, at = '2025-01-01T00:00:00.000Z'): NewEvent => ({
  type: 'NegotiationOpened',
  eventId: randomUUID(),
  data: {
    occurredAt: at,
    data: {
      title: 'Stored by hand',
      parties: [
        { code: 'US', name: 'United States' },
        { code: 'CN', name: 'China' },
      ],
    },
  },
});

describe('a store holding developments that break the contract', () => {
  let dir: string;
  let app: RunningApp;
  /** A second handle on the app's file, as another tool or an older version writing to it. */
  let store: SqliteEventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-stored-'));
    const dbPath = join(dir, 'parley.db');
    store = new SqliteEventStore({ path: dbPath });
    // Written before the app starts: what an older version left in the database.
    await store.append(
      'negotiation-poisoned',
      [
        opened('poisoned'),
        {
          type: 'TalksHeld',
          eventId: '7d0f7c6e-0000-4000-8000-000000000001',
          // What the version before this one stored for "outcome": null.
          data: {
            occurredAt: '2025-01-05T00:00:00.000Z',
            reportedAt: null,
            summary: null,
            source: null,
            data: { participants: ['US', 'CN'], outcome: null },
          },
        },
        {
          type: 'TalksHeld',
          eventId: '7d0f7c6e-0000-4000-8000-000000000002',
          data: {
            occurredAt: '2025-01-06T00:00:00.000Z',
            data: { participants: ['US', 'CN'], outcome: 'postponed' },
          },
        },
        {
          type: 'TariffsPostponed',
          eventId: '7d0f7c6e-0000-4000-8000-000000000003',
          data: { occurredAt: 'sometime', data: { rate: 'high' } },
        },
      ],
      'no-stream',
    );
    await store.append(
      'negotiation-off-calendar',
      [
        opened('off-calendar'),
        {
          type: 'TariffChanged',
          eventId: '7d0f7c6e-0000-4000-8000-000000000004',
          // It matches the pattern of a time, but there is no 30 February.
          data: {
            occurredAt: '2025-02-01T00:00:00.000Z',
            data: {
              imposedBy: 'US',
              appliedTo: 'CN',
              measure: 'reciprocal',
              rate: 10,
              effectiveAt: '2025-02-30T00:00:00.000Z',
              coverage: 'all-goods',
            },
          },
        },
      ],
      'no-stream',
    );
    app = await RunningApp.start({ dbPath, logger: false });
  });

  afterAll(async () => {
    await app.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(READS)('answers GET /negotiations/poisoned%s with 200', async (read) => {
    const answer = await app.get(`/negotiations/poisoned${read}`);
    expect({ read, status: answer.status }).toEqual({ read, status: 200 });
  });

  it('reads the nulls an older version stored as absent: the round counts, the talks are ongoing', async () => {
    const talks = await app.get('/negotiations/poisoned/talks');
    expect(talks.body).toMatchObject({ status: 'ongoing', rounds: 1 });
    const log = await app.get('/negotiations/poisoned/events?type=TalksHeld');
    expect(log.body.items[0]).toEqual({
      type: 'TalksHeld',
      eventId: '7d0f7c6e-0000-4000-8000-000000000001',
      occurredAt: '2025-01-05T00:00:00.000Z',
      // Stored before v1.1 with a canonical time: its precision reads as the instant it says.
      occurredPrecision: 'instant',
      data: { participants: ['US', 'CN'] },
      negotiationId: 'poisoned',
      revision: 1,
      recordedAt: expect.any(String),
      retracted: false,
      // Its source and summary were stored as null: no originating source to count.
      evidence: { status: 'reported', sources: [], confirmedBy: [], disputedBy: [] },
    });
  });

  it('lists an unreadable development as stored, saying why, under the type it was stored as', async () => {
    const log = await app.get('/negotiations/poisoned/events?limit=1000');
    expect(log.body.items.slice(2)).toEqual([
      expect.objectContaining({
        type: 'TalksHeld',
        revision: 2,
        data: { participants: ['US', 'CN'], outcome: 'postponed' },
        unreadable: expect.stringContaining('data.outcome'),
      }),
      expect.objectContaining({
        type: 'TariffsPostponed',
        revision: 3,
        // No readable date: it sorts where it was recorded.
        occurredAt: log.body.items[3]?.recordedAt,
        data: { rate: 'high' },
        unreadable: 'no development type is called TariffsPostponed',
      }),
    ]);
    const byType = await app.get('/negotiations/poisoned/events?type=TalksHeld');
    expect(byType.body.items.map((i: { revision: number }) => i.revision)).toEqual([1, 2]);
  });

  it('leaves unreadable developments out of the state of play but counts them in the revision', async () => {
    const state = await app.get('/negotiations/poisoned/state');
    expect(state.body).toMatchObject({ revision: 3, talks: { rounds: 1, status: 'ongoing' } });
  });

  it('reads stored times with the time parser: one off the calendar makes its development unreadable', async () => {
    const log = await app.get('/negotiations/off-calendar/events?type=TariffChanged');
    expect(log.body.items).toEqual([
      expect.objectContaining({ revision: 1, unreadable: 'data.effectiveAt is not a real time' }),
    ]);
    expect((await app.get('/negotiations/off-calendar/tariffs')).body).toEqual([]);
  });

  describe('when an unreadable development is retracted', () => {
    let before: string;

    beforeAll(async () => {
      before = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const answer = await app.post('/negotiations/poisoned/events', {
        type: 'DevelopmentRetracted',
        occurredAt: '2025-01-07',
        data: { targetEventId: '7d0f7c6e-0000-4000-8000-000000000002', reason: 'misreported' },
      });
      expect(answer.status).toBe(201);
    });

    it('is listed as retracted from then on, and reads known before the retraction still answer', async () => {
      const now = await app.get('/negotiations/poisoned/events?includeRetracted=true');
      expect(now.body.items.find((i: { revision: number }) => i.revision === 2)).toMatchObject({
        retracted: true,
      });
      for (const read of READS) {
        const sep = read.includes('?') ? '&' : '?';
        const answer = await app.get(`/negotiations/poisoned${read}${sep}knownAt=${before}`);
        if (read === '' || read.includes('knownAt')) continue; // no knownAt there, or already given
        expect({ read, status: answer.status }).toEqual({ read, status: 200 });
      }
    });
  });

  describe('any JSON in any stored field', () => {
    let base: StoredEvent[];

    beforeAll(async () => {
      // The example, recorded through the API, is the starting point of every mutation.
      const [openedLine, ...rest] = exampleLines;
      const { data } = openedLine as unknown as { data: Record<string, unknown> };
      expect(
        (
          await app.post('/negotiations', {
            id: 'example',
            ...data,
            openedAt: openedLine!.occurredAt,
          })
        ).status,
      ).toBe(201);
      expect((await app.post('/negotiations/example/events/batch', { events: rest })).status).toBe(
        201,
      );
      base = await store.readStream('negotiation-example', 0);
    });

    /** A JSON path into a stored event: the envelope's type, or a path into what it stores. */
    const mutation = fc.record({
      event: fc.nat(),
      pick: fc.nat(),
      value: fc.oneof(fc.jsonValue(), fc.constant(null), fc.string(), fc.constant([])),
      ofType: fc.boolean(),
    });

    /** Every path to a value inside `value`, objects and arrays included. */
    function pathsOf(value: unknown, path: (string | number)[] = []): (string | number)[][] {
      const here = path.length ? [path] : [];
      if (Array.isArray(value))
        return [...here, ...value.flatMap((v, i) => pathsOf(v, [...path, i]))];
      if (value && typeof value === 'object') {
        return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...path, k]))];
      }
      return here;
    }

    function setAt(target: unknown, path: (string | number)[], value: unknown): void {
      let node = target as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      node[path[path.length - 1]!] = value;
    }

    let runs = 0;

    it('never makes a read of its negotiation fail', async () => {
      await fc.assert(
        fc.asyncProperty(mutation, async ({ event, pick, value, ofType }) => {
          const id = `mutated-${runs++}`;
          // Fresh event ids, as eventIds are unique across negotiations; retractions follow them.
          const ids = new Map(base.map((e) => [e.eventId, randomUUID()]));
          const copy: NewEvent[] = base.map((e) => ({
            type: e.type,
            eventId: ids.get(e.eventId)!,
            data: JSON.parse(
              JSON.stringify(e.data).replace(/[0-9a-f-]{36}/g, (m) => ids.get(m) ?? m),
            ) as Record<string, unknown>,
          }));
          const target = copy[event % copy.length]!;
          if (ofType) target.type = typeof value === 'string' ? value : JSON.stringify(value);
          else {
            const paths = pathsOf(target.data);
            setAt(target.data, paths[pick % paths.length]!, value);
          }
          await store.append(`negotiation-${id}`, copy, 'no-stream');
          // The app follows the file like another instance: wait until it has the whole stream.
          const last = copy.length - 1;
          for (let tries = 0; ; tries++) {
            const seen = await app.get(`/negotiations/${id}/events?limit=1&knownAt=2999-01-01`);
            if (seen.status >= 500) throw new Error(`events answered ${seen.status}`);
            const state = await app.get(`/negotiations/${id}/state`);
            if (state.status === 200 && state.body.revision === last) break;
            if (tries > 200) throw new Error(`negotiation ${id} never reached revision ${last}`);
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          for (const read of READS) {
            const answer = await app.get(`/negotiations/${id}${read}`);
            if (answer.status !== 200) {
              throw new Error(
                `GET ${read} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
              );
            }
          }
        }),
        { numRuns: 60 },
      );
      // 60 copies of the example, each followed and read 11 ways: 27 s alone, over 30 s beside other suites.
    }, 120_000);
  });
});
