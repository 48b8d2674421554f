import { describe, expect, it } from '@jest/globals';
import type { RecordDevelopment } from './decide';
import { decide } from './decide';
import type { Modality } from './vocabulary';
import { envelopeFaults } from './developments/envelope';
import { DomainError } from './domain-error';
import type { Draft } from './testing';
import {
  at,
  decisionModelOf,
  developmentRetracted,
  specification,
  tariffChanged,
  tariffScopeChanged,
  unrecorded,
} from './testing';

/**
 * Contract v1.1, "Tariffs as goods pay them": the rules of a temporary rate, of a line's
 * products and of a scope change. The form rules are faults of the envelope (400 naming the
 * field; requests and the store decoder both read them); that a scope change names a known line
 * is decide's (422 tariff-line-unknown).
 */

const NOW = '2025-12-01T12:00:00.000Z';

/** The `data` of a TariffChanged as a client posts it: its times as text. */
const line = (data: Record<string, unknown> = {}): Record<string, unknown> => ({
  imposedBy: 'US',
  appliedTo: 'CN',
  measure: 'reciprocal',
  rate: 10,
  effectiveAt: '2025-05-14T04:01:00Z',
  coverage: 'all-goods',
  ...data,
});

/** The faults of a TariffChanged envelope as posted with `data`. */
const faultsOfChange = (data: Record<string, unknown>, modality?: Modality) =>
  envelopeFaults('TariffChanged', { ...(modality && { modality }), data });

const paths = (faults: readonly { path: string }[]) => faults.map((f) => f.path);

describe('a temporary rate (until, thenRate)', () => {
  it('is accepted with until after effectiveAt, and thenRate beside it', () => {
    expect(faultsOfChange(line({ until: '2025-08-12T04:01:00Z', thenRate: 34 }))).toEqual([]);
    expect(faultsOfChange(line({ until: '2025-08-12T04:01:00Z' }))).toEqual([]);
  });

  it('refuses until before effectiveAt, naming data.until and both instants', () => {
    expect(faultsOfChange(line({ until: '2025-05-13' }))).toEqual([
      {
        path: 'data.until',
        message:
          'data.until (2025-05-13T00:00:00.000Z) must be after data.effectiveAt (2025-05-14T04:01:00.000Z)',
      },
    ]);
  });

  it('refuses until equal to effectiveAt: the rate would never apply', () => {
    expect(paths(faultsOfChange(line({ until: '2025-05-14T04:01:00Z' })))).toEqual(['data.until']);
    expect(paths(faultsOfChange(line({ effectiveAt: '2025-05-14', until: '2025-05-14' })))).toEqual(
      ['data.until'],
    );
  });

  it('compares as instants, not as text: offsets and dates are read first', () => {
    // 00:01 in New York is 04:01Z: the same instant as effectiveAt.
    expect(paths(faultsOfChange(line({ until: '2025-05-14T00:01:00-04:00' })))).toEqual([
      'data.until',
    ]);
    // 06:00 at +02:00 is 04:00Z, before effectiveAt though it sorts after it as text.
    expect(paths(faultsOfChange(line({ until: '2025-05-14T06:00:00+02:00' })))).toEqual([
      'data.until',
    ]);
    // 00:02 in New York is 04:02Z, after effectiveAt though it sorts before it as text.
    expect(faultsOfChange(line({ until: '2025-05-14T00:02:00-04:00' }))).toEqual([]);
    // A date means the start of its day: 2025-05-14 is before 04:01Z that day.
    expect(paths(faultsOfChange(line({ until: '2025-05-14' })))).toEqual(['data.until']);
  });

  it('reads a stored development (canonical times) the same way', () => {
    const stored = line({
      effectiveAt: '2025-05-14T04:01:00.000Z',
      until: '2025-05-14T04:00:59.999Z',
    });
    expect(paths(faultsOfChange(stored))).toEqual(['data.until']);
    expect(faultsOfChange({ ...stored, until: '2025-05-14T04:01:00.001Z' })).toEqual([]);
  });

  it('leaves a time off the calendar to the time check, which names it', () => {
    expect(faultsOfChange(line({ until: '2025-02-30' }))).toEqual([]);
  });

  it('refuses thenRate without until, naming data.thenRate', () => {
    expect(faultsOfChange(line({ thenRate: 34 }))).toEqual([
      { path: 'data.thenRate', message: 'data.thenRate is allowed only with data.until' },
    ]);
  });

  it('refuses until without effectiveAt on a considered change, naming data.until', () => {
    const considered = line({ until: '2025-08-12' });
    delete considered.effectiveAt;
    expect(faultsOfChange(considered, 'considered')).toEqual([
      {
        path: 'data.until',
        message:
          'data.until is allowed only with data.effectiveAt (the rate applies from one to the other)',
      },
    ]);
    // A considered change without either is as before: allowed.
    const bare = line();
    delete bare.effectiveAt;
    expect(faultsOfChange(bare, 'considered')).toEqual([]);
  });

  it('names both fields when an occurred change has until but no effectiveAt', () => {
    const occurred = line({ until: '2025-08-12' });
    delete occurred.effectiveAt;
    expect(paths(faultsOfChange(occurred))).toEqual(['data.effectiveAt', 'data.until']);
  });

  it('holds for threatened changes too', () => {
    expect(paths(faultsOfChange(line({ until: '2025-05-01' }), 'threatened'))).toEqual([
      'data.until',
    ]);
  });
});

