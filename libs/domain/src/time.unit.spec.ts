import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { withParsedTimes } from './development';
import { OccurredAt } from './developments/fields';
import {
  ROUGH_TIME_PATTERN,
  TIME_PATTERN,
  instantMs,
  laterOf,
  parseInstant,
  parseOccurredAt,
  toInstant,
} from './time';

describe('parseInstant', () => {
  describe('given a date without a time', () => {
    it('means 00:00:00.000Z of that day when it is an event time', () => {
      expect(parseInstant('2025-04-09', 'start-of-day')).toBe('2025-04-09T00:00:00.000Z');
    });

    it('means 23:59:59.999Z of that day when it is a bound (asOf, knownAt, to)', () => {
      expect(parseInstant('2025-04-09', 'end-of-day')).toBe('2025-04-09T23:59:59.999Z');
    });

    it('ends the last day of a month and of a year on that day', () => {
      expect(parseInstant('2025-04-30', 'end-of-day')).toBe('2025-04-30T23:59:59.999Z');
      expect(parseInstant('2024-12-31', 'end-of-day')).toBe('2024-12-31T23:59:59.999Z');
    });
  });

  describe('given a date-time', () => {
    it.each(['start-of-day', 'end-of-day'] as const)(
      'is the same instant whatever a date would mean (%s)',
      (meaning) => {
        expect(parseInstant('2025-04-09T18:00:00Z', meaning)).toBe('2025-04-09T18:00:00.000Z');
      },
    );

    it('answers in full UTC form when seconds or fractions are left out', () => {
      expect(parseInstant('2025-04-09T18:30Z', 'start-of-day')).toBe('2025-04-09T18:30:00.000Z');
      expect(parseInstant('2025-04-09T18:30:05Z', 'start-of-day')).toBe('2025-04-09T18:30:05.000Z');
    });

    it('keeps fractions to the millisecond', () => {
      expect(parseInstant('2025-04-09T18:30:05.5Z', 'start-of-day')).toBe(
        '2025-04-09T18:30:05.500Z',
      );
      expect(parseInstant('2025-04-09T18:30:05.123Z', 'start-of-day')).toBe(
        '2025-04-09T18:30:05.123Z',
      );
    });

    // Cutting them would record another time than the one sent, without a word (issue 18).
    it.each([
      '2025-04-10T00:00:00.123456789Z',
      '2025-04-10T00:00:00.1234Z',
      '2025-04-10T00:00:00.000000+02:00',
    ])(
      'refuses a fraction finer than the millisecond (%s), in the parser and the pattern',
      (text) => {
        expect(parseInstant(text, 'start-of-day')).toBeUndefined();
        expect(new RegExp(TIME_PATTERN).test(text)).toBe(false);
      },
    );

    it.each([
      ['2025-04-09T08:00:00+08:00', '2025-04-09T00:00:00.000Z'],
      ['2025-04-09T05:30:00+05:30', '2025-04-09T00:00:00.000Z'],
      ['2025-04-09T22:00:00-05:00', '2025-04-10T03:00:00.000Z'],
      ['2025-04-09T07:00:00+08:00', '2025-04-08T23:00:00.000Z'],
      ['2025-04-09T12:00:00+00:00', '2025-04-09T12:00:00.000Z'],
      ['2025-04-09T12:00:00-00:00', '2025-04-09T12:00:00.000Z'],
      ['2024-12-31T20:00:00-05:00', '2025-01-01T01:00:00.000Z'],
    ])('normalises the offset of %s to UTC (%s)', (text, utc) => {
      expect(parseInstant(text, 'start-of-day')).toBe(utc);
      expect(parseInstant(text, 'end-of-day')).toBe(utc);
    });
  });

  describe('given a leap day', () => {
    it.each(['2024-02-29', '2000-02-29', '2028-02-29'])('accepts %s', (text) => {
      expect(parseInstant(text, 'start-of-day')).toBe(`${text}T00:00:00.000Z`);
      expect(parseInstant(`${text}T12:00:00Z`, 'start-of-day')).toBe(`${text}T12:00:00.000Z`);
    });
  });

  describe('given an impossible date or time', () => {
    it.each([
      '2025-02-30',
      '2023-02-29',
      '1900-02-29',
      '2025-04-31',
      '2025-13-01',
      '2025-00-10',
      '2025-04-00',
      '2025-04-32',
      '2025-02-30T10:00:00Z',
      '2023-02-29T10:00:00Z',
      '2025-13-01T10:00:00Z',
      '2025-04-09T24:00:00Z',
      '2025-04-09T24:00Z',
      '2025-04-09T23:60:00Z',
      '2025-04-09T23:59:60Z',
      '2025-04-09T12:00:00+24:00',
      '2025-04-09T12:00:00+05:60',
    ])('rejects %s', (text) => {
      expect(parseInstant(text, 'start-of-day')).toBeUndefined();
      expect(parseInstant(text, 'end-of-day')).toBeUndefined();
    });
  });

  describe('given text that is not an ISO 8601 date or date-time', () => {
    it.each([
      '',
      'yesterday',
      '2025-4-9',
      '25-04-09',
      '20250409',
      '09/04/2025',
      '2025-04-09Z',
      '2025-04-09T18:00:00',
      '2025-04-09 18:00:00Z',
      '2025-04-09T18Z',
      '2025-04-09T18:00:00.Z',
      '2025-04-09T18:00:00+0800',
      ' 2025-04-09',
      '2025-04-09\n',
    ])('rejects %j', (text) => {
      expect(parseInstant(text, 'start-of-day')).toBeUndefined();
    });
  });

  describe('given years before 100', () => {
    it('keeps the year as written', () => {
      expect(parseInstant('0025-04-09', 'start-of-day')).toBe('0025-04-09T00:00:00.000Z');
      expect(parseInstant('0099-12-31T23:00:00-02:00', 'start-of-day')).toBe(
        '0100-01-01T01:00:00.000Z',
      );
    });

    it('applies the Gregorian leap years to them', () => {
      expect(parseInstant('0004-02-29', 'end-of-day')).toBe('0004-02-29T23:59:59.999Z');
      expect(parseInstant('0000-02-29', 'start-of-day')).toBe('0000-02-29T00:00:00.000Z');
    });
  });

  describe('given an offset that carries the instant out of years 0000..9999', () => {
    it.each(['9999-12-31T23:00:00-05:00', '0000-01-01T00:30:00+01:00'])(
      'rejects %s, which has no four-digit UTC form to sort by',
      (text) => {
        expect(parseInstant(text, 'start-of-day')).toBeUndefined();
      },
    );

    it('accepts the first and last instants that have one', () => {
      expect(parseInstant('0000-01-01', 'start-of-day')).toBe('0000-01-01T00:00:00.000Z');
      expect(parseInstant('9999-12-31', 'end-of-day')).toBe('9999-12-31T23:59:59.999Z');
    });
  });

  describe('for any instant', () => {
    const instants = fc
      .date({
        min: new Date('1971-01-01T00:00:00Z'),
        max: new Date('2999-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
    const offsets = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });

    it('reads back its own canonical form', () => {
      fc.assert(
        fc.property(instants, (instant) => {
          expect(parseInstant(instant, 'start-of-day')).toBe(instant);
        }),
      );
    });

    it('reads a text of the canonical form as itself exactly when Date reads it back the same (it is on the calendar)', () => {
      // Every field drawn past its range too: month 00-19, day 00-39 (30 and 31 of short months,
      // 29 February of years that are not leap years), hour 00-29, minute and second 00-69; the
      // ends of months, February and century years (1900 is not a leap year, 2000 is) often.
      const two = (min: number, max: number) =>
        fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));
      const year = fc.oneof(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }).map((century) => century * 100),
      );
      const canonicalForm = fc
        .tuple(
          year.map((n) => String(n).padStart(4, '0')),
          fc.oneof(two(0, 19), fc.constant('02')),
          fc.oneof(two(0, 39), two(28, 31)),
          two(0, 29),
          two(0, 69),
          two(0, 69),
          fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0')),
        )
        .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
      fc.assert(
        fc.property(canonicalForm, (text) => {
          const ms = Date.parse(text);
          const readBack = !Number.isNaN(ms) && toInstant(ms) === text;
          expect(parseInstant(text, 'start-of-day')).toBe(readBack ? text : undefined);
        }),
        { numRuns: 5000 },
      );
    });

    it('is the same instant written with any offset', () => {
      fc.assert(
        fc.property(instants, offsets, (instant, offset) => {
          const local = new Date(instantMs(instant) + offset * 60_000).toISOString().slice(0, 23);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseInstant(`${local}${zone}`, 'start-of-day')).toBe(instant);
        }),
      );
    });

    it('sorts as plain strings in time order, which the folds rely on', () => {
      fc.assert(
        fc.property(fc.array(instants, { maxLength: 20 }), (list) => {
          const byString = [...list].sort();
          const byTime = [...list].sort((a, b) => instantMs(a) - instantMs(b));
          expect(byString).toEqual(byTime);
        }),
      );
    });
  });
});

