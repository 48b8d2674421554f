import { describe, expect, it } from '@jest/globals';
import type { DefinedType } from './index';
import { DEVELOPMENTS } from './index';
import { envelopeFaults } from './envelope';

/** The data of each type's example, as a client would post it. */
const exampleOf = (type: DefinedType) => ({ ...DEVELOPMENTS[type].example });
const TYPES = Object.keys(DEVELOPMENTS) as DefinedType[];

describe('the rules of an envelope beside its schema (contract v1.1)', () => {
  describe('modality', () => {
    const allowed: Record<string, readonly DefinedType[]> = {
      threatened: ['TariffChanged', 'TradeMeasureChanged'],
      considered: ['TariffChanged', 'TradeMeasureChanged', 'ProposalMade'],
    };

    it.each(TYPES)('%s may be reported as occurred, with or without saying so', (type) => {
      expect(envelopeFaults(type, { data: exampleOf(type) })).toEqual([]);
      expect(envelopeFaults(type, { modality: 'occurred', data: exampleOf(type) })).toEqual([]);
    });

    for (const modality of ['threatened', 'considered'] as const) {
      it.each(TYPES)(`%s as ${modality}: allowed only where the contract says`, (type) => {
        const faults = envelopeFaults(type, { modality, data: exampleOf(type) });
        if (allowed[modality]!.includes(type)) expect(faults).toEqual([]);
        else
          expect(faults).toEqual([
            {
              path: 'modality',
              message: `modality ${modality} is not allowed on ${type}; it is allowed on ${allowed[modality]!.join(', ')}`,
            },
          ]);
      });
    }
  });

  describe('effectiveAt of tariff and trade-measure changes', () => {
    for (const type of ['TariffChanged', 'TradeMeasureChanged'] as const) {
      const withoutEffectiveAt = () => {
        const data: Record<string, unknown> = exampleOf(type);
        delete data.effectiveAt;
        return data;
      };

      it(`${type} without effectiveAt is refused unless only considered, naming data.effectiveAt`, () => {
        for (const modality of ['occurred', 'threatened'] as const) {
          expect(envelopeFaults(type, { modality, data: withoutEffectiveAt() })).toEqual([
            {
              path: 'data.effectiveAt',
              message:
                'data.effectiveAt is required (it may be left out only when modality is considered)',
            },
          ]);
        }
        expect(
          envelopeFaults(type, { modality: 'considered', data: withoutEffectiveAt() }),
        ).toEqual([]);
      });
    }
  });

  describe('the source of a confirmation or a dispute', () => {
    for (const type of ['DevelopmentConfirmed', 'DevelopmentDisputed'] as const) {
      const target = { targetEventId: '0b8f3c1e-6a8e-4a47-9a52-8d7d2f0c1a11' };

      it(`${type} by a party needs no source`, () => {
        expect(envelopeFaults(type, { data: { ...target, by: 'CN' } })).toEqual([]);
      });

      it(`${type} without a party needs a source naming an outlet (name or via)`, () => {
        expect(envelopeFaults(type, { data: target })).toEqual([
          {
            path: 'source',
            message: expect.stringContaining('source (with a name or via) is required'),
          },
        ]);
        expect(
          envelopeFaults(type, { source: { url: 'https://example.org' } as never, data: target }),
        ).toEqual([{ path: 'source.name', message: expect.stringContaining('required') }]);
        expect(envelopeFaults(type, { source: { name: 'Bloomberg' }, data: target })).toEqual([]);
        expect(
          envelopeFaults(type, { source: { via: 'Wall Street Journal' }, data: target }),
        ).toEqual([]);
      });
    }
  });
});
