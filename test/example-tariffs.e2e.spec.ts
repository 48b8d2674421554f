/**
 * The shipped example (examples/us-china-2025.ndjson) under contract v1.1 "Tariffs as goods pay
 * them" (issue 14), through HTTP, as ../shared/fixtures/us-china-2025-facts.md has it: the 5 April
 * reciprocal baseline of 10%, the 34% of 9 April that replaces it, 84% and 125%; the electronics
 * excluded from the reciprocal line on 11 April, back-dated to 5 April; Geneva's 10% until
 * 12 August then 34%, extended on 11 August and on 4 November; the fentanyl duty halved from
 * 10 November; Section 232 steel, aluminium and autos in place of the reciprocal tariff.
 *
 * The headline series is PIIE's for US tariffs on China (10, 20, 30, 104, 145, 30, 20); the
 * other answers are the contract's examples on this data and the README tour's three questions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { looseMismatch } from './support/loose-match';
import { RunningApp } from './support/running-app';

type Line = Record<string, any> & { type: string; eventId: string; occurredAt: string };

const EXAMPLE = join(__dirname, '..', 'examples', 'us-china-2025.ndjson');
const [openedLine, ...developments] = readFileSync(EXAMPLE, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Line);

const eventIdOf = (predicate: (d: Line) => boolean): string => {
  const found = developments.filter(predicate);
  if (found.length !== 1) throw new Error(`the example has ${found.length} such developments`);
  return found[0]!.eventId;
};
const usLine = (measure: string, occurredAt: string) =>
  eventIdOf(
    (d) =>
      d.type === 'TariffChanged' &&
      d.data.imposedBy === 'US' &&
      d.data.measure === measure &&
      d.occurredAt === occurredAt,
  );
/** Geneva's 10% from 14 May until 12 August, then 34%. */
const GENEVA = usLine('reciprocal', '2025-05-12');
/** The 11 August extension: 10% from 12 August until 10 November, then 34%. */
const AUGUST = usLine('reciprocal', '2025-08-11');
/** The 4 November extension: 10% from 10 November 2025 until 10 November 2026, then 34%. */
const NOVEMBER = usLine('reciprocal', '2025-11-04');
const FENTANYL_HALVED = usLine('fentanyl-ieepa', '2025-11-04');
const FENTANYL_20 = usLine('fentanyl-ieepa', '2025-03-03');
const RECIPROCAL_125 = usLine('reciprocal', '2025-04-09');
const STEEL_50 = usLine('section-232-steel-aluminium', '2025-06-03');
const EXCLUSION = eventIdOf((d) => d.type === 'TariffScopeChanged');

/** The codes CBP excluded on 11 April (facts: 8541 only in part). */
const ELECTRONICS = [
  '8471',
  '8473.30',
  '8486',
  '8517.13',
  '8517.62',
  '8523.51',
  '8524',
  '8528.52',
  '8541',
  '8542',
];

interface Pair {
  imposedBy: string;
  appliedTo: string;
  total: number;
  measures: Record<string, unknown>[];
  scheduled: Record<string, unknown>[];
  applicable?: {
    product: string;
    rate: number;
    measures: string[];
    displaced: string[];
    uncertain: string[];
  };
}

