import { randomUUID } from 'node:crypto';
import { negotiation, proposalMade, tariffChanged } from '../support/requests';
import type { HttpAnswer } from '../support/running-app';
import { RunningApp } from '../support/running-app';

/*
 * Many clients racing on one negotiation: the stream's order is never corrupted, nothing is
 * lost, and each conflict is decided once. Also across two app instances on one SQLite file.
 */

const CLIENTS = 50;

interface Listed {
  eventId: string;
  revision: number;
}

async function listAll(app: RunningApp, negotiationId = 'talks'): Promise<Listed[]> {
  const items: Listed[] = [];
  let cursor: string | null = null;
  do {
    const page: HttpAnswer<{ items: Listed[]; nextCursor: string | null }> = await app.get(
      `/negotiations/${negotiationId}/events?includeRetracted=true&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

/**
 * What one instance wrote, the other shows once its subscription delivers it (README, "Many API
 * instances": it polls the file every 100 ms): lists until `count` events are there, for up to 3 s.
 */
async function listOnceDelivered(app: RunningApp, count: number): Promise<Listed[]> {
  const until = Date.now() + 3_000;
  for (;;) {
    const listed = await listAll(app);
    if (listed.length >= count || Date.now() > until) return listed;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function expectGapless(listed: readonly Listed[]): void {
  const revisions = listed.map((e) => e.revision).sort((a, b) => a - b);
  expect(revisions).toEqual(revisions.map((_, i) => i));
}

const statusesOf = (answers: readonly HttpAnswer[]): Record<number, number> =>
  answers.reduce<Record<number, number>>(
    (count, a) => ({ ...count, [a.status]: (count[a.status] ?? 0) + 1 }),
    {},
  );

describe(`${CLIENTS} concurrent clients on one negotiation`, () => {
  let app: RunningApp;

  beforeEach(async () => {
    app = await RunningApp.start();
    expect((await app.post('/negotiations', negotiation())).status).toBe(201);
  });

  afterEach(async () => {
    await app.destroy();
  });

  it('with the same expectedRevision: exactly one is recorded, the others get 409 with the actual revision', async () => {
    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        app.post(
          '/negotiations/talks/events',
          tariffChanged({ rate: i + 1 }, { eventId: randomUUID(), expectedRevision: 0 }),
        ),
      ),
    );

    expect(statusesOf(answers)).toEqual({ 201: 1, 409: CLIENTS - 1 });
    const winner = answers.find((a) => a.status === 201)!;
    expect(winner.body.revision).toBe(1);
    for (const lost of answers.filter((a) => a.status === 409)) {
      expect(lost.contentType).toContain('application/problem+json');
      expect(lost.body).toMatchObject({
        status: 409,
        type: expect.stringContaining('expected-revision-mismatch'),
        actualRevision: 1,
      });
    }
    const listed = await listAll(app);
    expect(listed.map((e) => e.eventId)).toEqual([expect.any(String), winner.body.eventId]);
  });

  it('without expectedRevision: every one is recorded, none lost, revisions gapless', async () => {
    const eventIds = Array.from({ length: CLIENTS }, () => randomUUID());
    const answers = await Promise.all(
      eventIds.map((eventId, i) =>
        i % 10 === 9
          ? app.post('/negotiations/talks/events/batch', {
              events: Array.from({ length: 10 }, (_, k) =>
                tariffChanged(
                  { measure: `line-${i}-${k}` },
                  { eventId: k === 0 ? eventId : randomUUID() },
                ),
              ),
            })
          : app.post(
              '/negotiations/talks/events',
              tariffChanged({ measure: `line-${i}`, rate: i }, { eventId }),
            ),
      ),
    );

    expect(statusesOf(answers)).toEqual({ 201: CLIENTS });
    const answered = answers.flatMap((a) => (a.body.results ?? [a.body]) as Listed[]);
    const listed = await listAll(app);
    expect(listed).toHaveLength(1 + answered.length);
    expectGapless(listed);
    const stored = new Map(listed.map((e) => [e.eventId, e.revision]));
    expect(answered.filter((a) => stored.get(a.eventId) !== a.revision)).toEqual([]);
    for (const eventId of eventIds) expect(stored.has(eventId)).toBe(true);
    expect((await app.get('/negotiations/talks')).body.revision).toBe(answered.length);
  });

  it('racing ProposalMade with one proposalId: exactly one 201, the others 409 proposal-id-in-use', async () => {
    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, () =>
        app.post(
          '/negotiations/talks/events',
          proposalMade({ proposalId: 'one-id' }, { eventId: randomUUID() }),
        ),
      ),
    );

    expect(statusesOf(answers)).toEqual({ 201: 1, 409: CLIENTS - 1 });
    for (const lost of answers.filter((a) => a.status === 409)) {
      expect(lost.body).toMatchObject({
        status: 409,
        type: expect.stringContaining('proposal-id-in-use'),
      });
    }
    const proposals = await app.get('/negotiations/talks/proposals?status=all');
    expect(proposals.body).toHaveLength(1);
    expectGapless(await listAll(app));
    expect((await listAll(app)).length).toBe(2);
  });

  it('racing identical retries of one eventId: one event stored, the others 200 with the same answer', async () => {
    const development = tariffChanged({ rate: 25 }, { eventId: randomUUID() });
    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, () => app.post('/negotiations/talks/events', development)),
    );

    expect(statusesOf(answers)).toEqual({ 201: 1, 200: CLIENTS - 1 });
    const first = answers.find((a) => a.status === 201)!.body;
    expect(first).toMatchObject({
      eventId: development.eventId,
      negotiationId: 'talks',
      revision: 1,
    });
    for (const retry of answers.filter((a) => a.status === 200)) expect(retry.body).toEqual(first);
    const listed = await listAll(app);
    expect(listed.filter((e) => e.eventId === development.eventId)).toHaveLength(1);
    expect(listed).toHaveLength(2);
  });
});

describe('two app instances on one SQLite file', () => {
  let one: RunningApp;
  let two: RunningApp;

  beforeEach(async () => {
    one = await RunningApp.start();
    two = await RunningApp.start({ dbPath: one.dbPath });
    expect((await one.post('/negotiations', negotiation())).status).toBe(201);
  });

  afterEach(async () => {
    await two.stop();
    await one.destroy();
  });

  it('racing with the same expectedRevision through both: exactly one is recorded, the others get 409', async () => {
    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        (i % 2 ? two : one).post(
          '/negotiations/talks/events',
          tariffChanged({ rate: i + 1 }, { eventId: randomUUID(), expectedRevision: 0 }),
        ),
      ),
    );

    expect(statusesOf(answers)).toEqual({ 201: 1, 409: CLIENTS - 1 });
    for (const lost of answers.filter((a) => a.status === 409)) {
      expect(lost.body).toMatchObject({ status: 409, actualRevision: 1 });
    }
    const winner = answers.find((a) => a.status === 201)!.body;
    for (const app of [one, two]) {
      const listed = await listOnceDelivered(app, 2);
      expect(listed.map((e) => e.eventId)).toEqual([expect.any(String), winner.eventId]);
    }
  });

  it('without expectedRevision through both: every one is recorded, none lost, revisions gapless', async () => {
    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        (i % 2 ? two : one).post(
          '/negotiations/talks/events',
          tariffChanged({ measure: `line-${i}` }, { eventId: randomUUID() }),
        ),
      ),
    );

    expect(statusesOf(answers)).toEqual({ 201: CLIENTS });
    for (const app of [one, two]) {
      const listed = await listOnceDelivered(app, CLIENTS + 1);
      expect(listed).toHaveLength(CLIENTS + 1);
      expectGapless(listed);
      const stored = new Map(listed.map((e) => [e.eventId, e.revision]));
      expect(answers.filter((a) => stored.get(a.body.eventId) !== a.body.revision)).toEqual([]);
    }
  });
});
