import { describe, expect, it } from '@jest/globals';
import type { Draft } from '@parley/domain/testing';
import { endOf, tariffChanged, tariffScopeChanged } from '@parley/domain/testing';
import fc from 'fast-check';
import { withApplicable } from './applicable';
import { deadlinesOf } from './deadlines';
import { changesBetween, tariffHistory } from './history';
import type { TariffPair } from './negotiation-state';
import { given, timelineOf } from './testing';

/**
 * Contract v1.1, "Tariffs as goods pay them": temporary rates and the voiding of their reversion,
 * scope changes, products and displaced lines, and the lines as finally decided (effectiveOn).
 * The 2025 US-China history is the contract's own example.
 */

type Line = {
  occurredAt: string;
  rate: number;
  effectiveAt: string;
  measure?: string;
  until?: string;
  thenRate?: number;
  coverage?: 'all-goods' | 'selected-goods';
  products?: string[];
  displaces?: string[];
};
const tariff = (o: Line): Draft<'TariffChanged'> =>
  tariffChanged({
    occurredAt: o.occurredAt,
    data: {
      measure: o.measure ?? 'reciprocal',
      rate: o.rate,
      effectiveAt: o.effectiveAt,
      coverage: o.coverage ?? 'all-goods',
      ...(o.until !== undefined && { until: o.until }),
      ...(o.thenRate !== undefined && { thenRate: o.thenRate }),
      ...(o.products && { products: o.products }),
      ...(o.displaces && { displaces: o.displaces }),
    },
  });

const fentanyl20 = tariff({
  occurredAt: '2025-03-03',
  measure: 'fentanyl-ieepa',
  rate: 20,
  effectiveAt: '2025-03-04T05:01:00Z',
});
const baseline10 = tariff({
  occurredAt: '2025-04-02',
  rate: 10,
  effectiveAt: '2025-04-05T04:01:00Z',
});
const reciprocal125 = tariff({
  occurredAt: '2025-04-09',
  rate: 125,
  effectiveAt: '2025-04-10T04:01:00Z',
});
const electronicsExcluded = tariffScopeChanged({
  occurredAt: '2025-04-11',
  data: { effectiveAt: '2025-04-05T04:01:00Z', exclude: ['8471', '8517.13', '8542'] },
});
const geneva = tariff({
  occurredAt: '2025-05-12',
  rate: 10,
  effectiveAt: '2025-05-14T04:01:00Z',
  until: '2025-08-12T04:01:00Z',
  thenRate: 34,
});
const steel50 = tariff({
  occurredAt: '2025-06-03',
  measure: 'section-232-steel',
  rate: 50,
  effectiveAt: '2025-06-04T04:01:00Z',
  coverage: 'selected-goods',
  products: ['72', '73'],
  displaces: ['reciprocal'],
});
const augustExtension = tariff({
  occurredAt: '2025-08-11',
  rate: 10,
  effectiveAt: '2025-08-12T04:01:00Z',
  until: '2025-11-10T05:01:00Z',
  thenRate: 34,
});
const novemberExtension = tariff({
  occurredAt: '2025-11-04',
  rate: 10,
  effectiveAt: '2025-11-10T05:01:00Z',
  until: '2026-11-10T05:01:00Z',
  thenRate: 34,
});
const fentanylHalved = tariff({
  occurredAt: '2025-11-04',
  measure: 'fentanyl-ieepa',
  rate: 10,
  effectiveAt: '2025-11-10T05:01:00Z',
});
const year = [
  fentanyl20,
  baseline10,
  reciprocal125,
  electronicsExcluded,
  geneva,
  steel50,
  augustExtension,
  novemberExtension,
  fentanylHalved,
];

const usOnChina = (pairs: readonly TariffPair[]) =>
  pairs.find((p) => p.imposedBy === 'US' && p.appliedTo === 'CN');
const asOf = (asOfText: string, drafts: readonly Draft[] = year, product?: string) =>
  usOnChina(
    withApplicable(
      timelineOf(...drafts).stateAt({ asOf: endOf(asOfText), knownAt: null }).tariffs,
      product,
    ),
  );
