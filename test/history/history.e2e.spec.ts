import {
  negotiation,
  proposalMade,
  proposalResponded,
  retraction,
  tariffChanged,
} from '../support/requests';
import { RunningApp } from '../support/running-app';

const ID = 'us-china';
const path = (rest: string) => `/negotiations/${ID}${rest}`;
const ids = (items: { eventId: string }[]) => items.map((d) => d.eventId);
const paths = (errors: { path: string }[]) => [...new Set(errors.map((e) => e.path))];

/**
 * US tariffs on China through spring 2025, recorded out of order: the April 125% line is a late
 * report (recorded after later-dated developments), and a misreported 25% line is retracted.
 */
describe('history endpoints, end to end on the embedded store', () => {
  let app: RunningApp;
  const posted: Record<string, { eventId: string; revision: number; recordedAt: string }> = {};
  const record = async (name: string, body: unknown) => {
    const answer = await app.post(path('/events'), body);
    expect(answer.status).toBe(201);
    posted[name] = answer.body;
  };

  beforeAll(async () => {
    app = await RunningApp.start();
    expect(
      (await app.post('/negotiations', negotiation({ id: ID, openedAt: '2025-02-01' }))).status,
    ).toBe(201);
    await record(
      'feb',
      tariffChanged({ rate: 10, effectiveAt: '2025-02-04' }, { occurredAt: '2025-02-01' }),
    );
    await record(
      'mar',
      tariffChanged({ rate: 20, effectiveAt: '2025-03-04' }, { occurredAt: '2025-03-03' }),
    );
    await record(
      'misreported',
      tariffChanged(
        { measure: 'section-301', rate: 25, effectiveAt: '2025-04-05' },
        { occurredAt: '2025-04-02' },
      ),
    );
    await record('talks', {
      type: 'TalksHeld',
      occurredAt: '2025-04-15',
      data: { participants: ['US', 'CN'], outcome: 'no-result' },
    });
    await record('offer', proposalMade({}, { occurredAt: '2025-04-20' }));
    await record(
      'late',
      tariffChanged(
        { measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-10' },
        { occurredAt: '2025-04-09' },
      ),
    );
    await record(
      'retraction',
      retraction(posted.misreported!.eventId, { occurredAt: '2025-04-25' }),
    );
    await record(
      'rejected',
      proposalResponded({ response: 'rejected' }, { occurredAt: '2025-05-02' }),
    );
  });

  afterAll(() => app.destroy());

  const beforeRetraction = () => encodeURIComponent(posted.late!.recordedAt);

  describe('GET /negotiations/:id/changes', () => {
    it('lists the late report inside (from, to] and compares the states at both ends', async () => {
      const answer = await app.get(path('/changes?from=2025-03-31&to=2025-04-30'));
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        negotiationId: ID,
        from: '2025-03-31T23:59:59.999Z',
        to: '2025-04-30T23:59:59.999Z',
        knownAt: null,
        revision: 8,
        tariffs: [
          {
            imposedBy: 'US',
            appliedTo: 'CN',
            before: 20,
            after: 145,
            lines: [
              {
                measure: 'reciprocal',
                before: null,
                after: {
                  rate: 125,
                  coverage: 'all-goods',
                  effectiveAt: '2025-04-10T00:00:00.000Z',
                  eventId: posted.late!.eventId,
                },
              },
            ],
          },
        ],
        talks: { before: 'none', after: 'stalled' },
        proposals: {
          opened: [{ proposalId: 'tariff-talks', status: 'proposed' }],
          closed: [],
          stillOpen: [{ proposalId: 'tariff-talks' }],
        },
        tradeMeasures: [],
        stances: [],
        demands: { made: [], resolved: [] },
      });
      expect(ids(answer.body.developments)).toEqual(
        ['late', 'talks', 'offer', 'retraction'].map((n) => posted[n]!.eventId),
      );
      expect(answer.body.developments[0]).toMatchObject({
        type: 'TariffChanged',
        revision: posted.late!.revision,
        recordedAt: posted.late!.recordedAt,
        retracted: false,
      });
    });

    it('agrees with GET /tariffs at both ends', async () => {
      const changes = (await app.get(path('/changes?from=2025-03-31&to=2025-04-30'))).body;
      const at = async (asOf: string): Promise<number> =>
        (await app.get<{ total: number }[]>(path(`/tariffs?asOf=${asOf}`))).body[0]!.total;
      expect([changes.tariffs[0].before, changes.tariffs[0].after]).toEqual([
        await at('2025-03-31'),
        await at('2025-04-30'),
      ]);
    });

    it('removes a retracted development from every part of the answer, as known after the retraction', async () => {
      const answer = await app.get<{
        developments: { eventId: string }[];
        tariffs: { lines: { measure: string }[] }[];
      }>(path('/changes?from=2025-03-31&to=2025-04-10'));
      expect(ids(answer.body.developments)).not.toContain(posted.misreported!.eventId);
      expect(answer.body.tariffs[0]!.lines.map((l) => l.measure)).toEqual(['reciprocal']);
    });

    it('still shows it as known before the retraction was recorded', async () => {
      const answer = await app.get(
        path(`/changes?from=2025-03-31&to=2025-04-30&knownAt=${beforeRetraction()}`),
      );
      expect(ids(answer.body.developments)).toEqual(
        ['misreported', 'late', 'talks', 'offer'].map((n) => posted[n]!.eventId),
      );
      expect(answer.body.tariffs).toMatchObject([
        { before: 20, after: 170, lines: [{ measure: 'reciprocal' }, { measure: 'section-301' }] },
      ]);
      expect(answer.body.revision).toBe(posted.late!.revision);
    });

    it('reads a date-only `from` as the end of that day: developments on that day are already in the state at `from`', async () => {
      const answer = await app.get(path('/changes?from=2025-04-09&to=2025-04-20'));
      expect(ids(answer.body.developments)).toEqual(
        ['talks', 'offer'].map((n) => posted[n]!.eventId),
      );
      // Announced on 9 April (before the range), effective on the 10th (inside it): a change all the same.
      expect(answer.body.tariffs).toMatchObject([
        { before: 20, after: 145, lines: [{ measure: 'reciprocal', before: null }] },
      ]);
    });

    it('gives closed proposals with their final status', async () => {
      const answer = await app.get(path('/changes?from=2025-04-30&to=2025-05-31'));
      expect(answer.body.proposals).toMatchObject({
        opened: [],
        closed: [{ proposalId: 'tariff-talks', status: 'rejected' }],
        stillOpen: [],
      });
    });

    it('without `from` compares with the beginning, and without `to` runs to now', async () => {
      const answer = await app.get(path('/changes'));
      expect(answer.status).toBe(200);
      expect(answer.body.from).toBeNull();
      expect(answer.body.developments).toHaveLength(8); // the opening and every development but the retracted one
      expect(answer.body.tariffs).toMatchObject([{ before: 0, after: 145 }]);
    });

    it('answers 400 naming `from` when it is after `to`', async () => {
      const answer = await app.get(path('/changes?from=2025-05-01&to=2025-04-01'));
      expect(answer.status).toBe(400);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'from' })]);
    });

    it('answers 400 for an invalid time or an unknown parameter, and 404 for an unknown negotiation', async () => {
      expect((await app.get(path('/changes?to=2025-02-30'))).body.errors).toEqual([
        expect.objectContaining({ path: 'to' }),
      ]);
      expect((await app.get(path('/changes?since=2025-01-01'))).body.errors).toEqual([
        expect.objectContaining({ path: 'since' }),
      ]);
      expect((await app.get('/negotiations/nobody/changes')).status).toBe(404);
      expect((await app.get(path('/changes?knownAt=2020-01-01'))).body).toMatchObject({
        status: 404,
        type: '/problems/negotiation-not-known-yet',
      });
    });
  });

  describe('GET /negotiations/:id/tariffs/history', () => {
    const levels = (points: { at: string; total: number }[]) => points.map((p) => [p.at, p.total]);

    it('gives the step series of the pair, with the late report in place and the retracted line left out', async () => {
      const answer = await app.get(
        path('/tariffs/history?imposedBy=US&appliedTo=CN&to=2025-12-31'),
      );
      expect(answer.status).toBe(200);
      expect(levels(answer.body)).toEqual([
        ['2025-02-04T00:00:00.000Z', 10],
        ['2025-03-04T00:00:00.000Z', 20],
        ['2025-04-10T00:00:00.000Z', 145],
      ]);
      expect(answer.body[2].measures).toEqual([
        {
          measure: 'fentanyl-ieepa',
          rate: 20,
          coverage: 'all-goods',
          effectiveAt: '2025-03-04T00:00:00.000Z',
          eventId: posted.mar!.eventId,
          // Reported with no source and nothing judging it (contract v1.1, Evidence).
          evidenceStatus: 'reported',
        },
        {
          measure: 'reciprocal',
          rate: 125,
          coverage: 'all-goods',
          effectiveAt: '2025-04-10T00:00:00.000Z',
          eventId: posted.late!.eventId,
          evidenceStatus: 'reported',
        },
      ]);
    });

    it('shows the retracted line as known before the retraction', async () => {
      const answer = await app.get(
        path(`/tariffs/history?imposedBy=US&appliedTo=CN&knownAt=${beforeRetraction()}`),
      );
      expect(levels(answer.body).map(([, total]) => total)).toEqual([10, 20, 45, 170]);
    });

    it('opens with the level in force at `from`', async () => {
      const answer = await app.get(
        path('/tariffs/history?imposedBy=US&appliedTo=CN&from=2025-03-15&to=2025-04-30'),
      );
      expect(levels(answer.body)).toEqual([
        ['2025-03-15T23:59:59.999Z', 20],
        ['2025-04-10T00:00:00.000Z', 145],
      ]);
    });

    it('is empty for a pair without tariffs', async () => {
      expect((await app.get(path('/tariffs/history?imposedBy=CN&appliedTo=US'))).body).toEqual([]);
    });

    it('answers 400 naming each missing or invalid party code', async () => {
      const missing = await app.get(path('/tariffs/history?imposedBy=US'));
      expect(missing.status).toBe(400);
      expect(paths(missing.body.errors)).toEqual(['appliedTo']);
      const invalid = await app.get(path('/tariffs/history?imposedBy=us&appliedTo=C'));
      expect(paths(invalid.body.errors)).toEqual(['imposedBy', 'appliedTo']);
      const same = await app.get(path('/tariffs/history?imposedBy=US&appliedTo=US'));
      expect(same.body.errors).toEqual([expect.objectContaining({ path: 'appliedTo' })]);
      const reversed = await app.get(
        path('/tariffs/history?imposedBy=US&appliedTo=CN&from=2025-05-01&to=2025-04-01'),
      );
      expect(reversed.body.errors).toEqual([expect.objectContaining({ path: 'from' })]);
    });
  });

  describe('GET /negotiations/:id/replay', () => {
    const steps = (
      items: {
        development: { eventId: string };
        state: { tariffs: { total: number }[]; talksStatus: string; openProposals: number };
      }[],
    ) =>
      items.map(({ development, state }) => [
        development.eventId,
        state.tariffs[0]?.total ?? 0,
        state.talksStatus,
        state.openProposals,
      ]);

    it('gives each development of (from, to] in valid-time order with the state right after it', async () => {
      const answer = await app.get(path('/replay?from=2025-03-31&to=2025-04-30'));
      expect(answer.status).toBe(200);
      expect(steps(answer.body.items)).toEqual([
        [posted.late!.eventId, 20, 'none', 0], // announced on 9 April, effective on the 10th
        [posted.talks!.eventId, 145, 'stalled', 0],
        [posted.offer!.eventId, 145, 'stalled', 1],
        [posted.retraction!.eventId, 145, 'stalled', 1],
      ]);
      expect(answer.body.nextCursor).toBeNull();
      expect(answer.body.items[1].state).toEqual({
        asOf: '2025-04-15T00:00:00.000Z',
        tariffs: [{ imposedBy: 'US', appliedTo: 'CN', total: 145 }],
        talksStatus: 'stalled',
        openProposals: 0,
      });
      expect(answer.body.items[0].development).toMatchObject({
        revision: posted.late!.revision,
        retracted: false,
      });
    });

    it('pages like /events, each page continuing the states of the one before', async () => {
      const whole = (await app.get(path('/replay'))).body.items;
      const pages = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
        const page: { body: { items: unknown[]; nextCursor: string | null } } = await app.get(
          path(`/replay${query}`),
        );
        pages.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(pages).toEqual(whole);
      expect(whole).toHaveLength(8);
    });

    it('includes the retracted development, and its effect, only as known before the retraction', async () => {
      const after = (
        await app.get<{ items: { development: { eventId: string } }[] }>(
          path('/replay?from=2025-03-31&to=2025-04-10'),
        )
      ).body.items;
      expect(ids(after.map((i) => i.development))).toEqual([posted.late!.eventId]);
      const before = (
        await app.get(path(`/replay?from=2025-03-31&to=2025-04-10&knownAt=${beforeRetraction()}`))
      ).body.items;
      expect(steps(before)).toEqual([
        [posted.misreported!.eventId, 20, 'none', 0], // announced on 2 April, effective on the 5th
        [posted.late!.eventId, 45, 'none', 0],
      ]);
      const tenth = (
        await app.get(path(`/replay?from=2025-04-08&to=2025-04-30&knownAt=${beforeRetraction()}`))
      ).body.items[1];
      expect(tenth.state.tariffs[0].total).toBe(170);
    });

    it('answers 400 for a bad limit or cursor', async () => {
      expect((await app.get(path('/replay?limit=0'))).body.errors).toEqual([
        expect.objectContaining({ path: 'limit' }),
      ]);
      expect((await app.get(path('/replay?cursor=nonsense'))).body.errors).toEqual([
        expect.objectContaining({ path: 'cursor' }),
      ]);
    });
  });
});
