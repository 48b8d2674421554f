import { randomUUID } from 'node:crypto';
import type { AppsOnStore } from '../support/apps-on-store';
import { negotiation, partyJoined, proposalMade, retraction, tariffChanged } from '../support/requests';
import type { RunningApp } from '../support/running-app';

export function describeRecording(apps: AppsOnStore): void {
  describe(`recording developments through HTTP (${apps.storeName})`, () => {
    let app: RunningApp;
    const revisionOf = async (id = 'talks') => (await app.get(`/negotiations/${id}`)).body.revision as number;

    beforeEach(async () => {
      app = await apps.start();
      expect((await app.post('/negotiations', negotiation())).status).toBe(201);
    });

    afterEach(() => app.destroy());

    describe('opening a negotiation', () => {
      it('answers 201 with revision 0, then 409 for the same id', async () => {
        const again = await app.post('/negotiations', negotiation());
        expect(again.status).toBe(409);
        expect(again.contentType).toContain('application/problem+json');
        expect(again.body.rule).toBe('negotiation-exists');
        expect(await revisionOf()).toBe(0);
      });

      it('refuses a party listed twice, naming it', async () => {
        const answer = await app.post('/negotiations', negotiation({ id: 'twice', parties: [{ code: 'US', name: 'a' }, { code: 'US', name: 'b' }] }));
        expect(answer.status).toBe(400);
        expect(answer.body.errors).toEqual([{ path: 'parties[1].code', message: expect.stringContaining('twice') }]);
        expect((await app.get('/negotiations/twice')).status).toBe(404);
      });
    });

    describe('when an eventId is posted again', () => {
      it('with the same content, answers 200 with the first answer and appends nothing', async () => {
        const eventId = randomUUID();
        const first = await app.post('/negotiations/talks/events', tariffChanged({}, { eventId }));
        // Same content with another key order and the same date written as a date-time.
        const { data, ...envelope } = tariffChanged({}, { eventId, occurredAt: '2025-02-01T00:00:00Z' });
        const second = await app.post('/negotiations/talks/events', { data: { ...data }, ...envelope });
        expect(first.status).toBe(201);
        expect(second.status).toBe(200);
        expect(second.body).toEqual(first.body);
        expect(await revisionOf()).toBe(1);
      });

      it('with other content, answers 409 naming eventId and appends nothing', async () => {
        const eventId = randomUUID();
        await app.post('/negotiations/talks/events', tariffChanged({}, { eventId }));
        const clash = await app.post('/negotiations/talks/events', tariffChanged({ rate: 20 }, { eventId }));
        expect(clash.status).toBe(409);
        expect(clash.body.errors[0].path).toBe('eventId');
        expect(await revisionOf()).toBe(1);
      });
    });

    describe('with expectedRevision', () => {
      it('appends when it matches and answers 409 with the actual revision when it does not', async () => {
        expect((await app.post('/negotiations/talks/events', tariffChanged({}, { expectedRevision: 0 }))).status).toBe(201);
        const stale = await app.post('/negotiations/talks/events', tariffChanged({ rate: 20 }, { expectedRevision: 0 }));
        expect(stale.status).toBe(409);
        expect(stale.body.actualRevision).toBe(1);
        expect(stale.body.detail).toContain('revision 1');
        expect(await revisionOf()).toBe(1);
      });
    });

    describe('a batch', () => {
      it('is all or nothing: one refused member writes none, and the refusal names it', async () => {
        const answer = await app.post('/negotiations/talks/events/batch', {
          events: [tariffChanged(), tariffChanged({ rate: 20 }), tariffChanged({ appliedTo: 'EU' })],
        });
        expect(answer.status).toBe(422);
        expect(answer.body.rule).toBe('party-unknown');
        expect(answer.body.errors[0].path).toBe('events[2].data.appliedTo');
        expect(await revisionOf()).toBe(0);
      });

      it('lets later members see earlier ones', async () => {
        const answer = await app.post('/negotiations/talks/events/batch', {
          events: [partyJoined('EU', 'European Union'), tariffChanged({ imposedBy: 'EU', appliedTo: 'US' })],
        });
        expect(answer.status).toBe(201);
        expect(answer.body).toEqual({
          revision: 2,
          results: [
            { eventId: expect.any(String), revision: 1 },
            { eventId: expect.any(String), revision: 2 },
          ],
        });
        const tariffs = await app.get('/negotiations/talks/tariffs?asOf=2025-03-01');
        expect(tariffs.body.map((t: { imposedBy: string }) => t.imposedBy)).toEqual(['EU']);
      });

      it('checks the batch expectedRevision', async () => {
        const answer = await app.post('/negotiations/talks/events/batch', { events: [tariffChanged()], expectedRevision: 3 });
        expect(answer.status).toBe(409);
        expect(answer.body.actualRevision).toBe(0);
      });

      it('validates every member, naming each offending field by its index', async () => {
        const answer = await app.post('/negotiations/talks/events/batch', {
          events: [tariffChanged(), tariffChanged({ rate: -1 }), { type: 'Nope', occurredAt: '2025-01-01', data: {} }],
        });
        expect(answer.status).toBe(400);
        expect(answer.body.errors.map((e: { path: string }) => e.path)).toEqual(['events[1].data.rate', 'events[2].type']);
      });
    });

    describe('the three clocks', () => {
      it('places a late report in valid time, but not in what was known before it was recorded', async () => {
        await app.post('/negotiations/talks/events', tariffChanged({ rate: 20, effectiveAt: '2025-03-04' }, { occurredAt: '2025-03-03' }));
        const beforeLateReport = new Date().toISOString();
        await new Promise((r) => setTimeout(r, 5));
        // Learned later: a 10% line in February.
        await app.post('/negotiations/talks/events', tariffChanged({ measure: 'other', rate: 10, effectiveAt: '2025-02-04' }, { occurredAt: '2025-02-01' }));
        const now = await app.get('/negotiations/talks/tariffs?asOf=2025-02-10');
        expect(now.body[0].total).toBe(10);
        const then = await app.get(`/negotiations/talks/tariffs?asOf=2025-02-10&knownAt=${beforeLateReport}`);
        expect(then.body).toEqual([]);
        const state = await app.get(`/negotiations/talks/state?knownAt=${beforeLateReport}`);
        expect(state.body.revision).toBe(1);
        expect(state.body.knownAt).toBe(beforeLateReport);
      });

      it('removes a retracted report from every asOf, for knownAt at or after the retraction', async () => {
        const reported = await app.post('/negotiations/talks/events', proposalMade());
        const beforeRetraction = new Date().toISOString();
        await new Promise((r) => setTimeout(r, 5));
        const retracted = await app.post('/negotiations/talks/events', retraction(reported.body.eventId));
        expect(retracted.status).toBe(201);
        expect((await app.get('/negotiations/talks/proposals?asOf=2025-05-02')).body).toEqual([]);
        const believedThen = await app.get(`/negotiations/talks/proposals?asOf=2025-05-02&knownAt=${beforeRetraction}`);
        expect(believedThen.body.map((p: { proposalId: string }) => p.proposalId)).toEqual(['tariff-talks']);
        const listed = await app.get('/negotiations/talks/events?type=ProposalMade&includeRetracted=true');
        expect(listed.body.items).toEqual([expect.objectContaining({ eventId: reported.body.eventId, retracted: true })]);
        expect((await app.get('/negotiations/talks/events?type=ProposalMade')).body.items).toEqual([]);
        const twice = await app.post('/negotiations/talks/events', retraction(reported.body.eventId));
        expect(twice.status).toBe(422);
        expect(twice.body.rule).toBe('retraction-target-already-retracted');
      });
    });

    it('answers 404 for developments posted to an unknown negotiation', async () => {
      const answer = await app.post('/negotiations/nowhere/events', tariffChanged());
      expect(answer.status).toBe(404);
      expect(answer.contentType).toContain('application/problem+json');
    });
  });
}
