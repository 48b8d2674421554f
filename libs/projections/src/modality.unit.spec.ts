import { describe, it, expect } from '@jest/globals';
import type { Draft } from '@parley/domain/testing';
import {
  at,
  proposalMade,
  proposalResponded,
  tariffChanged,
  tradeMeasureChanged,
} from '@parley/domain/testing';
import { totalOf } from './slices/tariffs';
import { given } from './testing';

/**
 * Contract v1.1, Modality: what did not occur (threatened, considered) changes no rate, total or
 * status; it is listed beside what is in force while it is the latest-announced development of
 * its line, above rate 0 and not yet due.
 */

type TariffOptions = {
  occurredAt: string;
  rate: number;
  effectiveAt?: string | undefined;
  measure?: string;
  modality?: 'threatened' | 'considered';
  coverage?: 'all-goods' | 'selected-goods';
};
const tariff = (o: TariffOptions): Draft<'TariffChanged'> =>
  tariffChanged({
    occurredAt: o.occurredAt,
    ...(o.modality && { modality: o.modality }),
    data: {
      measure: o.measure ?? 'reciprocal',
      rate: o.rate,
      effectiveAt: 'effectiveAt' in o ? o.effectiveAt : o.occurredAt,
      coverage: o.coverage ?? 'all-goods',
    },
  });

/** The 2025 US-China history behind the contract's example: 20 (fentanyl) + 10 (reciprocal, Geneva) = 30. */
const fentanyl20 = tariff({
  occurredAt: '2025-03-03',
  measure: 'fentanyl-ieepa',
  rate: 20,
  effectiveAt: '2025-03-04',
});
const geneva10 = tariff({ occurredAt: '2025-05-12', rate: 10, effectiveAt: '2025-05-14' });
const threat100 = tariff({
  occurredAt: '2025-10-10',
  measure: 'threat-100',
  rate: 100,
  effectiveAt: '2025-11-01',
  modality: 'threatened',
});
const history = [fentanyl20, geneva10];