const effectiveOn = (
  onText: string,
  product?: string,
  knownAt?: string,
  drafts: readonly Draft[] = year,
) =>
  usOnChina(
    withApplicable(
      timelineOf(...drafts).tariffsEffectiveOn(
        endOf(onText),
        knownAt === undefined ? null : endOf(knownAt),
      ),
      product,
    ),
  );

describe('temporary rates (the Geneva truce)', () => {
  it('as of 1 August: total 30, the reversion to 34 on 12 August listed as scheduled', () => {
    given(fentanyl20, geneva)
      .when({ asOf: '2025-08-01' })
      .thenVerify((state) => {
        expect(state.tariffs[0]).toMatchObject({
          total: 30,
          measures: [
            { measure: 'fentanyl-ieepa', rate: 20 },
            { measure: 'reciprocal', rate: 10, until: '2025-08-12T04:01:00.000Z', thenRate: 34 },
          ],
          scheduled: [
            {
              measure: 'reciprocal',
              rate: 34,
              effectiveAt: '2025-08-12T04:01:00.000Z',
              reversion: true,
              eventId: geneva.eventId,
            },
          ],
        });
      });
  });

  it('without an extension, the line reverts to 34 on 12 August: 54', () => {
    expect(asOf('2025-08-13', [fentanyl20, geneva])).toMatchObject({
      total: 54,
      measures: [{ rate: 20 }, { measure: 'reciprocal', rate: 34, reversion: true }],
      scheduled: [],
    });
  });

  it('the 11 August extension voids the first reversion: 30 on 13 August, the next reversion scheduled for 10 November', () => {
    const pair = asOf('2025-08-13', [fentanyl20, geneva, augustExtension]);
    expect(pair).toMatchObject({
      total: 30,
      measures: [{ rate: 20 }, { rate: 10, eventId: augustExtension.eventId }],
    });
    expect(pair?.scheduled).toEqual([
      expect.objectContaining({
        rate: 34,
        effectiveAt: '2025-11-10T05:01:00.000Z',
        reversion: true,
      }),
    ]);
  });

  it('on 11 August, once the extension is announced, only its own steps are scheduled', () => {
    expect(asOf('2025-08-11', [fentanyl20, geneva, augustExtension])?.scheduled).toEqual([
      expect.objectContaining({
        rate: 10,
        effectiveAt: '2025-08-12T04:01:00.000Z',
        eventId: augustExtension.eventId,
      }),
      expect.objectContaining({
        rate: 34,
        effectiveAt: '2025-11-10T05:01:00.000Z',
        reversion: true,
      }),
    ]);
  });

  it('after the 4 November extension and the fentanyl cut: 10 + 10 = 20 on 11 November', () => {
    expect(asOf('2025-11-11')).toMatchObject({ total: 20 });
  });

  it('thenRate defaults to 0: the line is lifted at until and no longer listed', () => {
    const temporary = tariff({
      occurredAt: '2025-01-01',
      rate: 15,
      effectiveAt: '2025-01-02',
      until: '2025-02-01',
    });
    expect(asOf('2025-01-15', [temporary])?.scheduled).toEqual([
      expect.objectContaining({
        rate: 0,
        effectiveAt: '2025-02-01T00:00:00.000Z',
        reversion: true,
      }),
    ]);
    expect(asOf('2025-02-02', [temporary])).toBeUndefined();
  });
});

