import type { AppsOnStore } from '../support/apps-on-store';
import { negotiation } from '../support/requests';
import type { RunningApp } from '../support/running-app';

/**
 * Contract v1.1, "Tariffs as goods pay them" and "Across negotiations", end to end: every example
 * of the two sections as the contract writes it (the Geneva truce and its extensions, the
 * deadlines as of 1 August, the back-dated electronics exclusion, Section 232 steel, effectiveOn),
 * a second negotiation for the views across negotiations, and the refusals of the new query
 * parameters.
 */

const US_CN = 'us-china-tariffs';
const US_EU = 'us-eu-tariffs';
const whiteHouse = { name: 'The White House', attribution: 'document' };

const line = (occurredAt: string, data: Record<string, unknown>) => ({
  type: 'TariffChanged',
  occurredAt,
  source: whiteHouse,
  data: { imposedBy: 'US', appliedTo: 'CN', coverage: 'all-goods', ...data },
});

/** The US on China in 2025, as the contract's examples have it. */
const usOnChina = [
  line('2025-03-03', { measure: 'fentanyl-ieepa', rate: 20, effectiveAt: '2025-03-04T05:01:00Z' }),
  line('2025-04-02', { measure: 'reciprocal', rate: 10, effectiveAt: '2025-04-05T04:01:00Z' }),
  line('2025-04-09', { measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-10T04:01:00Z' }),
  {
    type: 'TariffScopeChanged',
    occurredAt: '2025-04-11',
    source: { name: 'CBP CSMS notice', attribution: 'document' },
    data: {
      imposedBy: 'US',
      appliedTo: 'CN',
      measure: 'reciprocal',
      effectiveAt: '2025-04-05T04:01Z',
      exclude: ['8471', '8517.13', '8542'],
    },
  },
  line('2025-05-12', {
    measure: 'reciprocal',
    rate: 10,
    effectiveAt: '2025-05-14T04:01:00Z',
    until: '2025-08-12T04:01Z',
    thenRate: 34,
  }),
  line('2025-06-03', {
    measure: 'section-232-steel',
    rate: 50,
    effectiveAt: '2025-06-04T04:01:00Z',
    coverage: 'selected-goods',
    products: ['72', '73'],
    displaces: ['reciprocal'],
  }),
  line('2025-08-11', {
    measure: 'reciprocal',
    rate: 10,
    effectiveAt: '2025-08-12T04:01Z',
    until: '2025-11-10T05:01Z',
    thenRate: 34,
  }),
  line('2025-11-04', {
    measure: 'reciprocal',
    rate: 10,
    effectiveAt: '2025-11-10T05:01Z',
    until: '2026-11-10T05:01Z',
    thenRate: 34,
  }),
  line('2025-11-04', { measure: 'fentanyl-ieepa', rate: 10, effectiveAt: '2025-11-10T05:01Z' }),
];

type Pair = {
  negotiationId?: string;
  imposedBy: string;
  appliedTo: string;
  total: number;
} & Record<string, any>;

/** A deadline as answered: flat fields. */
type Due = Record<string, string | number | boolean>;

export function describeTariffsAsPaid(apps: AppsOnStore): void {
  describe(`tariffs as goods pay them, across negotiations (${apps.storeName})`, () => {
    let app: RunningApp;
    const get = async (path: string) => {
      const answer = await app.get(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      return answer.body;
    };
    const usChina = async (query: string): Promise<Pair> => {
      const pairs = (await get(`/negotiations/${US_CN}/tariffs?${query}`)) as Pair[];
      return pairs.find((p) => p.imposedBy === 'US' && p.appliedTo === 'CN')!;
    };

    beforeAll(async () => {
      app = await apps.start();
      const parties = [
        { code: 'US', name: 'United States' },
        { code: 'CN', name: 'China' },
        { code: 'EU', name: 'European Union' },
      ];
      for (const id of [US_CN, US_EU]) {
        const opened = await app.post(
          '/negotiations',
          negotiation({ id, openedAt: '2025-01-20', parties }),
        );
        expect(opened.status).toBe(201);
      }
      const recorded = await app.post(`/negotiations/${US_CN}/events/batch`, { events: usOnChina });
      expect({ status: recorded.status, body: recorded.body }).toMatchObject({ status: 201 });
      const eu = await app.post(`/negotiations/${US_EU}/events`, {
        ...line('2025-04-02', {
          appliedTo: 'EU',
          measure: 'reciprocal',
          rate: 20,
          effectiveAt: '2025-04-09T04:01Z',
        }),
      });
      expect(eu.status).toBe(201);
    });

    afterAll(() => app.destroy());

    describe('temporary rates (the Geneva truce)', () => {
      it('as of 1 August: total 30; scheduled lists reciprocal 34 from 12 August as a reversion', async () => {
        const pair = await usChina('asOf=2025-08-01');
        expect(pair.total).toBe(30);
        expect(pair.scheduled).toEqual([
          expect.objectContaining({
            measure: 'reciprocal',
            rate: 34,
            effectiveAt: '2025-08-12T04:01:00.000Z',
            reversion: true,
          }),
        ]);
        expect(pair.measures).toContainEqual(
          expect.objectContaining({
            measure: 'reciprocal',
            rate: 10,
            until: '2025-08-12T04:01:00.000Z',
            thenRate: 34,
          }),
        );
      });

      it('as of 13 August: 30, the first reversion void once the 11 August extension is announced', async () => {
        expect((await usChina('asOf=2025-08-13')).total).toBe(30);
      });

      it('as of 11 November: fentanyl 10 + reciprocal 10 = 20', async () => {
        expect((await usChina('asOf=2025-11-11')).total).toBe(20);
      });
    });

    describe('deadlines', () => {
      it('as of 1 August the first item is the reversion to 34 on 12 August', async () => {
        const due = (await get(`/negotiations/${US_CN}/deadlines?asOf=2025-08-01`)) as Due[];
        expect(due[0]).toMatchObject({
          at: '2025-08-12T04:01:00.000Z',
          kind: 'tariff-change',
          measure: 'reciprocal',
          rate: 34,
          reversion: true,
        });
      });

      it('up to `to`, and as known at a time: only what was known then is due', async () => {
        expect(await get(`/negotiations/${US_CN}/deadlines?asOf=2025-08-01&to=2025-08-11`)).toEqual(
          [],
        );
        const due = (await get(`/negotiations/${US_CN}/deadlines?asOf=2025-11-05`)) as Due[];
        expect(due.map((d) => `${d.at} ${d.measure} ${d.rate} ${d.reversion}`)).toEqual([
          '2025-11-10T05:01:00.000Z fentanyl-ieepa 10 false',
          '2025-11-10T05:01:00.000Z reciprocal 10 false',
          '2026-11-10T05:01:00.000Z reciprocal 34 true',
        ]);
      });
    });

    describe('product scope', () => {
      it('as of 12 April: smartphones 20 (fentanyl alone), toys 145, the total 145', async () => {
        const phones = await usChina('asOf=2025-04-12&product=8517.13.00');
        expect(phones.total).toBe(145);
        expect(phones.applicable).toEqual({
          product: '8517.13.00',
          rate: 20,
          measures: ['fentanyl-ieepa'],
          displaced: [],
          uncertain: [],
        });
        expect(phones.measures).toContainEqual(
          expect.objectContaining({ measure: 'reciprocal', excluded: ['8471', '8517.13', '8542'] }),
        );
        expect((await usChina('asOf=2025-04-12&product=9503')).applicable.rate).toBe(145);
      });

      it('as of 10 June: steel (7208) pays 50 + 20 = 70, the reciprocal line displaced; the total 30', async () => {
        const steel = await usChina('asOf=2025-06-10&product=7208');
        expect(steel.total).toBe(30);
        expect(steel.applicable).toMatchObject({ rate: 70, displaced: ['reciprocal'] });
      });

      it('/state takes product too', async () => {
        const state = await get(`/negotiations/${US_CN}/state?asOf=2025-06-10&product=7208`);
        expect(state.tariffs[0].applicable.rate).toBe(70);
      });
    });

    describe('effectiveOn', () => {
      it('effectiveOn=2025-04-07&product=8471: 20 (as finally decided); asOf=2025-04-07: 30', async () => {
        const decided = await usChina('effectiveOn=2025-04-07&product=8471');
        expect(decided.applicable.rate).toBe(20);
        expect(decided.measures).toContainEqual(
          expect.objectContaining({ measure: 'reciprocal', retroactive: true }),
        );
        expect((await usChina('asOf=2025-04-07&product=8471')).applicable.rate).toBe(30);
      });

      it('/state with effectiveOn says it, and answers the rest as of that date', async () => {
        const state = await get(`/negotiations/${US_CN}/state?effectiveOn=2025-04-07`);
        expect(state).toMatchObject({
          effectiveOn: '2025-04-07T23:59:59.999Z',
          asOf: '2025-04-07T23:59:59.999Z',
        });
        expect(state.tariffs[0].threatened).toEqual([]);
      });
    });

    describe('across negotiations', () => {
      it('GET /tariffs lists every pair of every negotiation by negotiationId, imposedBy, appliedTo', async () => {
        const pairs = (await get('/tariffs?asOf=2025-04-12&product=8517.13.00')) as Pair[];
        expect(
          pairs.map(
            (p) =>
              `${p.negotiationId} ${p.imposedBy}>${p.appliedTo} ${p.total} ${p.applicable.rate}`,
          ),
        ).toEqual([`${US_CN} US>CN 145 20`, `${US_EU} US>EU 20 20`]);
      });

      it('filters by party and measure; effectiveOn as for one negotiation', async () => {
        expect(
          ((await get('/tariffs?asOf=2025-06-10&appliedTo=EU')) as Pair[]).map(
            (p) => p.negotiationId,
          ),
        ).toEqual([US_EU]);
        expect(
          ((await get('/tariffs?asOf=2025-06-10&measure=section-232-steel')) as Pair[]).map(
            (p) => p.negotiationId,
          ),
        ).toEqual([US_CN]);
        const decided = (await get(
          '/tariffs?effectiveOn=2025-04-07&product=8471&imposedBy=US&appliedTo=CN',
        )) as Pair[];
        expect(decided[0]!.applicable.rate).toBe(20);
      });

      it('GET /deadlines gives each negotiation’s deadlines with its id, by at; party filters', async () => {
        const due = (await get('/deadlines?asOf=2025-04-03')) as Due[];
        expect(
          due.slice(0, 2).map((d) => `${d.negotiationId} ${d.at} ${d.measure} ${d.rate}`),
        ).toEqual([
          `${US_CN} 2025-04-05T04:01:00.000Z reciprocal 10`,
          `${US_EU} 2025-04-09T04:01:00.000Z reciprocal 20`,
        ]);
        const eu = (await get('/deadlines?asOf=2025-04-03&party=EU')) as Due[];
        expect(eu.map((d) => d.negotiationId)).toEqual([US_EU]);
      });

      it('leaves out a negotiation not yet recorded at knownAt', async () => {
        expect(await get('/tariffs?knownAt=2000-01-01')).toEqual([]);
        expect(await get('/deadlines?knownAt=2000-01-01')).toEqual([]);
      });
    });

    describe('refusals', () => {
      it.each([
        [`/negotiations/${US_CN}/tariffs?asOf=2025-04-07&effectiveOn=2025-04-07`, 'effectiveOn'],
        [`/negotiations/${US_CN}/state?asOf=2025-04-07&effectiveOn=2025-04-07`, 'effectiveOn'],
        ['/tariffs?asOf=2025-04-07&effectiveOn=2025-04-07', 'effectiveOn'],
        [`/negotiations/${US_CN}/tariffs?product=7`, 'product'],
        [`/negotiations/${US_CN}/tariffs?product=85..17`, 'product'],
        [`/negotiations/${US_CN}/tariffs?product=12345678901`, 'product'],
        ['/tariffs?product=abc', 'product'],
        [`/negotiations/${US_CN}/tariffs?effectiveOn=2025-02-30`, 'effectiveOn'],
        [`/negotiations/${US_CN}/deadlines?to=tomorrow`, 'to'],
        [`/negotiations/${US_CN}/talks?product=72`, 'product'],
        ['/tariffs?imposedBy=us', 'imposedBy'],
        ['/tariffs?measure=Reciprocal', 'measure'],
        ['/deadlines?party=x', 'party'],
        ['/deadlines?minEvidence=confirmed', 'minEvidence'],
      ])('%s is 400 naming %s', async (path, field) => {
        const answer = await app.get(path);
        expect(answer.status).toBe(400);
        expect((answer.body.errors as { path: string }[]).map((e) => e.path)).toContain(field);
      });

      it('deadlines of an unknown negotiation are 404', async () => {
        expect((await app.get('/negotiations/nowhere/deadlines')).status).toBe(404);
      });
    });
  });
}