describe('threatened and considered tariff changes', () => {
  it('lists the 10 October threat of 100% from 1 November under threatened, nothing under scheduled, total unchanged (the contract example)', () => {
    given(...history, threat100)
      .when({ asOf: '2025-10-15' })
      .thenVerify((state) =>
        expect(state.tariffs).toEqual([
          expect.objectContaining({
            imposedBy: 'US',
            appliedTo: 'CN',
            total: 30,
            scheduled: [],
            threatened: [
              {
                measure: 'threat-100',
                rate: 100,
                coverage: 'all-goods',
                effectiveAt: at('2025-11-01'),
                eventId: threat100.eventId,
                at: at('2025-10-10'),
              },
            ],
            considered: [],
          }),
        ]),
      );
  });

  it('does not list a threat before it is made', () => {
    given(...history, threat100)
      .when({ asOf: '2025-10-09' })
      .thenMatches({ tariffs: [{ total: 30, threatened: [], considered: [] }] });
  });

  it('never puts a threat in force: once its date passes it leaves the list and the total stays', () => {
    given(...history, threat100)
      .when({ asOf: '2025-11-01' })
      .thenMatches({ tariffs: [{ total: 30, measures: [{}, {}], threatened: [] }] });
  });

  it('lists a pair that has only a threat, with total 0', () => {
    given(threat100)
      .when({ asOf: '2025-10-15' })
      .thenMatches({
        tariffs: [{ imposedBy: 'US', appliedTo: 'CN', total: 0, measures: [], scheduled: [] }],
      });
  });

  it('does not list a pair whose only threat is past its date', () => {
    given(threat100).when({ asOf: '2025-11-02' }).thenMatches({ tariffs: [] });
  });

  it('replaces a threat by a newer threat of the same line', () => {
    const threat130 = tariff({
      occurredAt: '2025-10-12',
      measure: 'threat-100',
      rate: 130,
      effectiveAt: '2025-11-01',
      modality: 'threatened',
    });
    given(...history, threat100, threat130)
      .when({ asOf: '2025-10-15' })
      .thenMatches({ tariffs: [{ threatened: [{ rate: 130, eventId: threat130.eventId }] }] });
  });

  it('still lists the older threat as of a time before the newer one', () => {
    const threat130 = tariff({
      occurredAt: '2025-10-12',
      measure: 'threat-100',
      rate: 130,
      effectiveAt: '2025-11-01',
      modality: 'threatened',
    });
    given(...history, threat100, threat130)
      .when({ asOf: '2025-10-11' })
      .thenMatches({ tariffs: [{ threatened: [{ rate: 100, eventId: threat100.eventId }] }] });
  });

  it('takes a threat off the list once an occurred change of its line carries it out: the change is scheduled instead', () => {
    const carriedOut = tariff({
      occurredAt: '2025-10-20',
      measure: 'threat-100',
      rate: 100,
      effectiveAt: '2025-11-01',
    });
    given(...history, threat100, carriedOut)
      .when({ asOf: '2025-10-25' })
      .thenMatches({
        tariffs: [
          {
            total: 30,
            scheduled: [{ measure: 'threat-100', rate: 100, eventId: carriedOut.eventId }],
            threatened: [],
          },
        ],
      });
  });

  it('takes a threat off the list once an occurred change of its line settles it otherwise', () => {
    const settled = tariff({ occurredAt: '2025-10-30', measure: 'threat-100', rate: 0 });
    given(...history, threat100, settled)
      .when({ asOf: '2025-10-31' })
      .thenMatches({ tariffs: [{ total: 30, scheduled: [], threatened: [] }] });
  });

  it('takes a threat off the list when a threat at rate 0 withdraws it, and lists no rate-0 threat', () => {
    const withdrawn = tariff({
      occurredAt: '2025-10-20',
      measure: 'threat-100',
      rate: 0,
      effectiveAt: '2025-11-01',
      modality: 'threatened',
    });
    given(...history, threat100, withdrawn)
      .when({ asOf: '2025-10-25' })
      .thenMatches({ tariffs: [{ total: 30, threatened: [], considered: [] }] });
  });

  it('takes a threat off the list when the same line is later reported only considered', () => {
    const considered = tariff({
      occurredAt: '2025-10-20',
      measure: 'threat-100',
      rate: 50,
      effectiveAt: undefined,
      modality: 'considered',
    });
    given(...history, threat100, considered)
      .when({ asOf: '2025-10-25' })
      .thenMatches({
        tariffs: [{ threatened: [], considered: [{ rate: 50, effectiveAt: null }] }],
      });
  });

  it('keeps a threat when another line of the pair changes', () => {
    const otherLine = tariff({ occurredAt: '2025-10-20', rate: 34, effectiveAt: '2025-10-21' });
    given(...history, threat100, otherLine)
      .when({ asOf: '2025-10-25' })
      .thenMatches({ tariffs: [{ total: 54, threatened: [{ rate: 100 }] }] });
  });

  it('lists a considered change without effectiveAt until a later development of its line', () => {
    const weighed = tariff({
      occurredAt: '2025-06-01',
      measure: 'chips',
      rate: 50,
      effectiveAt: undefined,
      modality: 'considered',
      coverage: 'selected-goods',
    });
    given(...history, weighed)
      .when({ asOf: '2026-06-01' })
      .thenVerify((state) =>
        expect(state.tariffs[0]!.considered).toEqual([
          {
            measure: 'chips',
            rate: 50,
            coverage: 'selected-goods',
            effectiveAt: null,
            eventId: weighed.eventId,
            at: at('2025-06-01'),
          },
        ]),
      );
  });

  it('lists a considered change with effectiveAt until that date, and never counts it', () => {
    const weighed = tariff({
      occurredAt: '2025-06-01',
      rate: 50,
      effectiveAt: '2025-07-01',
      modality: 'considered',
    });
    given(...history, weighed)
      .when({ asOf: '2025-06-30' })
      .thenMatches({ tariffs: [{ total: 30, considered: [{ rate: 50 }] }] });
    given(...history, weighed)
      .when({ asOf: '2025-07-01' })
      .thenMatches({ tariffs: [{ total: 30, considered: [] }] });
  });

  it('lists both a threat and an option announced at the same time (neither is later), ordered by measure then effectiveAt, none last', () => {
    const a = tariff({
      occurredAt: '2025-10-10',
      measure: 'b-line',
      rate: 10,
      effectiveAt: undefined,
      modality: 'considered',
    });
    const b = tariff({
      occurredAt: '2025-10-10',
      measure: 'b-line',
      rate: 20,
      effectiveAt: '2025-12-01',
      modality: 'considered',
    });
    const c = tariff({
      occurredAt: '2025-10-10',
      measure: 'a-line',
      rate: 30,
      effectiveAt: '2025-12-01',
      modality: 'considered',
    });
    given(a, b, c)
      .when({ asOf: '2025-10-15' })
      .thenVerify((state) =>
        expect(state.tariffs[0]!.considered.map((l) => l.eventId)).toEqual([
          c.eventId,
          b.eventId,
          a.eventId,
        ]),
      );
  });

  it('changes no rate before a later development: an occurred change announced earlier than a threat stays scheduled beside it', () => {
    const ordered = tariff({
      occurredAt: '2025-10-01',
      measure: 'threat-100',
      rate: 50,
      effectiveAt: '2025-12-01',
    });
    given(...history, ordered, threat100)
      .when({ asOf: '2025-10-15' })
      .thenMatches({
        tariffs: [{ total: 30, scheduled: [{ rate: 50 }], threatened: [{ rate: 100 }] }],
      });
  });

  it('answers as known at knownAt: a threat not yet recorded is not listed', () => {
    const late = tariffChanged({
      occurredAt: '2025-10-10',
      modality: 'threatened',
      recordedAt: '2025-10-20',
      data: { measure: 'threat-100', rate: 100, effectiveAt: at('2025-11-01') },
    });
    given(...history, late)
      .when({ asOf: '2025-10-15', knownAt: '2025-10-19' })
      .thenMatches({ tariffs: [{ threatened: [] }] });
    given(...history, late)
      .when({ asOf: '2025-10-15', knownAt: '2025-10-21' })
      .thenMatches({ tariffs: [{ threatened: [{ rate: 100 }] }] });
  });
});