describe('the voiding rule', () => {
  const truce = tariff({
    occurredAt: '2025-01-01',
    rate: 10,
    effectiveAt: '2025-01-02',
    until: '2025-03-01',
    thenRate: 34,
  });

  it('a later-announced change taking effect at the very instant of the reversion voids it', () => {
    const sameInstant = tariff({ occurredAt: '2025-02-01', rate: 50, effectiveAt: '2025-03-01' });
    expect(asOf('2025-03-02', [truce, sameInstant])?.measures).toEqual([
      expect.objectContaining({ rate: 50, eventId: sameInstant.eventId }),
    ]);
  });

  it('one taking effect after the reversion leaves it: 34 in between, then the new rate', () => {
    const after = tariff({ occurredAt: '2025-02-01', rate: 50, effectiveAt: '2025-03-10' });
    expect(asOf('2025-03-05', [truce, after])?.measures).toEqual([
      expect.objectContaining({ rate: 34, reversion: true }),
    ]);
    expect(asOf('2025-03-11', [truce, after])?.measures).toEqual([
      expect.objectContaining({ rate: 50 }),
    ]);
  });

  it('one announced at the same time is not later-announced: the reversion stands', () => {
    const sameDay = tariff({ occurredAt: '2025-01-01', rate: 20, effectiveAt: '2025-02-01' });
    expect(asOf('2025-03-02', [truce, sameDay])?.measures).toEqual([
      expect.objectContaining({ rate: 34, reversion: true }),
    ]);
  });

  it('voids only as of its announcement: before it, the reversion is still scheduled', () => {
    const extension = tariff({
      occurredAt: '2025-02-20',
      rate: 10,
      effectiveAt: '2025-03-01',
      until: '2025-06-01',
      thenRate: 34,
    });
    expect(asOf('2025-02-19', [truce, extension])?.scheduled).toEqual([
      expect.objectContaining({ rate: 34, reversion: true, eventId: truce.eventId }),
    ]);
  });

  it('a back-dated decision announced after the reversion took effect voids it, and an earlier-announced step after its date applies again', () => {
    const earlierStep = tariff({ occurredAt: '2024-12-01', rate: 40, effectiveAt: '2025-02-20' });
    const backDated = tariff({ occurredAt: '2025-04-01', rate: 60, effectiveAt: '2025-02-10' });
    // Before the back-dated decision: the reversion (1 March) is the latest step.
    expect(asOf('2025-03-31', [earlierStep, truce, backDated])?.measures).toEqual([
      expect.objectContaining({ rate: 34, reversion: true }),
    ]);
    // After it: the reversion is void, and of the steps left the latest effective is 40 from 20 February.
    expect(asOf('2025-04-02', [earlierStep, truce, backDated])?.measures).toEqual([
      expect.objectContaining({ rate: 40, eventId: earlierStep.eventId }),
    ]);
  });
});

describe('product scope', () => {
  it('as of 12 April: smartphones pay 20 (fentanyl alone), toys 145, the total 145', () => {
    const phones = asOf('2025-04-12', year, '8517.13.00');
    expect(phones).toMatchObject({
      total: 145,
      applicable: {
        product: '8517.13.00',
        rate: 20,
        measures: ['fentanyl-ieepa'],
        displaced: [],
        uncertain: [],
      },
    });
    expect(phones?.measures.find((l) => l.measure === 'reciprocal')).toMatchObject({
      excluded: ['8471', '8517.13', '8542'],
    });
    expect(asOf('2025-04-12', year, '9503')?.applicable).toMatchObject({ rate: 145 });
  });

  it('as of 7 April the back-dated exclusion is not yet announced: computers pay 30; as finally decided, 20, the line marked retroactive', () => {
    expect(asOf('2025-04-07', year, '8471')?.applicable?.rate).toBe(30);
    const decided = effectiveOn('2025-04-07', '8471');
    expect(decided?.applicable?.rate).toBe(20);
    expect(decided?.measures.find((l) => l.measure === 'reciprocal')).toMatchObject({
      retroactive: true,
      excluded: ['8471', '8517.13', '8542'],
    });
    expect(
      decided?.measures.find((l) => l.measure === 'fentanyl-ieepa')?.retroactive,
    ).toBeUndefined();
  });

  it('as finally decided but known at 10 April (before the exclusion was recorded): 30', () => {
    const drafts = year.map((d) => ({ ...d, recordedAt: d.occurredAt }));
    expect(effectiveOn('2025-04-07', '8471', '2025-04-10', drafts)?.applicable?.rate).toBe(30);
    expect(effectiveOn('2025-04-07', '8471', '2025-04-11', drafts)?.applicable?.rate).toBe(20);
  });

  it('steel on 10 June pays Section 232 50 + fentanyl 20 = 70 (reciprocal displaced); the total stays 30', () => {
    expect(asOf('2025-06-10', year, '7208')).toMatchObject({
      total: 30,
      applicable: {
        rate: 70,
        measures: ['fentanyl-ieepa', 'section-232-steel'],
        displaced: ['reciprocal'],
      },
    });
  });

  it('a selected-goods line without products is uncertain and not counted', () => {
    const unknownScope = tariff({
      occurredAt: '2025-02-04',
      measure: 'retaliation',
      rate: 15,
      effectiveAt: '2025-02-10',
      coverage: 'selected-goods',
    });
    expect(asOf('2025-03-01', [fentanyl20, unknownScope], '2701')?.applicable).toEqual({
      product: '2701',
      rate: 0,
      measures: [],
      displaced: [],
      uncertain: ['retaliation'],
    });
  });

  it('scope changes accumulate in effective order, an inclusion lifts the exclusions inside it and stays an exception inside a wider one', () => {
    const wide = tariffScopeChanged({
      occurredAt: '2025-04-12',
      data: { effectiveAt: '2025-04-12', exclude: ['85'] },
    });
    const exception = tariffScopeChanged({
      occurredAt: '2025-04-20',
      data: { effectiveAt: '2025-04-20', exclude: undefined, include: ['8517.13'] },
    });
    const lifted = tariffScopeChanged({
      occurredAt: '2025-05-01',
      data: { effectiveAt: '2025-05-01', exclude: undefined, include: ['85'] },
    });
    const history = [fentanyl20, baseline10, reciprocal125, wide, exception, lifted];
    expect(asOf('2025-04-13', history)?.measures[1]).toMatchObject({ excluded: ['85'] });
    const inside = asOf('2025-04-21', history, '8517.13.00');
    expect(inside?.measures[1]).toMatchObject({ excluded: ['85'], included: ['8517.13'] });
    expect(inside?.applicable?.rate).toBe(145);
    expect(asOf('2025-04-21', history, '8542')?.applicable?.rate).toBe(20);
    const after = asOf('2025-05-02', history, '8542');
    expect(after?.measures[1]?.excluded).toBeUndefined();
    expect(after?.applicable?.rate).toBe(145);
  });
});