describe('the example: tariffs as goods pay them (contract v1.1, issue 14)', () => {
  let app: RunningApp;
  const get = async (path: string) => {
    const answer = await app.get(`/negotiations/us-china-2025${path}`);
    expect({
      path,
      status: answer.status,
      body: answer.status === 200 ? 'ok' : answer.body,
    }).toEqual({ path, status: 200, body: 'ok' });
    return answer.body;
  };
  /** The US-on-China pair of GET …/tariffs with these parameters. */
  const usOnChina = async (query: string): Promise<Pair> => {
    const pairs = (await get(`/tariffs?${query}`)) as Pair[];
    const pair = pairs.find((p) => p.imposedBy === 'US' && p.appliedTo === 'CN');
    if (!pair) throw new Error(`no US→CN pair for ${query}`);
    return pair;
  };
  const matches = (actual: unknown, expected: unknown) =>
    expect(looseMismatch(actual, expected)).toBeNull();
  const sorted = (slugs: string[] | undefined) => [...(slugs ?? [])].sort();

  beforeAll(async () => {
    app = await RunningApp.start();
    const opened = await app.post('/negotiations', {
      id: 'us-china-2025',
      ...(openedLine!.data as object),
      openedAt: openedLine!.occurredAt,
    });
    expect(opened.status).toBe(201);
    const recorded = await app.post('/negotiations/us-china-2025/events/batch', {
      events: developments,
    });
    expect({ status: recorded.status, body: recorded.body }).toMatchObject({ status: 201 });
  });

  afterAll(() => app.destroy());

  describe("PIIE's headline series for US tariffs on China", () => {
    it.each([
      ['2025-02-05', 10, 'fentanyl 10 from 4 February'],
      ['2025-03-05', 20, 'fentanyl 20 from 4 March'],
      ['2025-04-06', 30, 'fentanyl 20 + the reciprocal baseline 10 from 5 April'],
      ['2025-04-09', 104, 'fentanyl 20 + reciprocal 84 (announced 8 April, replacing the 34%)'],
      ['2025-04-10', 145, 'fentanyl 20 + reciprocal 125 from 04:01Z on 10 April'],
      ['2025-05-15', 30, "fentanyl 20 + Geneva's reciprocal 10"],
      ['2025-11-11', 20, 'fentanyl halved to 10 + reciprocal 10 (extended to November 2026)'],
    ])('as of %s the total is %d (%s)', async (asOf, total) => {
      expect((await usOnChina(`asOf=${asOf}`)).total).toBe(total);
    });
  });

  describe('temporary rates: the Geneva truce, its expiry and its extensions', () => {
    it('as of 1 August: 30, and the reversion to 34 at 04:01Z on 12 August is scheduled', async () => {
      const pair = await usOnChina('asOf=2025-08-01');
      expect(pair.total).toBe(30);
      matches(
        pair.measures.find((m) => m.measure === 'reciprocal'),
        {
          measure: 'reciprocal',
          rate: 10,
          coverage: 'all-goods',
          effectiveAt: '2025-05-14T04:01:00.000Z',
          until: '2025-08-12T04:01:00.000Z',
          thenRate: 34,
          eventId: GENEVA,
        },
      );
      expect(pair.scheduled).toContainEqual(
        expect.objectContaining({
          measure: 'reciprocal',
          rate: 34,
          coverage: 'all-goods',
          effectiveAt: '2025-08-12T04:01:00.000Z',
          eventId: GENEVA,
          reversion: true,
        }),
      );
    });

    it("as of 13 August: still 30, Geneva's reversion void (the extension took effect at its instant); the next one is November's", async () => {
      const pair = await usOnChina('asOf=2025-08-13');
      expect(pair.total).toBe(30);
      matches(
        pair.measures.find((m) => m.measure === 'reciprocal'),
        { rate: 10, effectiveAt: '2025-08-12T04:01:00.000Z', eventId: AUGUST },
      );
      const reversions = pair.scheduled.filter((s) => s.reversion === true);
      matches(reversions, [
        {
          measure: 'reciprocal',
          rate: 34,
          effectiveAt: '2025-11-10T05:01:00.000Z',
          eventId: AUGUST,
          reversion: true,
        },
      ]);
    });

    it('as of 11 November: fentanyl 10 + reciprocal 10 = 20, the reversion now due on 10 November 2026', async () => {
      const pair = await usOnChina('asOf=2025-11-11');
      expect(pair.total).toBe(20);
      const allGoods = pair.measures
        .filter((m) => m.coverage === 'all-goods')
        .map((m) => [m.measure, m.rate, m.eventId]);
      expect(allGoods).toEqual([
        ['fentanyl-ieepa', 10, FENTANYL_HALVED],
        ['reciprocal', 10, NOVEMBER],
      ]);
      matches(
        pair.scheduled.filter((s) => s.reversion === true),
        [
          {
            measure: 'reciprocal',
            rate: 34,
            effectiveAt: '2026-11-10T05:01:00.000Z',
            eventId: NOVEMBER,
          },
        ],
      );
    });
  });

  describe('deadlines', () => {
    it('as of 1 August the first item is the truce expiring: reciprocal back to 34 at 04:01Z on 12 August', async () => {
      const deadlines = (await get('/deadlines?asOf=2025-08-01')) as Record<string, unknown>[];
      matches(deadlines[0], {
        at: '2025-08-12T04:01:00.000Z',
        kind: 'tariff-change',
        eventId: GENEVA,
        imposedBy: 'US',
        appliedTo: 'CN',
        measure: 'reciprocal',
        rate: 34,
        coverage: 'all-goods',
        reversion: true,
      });
    });

    it('as of 1 August nothing else known then is due: every later step was announced after that day', async () => {
      // China's Geneva cut has no expiry in the facts; the de minimis end and the agreement took
      // effect in May; the extensions, the threat, the October controls and Busan came later.
      const deadlines = (await get('/deadlines?asOf=2025-08-01')) as Record<string, unknown>[];
      matches(
        deadlines.map(({ at, kind, measure }) => ({ at, kind, measure })),
        [{ at: '2025-08-12T04:01:00.000Z', kind: 'tariff-change', measure: 'reciprocal' }],
      );
    });
  });

  describe('product scope: the electronics exclusion and Section 232', () => {
    it('as of 12 April a smartphone (8517.13.00) owes 20: fentanyl alone, the reciprocal line excludes it', async () => {
      const pair = await usOnChina('asOf=2025-04-12&product=8517.13.00');
      matches(pair.applicable, {
        product: '8517.13.00',
        rate: 20,
        displaced: [],
        uncertain: [],
      });
      expect(pair.applicable?.measures).toEqual(['fentanyl-ieepa']);
      expect(pair.total).toBe(145);
    });

    it('as of 12 April toys (9503) owe 145, the headline total', async () => {
      const pair = await usOnChina('asOf=2025-04-12&product=9503');
      matches(pair.applicable, { product: '9503', rate: 145, displaced: [], uncertain: [] });
      expect(sorted(pair.applicable?.measures)).toEqual(['fentanyl-ieepa', 'reciprocal']);
      expect(pair.total).toBe(145);
    });

    it('as of 12 April the reciprocal line lists the excluded codes; the carve-out leaves the total at 145', async () => {
      const pair = await usOnChina('asOf=2025-04-12');
      expect(pair.total).toBe(145);
      const reciprocal = pair.measures.find((m) => m.measure === 'reciprocal')!;
      matches(reciprocal, { rate: 125, eventId: RECIPROCAL_125 });
      expect(sorted(reciprocal.excluded as string[])).toEqual([...ELECTRONICS].sort());
    });

    it('as of 10 June steel (7208) owes 70: Section 232 at 50 + fentanyl 20, the reciprocal displaced; total 30', async () => {
      const pair = await usOnChina('asOf=2025-06-10&product=7208');
      matches(pair.applicable, {
        product: '7208',
        rate: 70,
        displaced: ['reciprocal'],
        uncertain: [],
      });
      expect(sorted(pair.applicable?.measures)).toEqual([
        'fentanyl-ieepa',
        'section-232-steel-aluminium',
      ]);
      expect(pair.total).toBe(30);
      matches(
        pair.measures.find((m) => m.measure === 'section-232-steel-aluminium'),
        {
          rate: 50,
          coverage: 'selected-goods',
          effectiveAt: '2025-06-04T04:01:00.000Z',
          eventId: STEEL_50,
          products: ['72', '73', '76'],
          displaces: ['reciprocal'],
        },
      );
    });

    it('as of 12 April a car (8703.23) owes 45: Section 232 autos 25 + fentanyl 20, the reciprocal 125 displaced', async () => {
      const pair = await usOnChina('asOf=2025-04-12&product=8703.23');
      matches(pair.applicable, { rate: 45, displaced: ['reciprocal'], uncertain: [] });
      expect(sorted(pair.applicable?.measures)).toEqual(['fentanyl-ieepa', 'section-232-autos']);
    });
  });

  describe('effectiveOn: what goods entered on a day owe, as finally decided', () => {
    it('a computer (8471) entered on 7 April owes 20: the exclusion of 11 April reaches back to 5 April', async () => {
      const pair = await usOnChina('effectiveOn=2025-04-07&product=8471');
      matches(pair.applicable, { product: '8471', rate: 20, displaced: [] });
      expect(pair.applicable?.measures).toEqual(['fentanyl-ieepa']);
      matches(
        pair.measures.find((m) => m.measure === 'reciprocal'),
        { rate: 10, effectiveAt: '2025-04-05T04:01:00.000Z', retroactive: true },
      );
      matches(
        pair.measures.find((m) => m.measure === 'fentanyl-ieepa'),
        { rate: 20, eventId: FENTANYL_20 },
      );
    });

    it('as of 7 April, before the exclusion was announced, the same computer owed 30', async () => {
      const pair = await usOnChina('asOf=2025-04-07&product=8471');
      matches(pair.applicable, { product: '8471', rate: 30, displaced: [] });
      expect(sorted(pair.applicable?.measures)).toEqual(['fentanyl-ieepa', 'reciprocal']);
      const reciprocal = pair.measures.find((m) => m.measure === 'reciprocal')!;
      expect(reciprocal.excluded ?? []).toEqual([]);
    });

    it('the exclusion is recorded as a scope change of the reciprocal line, not a trade measure', async () => {
      const log = (await get('/events?type=TariffScopeChanged')) as { items: unknown[] };
      matches(log.items, [
        {
          eventId: EXCLUSION,
          type: 'TariffScopeChanged',
          occurredAt: '2025-04-11T00:00:00.000Z',
          data: {
            imposedBy: 'US',
            appliedTo: 'CN',
            measure: 'reciprocal',
            effectiveAt: '2025-04-05T04:01:00.000Z',
          },
        },
      ]);
      const measures = (await get('/state?asOf=2025-04-12')) as {
        tradeMeasures: { measure: string }[];
      };
      expect(measures.tradeMeasures.map((m) => m.measure)).not.toContain(
        'electronics-reciprocal-exclusion',
      );
    });
  });

  describe("the README tour's three questions", () => {
    it('what a smartphone from China owed on 12 April 2025: 20 (of a headline 145)', async () => {
      const pair = await usOnChina('asOf=2025-04-12&product=8517.13');
      matches(pair, {
        total: 145,
        applicable: { product: '8517.13', rate: 20, measures: ['fentanyl-ieepa'], displaced: [] },
      });
    });

    it('what Chinese steel paid on 10 June 2025: 70 (of a headline 30)', async () => {
      const pair = await usOnChina('asOf=2025-06-10&product=7208');
      expect([pair.total, pair.applicable?.rate, pair.applicable?.displaced]).toEqual([
        30,
        70,
        ['reciprocal'],
      ]);
    });

    it('what was due as of 1 August 2025: the truce expiring on 12 August, reciprocal back to 34', async () => {
      matches(await get('/deadlines?asOf=2025-08-01'), [
        {
          at: '2025-08-12T04:01:00.000Z',
          kind: 'tariff-change',
          imposedBy: 'US',
          appliedTo: 'CN',
          measure: 'reciprocal',
          rate: 34,
          reversion: true,
        },
      ]);
    });
  });
});
