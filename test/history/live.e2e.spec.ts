import { LiveUpdates } from '../../apps/api/src/negotiations/history/live-updates.service';
import { negotiation, tariffChanged } from '../support/requests';
import { RunningApp } from '../support/running-app';
import { SseClient } from '../support/sse-client';

const ID = 'live-talks';
const tariff = (day: number, rate: number) =>
  tariffChanged(
    { measure: `line-${day}`, rate, effectiveAt: `2025-03-${String(day).padStart(2, '0')}` },
    { occurredAt: `2025-03-${String(day).padStart(2, '0')}` },
  );

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('GET /negotiations/:id/live (Server-Sent Events)', () => {
  let app: RunningApp;
  const liveUrl = (id = ID) => `${app.baseUrl}/negotiations/${id}/live`;
  const followers = () => app.app.get(LiveUpdates).followerCount(ID);

  beforeAll(async () => {
    app = await RunningApp.start();
    expect((await app.post('/negotiations', negotiation({ id: ID }))).status).toBe(201);
  });

  afterAll(() => app.destroy());

  describe('given a client subscribed from now on', () => {
    it('sends the current state, then each development as it is recorded, in order, each with its revision and the new state', async () => {
      const client = await SseClient.connect(liveUrl());
      expect(client.status).toBe(200);
      expect(client.contentType).toContain('text/event-stream');
      const initial = await client.next('state');
      expect(initial.data).toMatchObject({
        negotiationId: ID,
        revision: 0,
        tariffs: [],
        talksStatus: 'none',
        openProposals: 0,
      });

      const posted: { eventId: string; recordedAt: string }[] = [];
      for (const day of [1, 2, 3])
        posted.push((await app.post(`/negotiations/${ID}/events`, tariff(day, 10))).body);
      const developments = await client.take(3, 'development');
      expect(developments.map((e) => e.id)).toEqual(['1', '2', '3']);
      expect(developments.map((e): unknown => e.data.eventId)).toEqual(
        posted.map((p) => p.eventId),
      );
      expect(developments[0]!.data).toMatchObject({
        type: 'TariffChanged',
        revision: 1,
        recordedAt: posted[0]!.recordedAt,
        retracted: false,
      });
      expect(client.events.filter((e) => e.type === 'state').at(-1)).toMatchObject({
        id: '3',
        data: { revision: 3, tariffs: [{ imposedBy: 'US', appliedTo: 'CN', total: 30 }] },
      });
      expect(await client.unreadAfter(300, 'development')).toEqual([]);

      client.close();
      await until(() => followers() === 0);
    });
  });

  describe('when a client disconnects and resumes with Last-Event-ID', () => {
    it('receives exactly the developments recorded while it was away, then follows on', async () => {
      const first = await SseClient.connect(liveUrl());
      const base = Number((await first.next('state')).id);
      for (const day of [4, 5, 6]) await app.post(`/negotiations/${ID}/events`, tariff(day, 1));
      const seen = await first.take(3, 'development');
      expect(seen.map((e) => Number(e.id))).toEqual([base + 1, base + 2, base + 3]);
      first.close();
      await until(() => followers() === 0);

      const missed: { eventId: string }[] = [];
      for (const day of [7, 8])
        missed.push((await app.post(`/negotiations/${ID}/events`, tariff(day, 1))).body);

      const resumed = await SseClient.connect(liveUrl(), { 'Last-Event-ID': seen[2]!.id! });
      const caughtUp = await resumed.take(2, 'development');
      expect(caughtUp.map((e): unknown => e.data.eventId)).toEqual(missed.map((m) => m.eventId));
      expect(caughtUp.map((e) => Number(e.id))).toEqual([base + 4, base + 5]);
      expect((await resumed.next('state')).id).toBe(String(base + 5));
      expect(await resumed.unreadAfter(300, 'development')).toEqual([]);

      const after = (await app.post(`/negotiations/${ID}/events`, tariff(9, 1))).body;
      expect((await resumed.next('development')).data.eventId).toBe(after.eventId);
      resumed.close();
      await until(() => followers() === 0);
    });

    it('takes the revision from the lastEventId query parameter too, for a first connection', async () => {
      const client = await SseClient.connect(`${liveUrl()}?lastEventId=0`);
      const all = await client.take(3, 'development');
      expect(all.map((e) => e.id)).toEqual(['1', '2', '3']);
      client.close();
    });
  });

  describe('given a late report and a retraction recorded while a client was away', () => {
    it('sends them in the order they were recorded, the retracted one marked, and a state without it', async () => {
      const id = 'live-late';
      await app.post('/negotiations', negotiation({ id }));
      const events = `/negotiations/${id}/events`;
      await app.post(
        events,
        tariffChanged({ rate: 20, effectiveAt: '2025-03-04' }, { occurredAt: '2025-03-03' }),
      );
      const misreported = (
        await app.post(
          events,
          tariffChanged(
            { measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-10' },
            { occurredAt: '2025-04-09' },
          ),
        )
      ).body;
      const late = (
        await app.post(
          events,
          tariffChanged(
            { measure: 'steel', rate: 25, effectiveAt: '2025-02-01' },
            { occurredAt: '2025-02-01' },
          ),
        )
      ).body;
      await app.post(events, {
        type: 'DevelopmentRetracted',
        occurredAt: '2025-04-20',
        data: { targetEventId: misreported.eventId, reason: 'misreported' },
      });

      const client = await SseClient.connect(liveUrl(id), { 'Last-Event-ID': '1' });
      const missed = await client.take(3, 'development');
      expect(missed.map((e): unknown[] => [e.id, e.data.type, e.data.retracted])).toEqual([
        ['2', 'TariffChanged', true],
        ['3', 'TariffChanged', false],
        ['4', 'DevelopmentRetracted', false],
      ]);
      expect(missed[1]!.data.eventId).toBe(late.eventId);
      expect((await client.next('state')).data).toMatchObject({
        revision: 4,
        tariffs: [{ imposedBy: 'US', appliedTo: 'CN', total: 45 }],
      });
      client.close();
    });
  });

  describe('when the app shuts down with clients connected', () => {
    it('ends their streams instead of keeping the server open', async () => {
      const other = await RunningApp.start();
      await other.post('/negotiations', negotiation({ id: ID }));
      const client = await SseClient.connect(`${other.baseUrl}/negotiations/${ID}/live`);
      await client.next('state');
      const started = Date.now();
      await other.destroy();
      await client.untilEnded(2000);
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });

  describe('when the request is wrong', () => {
    it('answers 404 problem+json for an unknown negotiation', async () => {
      const answer = await app.get('/negotiations/nobody/live');
      expect(answer.status).toBe(404);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ type: '/problems/negotiation-not-found', status: 404 });
    });

    it('answers 400 naming Last-Event-ID when it is not a revision', async () => {
      const answer = await app.request('GET', `/negotiations/${ID}/live`, undefined, {
        'Last-Event-ID': 'abc',
      });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'Last-Event-ID' })]);
    });

    it('answers 400 for an unknown query parameter', async () => {
      const answer = await app.get(`/negotiations/${ID}/live?since=3`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'since' })]);
    });
  });
});

describe('GET /negotiations/:id/live across two API instances on one store', () => {
  let first: RunningApp;
  let second: RunningApp;

  beforeAll(async () => {
    first = await RunningApp.start();
    second = await RunningApp.start({ dbPath: first.dbPath });
  });

  afterAll(async () => {
    await second.stop();
    await first.destroy();
  });

  it("streams a development written through the other instance to this instance's clients", async () => {
    // Opened through the second instance: the first learns of it from the store.
    expect((await second.post('/negotiations', negotiation({ id: ID }))).status).toBe(201);
    const client = await SseClient.connect(`${first.baseUrl}/negotiations/${ID}/live`);
    expect(client.status).toBe(200);
    await client.next('state');

    const written = (await second.post(`/negotiations/${ID}/events`, tariff(1, 10))).body;
    const received = await client.next('development');
    expect(received).toMatchObject({ id: '1', data: { eventId: written.eventId, revision: 1 } });
    expect((await client.next('state')).data).toMatchObject({
      revision: 1,
      tariffs: [{ total: 10 }],
    });
    client.close();
  });
});