describe('deadlines', () => {
  it('as of 1 August the first thing due is the reversion to 34 on 12 August', () => {
    const timeline = timelineOf(...year);
    const due = deadlinesOf(timeline, { asOf: endOf('2025-08-01'), knownAt: null }, null);
    expect(due[0]).toEqual({
      at: '2025-08-12T04:01:00.000Z',
      kind: 'tariff-change',
      eventId: geneva.eventId,
      imposedBy: 'US',
      appliedTo: 'CN',
      measure: 'reciprocal',
      rate: 34,
      coverage: 'all-goods',
      reversion: true,
    });
    expect(
      deadlinesOf(timeline, { asOf: endOf('2025-08-01'), knownAt: null }, endOf('2025-08-11')),
    ).toEqual([]);
  });
});

// ---- The rule against its statement: random histories of one line, every date ----

interface Change {
  occurredAt: number;
  effectiveAt: number;
  until: number | null;
  rate: number;
  thenRate: number;
}
const day = (n: number) => `2025-01-${String(n + 1).padStart(2, '0')}`;
const aChange: fc.Arbitrary<Change> = fc
  .record({
    occurredAt: fc.integer({ min: 0, max: 12 }),
    effectiveAt: fc.integer({ min: 0, max: 14 }),
    length: fc.option(fc.integer({ min: 1, max: 5 })),
    rate: fc.constantFrom(0, 10, 20, 30),
    thenRate: fc.constantFrom(0, 34),
  })
  .map(({ length, ...c }) => ({ ...c, until: length === null ? null : c.effectiveAt + length }));

/**
 * The contract's sentence, as plainly as it reads: the steps of the changes known (announced by
 * `at`, or all of them as finally decided), a reversion void when a change announced later takes
 * effect at or before it, the greatest effective step by `at`, ties to the later in (occurredAt,
 * revision).
 */