describe('pair totals (issue 18)', () => {
  it('are exact for rates given to two decimals: 0.1 + 0.2 is 0.3', () => {
    given(
      tariff({ occurredAt: '2025-04-01', measure: 'a', rate: 0.1 }),
      tariff({ occurredAt: '2025-04-01', measure: 'b', rate: 0.2 }),
    )
      .when({ asOf: '2025-04-02' })
      .thenMatches({ tariffs: [{ total: 0.3 }] });
  });

  it('sum in integer hundredths, selected-goods lines left out', () => {
    const line = (rate: number, coverage: 'all-goods' | 'selected-goods' = 'all-goods') => ({
      measure: 'm',
      rate,
      coverage,
      effectiveAt: at('2025-04-01'),
      eventId: 'e',
    });
    expect(totalOf([line(0.1), line(0.2), line(0.7)])).toBe(1);
    expect(totalOf([line(33.33), line(33.33), line(33.34)])).toBe(100);
    expect(totalOf([line(12.5), line(7.25, 'selected-goods'), line(1.01)])).toBe(13.51);
    expect(totalOf([])).toBe(0);
  });
});

const deMinimis = (o: {
  occurredAt: string;
  action: 'imposed' | 'lifted' | 'revoked' | 'suspended';
  effectiveAt?: string | undefined;
  modality?: 'threatened' | 'considered';
}): Draft<'TradeMeasureChanged'> =>
  tradeMeasureChanged({
    occurredAt: o.occurredAt,
    ...(o.modality && { modality: o.modality }),
    data: {
      action: o.action,
      effectiveAt: 'effectiveAt' in o ? o.effectiveAt : o.occurredAt,
    },
  });

describe('threatened and considered trade measure changes', () => {
  const threat = deMinimis({
    occurredAt: '2025-04-02',
    action: 'revoked',
    effectiveAt: '2025-05-02',
    modality: 'threatened',
  });

  it('lists an item with only a threat, status null', () => {
    given(threat)
      .when({ asOf: '2025-04-10' })
      .thenVerify((state) =>
        expect(state.tradeMeasures).toEqual([
          {
            imposedBy: 'US',
            appliedTo: ['CN', 'HK'],
            measure: 'de-minimis-exemption',
            kind: 'exemption',
            status: null,
            effectiveAt: null,
            eventId: null,
            scheduled: [],
            threatened: [
              {
                action: 'revoked',
                effectiveAt: at('2025-05-02'),
                eventId: threat.eventId,
                at: at('2025-04-02'),
              },
            ],
            considered: [],
          },
        ]),
      );
  });

  it('changes no status: the threat leaves the list at its date and the measure stays as it was', () => {
    const exemption = deMinimis({ occurredAt: '2025-01-01', action: 'imposed' });
    given(exemption, threat)
      .when({ asOf: '2025-05-03' })
      .thenMatches({ tradeMeasures: [{ status: 'imposed', threatened: [], scheduled: [] }] });
    given(threat).when({ asOf: '2025-05-03' }).thenMatches({ tradeMeasures: [] });
  });

  it('takes a threat off the list once an occurred change carries it out', () => {
    const order = deMinimis({
      occurredAt: '2025-04-08',
      action: 'revoked',
      effectiveAt: '2025-05-02',
    });
    given(threat, order)
      .when({ asOf: '2025-04-10' })
      .thenMatches({
        tradeMeasures: [{ status: null, scheduled: [{ action: 'revoked' }], threatened: [] }],
      });
  });

  it('replaces a threat by a newer one, and lists a considered change without effectiveAt', () => {
    const weighed = deMinimis({
      occurredAt: '2025-04-05',
      action: 'suspended',
      effectiveAt: undefined,
      modality: 'considered',
    });
    given(threat, weighed)
      .when({ asOf: '2025-04-10' })
      .thenMatches({
        tradeMeasures: [
          {
            status: null,
            threatened: [],
            considered: [
              {
                action: 'suspended',
                effectiveAt: null,
                eventId: weighed.eventId,
                at: at('2025-04-05'),
              },
            ],
          },
        ],
      });
  });
});

