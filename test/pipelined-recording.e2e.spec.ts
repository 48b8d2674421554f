import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  StoredEvent,
  Subscription,
} from '@parley/event-store';
import { SqliteEventStore, StoreUnavailableError } from '@parley/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  negotiation,
  proposalMade,
  proposalResponded,
  statementMade,
  tariffChanged,
} from './support/requests';
import { RunningApp } from './support/running-app';

/**
 * Posts to one negotiation are pipelined: each is decided against what is committed plus what
 * is decided and still in flight, and answered once its append has committed. These check that
 * nothing of that shows: answers are durable, revisions gapless, dependent posts in flight
 * together both pass, and an append that fails takes none of the others with it.
 */

/**
 * The SQLite store, with appends held back while `hold()` is in force (then made in the order
 * they came, as the store commits them), and the appends of some event ids failing instead.
 */
class GatedStore implements EventStore {
  readonly checksLastEventId = true;
  readonly failing = new Set<string>();
  /** Appends made so far. */
  calls = 0;
  /** The most appends that were made and not yet settled at one time. */
  mostInFlight = 0;
  private inFlight = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  private waiters: Array<{ calls: number; resolve: () => void }> = [];

  constructor(readonly inner: SqliteEventStore) {}

  /** Holds every append from now until release(). */
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
  }

  /** Resolves once `calls` appends have been made. */
  appendsMade(calls: number): Promise<void> {
    return this.calls >= calls
      ? Promise.resolve()
      : new Promise((resolve) => this.waiters.push({ calls, resolve }));
  }

  append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    options?: AppendOptions,
  ): Promise<AppendResult> {
    const fails = events.some((e) => this.failing.has(e.eventId));
    this.calls += 1;
    this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
    const gate = this.gate;
    const result = this.tail
      .then(async () => {
        await gate;
        if (fails) throw new StoreUnavailableError('injected failure');
        return this.inner.append(stream, events, expected, options);
      })
      .finally(() => this.inFlight--);
    this.tail = result.catch(() => undefined);
    for (const waiter of this.waiters.filter((w) => w.calls <= this.calls)) waiter.resolve();
    this.waiters = this.waiters.filter((w) => w.calls > this.calls);
    return result;
  }

  readStream(stream: string, fromRevision?: number): Promise<StoredEvent[]> {
    return this.inner.readStream(stream, fromRevision);
  }

  readAll(after: bigint, limit: number): Promise<StoredEvent[]> {
    return this.inner.readAll(after, limit);
  }

  subscribeToAll(
    after: bigint,
    onEvents: (events: StoredEvent[]) => Promise<void> | void,
  ): Subscription {
    return this.inner.subscribeToAll(after, onEvents);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('pipelined recording', () => {
  let folder: string;
  let dbPath: string;
  const apps: RunningApp[] = [];

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'parley-pipeline-'));
    dbPath = join(folder, 'parley.db');
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  async function start(store?: EventStore): Promise<RunningApp> {
    // No logs: one test makes a 503 on purpose.
    const app = await RunningApp.start(
      store
        ? { store: { store, config: { kind: 'sqlite', path: dbPath } }, logger: false }
        : { dbPath },
    );
    apps.push(app);
    expect((await app.post('/negotiations', negotiation())).status).toBe(201);
    return app;
  }

  it('answers 64 concurrent posts to one negotiation with gapless revisions, every one durable', async () => {
    const app = await start();
    const posts = Array.from({ length: 64 }, (_, i) =>
      app.post(
        '/negotiations/talks/events',
        statementMade(
          { speaker: `speaker ${i}` },
          { occurredAt: `2025-03-${String(1 + (i % 28)).padStart(2, '0')}` },
        ),
      ),
    );
    const answers = await Promise.all(posts);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    expect(answers.map((a) => a.body.revision as number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 64 }, (_, i) => i + 1),
    );
    const state = await app.get('/negotiations/talks/state?asOf=2025-12-31');
    expect(state.body.revision).toBe(64);
    // The store holds each acknowledged development at the revision it was answered with.
    const reader = new SqliteEventStore({ path: dbPath });
    const stored = await reader.readStream('negotiation-talks');
    await reader.close();
    expect(stored).toHaveLength(65);
    for (const answer of answers)
      expect(stored[answer.body.revision]!.eventId).toBe(answer.body.eventId);
  });

  it('decides a post against one still in flight: a response to a proposal not yet committed passes', async () => {
    const store = new GatedStore(new SqliteEventStore({ path: dbPath }));
    const app = await start(store);
    store.hold();
    const proposal = app.post('/negotiations/talks/events', proposalMade());
    await store.appendsMade(2);
    const response = app.post(
      '/negotiations/talks/events',
      proposalResponded({ response: 'accepted' }),
    );
    await store.appendsMade(3);
    // Refused against the accepted response, still in flight too.
    const refused = await app.post(
      '/negotiations/talks/events',
      proposalResponded({ response: 'rejected' }, { occurredAt: '2025-05-03' }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.rule).toBe('proposal-closed');
    store.release();
    const [made, responded] = await Promise.all([proposal, response]);
    expect([made.status, responded.status]).toEqual([201, 201]);
    expect([made.body.revision, responded.body.revision]).toEqual([1, 2]);
    expect(store.mostInFlight).toBe(2);
    const proposals = await app.get('/negotiations/talks/proposals?status=all&asOf=2025-06-01');
    expect(proposals.body).toEqual([
      expect.objectContaining({ proposalId: 'tariff-talks', status: 'accepted' }),
    ]);
  });

  it('forgets a failed append and decides again those made on top of it', async () => {
    const store = new GatedStore(new SqliteEventStore({ path: dbPath }));
    const app = await start(store);
    const failingId = randomUUID();
    store.failing.add(failingId);
    store.hold();
    const proposal = app.post(
      '/negotiations/talks/events',
      proposalMade({}, { eventId: failingId }),
    );
    await store.appendsMade(2);
    // Both decided on top of the proposal in flight: once it fails, decided again without it.
    const response = app.post('/negotiations/talks/events', proposalResponded());
    await store.appendsMade(3);
    const statement = app.post('/negotiations/talks/events', statementMade());
    await store.appendsMade(4);
    store.release();
    const [made, responded, stated] = await Promise.all([proposal, response, statement]);
    expect(made.status).toBe(503);
    expect(responded.status).toBe(422);
    expect(responded.body.rule).toBe('proposal-unknown');
    expect(stated.status).toBe(201);
    expect(stated.body.revision).toBe(1);
    // The write side holds what the store holds: the next post lands at revision 2.
    const next = await app.post('/negotiations/talks/events', tariffChanged());
    expect(next.body.revision).toBe(2);
    const stored = await store.inner.readStream('negotiation-talks');
    expect(stored.map((e) => e.type)).toEqual([
      'NegotiationOpened',
      'StatementMade',
      'TariffChanged',
    ]);
    // And the proposal can be made again, for real this time.
    store.failing.clear();
    expect(
      (await app.post('/negotiations/talks/events', proposalMade({}, { eventId: failingId })))
        .status,
    ).toBe(201);
  });

  it('keeps in-flight developments when a batch is refused, and refuses nothing else', async () => {
    const store = new GatedStore(new SqliteEventStore({ path: dbPath }));
    const app = await start(store);
    store.hold();
    const proposal = app.post('/negotiations/talks/events', proposalMade());
    await store.appendsMade(2);
    const refused = await app.post('/negotiations/talks/events/batch', {
      events: [statementMade(), tariffChanged({ appliedTo: 'EU' })],
    });
    expect(refused.status).toBe(422);
    const response = app.post('/negotiations/talks/events', proposalResponded());
    await store.appendsMade(3);
    store.release();
    const [made, responded] = await Promise.all([proposal, response]);
    expect([made.status, responded.status]).toEqual([201, 201]);
    expect(responded.body.revision).toBe(2);
    expect((await app.get('/negotiations/talks')).body.revision).toBe(2);
  });

  it('waits for appends in flight before judging a client expectedRevision', async () => {
    const store = new GatedStore(new SqliteEventStore({ path: dbPath }));
    const app = await start(store);
    store.hold();
    const first = app.post('/negotiations/talks/events', statementMade());
    await store.appendsMade(2);
    const expecting = app.post(
      '/negotiations/talks/events',
      tariffChanged({}, { expectedRevision: 1 }),
    );
    store.release();
    const [a, b] = await Promise.all([first, expecting]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.revision).toBe(2);
  });
});