describe('the products of a line', () => {
  it('are accepted on a selected-goods line, with the lines it displaces', () => {
    expect(
      faultsOfChange(
        line({
          measure: 'section-232-steel',
          rate: 50,
          coverage: 'selected-goods',
          products: ['72', '73'],
          displaces: ['reciprocal'],
        }),
      ),
    ).toEqual([]);
  });

  it('are refused on an all-goods line, naming data.products', () => {
    expect(faultsOfChange(line({ products: ['8471'] }))).toEqual([
      {
        path: 'data.products',
        message:
          'data.products names the goods of a selected-goods line; an all-goods line covers every product (narrow it with TariffScopeChanged)',
      },
    ]);
  });

  it('are reported with the other faults of the same envelope', () => {
    expect(paths(faultsOfChange(line({ products: ['8471'], thenRate: 0 })))).toEqual([
      'data.thenRate',
      'data.products',
    ]);
  });
});

describe('a scope change without codes', () => {
  const scope = (data: Record<string, unknown>) =>
    envelopeFaults('TariffScopeChanged', {
      data: {
        imposedBy: 'US',
        appliedTo: 'CN',
        measure: 'reciprocal',
        effectiveAt: '2025-04-05T04:01:00Z',
        ...data,
      },
    });

  it('is refused with neither exclude nor include, naming data.exclude', () => {
    expect(scope({})).toEqual([
      {
        path: 'data.exclude',
        message: 'a scope change needs data.exclude or data.include (product codes), or both',
      },
    ]);
  });

  it('is accepted with either list or both', () => {
    expect(scope({ exclude: ['8471'] })).toEqual([]);
    expect(scope({ include: ['8471.30'] })).toEqual([]);
    expect(scope({ exclude: ['8471'], include: ['8471.30'] })).toEqual([]);
  });
});

/** The command the write path decides: a development a client posts, at the tracker's clock. */
function recording(development: Draft): RecordDevelopment {
  return { development: unrecorded(development), now: at(NOW) };
}

/**
 * given(developments already recorded).when(recording(a new one)): decide against the situation
 * the write path builds, the decision model as of the new development's occurredAt.
 */
const given = specification((history: readonly Draft[], command: RecordDevelopment) =>
  decide(command, decisionModelOf(...history).situationAt(command.development.occurredAt)),
);

const lineUnknown = {
  rule: 'tariff-line-unknown',
  kind: 'rejected',
  path: 'data.measure',
} as const;