function rateByTheRule(changes: readonly Change[], at: number, asDecided: boolean): number | null {
  const known = changes
    .map((c, revision) => ({ ...c, revision }))
    .filter((c) => asDecided || c.occurredAt <= at);
  type Step = {
    effectiveAt: number;
    rate: number;
    occurredAt: number;
    revision: number;
    reversion: boolean;
  };
  const steps: Step[] = [];
  for (const c of known) {
    steps.push({
      effectiveAt: c.effectiveAt,
      rate: c.rate,
      occurredAt: c.occurredAt,
      revision: c.revision,
      reversion: false,
    });
    if (c.until === null) continue;
    const until = c.until;
    const void_ = known.some((d) => d.occurredAt > c.occurredAt && d.effectiveAt <= until);
    if (!void_)
      steps.push({
        effectiveAt: until,
        rate: c.thenRate,
        occurredAt: c.occurredAt,
        revision: c.revision,
        reversion: true,
      });
  }
  const key = (s: Step) => [s.effectiveAt, s.occurredAt, s.revision, s.reversion ? 1 : 0];
  const later = (a: Step, b: Step) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! > y[i]!;
    return false;
  };
  let best: Step | null = null;
  for (const s of steps) if (s.effectiveAt <= at && (!best || later(s, best))) best = s;
  return best === null || best.rate === 0 ? null : best.rate;
}

describe('the fold against the rule as written', () => {
  it('gives the rate the rule gives, as of any date and as finally decided, for any history recorded in any order', () => {
    fc.assert(
      fc.property(
        fc.array(aChange, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 20 }),
        (changes, at) => {
          const drafts = changes.map((c) =>
            tariff({
              occurredAt: day(c.occurredAt),
              rate: c.rate,
              effectiveAt: day(c.effectiveAt),
              ...(c.until !== null && { until: day(c.until), thenRate: c.thenRate }),
            }),
          );
          const shownRate = (pair: TariffPair | undefined) => pair?.measures[0]?.rate ?? null;
          expect(shownRate(asOf(day(at), drafts))).toBe(rateByTheRule(changes, at, false));
          expect(shownRate(effectiveOn(day(at), undefined, undefined, drafts))).toBe(
            rateByTheRule(changes, at, true),
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('history of the truce', () => {
  it('/changes reports the first reversion voided by the 11 August extension, and the exclusion as a change of the line’s scope', () => {
    const timeline = timelineOf(...year);
    const august = changesBetween(timeline, {
      from: endOf('2025-08-01'),
      to: endOf('2025-08-13'),
      knownAt: null,
    });
    expect(august.tariffs[0]).toMatchObject({
      before: 30,
      after: 30,
      voided: [
        {
          measure: 'reciprocal',
          rate: 34,
          effectiveAt: '2025-08-12T04:01:00.000Z',
          reversion: true,
          eventId: geneva.eventId,
        },
      ],
    });
    const april = changesBetween(timeline, {
      from: endOf('2025-04-10'),
      to: endOf('2025-04-12'),
      knownAt: null,
    });
    expect(april.tariffs[0]?.lines).toEqual([
      expect.objectContaining({
        measure: 'reciprocal',
        before: expect.not.objectContaining({ excluded: expect.anything() }),
        after: expect.objectContaining({ rate: 125, excluded: ['8471', '8517.13', '8542'] }),
      }),
    ]);
  });

  it('/tariffs/history steps at a reversion that is not voided, and not at one that is', () => {
    const points = (drafts: readonly Draft[]) =>
      tariffHistory(timelineOf(...drafts), {
        imposedBy: 'US',
        appliedTo: 'CN',
        from: endOf('2025-05-20'),
        to: endOf('2025-12-31'),
        knownAt: null,
      }).map((p) => `${p.at} ${p.total}`);
    expect(points([fentanyl20, geneva])).toEqual([
      '2025-05-20T23:59:59.999Z 30',
      '2025-08-12T04:01:00.000Z 54',
    ]);
    expect(points([fentanyl20, geneva, augustExtension])).toEqual([
      '2025-05-20T23:59:59.999Z 30',
      '2025-11-10T05:01:00.000Z 54',
    ]);
  });

  it('/tariffs/history with a product steps when what it pays changes, though the total does not', () => {
    const points = tariffHistory(timelineOf(...year), {
      imposedBy: 'US',
      appliedTo: 'CN',
      from: endOf('2025-04-06'),
      to: endOf('2025-04-13'),
      knownAt: null,
      product: '8471',
    }).map((p) => `${p.at} ${p.total} ${p.applicable?.rate}`);
    expect(points).toEqual([
      '2025-04-06T23:59:59.999Z 30 30',
      '2025-04-10T04:01:00.000Z 145 145',
      '2025-04-11T00:00:00.000Z 145 20',
    ]);
  });
});
