import type { AppsOnStore } from '../support/apps-on-store';
import { negotiation, partyJoined, proposalMade, statementMade, tariffChanged } from '../support/requests';
import type { RunningApp } from '../support/running-app';

export function describeEventsListing(apps: AppsOnStore): void {
  describe(`GET /negotiations/:id/events (${apps.storeName})`, () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await apps.start();
      await app.post('/negotiations', negotiation());
      await app.post('/negotiations/talks/events', tariffChanged({}, { occurredAt: '2025-03-03' }));
      await app.post('/negotiations/talks/events', statementMade({}, { occurredAt: '2025-04-30' }));
      await app.post('/negotiations/talks/events', partyJoined('EU', 'European Union', { occurredAt: '2025-02-10' }));
      await app.post('/negotiations/talks/events', proposalMade({ to: ['CN', 'EU'] }, { occurredAt: '2025-05-01' }));
      await app.post('/negotiations/talks/events', tariffChanged({ rate: 20 }, { occurredAt: '2025-03-03' }));
    });

    afterAll(() => app.destroy());

    const revisions = (body: { items: { revision: number }[] }) => body.items.map((i) => i.revision);

    it('lists every development in (occurredAt, revision) order, NegotiationOpened included', async () => {
      const answer = await app.get('/negotiations/talks/events');
      expect(answer.status).toBe(200);
      expect(revisions(answer.body)).toEqual([0, 3, 1, 5, 2, 4]);
      expect(answer.body.nextCursor).toBeNull();
      expect(answer.body.items[1]).toEqual({
        type: 'PartyJoined',
        eventId: expect.any(String),
        occurredAt: '2025-02-10T00:00:00.000Z',
        occurredPrecision: 'day',
        data: { party: { code: 'EU', name: 'European Union' } },
        negotiationId: 'talks',
        revision: 3,
        recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        retracted: false,
        // A report with no source and nothing judging it (contract v1.1, Evidence).
        evidence: { status: 'reported', sources: [], confirmedBy: [], disputedBy: [] },
      });
    });

    it('pages with limit and nextCursor without gaps or repeats', async () => {
      const seen: number[] = [];
      let path = '/negotiations/talks/events?limit=4';
      for (let pages = 0; pages < 5; pages++) {
        const answer = await app.get(path);
        seen.push(...revisions(answer.body));
        if (!answer.body.nextCursor) break;
        path = `/negotiations/talks/events?limit=4&cursor=${answer.body.nextCursor}`;
      }
      expect(seen).toEqual([0, 3, 1, 5, 2, 4]);
    });

    it('filters by occurredAt range (inclusive, date-only to = end of day), type and party', async () => {
      expect(revisions((await app.get('/negotiations/talks/events?from=2025-03-03&to=2025-04-30')).body)).toEqual([1, 5, 2]);
      expect(revisions((await app.get('/negotiations/talks/events?type=TariffChanged,PartyJoined')).body)).toEqual([3, 1, 5]);
      expect(revisions((await app.get('/negotiations/talks/events?party=EU')).body)).toEqual([3, 4]);
    });

    it('with knownAt lists only what had been recorded by then', async () => {
      const all = await app.get('/negotiations/talks/events');
      const thirdRecordedAt = all.body.items.find((i: { revision: number }) => i.revision === 2).recordedAt as string;
      const then = await app.get(`/negotiations/talks/events?knownAt=${thirdRecordedAt}`);
      const recordedByThen = all.body.items
        .filter((i: { recordedAt: string }) => i.recordedAt <= thirdRecordedAt)
        .map((i: { revision: number }) => i.revision);
      expect(recordedByThen.length).toBeLessThan(all.body.items.length);
      expect(revisions(then.body)).toEqual(recordedByThen);
    });
  });
}
