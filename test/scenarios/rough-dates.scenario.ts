import { randomUUID } from 'node:crypto';
import type { AppsOnStore } from '../support/apps-on-store';
import { negotiation, statementMade, tariffChanged } from '../support/requests';
import type { RunningApp } from '../support/running-app';

/**
 * Contract v1.1, "Dates known roughly", end to end: occurredAt as a month or a year, folded and
 * listed at the start of its period; occurredPrecision in every answer that lists a development;
 * the forms refused everywhere else; the future rule on the start; idempotency and restarts.
 */

/** The contract's example: Reuters reported on 23 April that officials "had engaged in direct talks". */
const reutersTalks = (envelope: Record<string, unknown> = {}) => ({
  type: 'TalksHeld',
  occurredAt: '2025-04',
  reportedAt: '2025-04-23',
  source: { name: 'Reuters', attribution: 'unnamed-sources' },
  summary: 'Officials had engaged in direct talks, embassy staff and the NSC',
  ...envelope,
  data: { participants: ['US', 'CN'], level: 'embassy' },
});

type Listed = { eventId: string; type: string; occurredAt: string; occurredPrecision: string; revision: number };

/** A month, as YYYY-MM, `months` after the current month of the machine clock (the app's clock). */
function monthFromNow(months: number): string {
  const now = new Date();
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, 1));
  return month.toISOString().slice(0, 7);
}

