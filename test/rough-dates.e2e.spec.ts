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

describe('the OpenAPI document on dates known roughly', () => {
  let app: RunningApp;
  let schemas: Record<string, { properties?: Record<string, { pattern?: string; enum?: string[]; format?: string; description?: string }>; required?: string[] }>;

  beforeAll(async () => {
    app = await RunningApp.start();
    schemas = (await app.get('/docs-json')).body.components.schemas;
  });

  afterAll(() => app.destroy());

  it('says a request occurredAt may be a year, a month, a date or a date-time, and means the start of the period', () => {
    const occurredAt = schemas.TalksHeldDevelopment!.properties!.occurredAt!;
    const pattern = new RegExp(occurredAt.pattern!);
    for (const form of ['2025', '2025-04', '2025-04-23', '2025-04-23T10:00:00Z', '2025-04-23T10:00:00+08:00']) {
      expect({ form, matches: pattern.test(form) }).toEqual({ form, matches: true });
    }
    for (const form of ['2025-13', '2025-4', '25', '2025-Q2']) {
      expect({ form, matches: pattern.test(form) }).toEqual({ form, matches: false });
    }
    expect(occurredAt.description).toMatch(/year `YYYY`, a month `YYYY-MM`/);
    expect(occurredAt.description).toMatch(/start of that period/);
  });

  it('says a client may send occurredPrecision approximate, and nothing else', () => {
    expect(schemas.TalksHeldDevelopment!.properties!.occurredPrecision!.enum).toEqual(['approximate']);
    expect(schemas.TalksHeldDevelopment!.required).not.toContain('occurredPrecision');
  });

  it('says the log gives occurredAt as a full UTC time, always with its occurredPrecision', () => {
    const listed = schemas.ListedTalksHeld!;
    expect(listed.properties!.occurredAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(listed.properties!.occurredAt!.pattern).toBeUndefined();
    expect(listed.properties!.occurredAt!.description).toMatch(/full UTC time: .*start of the day, month or year sent/);
    expect(listed.properties!.occurredPrecision!.enum).toEqual(['instant', 'day', 'month', 'year', 'approximate']);
    expect(listed.required).toEqual(expect.arrayContaining(['occurredAt', 'occurredPrecision']));
  });
});