describe('considered proposals', () => {
  const wangVisit = proposalMade({
    occurredAt: '2025-05-02',
    modality: 'considered',
    data: {
      proposalId: 'wang-visit',
      by: 'CN',
      to: ['US'],
      subject: 'meeting',
      summary: 'Wang Xiaohong to the US or a third country',
    },
  });
  const usOffer = proposalMade({ occurredAt: '2025-05-01' });

  it('lists a considered ProposalMade with status considered and consideredAt, not made (the Wang visit)', () => {
    given(usOffer, wangVisit)
      .when({ asOf: '2025-05-03' })
      .thenVerify((state) =>
        expect(state.proposals).toEqual([
          expect.objectContaining({ proposalId: usOffer.data.proposalId, status: 'proposed' }),
          {
            proposalId: 'wang-visit',
            by: 'CN',
            to: ['US'],
            subject: 'meeting',
            summary: 'Wang Xiaohong to the US or a third country',
            terms: [],
            status: 'considered',
            counterProposalId: null,
            madeAt: null,
            consideredAt: at('2025-05-02'),
            updatedAt: at('2025-05-02'),
          },
        ]),
      );
  });

  it('gives a proposal that was never considered consideredAt null', () => {
    given(usOffer)
      .when({ asOf: '2025-05-03' })
      .thenMatches({ proposals: [{ status: 'proposed', consideredAt: null }] });
  });

  it('is made by a later occurred ProposalMade of the same id by the same party: proposed, madeAt its occurredAt, consideredAt kept', () => {
    const made = proposalMade({
      occurredAt: '2025-05-20',
      data: { ...wangVisit.data },
    });
    given(wangVisit, made)
      .when({ asOf: '2025-05-21' })
      .thenMatches({
        proposals: [
          {
            proposalId: 'wang-visit',
            status: 'proposed',
            madeAt: at('2025-05-20'),
            consideredAt: at('2025-05-02'),
            updatedAt: at('2025-05-20'),
          },
        ],
      });
    given(wangVisit, made)
      .when({ asOf: '2025-05-19' })
      .thenMatches({ proposals: [{ status: 'considered', madeAt: null }] });
  });

  it('is ordered among made proposals by its consideredAt, then by madeAt once made', () => {
    const later = proposalMade({ occurredAt: '2025-05-10', data: { proposalId: 'later' } });
    const made = proposalMade({ occurredAt: '2025-05-20', data: { ...wangVisit.data } });
    given(later, wangVisit)
      .when({ asOf: '2025-05-11' })
      .thenVerify((state) =>
        expect(state.proposals.map((p) => p.proposalId)).toEqual(['wang-visit', 'later']),
      );
    given(later, wangVisit, made)
      .when({ asOf: '2025-05-21' })
      .thenVerify((state) =>
        expect(state.proposals.map((p) => p.proposalId)).toEqual(['later', 'wang-visit']),
      );
  });

  it('changes nothing when reported considered again, or after it was made', () => {
    const again = proposalMade({
      occurredAt: '2025-05-04',
      modality: 'considered',
      data: { ...wangVisit.data, summary: 'Wang Xiaohong to Geneva' },
    });
    given(wangVisit, again)
      .when({ asOf: '2025-05-05' })
      .thenMatches({
        proposals: [
          { summary: 'Wang Xiaohong to the US or a third country', consideredAt: at('2025-05-02') },
        ],
      });
    const consideredLater = proposalMade({
      occurredAt: '2025-05-04',
      modality: 'considered',
      data: { ...usOffer.data },
    });
    given(usOffer, consideredLater)
      .when({ asOf: '2025-05-05' })
      .thenMatches({
        proposals: [{ status: 'proposed', madeAt: at('2025-05-01'), consideredAt: null }],
      });
  });

  it('answers nothing to a response to a proposal only considered (a stored one the domain would refuse)', () => {
    const response = proposalResponded({
      occurredAt: '2025-05-03',
      data: { proposalId: 'wang-visit', by: 'US', response: 'accepted' },
    });
    given(wangVisit, response)
      .when({ asOf: '2025-05-04' })
      .thenMatches({ proposals: [{ status: 'considered', updatedAt: at('2025-05-02') }] });
  });
});