describe('decide, when the scope of a tariff line changes', () => {
  /** The reciprocal tariff of 2 April 2025 on China, announced then, in force from the 5th. */
  const reciprocal = tariffChanged({
    occurredAt: '2025-04-02T20:00:00Z',
    data: { measure: 'reciprocal', rate: 34, effectiveAt: '2025-04-05T04:01:00Z' },
  });
  /** The exclusion of 11 April, back-dated to the 5th. */
  const exclusion = (o: Parameters<typeof tariffScopeChanged>[0] = {}) =>
    tariffScopeChanged({
      occurredAt: '2025-04-11T22:00:00Z',
      ...o,
      data: { effectiveAt: '2025-04-05T04:01:00Z', ...o.data },
    });

  it('records a scope change of a line that occurred before it, effective before it was announced', () => {
    const scope = exclusion();
    given(reciprocal)
      .when(recording(scope))
      .then([unrecorded(scope)]);
  });

  it('records one announced at the very instant of the line’s change', () => {
    const scope = exclusion({ occurredAt: '2025-04-02T20:00:00Z' });
    given(reciprocal)
      .when(recording(scope))
      .then([unrecorded(scope)]);
  });

  it('refuses one announced before any change of the line', () => {
    given(reciprocal)
      .when(recording(exclusion({ occurredAt: '2025-04-02T19:59:59.999Z' })))
      .thenThrows(DomainError, lineUnknown);
  });

  it('refuses one of a line never recorded', () => {
    given()
      .when(recording(exclusion()))
      .thenThrows(DomainError, {
        ...lineUnknown,
        message:
          'no tariff line reciprocal of US on CN is known as of 2025-04-11T22:00:00.000Z (a TariffChanged of it that occurred by then, not retracted); record the line first',
      });
  });

  it('refuses one of a line whose only change is retracted, whenever the retraction was dated', () => {
    given(reciprocal, developmentRetracted(reciprocal, { occurredAt: '2025-04-20' }))
      .when(recording(exclusion()))
      .thenThrows(DomainError, lineUnknown);
  });

  it('records one of a line with another change still standing beside a retracted one', () => {
    const falseReport = tariffChanged({
      occurredAt: '2025-04-08',
      data: { measure: 'reciprocal', rate: 0 },
    });
    const scope = exclusion();
    given(reciprocal, falseReport, developmentRetracted(falseReport, { occurredAt: '2025-04-08' }))
      .when(recording(scope))
      .then([unrecorded(scope)]);
  });

  for (const modality of ['threatened', 'considered'] as const) {
    it(`refuses one of a line only ${modality} so far`, () => {
      const notOccurred = tariffChanged({
        occurredAt: '2025-04-02T20:00:00Z',
        modality,
        data: { measure: 'reciprocal', rate: 34, effectiveAt: '2025-04-05T04:01:00Z' },
      });
      given(notOccurred).when(recording(exclusion())).thenThrows(DomainError, lineUnknown);
    });
  }

  it('refuses one of a measure known only between another pair, or under another name', () => {
    const chinaOnUs = tariffChanged({
      occurredAt: '2025-04-04',
      data: { imposedBy: 'CN', appliedTo: 'US', measure: 'reciprocal', rate: 34 },
    });
    const usOnHongKong = tariffChanged({
      occurredAt: '2025-04-04',
      data: { imposedBy: 'US', appliedTo: 'HK', measure: 'reciprocal', rate: 34 },
    });
    const fentanyl = tariffChanged({
      occurredAt: '2025-03-03',
      data: { measure: 'fentanyl-ieepa', rate: 20 },
    });
    given(chinaOnUs, usOnHongKong, fentanyl)
      .when(recording(exclusion()))
      .thenThrows(DomainError, lineUnknown);
  });

  it('refuses one whose line changes only later in valid time, though recorded earlier', () => {
    const later = tariffChanged({
      occurredAt: '2025-04-12',
      data: { measure: 'reciprocal', rate: 125 },
    });
    given(later).when(recording(exclusion())).thenThrows(DomainError, lineUnknown);
  });

  it('still refuses a line imposed on its own party, as before', () => {
    given(reciprocal)
      .when(recording(exclusion({ data: { appliedTo: 'US' } })))
      .thenThrows(DomainError, { rule: 'parties-differ', path: 'data.appliedTo' });
  });
});

describe('the decision model, of tariff lines', () => {
  const changed = tariffChanged({ occurredAt: '2025-04-02', data: { measure: 'reciprocal' } });
  const model = decisionModelOf(changed);

  it('knows a line from the occurredAt of its first change on', () => {
    expect(
      model.situationAt(at('2025-04-01T23:59:59.999Z')).isTariffLineKnown('US', 'CN', 'reciprocal'),
    ).toBe(false);
    expect(model.situationAt(at('2025-04-02')).isTariffLineKnown('US', 'CN', 'reciprocal')).toBe(
      true,
    );
  });

  it('forgets it when the change is dropped after a failed append', () => {
    const dropped = decisionModelOf(changed);
    dropped.dropAfter(0);
    expect(dropped.situationAt(at('2025-05-01')).isTariffLineKnown('US', 'CN', 'reciprocal')).toBe(
      false,
    );
  });
});
