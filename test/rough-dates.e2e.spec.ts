import { describeRoughDates } from './scenarios/rough-dates.scenario';
import { onSqlite } from './support/apps-on-store';
import { negotiation, statementMade } from './support/requests';
import { RunningApp } from './support/running-app';

// On the embedded store; test/event-store/postgres.e2e.spec.ts and eventstoredb.e2e.spec.ts run the same scenario on theirs.
describeRoughDates(onSqlite);

describe('the future rule on the contract example, with the tracker clock at 2026-11-20 (SQLite)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await RunningApp.start({ clock: () => new Date('2026-11-20T12:00:00.000Z') });
    expect((await app.post('/negotiations', negotiation())).status).toBe(201);
  });

  afterAll(() => app.destroy());

  it('refuses 2026-12 (422 naming occurredAt) and records 2026-11, the month that has started', async () => {
    const december = await app.post('/negotiations/talks/events', statementMade({}, { occurredAt: '2026-12' }));
    expect(december.status).toBe(422);
    expect(december.body.errors.map((e: { path: string }) => e.path)).toEqual(['occurredAt']);
    const november = await app.post('/negotiations/talks/events', statementMade({}, { occurredAt: '2026-11' }));
    expect(november.status).toBe(201);
    expect((await app.get('/negotiations/talks')).body.revision).toBe(1);
  });
});