describe('toInstant, instantMs and laterOf', () => {
  it('convert between milliseconds and canonical instants', () => {
    const instant = '2025-04-09T18:00:00.000Z';
    expect(toInstant(instantMs(instant))).toBe(instant);
  });

  it('pick the later of two instants, either way round', () => {
    const [early, late] = [toInstant(Date.UTC(2025, 3, 9)), toInstant(Date.UTC(2025, 3, 10))];
    expect(laterOf(early, late)).toBe(late);
    expect(laterOf(late, early)).toBe(late);
    expect(laterOf(late, late)).toBe(late);
  });
});

describe('parseOccurredAt (contract v1.1, "Dates known roughly")', () => {
  describe('given each form, it is the START of its period with the precision of its form', () => {
    it.each([
      ['2025', '2025-01-01T00:00:00.000Z', 'year'],
      ['0025', '0025-01-01T00:00:00.000Z', 'year'],
      ['2025-04', '2025-04-01T00:00:00.000Z', 'month'],
      ['2025-01', '2025-01-01T00:00:00.000Z', 'month'],
      ['2025-12', '2025-12-01T00:00:00.000Z', 'month'],
      ['2024-02', '2024-02-01T00:00:00.000Z', 'month'],
      ['2025-04-23', '2025-04-23T00:00:00.000Z', 'day'],
      ['2024-02-29', '2024-02-29T00:00:00.000Z', 'day'],
      ['2025-04-23T10:15Z', '2025-04-23T10:15:00.000Z', 'instant'],
      ['2025-04-23T10:15:30.250Z', '2025-04-23T10:15:30.250Z', 'instant'],
      ['2025-04-23T08:00:00+08:00', '2025-04-23T00:00:00.000Z', 'instant'],
      ['2025-04-23T07:00:00+08:00', '2025-04-22T23:00:00.000Z', 'instant'],
      ['2025-04-30T22:00:00-05:00', '2025-05-01T03:00:00.000Z', 'instant'],
      ['2025-04-23T00:00:00.000Z', '2025-04-23T00:00:00.000Z', 'instant'],
    ])('reads %s as %s (%s)', (text, instant, precision) => {
      expect(parseOccurredAt(text)).toEqual({ instant, precision });
    });

    it('reads a date-time as the same instant parseInstant reads, only with a precision', () => {
      for (const text of ['2025-04-09T18:30Z', '2025-04-09T05:30:00+05:30', '2025-04-09']) {
        expect(parseOccurredAt(text)?.instant).toBe(parseInstant(text, 'start-of-day'));
      }
    });
  });

  describe('given a month or a year that does not exist, or text of no form', () => {
    it.each([
      '2025-13',
      '2025-00',
      '2025-99',
      '2025-4',
      '2025-004',
      '202',
      '25',
      '20254',
      '2025-',
      '2025/04',
      '04-2025',
      'April 2025',
      '2025-Q2',
      '2025-W15',
      ' 2025',
      '2025\n',
      '2025-04-31',
      '2025-13-01',
      '2025-04-23T24:00:00Z',
      '2025-04-23T10:00:00',
      '',
    ])('refuses %j', (text) => {
      expect(parseOccurredAt(text)).toBeUndefined();
    });
  });

  describe('its pattern, as schemas and the OpenAPI document say it', () => {
    const occurredAtPattern = new RegExp(OccurredAt('').pattern as string);
    const roughPattern = new RegExp(ROUGH_TIME_PATTERN);
    const timePattern = new RegExp(TIME_PATTERN);

    it('matches exactly the months and years parseOccurredAt reads', () => {
      const roughTexts = fc.oneof(
        fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')),
        fc
          .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }))
          .map(([y, m]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`),
      );
      fc.assert(
        fc.property(roughTexts, (text) => {
          expect(roughPattern.test(text)).toBe(parseOccurredAt(text) !== undefined);
          expect(occurredAtPattern.test(text)).toBe(parseOccurredAt(text) !== undefined);
        }),
      );
    });

    it('takes the rough forms for occurredAt only: the pattern of every other time refuses them', () => {
      for (const text of ['2025', '2025-04']) {
        expect(occurredAtPattern.test(text)).toBe(true);
        expect(timePattern.test(text)).toBe(false);
        expect(parseInstant(text, 'start-of-day')).toBeUndefined();
        expect(parseInstant(text, 'end-of-day')).toBeUndefined();
      }
    });
  });

  it('sorts a month before every day of it and after every day of the month before, as plain strings', () => {
    const month = parseOccurredAt('2025-04')!.instant;
    expect(month <= parseOccurredAt('2025-04-01')!.instant).toBe(true);
    expect(month < parseOccurredAt('2025-04-30T23:59Z')!.instant).toBe(true);
    expect(month > parseOccurredAt('2025-03-31T23:59:59.999Z')!.instant).toBe(true);
    expect(parseOccurredAt('2025')!.instant <= month).toBe(true);
  });
});

describe('withParsedTimes: the occurredAt and occurredPrecision a development is read with', () => {
  const statement = (occurredAt: string, occurredPrecision?: 'approximate' | 'month') =>
    withParsedTimes({
      type: 'StatementMade',
      eventId: '00000000-0000-4000-8000-000000000001',
      occurredAt,
      ...(occurredPrecision !== undefined && { occurredPrecision }),
      data: { party: 'US', speaker: 'Donald Trump', stance: 'conciliatory' },
    });
  const read = (occurredAt: string, occurredPrecision?: 'approximate' | 'month') => {
    const result = statement(occurredAt, occurredPrecision);
    if (!('development' in result)) throw new Error(`not read: ${result.invalidTime}`);
    const { occurredAt: instant, occurredPrecision: precision } = result.development;
    return { instant, precision };
  };

  it.each([
    ['2025', '2025-01-01T00:00:00.000Z', 'year'],
    ['2025-04', '2025-04-01T00:00:00.000Z', 'month'],
    ['2025-04-23', '2025-04-23T00:00:00.000Z', 'day'],
  ])('keeps the precision of %s', (text, instant, precision) => {
    expect(read(text)).toEqual({ instant, precision });
  });

  it('leaves the precision out for a date-time (absent means to the instant)', () => {
    expect(read('2025-04-23T08:00:00+08:00')).toEqual({
      instant: '2025-04-23T00:00:00.000Z',
      precision: undefined,
    });
  });

  it.each(['2025', '2025-03', '2025-03-15', '2025-03-15T12:00Z', '2025-03-15T20:00:00+08:00'])(
    'takes approximate with %s, at the start of what was sent',
    (text) => {
      expect(read(text, 'approximate')).toEqual({
        instant: parseOccurredAt(text)!.instant,
        precision: 'approximate',
      });
    },
  );

  it('reads back what a store keeps: the canonical start with the precision it was read with', () => {
    expect(read('2025-04-01T00:00:00.000Z', 'month')).toEqual({
      instant: '2025-04-01T00:00:00.000Z',
      precision: 'month',
    });
  });

  it.each(['2025-13', '2025-02-30'])(
    'gives occurredAt as the time that is not real (%s)',
    (text) => {
      expect(statement(text)).toEqual({ invalidTime: 'occurredAt' });
    },
  );
});