export function describeRoughDates(apps: AppsOnStore): void {
  describe(`dates known roughly (${apps.storeName})`, () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await apps.start();
      expect((await app.post('/negotiations', negotiation())).status).toBe(201);
    });

    afterAll(() => app.destroy());

    const post = (body: unknown) => app.post('/negotiations/talks/events', body);
    const revision = async (): Promise<number> => (await app.get('/negotiations/talks')).body.revision;
    const listed = async (eventId: string): Promise<Listed> => {
      const answer = await app.get('/negotiations/talks/events?limit=1000');
      const item = (answer.body.items as Listed[]).find((i) => i.eventId === eventId);
      if (!item) throw new Error(`${eventId} is not listed`);
      return item;
    };

    describe('the contract example: the Reuters talks recorded as occurredAt "2025-04"', () => {
      let eventId: string;

      beforeAll(async () => {
        const recorded = await post(reutersTalks());
        expect(recorded.status).toBe(201);
        eventId = recorded.body.eventId;
      });

      it('lists the round from 2025-04-01, not before', async () => {
        expect((await app.get('/negotiations/talks/talks?asOf=2025-03-31')).body).toMatchObject({ rounds: 0, lastRoundAt: null });
        expect((await app.get('/negotiations/talks/talks?asOf=2025-04-01')).body).toMatchObject({
          rounds: 1,
          lastRoundAt: '2025-04-01T00:00:00.000Z',
          status: 'ongoing',
        });
      });

      it('/events lists occurredAt as a full UTC time with occurredPrecision "month"', async () => {
        expect(await listed(eventId)).toMatchObject({
          type: 'TalksHeld',
          occurredAt: '2025-04-01T00:00:00.000Z',
          occurredPrecision: 'month',
          reportedAt: '2025-04-23T00:00:00.000Z',
        });
      });

      it('/changes and /replay list it the same way, in the range that holds 1 April', async () => {
        const changes = await app.get('/negotiations/talks/changes?from=2025-03-31&to=2025-04-30');
        expect(changes.status).toBe(200);
        expect((changes.body.developments as Listed[]).find((d) => d.eventId === eventId)).toMatchObject({
          occurredAt: '2025-04-01T00:00:00.000Z',
          occurredPrecision: 'month',
        });
        const replay = await app.get('/negotiations/talks/replay?from=2025-03-31&to=2025-04-30');
        expect(replay.status).toBe(200);
        const step = (replay.body.items as { development: Listed }[]).find((i) => i.development.eventId === eventId);
        expect(step?.development).toMatchObject({ occurredAt: '2025-04-01T00:00:00.000Z', occurredPrecision: 'month' });
        const before = await app.get('/negotiations/talks/changes?from=2025-01-01&to=2025-03-31');
        expect((before.body.developments as Listed[]).map((d) => d.eventId)).not.toContain(eventId);
      });

      it('is in an occurredAt range that holds the start of its month, and not in one ending before it', async () => {
        const ids = async (path: string) => ((await app.get(path)).body.items as Listed[]).map((i) => i.eventId);
        expect(await ids('/negotiations/talks/events?from=2025-04-01&to=2025-04-01')).toContain(eventId);
        expect(await ids('/negotiations/talks/events?to=2025-03-31')).not.toContain(eventId);
        expect(await ids('/negotiations/talks/events?from=2025-04-02')).not.toContain(eventId);
      });
    });

    describe('each form of occurredAt, with the precision /events gives it', () => {
      it.each<[string, Record<string, unknown>, string, string]>([
        ['a year', { occurredAt: '2025' }, '2025-01-01T00:00:00.000Z', 'year'],
        ['a month', { occurredAt: '2025-03' }, '2025-03-01T00:00:00.000Z', 'month'],
        ['a day', { occurredAt: '2025-03-15' }, '2025-03-15T00:00:00.000Z', 'day'],
        ['a date-time in UTC', { occurredAt: '2025-03-15T10:30Z' }, '2025-03-15T10:30:00.000Z', 'instant'],
        ['a date-time with an offset', { occurredAt: '2025-03-15T12:01:00+08:00' }, '2025-03-15T04:01:00.000Z', 'instant'],
        ['approximate with a year', { occurredAt: '2025', occurredPrecision: 'approximate' }, '2025-01-01T00:00:00.000Z', 'approximate'],
        ['approximate with a month', { occurredAt: '2025-03', occurredPrecision: 'approximate' }, '2025-03-01T00:00:00.000Z', 'approximate'],
        ['approximate with a day ("around mid-March")', { occurredAt: '2025-03-15', occurredPrecision: 'approximate' }, '2025-03-15T00:00:00.000Z', 'approximate'],
        ['approximate with a date-time', { occurredAt: '2025-03-15T12:00:00-04:00', occurredPrecision: 'approximate' }, '2025-03-15T16:00:00.000Z', 'approximate'],
      ])('%s', async (_form, envelope, occurredAt, occurredPrecision) => {
        const recorded = await post(statementMade({}, envelope));
        expect(recorded.status).toBe(201);
        expect(await listed(recorded.body.eventId)).toMatchObject({ occurredAt, occurredPrecision });
      });
    });

    describe('refused with a 400 naming the field, and nothing written', () => {
      it.each<[string, unknown, string]>([
        ['an impossible month', statementMade({}, { occurredAt: '2025-13' }), 'occurredAt'],
        ['month 00', statementMade({}, { occurredAt: '2025-00' }), 'occurredAt'],
        ['a one-digit month', statementMade({}, { occurredAt: '2025-4' }), 'occurredAt'],
        ['a quarter', statementMade({}, { occurredAt: '2025-Q2' }), 'occurredAt'],
        ['a two-digit year', statementMade({}, { occurredAt: '25' }), 'occurredAt'],
        ['occurredPrecision month (it follows from the form)', statementMade({}, { occurredAt: '2025-03', occurredPrecision: 'month' }), 'occurredPrecision'],
        ['occurredPrecision day', statementMade({}, { occurredPrecision: 'day' }), 'occurredPrecision'],
        ['occurredPrecision year', statementMade({}, { occurredAt: '2025', occurredPrecision: 'year' }), 'occurredPrecision'],
        ['occurredPrecision instant', statementMade({}, { occurredPrecision: 'instant' }), 'occurredPrecision'],
        ['occurredPrecision in other words', statementMade({}, { occurredPrecision: 'roughly' }), 'occurredPrecision'],
        ['occurredPrecision not a string', statementMade({}, { occurredPrecision: true }), 'occurredPrecision'],
        ['reportedAt as a month', statementMade({}, { reportedAt: '2025-04' }), 'reportedAt'],
        ['reportedAt as a year', statementMade({}, { reportedAt: '2025' }), 'reportedAt'],
        ['effectiveAt as a month', tariffChanged({ effectiveAt: '2025-04' }), 'data.effectiveAt'],
        ['effectiveAt as a year', tariffChanged({ effectiveAt: '2025' }), 'data.effectiveAt'],
        ['scheduledFor as a month', { type: 'TalksScheduled', occurredAt: '2025-04-01', data: { scheduledFor: '2025-05' } }, 'data.scheduledFor'],
        ['an agreement effective in a year', { type: 'AgreementReached', occurredAt: '2025-04-01', data: { parties: ['US', 'CN'], summary: 'A deal', effectiveAt: '2025' } }, 'data.effectiveAt'],
      ])('%s', async (_case, body, path) => {
        const before = await revision();
        const answer = await post(body);
        expect(answer.status).toBe(400);
        expect(answer.contentType).toContain('application/problem+json');
        expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(path);
        expect(await revision()).toBe(before);
      });

      it('in a batch, naming the member, and nothing of the batch is written', async () => {
        const before = await revision();
        const answer = await app.post('/negotiations/talks/events/batch', {
          events: [statementMade({}, { occurredAt: '2025-04' }), statementMade({}, { occurredAt: '2025-13' }), statementMade({}, { occurredPrecision: 'month' })],
        });
        expect(answer.status).toBe(400);
        expect(answer.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['events[1].occurredAt', 'events[2].occurredPrecision']));
        expect(await revision()).toBe(before);
        const good = await app.post('/negotiations/talks/events/batch', {
          events: [statementMade({}, { occurredAt: '2025-04' }), statementMade({}, { occurredAt: '2025', occurredPrecision: 'approximate' })],
        });
        expect(good.status).toBe(201);
        const [month, year] = good.body.results as { eventId: string }[];
        expect(await listed(month!.eventId)).toMatchObject({ occurredPrecision: 'month' });
        expect(await listed(year!.eventId)).toMatchObject({ occurredAt: '2025-01-01T00:00:00.000Z', occurredPrecision: 'approximate' });
      });

      it.each<[string, string]>([
        ['/negotiations/talks/state?asOf=2025-04', 'asOf'],
        ['/negotiations/talks/state?knownAt=2025', 'knownAt'],
        ['/negotiations/talks/tariffs?asOf=2025', 'asOf'],
        ['/negotiations/talks/talks?knownAt=2025-04', 'knownAt'],
        ['/negotiations/talks/proposals?asOf=2025-04', 'asOf'],
        ['/negotiations/talks/events?from=2025-04', 'from'],
        ['/negotiations/talks/events?to=2025', 'to'],
        ['/negotiations/talks/events?knownAt=2025-04', 'knownAt'],
        ['/negotiations/talks/changes?from=2025-04', 'from'],
        ['/negotiations/talks/changes?to=2025-05', 'to'],
        ['/negotiations/talks/changes?knownAt=2025', 'knownAt'],
        ['/negotiations/talks/tariffs/history?imposedBy=US&appliedTo=CN&from=2025', 'from'],
        ['/negotiations/talks/replay?to=2025-12', 'to'],
      ])('the query %s', async (path, field) => {
        const answer = await app.get(path);
        expect(answer.status).toBe(400);
        expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(field);
      });

      it('openedAt of a new negotiation as a month (it is the day the tracker opens it from)', async () => {
        const answer = await app.post('/negotiations', negotiation({ id: 'opened-in-april', openedAt: '2025-04' }));
        expect(answer.status).toBe(400);
        expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain('openedAt');
        expect((await app.get('/negotiations/opened-in-april')).status).toBe(404);
      });
    });

    describe('the opening of a negotiation', () => {
      it.each<[string, string | undefined, string]>([
        ['a date', '2025-01-01', 'day'],
        ['a date-time', '2025-01-01T09:30:00+01:00', 'instant'],
        ['nothing (when it is recorded)', undefined, 'instant'],
      ])('opened at %s is listed with occurredPrecision %s', async (_form, openedAt, occurredPrecision) => {
        const id = `opened-${occurredPrecision}-${randomUUID().slice(0, 8)}`;
        expect((await app.post('/negotiations', negotiation({ id, openedAt }))).status).toBe(201);
        const items = (await app.get(`/negotiations/${id}/events`)).body.items as Listed[];
        expect(items).toEqual([expect.objectContaining({ type: 'NegotiationOpened', occurredPrecision })]);
      });
    });

    describe('the future rule, on the start of the period', () => {
      it('refuses a month that starts more than a day ahead (422 naming occurredAt)', async () => {
        const before = await revision();
        const answer = await post(statementMade({}, { occurredAt: monthFromNow(2) }));
        expect(answer.status).toBe(422);
        expect(answer.body.errors.map((e: { path: string }) => e.path)).toEqual(['occurredAt']);
        expect(await revision()).toBe(before);
      });

      it('refuses a year that starts more than a day ahead, and accepts the month and the year under way', async () => {
        // The year after next: next year may start within a day of now (on 31 December).
        const yearAfterNext = String(new Date().getUTCFullYear() + 2);
        expect((await post(statementMade({}, { occurredAt: yearAfterNext }))).status).toBe(422);
        const month = await post(statementMade({}, { occurredAt: monthFromNow(0) }));
        expect(month.status).toBe(201);
        expect(await listed(month.body.eventId)).toMatchObject({
          occurredAt: `${monthFromNow(0)}-01T00:00:00.000Z`,
          occurredPrecision: 'month',
        });
        const year = await post(statementMade({}, { occurredAt: String(new Date().getUTCFullYear()) }));
        expect(year.status).toBe(201);
      });
    });

    describe('posting the same eventId again', () => {
      it('with the same month answers 200 with the first answer and appends nothing', async () => {
        const eventId = randomUUID();
        const first = await post(reutersTalks({ eventId }));
        const again = await post(reutersTalks({ eventId }));
        expect(first.status).toBe(201);
        expect(again.status).toBe(200);
        expect(again.body).toEqual(first.body);
        expect(await revision()).toBe(first.body.revision);
      });

      it.each<[string, Record<string, unknown>]>([
        ['the day the month starts', { occurredAt: '2025-04-01' }],
        ['its start as a date-time', { occurredAt: '2025-04-01T00:00:00Z' }],
        ['the year', { occurredAt: '2025' }],
        ['the same month, approximate', { occurredAt: '2025-04', occurredPrecision: 'approximate' }],
      ])('with %s instead (another precision) answers 409 naming eventId and appends nothing', async (_case, envelope) => {
        const eventId = randomUUID();
        const first = await post(reutersTalks({ eventId }));
        expect(first.status).toBe(201);
        const clash = await post(reutersTalks({ eventId, ...envelope }));
        expect(clash.status).toBe(409);
        expect(clash.body.errors[0].path).toBe('eventId');
        expect(await revision()).toBe(first.body.revision);
        expect(await listed(eventId)).toMatchObject({ occurredAt: '2025-04-01T00:00:00.000Z', occurredPrecision: 'month' });
      });

      it('approximate again with the same form answers 200', async () => {
        const eventId = randomUUID();
        const body = statementMade({}, { eventId, occurredAt: '2025-03-15', occurredPrecision: 'approximate' });
        expect((await post(body)).status).toBe(201);
        expect((await post(body)).status).toBe(200);
        expect((await post({ ...body, occurredPrecision: undefined })).status).toBe(409);
      });
    });
  });

  describe(`rough dates across a restart on the same ${apps.storeName} store`, () => {
    it('keeps each stored development with its precision: /events and /talks answer the same', async () => {
      const first = await apps.start();
      let second: RunningApp | undefined;
      try {
        await first.post('/negotiations', negotiation());
        const bodies = [
          reutersTalks(),
          statementMade({}, { occurredAt: '2025' }),
          statementMade({}, { occurredAt: '2025-03-15', occurredPrecision: 'approximate' }),
          statementMade({}, { occurredAt: '2025-03', occurredPrecision: 'approximate' }),
          statementMade({}, { occurredAt: '2025-03-16' }),
          statementMade({}, { occurredAt: '2025-03-16T09:00:00+01:00' }),
        ];
        for (const body of bodies) expect((await first.post('/negotiations/talks/events', body)).status).toBe(201);
        const paths = ['/negotiations/talks/events', '/negotiations/talks/talks?asOf=2025-04-01', '/negotiations/talks/state?asOf=2025-04-30'];
        const before = await Promise.all(paths.map((p) => first.get(p)));
        expect((before[0]!.body.items as Listed[]).map((i) => i.occurredPrecision)).toEqual([
          'day',
          'year',
          'approximate',
          'approximate',
          'day',
          'instant',
          'month',
        ]);
        await first.stop();

        second = await apps.start({ sameStoreAs: first });
        const after = await Promise.all(paths.map((p) => second!.get(p)));
        expect(after.map((a) => a.body)).toEqual(before.map((b) => b.body));
      } finally {
        if (second) await second.destroy();
        else await first.destroy();
      }
    });
  });
}
