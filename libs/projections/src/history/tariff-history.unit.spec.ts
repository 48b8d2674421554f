import fc from 'fast-check';
import type { Draft } from '@parley/domain/testing';
import {
  CN,
  EU,
  US,
  at,
  developmentRetracted,
  endOf,
  negotiationOpened,
  tariffChanged,
  whenRecorded,
} from '@parley/domain/testing';
import { timelineOf } from '../testing';
import { aHistory, aKnownAt, anInstant } from '../testing/history.arbitrary';
import type { TariffPoint } from './tariff-history';
import { tariffHistory } from './tariff-history';

const US_ON_CN = { imposedBy: 'US', appliedTo: 'CN' };
const lines = (measures: TariffPoint['measures']) =>
  measures.map((m) => [m.measure, m.rate, m.coverage]);
const levels = (points: TariffPoint[]) => points.map((p) => [p.at.slice(0, 10), p.total]);

/** The negotiation of these histories, opened on 1 January 2025 (revision 0). */
const opened = negotiationOpened({ occurredAt: '2025-01-01', data: { parties: [US, CN, EU] } });

/**
 * A tariff line announced on `occurredAt`: the US on China on all goods, effective then, unless
 * it says otherwise.
 */
const tariff = (
  occurredAt: string,
  data: {
    measure: string;
    rate: number;
    effectiveAt?: string;
    imposedBy?: string;
    appliedTo?: string;
    coverage?: 'all-goods' | 'selected-goods';
  },
  eventId?: string,
): Draft<'TariffChanged'> =>
  tariffChanged({ occurredAt, data, ...(eventId !== undefined && { eventId }) });

