import { describe, it } from '@jest/globals';
import type { Draft } from '@parley/domain/testing';
import {
  at,
  demandMade,
  negotiationOpened,
  proposalMade,
  proposalResponded,
  statementMade,
  talksHeld,
  talksStatusChanged,
  tariffChanged,
  tradeMeasureChanged,
} from '@parley/domain/testing';
import { given } from './testing';

/**
 * The developments of one news article of early May 2025 on US-China trade and fentanyl talks
 * (the seed fixture), and what its expectations say of them, at the level of the folds.
 */
const article: Draft[] = [
  negotiationOpened({ occurredAt: '2025-02-01' }),
  demandMade({
    occurredAt: '2025-02-01',
    data: { by: 'US', of: 'CN', issue: 'fentanyl-precursors' },
  }),
  tariffChanged({
    occurredAt: '2025-02-01',
    data: { measure: 'fentanyl-ieepa', rate: 10, effectiveAt: '2025-02-04', coverage: 'all-goods' },
  }),
  tariffChanged({
    occurredAt: '2025-03-03',
    data: { measure: 'fentanyl-ieepa', rate: 20, effectiveAt: '2025-03-04', coverage: 'all-goods' },
  }),
  tariffChanged({
    occurredAt: '2025-04-09',
    data: { measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-10', coverage: 'all-goods' },
  }),
  talksHeld({
    occurredAt: '2025-04-15',
    data: {
      participants: ['US', 'CN'],
      venue: 'Washington',
      level: 'embassy',
      outcome: 'no-result',
    },
  }),
  statementMade({
    occurredAt: '2025-04-20',
    data: { party: 'US', speaker: 'US negotiators', stance: 'hardline' },
  }),
  statementMade({
    occurredAt: '2025-04-30',
    data: { party: 'CN', speaker: 'Xi Jinping', stance: 'neutral' },
  }),
  statementMade({
    occurredAt: '2025-04-30',
    data: { party: 'US', speaker: 'Donald Trump', stance: 'conciliatory' },
  }),
  proposalMade({
    occurredAt: '2025-05-01',
    reportedAt: '2025-05-02',
    data: { proposalId: 'us-offer-tariff-talks', by: 'US', to: ['CN'], subject: 'talks' },
  }),
  statementMade({
    occurredAt: '2025-05-01',
    data: { party: 'CN', speaker: 'Wang Xiaohong', stance: 'conciliatory' },
  }),
  proposalMade({
    occurredAt: '2025-05-01',
    data: { proposalId: 'wang-visit', by: 'CN', to: ['US'], subject: 'meeting' },
  }),
  proposalResponded({
    occurredAt: '2025-05-02',
    data: { proposalId: 'us-offer-tariff-talks', by: 'CN', response: 'under-review' },
  }),
  statementMade({
    occurredAt: '2025-05-02',
    data: { party: 'CN', speaker: 'Ministry of Commerce spokesperson', stance: 'hardline' },
  }),
  tradeMeasureChanged({
    occurredAt: '2025-05-02',
    data: {
      imposedBy: 'US',
      appliedTo: ['CN', 'HK'],
      measure: 'de-minimis-exemption',
      kind: 'exemption',
      action: 'revoked',
      effectiveAt: '2025-05-02',
    },
  }),
  talksStatusChanged({ occurredAt: '2025-05-02', data: { status: 'exploratory' } }),
];

describe('the seed article', () => {
  describe('tariffs', () => {
    it('are 10% on 1 March, before the second fentanyl step', () => {
      given(...article)
        .when({ asOf: '2025-03-01' })
        .thenMatches({ tariffs: [{ imposedBy: 'US', appliedTo: 'CN', total: 10, scheduled: [] }] });
    });

    it('are 20% on 9 April, with the reciprocal 125% scheduled for the next day', () => {
      given(...article)
        .when({ asOf: '2025-04-09' })
        .thenMatches({
          tariffs: [
            {
              imposedBy: 'US',
              appliedTo: 'CN',
              total: 20,
              scheduled: [
                {
                  measure: 'reciprocal',
                  rate: 125,
                  coverage: 'all-goods',
                  effectiveAt: '2025-04-10T00:00:00.000Z',
                },
              ],
            },
          ],
        });
    });

    it('are 145% from 10 April', () => {
      given(...article)
        .when({ asOf: '2025-04-10' })
        .thenMatches({
          tariffs: [{ imposedBy: 'US', appliedTo: 'CN', total: 145, scheduled: [] }],
        });
    });
  });

  describe('talks', () => {
    it('are none on 1 April', () => {
      given(...article)
        .when({ asOf: '2025-04-01' })
        .thenMatches({ talks: { status: 'none', rounds: 0, lastRoundAt: null } });
    });

    it('are stalled on 20 April, since the embassy round of 15 April', () => {
      given(...article)
        .when({ asOf: '2025-04-20' })
        .thenMatches({
          talks: { status: 'stalled', since: '2025-04-15T00:00:00.000Z', rounds: 1 },
        });
    });

    it('are exploratory on 2 May', () => {
      given(...article)
        .when({ asOf: '2025-05-02' })
        .thenMatches({
          talks: {
            status: 'exploratory',
            since: '2025-05-02T00:00:00.000Z',
            rounds: 1,
            lastRoundAt: '2025-04-15T00:00:00.000Z',
          },
        });
    });
  });

  describe('proposals', () => {
    it('are two on 2 May: the US offer under review, the Wang visit proposed', () => {
      given(...article)
        .when({ asOf: '2025-05-02' })
        .thenMatches({
          proposals: [
            { proposalId: 'us-offer-tariff-talks', by: 'US', to: ['CN'], status: 'under-review' },
            {
              proposalId: 'wang-visit',
              by: 'CN',
              to: ['US'],
              status: 'proposed',
              madeAt: at('2025-05-01'),
            },
          ],
        });
    });

    it('are none on 30 April', () => {
      given(...article)
        .when({ asOf: '2025-04-30' })
        .thenMatches({ proposals: [] });
    });
  });

  it('has the whole state of play on 2 May', () => {
    given(...article)
      .when({ asOf: '2025-05-02' })
      .thenMatches({
        tariffs: [{ imposedBy: 'US', appliedTo: 'CN', total: 145 }],
        tradeMeasures: [
          {
            imposedBy: 'US',
            appliedTo: ['CN', 'HK'],
            measure: 'de-minimis-exemption',
            status: 'revoked',
          },
        ],
        stances: [
          { party: 'CN', stance: 'hardline' },
          { party: 'US', stance: 'conciliatory' },
        ],
        demands: [{ by: 'US', of: 'CN', issue: 'fentanyl-precursors', status: 'open' }],
      });
  });

  it('has no trade measure yet on 1 May', () => {
    given(...article)
      .when({ asOf: '2025-05-01' })
      .thenMatches({ tradeMeasures: [] });
  });
});
