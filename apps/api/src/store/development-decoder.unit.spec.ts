import { describe, expect, it } from '@jest/globals';
import type { StoredEvent } from '@parley/event-store';
import { decodeStored } from './development-decoder';

/**
 * The store boundary reads the types and fields of contract v1.1 "Tariffs as goods pay them" from
 * the registry (libs/domain/src/developments): what a request may carry reads back as it was
 * recorded, and what breaks a form rule of the type (an older version's, or written by hand)
 * becomes a DevelopmentUnreadable naming the field, as for every other type.
 */

let revision = 0;
const stored = (type: string, data: Record<string, unknown>): StoredEvent => ({
  stream: 'negotiation-talks',
  revision: ++revision,
  position: BigInt(revision),
  eventId: `00000000-0000-4000-8000-${revision.toString(16).padStart(12, '0')}`,
  type,
  data: { occurredAt: '2025-04-11T22:00:00.000Z', data },
  recordedAt: '2025-04-12T08:00:00.000Z',
});

const temporarySteel = {
  imposedBy: 'US',
  appliedTo: 'CN',
  measure: 'section-232-steel',
  rate: 50,
  effectiveAt: '2025-06-04T04:01:00.000Z',
  coverage: 'selected-goods',
  until: '2025-12-01T05:01:00.000Z',
  thenRate: 25,
  products: ['72', '73'],
  displaces: ['reciprocal'],
};

const exclusion = {
  imposedBy: 'US',
  appliedTo: 'CN',
  measure: 'reciprocal',
  effectiveAt: '2025-04-05T04:01:00.000Z',
  exclude: ['8471', '8517.13'],
  include: ['8471.30'],
  description: 'Smartphones, computers and chips',
};

describe('decoding stored tariff developments (contract v1.1)', () => {
  it('reads a TariffChanged with until, thenRate, products and displaces as recorded', () => {
    const decoded = decodeStored(stored('TariffChanged', temporarySteel), 'talks');
    expect(decoded).toMatchObject({ type: 'TariffChanged', revision, data: temporarySteel });
  });

  it('reads a TariffScopeChanged as recorded', () => {
    const decoded = decodeStored(stored('TariffScopeChanged', exclusion), 'talks');
    expect(decoded).toMatchObject({ type: 'TariffScopeChanged', data: exclusion });
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    [
      'until not after effectiveAt',
      'TariffChanged',
      { ...temporarySteel, until: '2025-06-04T04:01:00.000Z' },
      'data.until',
    ],
    [
      'thenRate without until',
      'TariffChanged',
      { ...temporarySteel, until: undefined },
      'data.thenRate',
    ],
    [
      'products on an all-goods line',
      'TariffChanged',
      { ...temporarySteel, coverage: 'all-goods' },
      'data.products',
    ],
    [
      'a malformed product code',
      'TariffChanged',
      { ...temporarySteel, products: ['7'] },
      'data.products[0]',
    ],
    [
      'until off the calendar',
      'TariffChanged',
      { ...temporarySteel, until: '2025-11-31T00:00:00.000Z' },
      'data.until',
    ],
    [
      'a scope change with neither list',
      'TariffScopeChanged',
      { ...exclusion, exclude: undefined, include: undefined },
      'data.exclude',
    ],
  ])('makes one stored with %s unreadable, naming the field', (_case, type, data, field) => {
    const decoded = decodeStored(
      stored(type, JSON.parse(JSON.stringify(data)) as Record<string, unknown>),
      'talks',
    );
    expect(decoded.type).toBe('DevelopmentUnreadable');
    if (decoded.type !== 'DevelopmentUnreadable') return;
    expect(decoded.data.storedType).toBe(type);
    expect(decoded.data.reason).toContain(field);
  });
});