describe('tariffHistory', () => {
  describe('given the US tariff on China stepping up, each change announced ahead of taking effect', () => {
    const history = [
      opened,
      tariff('2025-02-01', { measure: 'fentanyl-ieepa', rate: 10, effectiveAt: '2025-02-04' }),
      tariff(
        '2025-03-03',
        { measure: 'fentanyl-ieepa', rate: 20, effectiveAt: '2025-03-04' },
        'event-2',
      ),
      tariff(
        '2025-04-09',
        { measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-10' },
        'event-3',
      ),
      tariff(
        '2025-04-02',
        { measure: 'steel', rate: 25, coverage: 'selected-goods', effectiveAt: '2025-04-05' },
        'event-4',
      ),
      tariff('2025-04-12', { measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-12' }),
      tariff('2025-05-12', { measure: 'reciprocal', rate: 0, effectiveAt: '2025-05-14' }),
      tariff('2025-05-01', {
        measure: 'fentanyl-ieepa',
        rate: 20,
        imposedBy: 'CN',
        appliedTo: 'US',
      }),
    ];

    it('gives one point per effective change, at the time it takes effect', () => {
      const points = tariffHistory(timelineOf(...history), {
        ...US_ON_CN,
        from: null,
        to: endOf('2025-12-31'),
        knownAt: null,
      });
      expect(levels(points)).toEqual([
        ['2025-02-04', 10],
        ['2025-03-04', 20],
        ['2025-04-05', 20],
        ['2025-04-10', 145],
        ['2025-05-14', 20],
      ]);
    });

    it('lists the active lines at each point, counting only those on all goods in the total', () => {
      const points = tariffHistory(timelineOf(...history), {
        ...US_ON_CN,
        from: null,
        to: endOf('2025-12-31'),
        knownAt: null,
      });
      expect(points[2]).toEqual({
        at: at('2025-04-05'),
        total: 20,
        measures: [
          {
            measure: 'fentanyl-ieepa',
            rate: 20,
            coverage: 'all-goods',
            effectiveAt: at('2025-03-04'),
            eventId: 'event-2',
          },
          {
            measure: 'steel',
            rate: 25,
            coverage: 'selected-goods',
            effectiveAt: at('2025-04-05'),
            eventId: 'event-4',
          },
        ],
      });
      expect(points[4]!.measures.map((m) => m.measure)).toEqual(['fentanyl-ieepa', 'steel']);
    });

    it('repeats no point when a line is announced again at the same rate: the point keeps the change that set the level', () => {
      const points = tariffHistory(timelineOf(...history), {
        ...US_ON_CN,
        from: null,
        to: endOf('2025-12-31'),
        knownAt: null,
      });
      const at145 = points.filter((p) => p.total === 145);
      expect(at145).toHaveLength(1);
      expect(at145[0]!.measures.find((m) => m.measure === 'reciprocal')?.eventId).toBe('event-3');
    });

    it('opens with the level in force at `from` and stops at `to`', () => {
      const points = tariffHistory(timelineOf(...history), {
        ...US_ON_CN,
        from: endOf('2025-03-15'),
        to: endOf('2025-04-30'),
        knownAt: null,
      });
      expect(levels(points)).toEqual([
        ['2025-03-15', 20],
        ['2025-04-05', 20],
        ['2025-04-10', 145],
      ]);
      expect(points[0]!.at).toBe(endOf('2025-03-15'));
    });

    it('has no opening point when no line is active at `from`', () => {
      const points = tariffHistory(timelineOf(...history), {
        ...US_ON_CN,
        from: endOf('2025-01-15'),
        to: endOf('2025-02-28'),
        knownAt: null,
      });
      expect(levels(points)).toEqual([['2025-02-04', 10]]);
    });

    it('is empty for a pair with no tariffs', () => {
      expect(
        tariffHistory(timelineOf(...history), {
          imposedBy: 'US',
          appliedTo: 'EU',
          from: null,
          to: endOf('2025-12-31'),
          knownAt: null,
        }),
      ).toEqual([]);
    });
  });

  describe('given a change reported after it took effect (backdated)', () => {
    const history = [
      opened,
      tariff('2025-03-10', { measure: 'reciprocal', rate: 34, effectiveAt: '2025-03-01' }),
    ];

    it('counts it from when it was reported, as the state does in valid time', () => {
      const points = tariffHistory(timelineOf(...history), {
        ...US_ON_CN,
        from: null,
        to: endOf('2025-12-31'),
        knownAt: null,
      });
      expect(levels(points)).toEqual([['2025-03-10', 34]]);
    });
  });

  describe('given threats and options beside the lines in force (contract v1.1, Modality)', () => {
    const history = [
      opened,
      tariff('2025-03-03', { measure: 'fentanyl-ieepa', rate: 20, effectiveAt: '2025-03-04' }),
      tariffChanged({
        occurredAt: '2025-10-10',
        modality: 'threatened',
        data: { measure: 'threat-100', rate: 100, effectiveAt: '2025-11-01' },
      }),
      tariffChanged({
        occurredAt: '2025-10-12',
        modality: 'considered',
        data: { measure: 'chips', rate: 50, effectiveAt: undefined },
      }),
      tariffChanged({
        occurredAt: '2025-10-14',
        modality: 'considered',
        data: { measure: 'reciprocal', rate: 34, effectiveAt: '2025-10-20' },
      }),
    ];

    it('makes no point for them: a threat or an option is not a rate in force, even once its date passes', () => {
      const points = tariffHistory(timelineOf(...history), {
        ...US_ON_CN,
        from: null,
        to: endOf('2025-12-31'),
        knownAt: null,
      });
      expect(levels(points)).toEqual([['2025-03-04', 20]]);
    });

    it('opens a series from a time they are listed with the level in force only', () => {
      const points = tariffHistory(timelineOf(...history), {
        ...US_ON_CN,
        from: endOf('2025-10-15'),
        to: endOf('2025-12-31'),
        knownAt: null,
      });
      expect(levels(points)).toEqual([['2025-10-15', 20]]);
      expect(lines(points[0]!.measures)).toEqual([['fentanyl-ieepa', 20, 'all-goods']]);
    });
  });

  describe('given a late report and a retraction', () => {
    const misreported = tariff('2025-04-09', { measure: 'reciprocal', rate: 125 });
    const history = [
      opened,
      tariff('2025-02-01', { measure: 'fentanyl-ieepa', rate: 10 }),
      misreported,
      tariff('2025-03-04', { measure: 'fentanyl-ieepa', rate: 20 }),
      developmentRetracted(misreported, { occurredAt: '2025-04-20' }),
    ];

    it('places the late report in time and leaves the retracted change out', () => {
      const points = tariffHistory(timelineOf(...history), {
        ...US_ON_CN,
        from: null,
        to: endOf('2025-12-31'),
        knownAt: null,
      });
      expect(levels(points)).toEqual([
        ['2025-02-01', 10],
        ['2025-03-04', 20],
      ]);
    });

    it('shows what was believed before the retraction was recorded', () => {
      const points = tariffHistory(timelineOf(...history), {
        ...US_ON_CN,
        from: null,
        to: endOf('2025-12-31'),
        knownAt: whenRecorded(3, history),
      });
      expect(levels(points)).toEqual([
        ['2025-02-01', 10],
        ['2025-03-04', 20],
        ['2025-04-09', 145],
      ]);
    });
  });

  describe('for any history', () => {
    it('steps to exactly the total the state gives at every instant, in strict time order without repeats', () => {
      fc.assert(
        fc.property(
          aHistory.chain((history) =>
            fc.tuple(
              fc.constant(history),
              aKnownAt(history),
              fc.option(anInstant, { nil: null }),
              anInstant,
              fc.array(anInstant, { maxLength: 8 }),
            ),
          ),
          ([history, knownAt, from, to, probes]) => {
            fc.pre(from === null || from <= to);
            const timeline = timelineOf(...history);
            const points = tariffHistory(timeline, { ...US_ON_CN, from, to, knownAt });
            for (let i = 1; i < points.length; i++) {
              expect(points[i]!.at > points[i - 1]!.at).toBe(true);
              expect([points[i]!.total, lines(points[i]!.measures)]).not.toEqual([
                points[i - 1]!.total,
                lines(points[i - 1]!.measures),
              ]);
            }
            for (const probe of [...probes, ...points.map((p) => p.at)]) {
              if ((from !== null && probe < from) || probe > to) continue;
              const stepped = points.filter((p) => p.at <= probe).pop();
              const state = timeline
                .stateAt({ asOf: probe, knownAt })
                .tariffs.find((p) => p.imposedBy === 'US' && p.appliedTo === 'CN');
              expect(stepped?.total ?? 0).toBe(state?.total ?? 0);
              // A point keeps the change that set its level; a later one at the same rate makes no new point.
              expect(lines(stepped?.measures ?? [])).toEqual(lines(state?.measures ?? []));
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
