import { describe, it, expect } from '@jest/globals';
import type { Draft } from '@parley/domain/testing';
import {
  agreementReached,
  at,
  demandMade,
  demandResolved,
  developmentRetracted,
  NEGOTIATION,
  partyJoined,
  proposalMade,
  proposalResponded,
  recorded,
  statementMade,
  talksHeld,
  talksScheduled,
  talksStatusChanged,
  tariffChanged,
  tradeMeasureChanged,
} from '@parley/domain/testing';
import type { Instant, RecordedDevelopment, TalksOutcome, TalksStatus } from '@parley/domain';
import fc from 'fast-check';
import { cloneFold, evolve, initialFoldState, viewAt } from './evolve';
import { getIn } from './slices/layered-map';
import { given, timelineOf } from './testing';
import { NegotiationTimeline } from './timeline';

/** What each development does to the state of play. Which developments count is timeline.unit.spec.ts. */

const fentanyl = (o: {
  occurredAt: string;
  rate: number;
  effectiveAt?: string;
}): Draft<'TariffChanged'> =>
  tariffChanged({
    occurredAt: o.occurredAt,
    data: { measure: 'fentanyl-ieepa', rate: o.rate, effectiveAt: o.effectiveAt ?? o.occurredAt },
  });
const reciprocal = (o: {
  occurredAt: string;
  rate: number;
  effectiveAt?: string;
}): Draft<'TariffChanged'> =>
  tariffChanged({
    occurredAt: o.occurredAt,
    data: { measure: 'reciprocal', rate: o.rate, effectiveAt: o.effectiveAt ?? o.occurredAt },
  });

describe('the tariff fold', () => {
  describe('given two all-goods lines on one pair', () => {
    const tenPercent = fentanyl({ occurredAt: '2025-02-01', rate: 10, effectiveAt: '2025-02-04' });
    const twentyPercent = fentanyl({
      occurredAt: '2025-03-03',
      rate: 20,
      effectiveAt: '2025-03-04',
    });
    const reciprocal125 = reciprocal({
      occurredAt: '2025-04-09',
      rate: 125,
      effectiveAt: '2025-04-10',
    });

    it('stacks them: the total is their sum (US on CN on 10 Apr 2025: 20 + 125 = 145)', () => {
      given(tenPercent, twentyPercent, reciprocal125)
        .when({ asOf: '2025-04-10' })
        .thenVerify((state) =>
          expect(state.tariffs).toEqual([
            {
              imposedBy: 'US',
              appliedTo: 'CN',
              total: 145,
              measures: [
                {
                  measure: 'fentanyl-ieepa',
                  rate: 20,
                  coverage: 'all-goods',
                  effectiveAt: '2025-03-04T00:00:00.000Z',
                  eventId: twentyPercent.eventId,
                },
                {
                  measure: 'reciprocal',
                  rate: 125,
                  coverage: 'all-goods',
                  effectiveAt: '2025-04-10T00:00:00.000Z',
                  eventId: reciprocal125.eventId,
                },
              ],
              scheduled: [],
              threatened: [],
              considered: [],
            },
          ]),
        );
    });

    it('gives a line the rate of its latest effective change', () => {
      given(tenPercent, twentyPercent)
        .when({ asOf: '2025-03-03' })
        .thenMatches({
          tariffs: [{ total: 10, measures: [{ measure: 'fentanyl-ieepa', rate: 10 }] }],
        });
    });
  });

  it('lists a selected-goods line but leaves it out of the total', () => {
    given(
      fentanyl({ occurredAt: '2025-03-04', rate: 20 }),
      tariffChanged({
        occurredAt: '2025-03-10',
        data: { measure: 'section-232-steel', rate: 25, coverage: 'selected-goods' },
      }),
    )
      .when({ asOf: '2025-03-31' })
      .thenMatches({
        tariffs: [
          {
            total: 20,
            measures: [
              { measure: 'fentanyl-ieepa', rate: 20, coverage: 'all-goods' },
              { measure: 'section-232-steel', rate: 25, coverage: 'selected-goods' },
            ],
          },
        ],
      });
  });

  it('counts a pair with only selected-goods lines as a total of 0', () => {
    given(tariffChanged({ data: { measure: 'section-301', rate: 25, coverage: 'selected-goods' } }))
      .when({ asOf: '2025-04-30' })
      .thenMatches({ tariffs: [{ total: 0, measures: [{ measure: 'section-301', rate: 25 }] }] });
  });

  it('keeps each (imposedBy, appliedTo) pair apart, ordered by imposedBy then appliedTo', () => {
    given(
      tariffChanged({
        occurredAt: '2025-04-09',
        data: { imposedBy: 'US', appliedTo: 'HK', rate: 125 },
      }),
      tariffChanged({
        occurredAt: '2025-04-09',
        data: { imposedBy: 'US', appliedTo: 'CN', rate: 125 },
      }),
      tariffChanged({
        occurredAt: '2025-04-11',
        data: { imposedBy: 'CN', appliedTo: 'US', rate: 125 },
      }),
      tariffChanged({
        occurredAt: '2025-04-11',
        data: { imposedBy: 'US', appliedTo: 'CN', measure: 'fentanyl-ieepa', rate: 20 },
      }),
    )
      .when({ asOf: '2025-04-30' })
      .thenMatches({
        tariffs: [
          { imposedBy: 'CN', appliedTo: 'US', total: 125 },
          { imposedBy: 'US', appliedTo: 'CN', total: 145 },
          { imposedBy: 'US', appliedTo: 'HK', total: 125 },
        ],
      });
  });

  describe('given a change to rate 0', () => {
    const lifted = [
      fentanyl({ occurredAt: '2025-03-04', rate: 20 }),
      reciprocal({ occurredAt: '2025-04-10', rate: 125 }),
      reciprocal({ occurredAt: '2025-05-12', rate: 0, effectiveAt: '2025-05-14' }),
    ];

    it('lifts the line: it is no longer listed nor counted', () => {
      given(...lifted)
        .when({ asOf: '2025-05-14' })
        .thenMatches({
          tariffs: [{ total: 20, measures: [{ measure: 'fentanyl-ieepa' }], scheduled: [] }],
        });
    });

    it('lists the lift as scheduled until it takes effect', () => {
      given(...lifted)
        .when({ asOf: '2025-05-13' })
        .thenMatches({
          tariffs: [
            {
              total: 145,
              measures: [{ measure: 'fentanyl-ieepa' }, { measure: 'reciprocal', rate: 125 }],
              scheduled: [
                { measure: 'reciprocal', rate: 0, effectiveAt: '2025-05-14T00:00:00.000Z' },
              ],
            },
          ],
        });
    });

    it('drops the pair once no line is active or scheduled', () => {
      given(
        reciprocal({ occurredAt: '2025-04-10', rate: 125 }),
        reciprocal({ occurredAt: '2025-05-14', rate: 0 }),
      )
        .when({ asOf: '2025-05-14' })
        .thenMatches({ tariffs: [] });
    });

    it('can be followed by a new rate, which relists the line', () => {
      given(
        reciprocal({ occurredAt: '2025-04-10', rate: 125 }),
        reciprocal({ occurredAt: '2025-05-14', rate: 0 }),
        reciprocal({ occurredAt: '2025-08-01', rate: 30 }),
      )
        .when({ asOf: '2025-08-01' })
        .thenMatches({ tariffs: [{ total: 30, measures: [{ measure: 'reciprocal', rate: 30 }] }] });
    });
  });

  describe('given a change announced before it takes effect', () => {
    const announced = reciprocal({
      occurredAt: '2025-04-09',
      rate: 125,
      effectiveAt: '2025-04-10',
    });

    it('is not listed before it is announced', () => {
      given(fentanyl({ occurredAt: '2025-03-04', rate: 20 }), announced)
        .when({ asOf: '2025-04-08' })
        .thenMatches({ tariffs: [{ total: 20, scheduled: [] }] });
    });

    it('is scheduled, not counted, from occurredAt until effectiveAt', () => {
      given(fentanyl({ occurredAt: '2025-03-04', rate: 20 }), announced)
        .when({ asOf: '2025-04-09' })
        .thenMatches({
          tariffs: [
            {
              total: 20,
              measures: [{ measure: 'fentanyl-ieepa' }],
              scheduled: [
                {
                  measure: 'reciprocal',
                  rate: 125,
                  coverage: 'all-goods',
                  effectiveAt: '2025-04-10T00:00:00.000Z',
                  eventId: announced.eventId,
                },
              ],
            },
          ],
        });
    });

    it('lists the pair when its only line is scheduled, with a total of 0', () => {
      given(announced)
        .when({ asOf: '2025-04-09T12:00:00Z' })
        .thenMatches({ tariffs: [{ total: 0, measures: [], scheduled: [{ rate: 125 }] }] });
    });

    it('applies from the very instant of effectiveAt', () => {
      given(announced)
        .when({ asOf: '2025-04-10T00:00:00Z' })
        .thenMatches({ tariffs: [{ total: 125, scheduled: [] }] });
      given(announced)
        .when({ asOf: '2025-04-09T23:59:59.999Z' })
        .thenMatches({ tariffs: [{ total: 0 }] });
    });

    it('orders scheduled changes by measure, then effectiveAt', () => {
      given(
        reciprocal({ occurredAt: '2025-04-02', rate: 84, effectiveAt: '2025-04-20' }),
        fentanyl({ occurredAt: '2025-04-02', rate: 30, effectiveAt: '2025-04-15' }),
        reciprocal({ occurredAt: '2025-04-03', rate: 34, effectiveAt: '2025-04-09' }),
      )
        .when({ asOf: '2025-04-05' })
        .thenMatches({
          tariffs: [
            {
              scheduled: [
                { measure: 'fentanyl-ieepa', effectiveAt: at('2025-04-15') },
                { measure: 'reciprocal', effectiveAt: at('2025-04-09') },
                { measure: 'reciprocal', effectiveAt: at('2025-04-20') },
              ],
            },
          ],
        });
    });

    it('gives way, once effective, to the change with the greatest effectiveAt', () => {
      const history = [
        reciprocal({ occurredAt: '2025-04-02', rate: 34, effectiveAt: '2025-04-20' }),
        reciprocal({ occurredAt: '2025-04-05', rate: 84, effectiveAt: '2025-04-09' }),
      ];
      given(...history)
        .when({ asOf: '2025-04-10' })
        .thenMatches({ tariffs: [{ total: 84, scheduled: [{ rate: 34 }] }] });
      given(...history)
        .when({ asOf: '2025-04-20' })
        .thenMatches({ tariffs: [{ total: 34, scheduled: [] }] });
    });
  });

  describe('given two changes of a line effective at the same instant', () => {
    it('takes the one that occurred later', () => {
      given(
        reciprocal({ occurredAt: '2025-04-02', rate: 34, effectiveAt: '2025-04-09' }),
        reciprocal({ occurredAt: '2025-04-08', rate: 84, effectiveAt: '2025-04-09' }),
      )
        .when({ asOf: '2025-04-09' })
        .thenMatches({ tariffs: [{ total: 84, scheduled: [] }] });
    });

    it('takes the one that occurred later even when it was recorded first', () => {
      given(
        reciprocal({ occurredAt: '2025-04-08', rate: 84, effectiveAt: '2025-04-09' }),
        reciprocal({ occurredAt: '2025-04-02', rate: 34, effectiveAt: '2025-04-09' }),
      )
        .when({ asOf: '2025-04-09' })
        .thenMatches({ tariffs: [{ total: 84 }] });
    });

    it('takes the later revision when they also occurred at the same instant', () => {
      given(
        reciprocal({ occurredAt: '2025-04-08', rate: 84, effectiveAt: '2025-04-09' }),
        reciprocal({ occurredAt: '2025-04-08', rate: 104, effectiveAt: '2025-04-09' }),
      )
        .when({ asOf: '2025-04-09' })
        .thenMatches({ tariffs: [{ total: 104 }] });
    });

    it('schedules only the winner while it is not yet effective', () => {
      const winner = reciprocal({ occurredAt: '2025-04-08', rate: 84, effectiveAt: '2025-04-09' });
      given(reciprocal({ occurredAt: '2025-04-02', rate: 34, effectiveAt: '2025-04-09' }), winner)
        .when({ asOf: '2025-04-08' })
        .thenMatches({
          tariffs: [{ total: 0, scheduled: [{ rate: 84, eventId: winner.eventId }] }],
        });
    });

    it('replaces an already effective line when reported again with the same effectiveAt', () => {
      given(
        reciprocal({ occurredAt: '2025-04-09', rate: 84, effectiveAt: '2025-04-09' }),
        reciprocal({ occurredAt: '2025-04-12', rate: 104, effectiveAt: '2025-04-09' }),
      )
        .when({ asOf: '2025-04-12' })
        .thenMatches({ tariffs: [{ total: 104, measures: [{ effectiveAt: at('2025-04-09') }] }] });
    });
  });

  describe('given a back-dated change (effectiveAt before occurredAt)', () => {
    const backDated = reciprocal({ occurredAt: '2025-04-20', rate: 10, effectiveAt: '2025-04-05' });

    it('is unknown to the world before it occurred', () => {
      given(backDated).when({ asOf: '2025-04-19' }).thenMatches({ tariffs: [] });
    });

    it('applies once it occurred, dated from its effectiveAt', () => {
      given(backDated)
        .when({ asOf: '2025-04-20' })
        .thenMatches({
          tariffs: [{ total: 10, measures: [{ rate: 10, effectiveAt: at('2025-04-05') }] }],
        });
    });

    it('replaces a line whose change took effect before its effectiveAt', () => {
      given(reciprocal({ occurredAt: '2025-04-01', rate: 34 }), backDated)
        .when({ asOf: '2025-04-20' })
        .thenMatches({ tariffs: [{ total: 10 }] });
    });

    it('does not displace a change with a greater effectiveAt', () => {
      given(reciprocal({ occurredAt: '2025-04-10', rate: 125 }), backDated)
        .when({ asOf: '2025-04-30' })
        .thenMatches({
          tariffs: [{ total: 125, measures: [{ rate: 125, effectiveAt: at('2025-04-10') }] }],
        });
    });
  });
});

describe('the trade measure fold', () => {
  const revoked = tradeMeasureChanged({
    occurredAt: '2025-04-02',
    data: { action: 'revoked', effectiveAt: '2025-05-02' },
  });

  it('has no item before any change occurred', () => {
    given(revoked).when({ asOf: '2025-04-01' }).thenMatches({ tradeMeasures: [] });
  });

  it('has status null, and the change under scheduled, until it takes effect', () => {
    given(revoked)
      .when({ asOf: '2025-04-02' })
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
            scheduled: [
              { action: 'revoked', effectiveAt: at('2025-05-02'), eventId: revoked.eventId },
            ],
            threatened: [],
            considered: [],
          },
        ]),
      );
  });

  it('has the action of the latest effective change as its status', () => {
    given(revoked)
      .when({ asOf: '2025-05-02' })
      .thenMatches({
        tradeMeasures: [
          {
            status: 'revoked',
            effectiveAt: at('2025-05-02'),
            eventId: revoked.eventId,
            scheduled: [],
          },
        ],
      });
  });

  it('follows later actions, with the same effective-date rule as tariffs', () => {
    const history = [
      revoked,
      tradeMeasureChanged({
        occurredAt: '2025-05-12',
        data: { action: 'suspended', effectiveAt: '2025-05-14' },
      }),
      tradeMeasureChanged({
        occurredAt: '2025-05-12',
        data: { action: 'reinstated', effectiveAt: '2025-08-12' },
      }),
    ];
    given(...history)
      .when({ asOf: '2025-05-13' })
      .thenMatches({
        tradeMeasures: [
          {
            status: 'revoked',
            scheduled: [
              { action: 'suspended', effectiveAt: at('2025-05-14') },
              { action: 'reinstated', effectiveAt: at('2025-08-12') },
            ],
          },
        ],
      });
    given(...history)
      .when({ asOf: '2025-08-12' })
      .thenMatches({ tradeMeasures: [{ status: 'reinstated', scheduled: [] }] });
  });

  it('keys items by (imposedBy, measure), ordered so', () => {
    given(
      tradeMeasureChanged({
        data: {
          imposedBy: 'US',
          measure: 'entity-list',
          kind: 'export-control',
          action: 'imposed',
          appliedTo: ['CN'],
        },
      }),
      tradeMeasureChanged({ data: { imposedBy: 'US', measure: 'de-minimis-exemption' } }),
      tradeMeasureChanged({
        data: {
          imposedBy: 'CN',
          measure: 'rare-earths',
          kind: 'export-control',
          action: 'imposed',
          appliedTo: ['US'],
        },
      }),
      tradeMeasureChanged({
        data: {
          imposedBy: 'CN',
          measure: 'entity-list',
          kind: 'sanction',
          action: 'imposed',
          appliedTo: ['US'],
        },
      }),
    )
      .when({ asOf: '2025-04-30' })
      .thenMatches({
        tradeMeasures: [
          { imposedBy: 'CN', measure: 'entity-list', kind: 'sanction' },
          { imposedBy: 'CN', measure: 'rare-earths' },
          { imposedBy: 'US', measure: 'de-minimis-exemption' },
          { imposedBy: 'US', measure: 'entity-list', kind: 'export-control' },
        ],
      });
  });

  it('describes the item by its effective change (appliedTo, kind)', () => {
    given(
      tradeMeasureChanged({
        occurredAt: '2025-04-02',
        data: { appliedTo: ['CN'], action: 'revoked' },
      }),
      tradeMeasureChanged({
        occurredAt: '2025-04-20',
        data: { appliedTo: ['CN', 'HK'], action: 'revoked' },
      }),
    )
      .when({ asOf: '2025-04-30' })
      .thenMatches({ tradeMeasures: [{ appliedTo: ['CN', 'HK'] }] });
  });
});

describe('the talks fold', () => {
  it('starts with no talks', () => {
    given()
      .when({ asOf: '2025-04-01' })
      .thenMatches({
        talks: { status: 'none', since: null, rounds: 0, lastRoundAt: null, nextRoundAt: null },
      });
  });

  it('schedules talks: status scheduled since then, nextRoundAt the date set', () => {
    given(
      talksScheduled({
        occurredAt: '2025-05-06',
        data: { scheduledFor: '2025-05-10', venue: 'Geneva' },
      }),
    )
      .when({ asOf: '2025-05-07' })
      .thenMatches({
        talks: {
          status: 'scheduled',
          since: at('2025-05-06'),
          rounds: 0,
          lastRoundAt: null,
          nextRoundAt: at('2025-05-10'),
        },
      });
  });

  it.each<[TalksOutcome | undefined, TalksStatus]>([
    [undefined, 'ongoing'],
    ['progress', 'ongoing'],
    ['no-result', 'stalled'],
    ['agreement', 'agreement-reached'],
    ['breakdown', 'collapsed'],
  ])('counts a round held with outcome %s, and sets the status to %s', (outcome, status) => {
    given(talksHeld({ occurredAt: '2025-04-15', data: { outcome } }))
      .when({ asOf: '2025-04-20' })
      .thenMatches({
        talks: {
          status,
          since: at('2025-04-15'),
          rounds: 1,
          lastRoundAt: at('2025-04-15'),
          nextRoundAt: null,
        },
      });
  });

  it('counts every round and keeps the last', () => {
    given(
      talksHeld({ occurredAt: '2025-04-15', data: { outcome: 'no-result' } }),
      talksHeld({ occurredAt: '2025-05-10', data: { outcome: 'progress' } }),
      talksHeld({ occurredAt: '2025-05-11', data: { outcome: 'agreement' } }),
    )
      .when({ asOf: '2025-05-31' })
      .thenMatches({
        talks: {
          status: 'agreement-reached',
          since: at('2025-05-11'),
          rounds: 3,
          lastRoundAt: at('2025-05-11'),
        },
      });
  });

  it('clears nextRoundAt by a later round held', () => {
    given(
      talksScheduled({ occurredAt: '2025-05-06', data: { scheduledFor: '2025-05-10' } }),
      talksHeld({ occurredAt: '2025-05-10', data: { outcome: 'progress' } }),
    )
      .when({ asOf: '2025-05-10' })
      .thenMatches({
        talks: { status: 'ongoing', rounds: 1, lastRoundAt: at('2025-05-10'), nextRoundAt: null },
      });
  });

  it('keeps nextRoundAt after a round held before the talks were scheduled', () => {
    given(
      talksHeld({ occurredAt: '2025-04-15', data: { outcome: 'no-result' } }),
      talksScheduled({ occurredAt: '2025-05-06', data: { scheduledFor: '2025-05-10' } }),
    )
      .when({ asOf: '2025-05-07' })
      .thenMatches({
        talks: {
          status: 'scheduled',
          since: at('2025-05-06'),
          rounds: 1,
          lastRoundAt: at('2025-04-15'),
          nextRoundAt: at('2025-05-10'),
        },
      });
  });

  it('sets the status as reported by TalksStatusChanged, keeping rounds and dates', () => {
    given(
      talksHeld({ occurredAt: '2025-04-15', data: { outcome: 'no-result' } }),
      talksScheduled({ occurredAt: '2025-04-25', data: { scheduledFor: '2025-05-10' } }),
      talksStatusChanged({
        occurredAt: '2025-05-02',
        data: { status: 'suspended', note: 'Postponed' },
      }),
    )
      .when({ asOf: '2025-05-03' })
      .thenMatches({
        talks: {
          status: 'suspended',
          since: at('2025-05-02'),
          rounds: 1,
          lastRoundAt: at('2025-04-15'),
          nextRoundAt: at('2025-05-10'),
        },
      });
  });

  it('sets agreement-reached when an agreement is reached', () => {
    given(
      talksHeld({ occurredAt: '2025-05-10', data: { outcome: 'progress' } }),
      agreementReached({ occurredAt: '2025-05-12' }),
    )
      .when({ asOf: '2025-05-12' })
      .thenMatches({ talks: { status: 'agreement-reached', since: at('2025-05-12'), rounds: 1 } });
  });
});

describe('the proposal fold', () => {
  const offer = proposalMade({
    occurredAt: '2025-05-01',
    data: {
      proposalId: 'us-offer',
      by: 'US',
      to: ['CN'],
      subject: 'talks',
      summary: 'Resume talks',
      terms: ['Meet in Geneva'],
    },
  });

  it('opens a proposal, status proposed', () => {
    given(offer)
      .when({ asOf: '2025-05-01' })
      .thenVerify((state) =>
        expect(state.proposals).toEqual([
          {
            proposalId: 'us-offer',
            by: 'US',
            to: ['CN'],
            subject: 'talks',
            summary: 'Resume talks',
            terms: ['Meet in Geneva'],
            status: 'proposed',
            counterProposalId: null,
            madeAt: at('2025-05-01'),
            consideredAt: null,
            updatedAt: at('2025-05-01'),
          },
        ]),
      );
  });

  it('gives a proposal without terms an empty list of them', () => {
    given(proposalMade())
      .when({ asOf: '2025-05-01' })
      .thenMatches({ proposals: [{ terms: [] }] });
  });

  it('sets the status to each response in turn, and updatedAt to its time', () => {
    given(
      offer,
      proposalResponded({
        occurredAt: '2025-05-02',
        data: { proposalId: 'us-offer', response: 'under-review' },
      }),
      proposalResponded({
        occurredAt: '2025-05-04',
        data: { proposalId: 'us-offer', response: 'countered', counterProposalId: 'cn-counter' },
      }),
    )
      .when({ asOf: '2025-05-04' })
      .thenMatches({
        proposals: [
          {
            status: 'countered',
            counterProposalId: 'cn-counter',
            madeAt: at('2025-05-01'),
            updatedAt: at('2025-05-04'),
          },
        ],
      });
  });

  it.each(['accepted', 'rejected', 'withdrawn', 'under-review'] as const)(
    'keeps a %s proposal in the state',
    (response) => {
      given(
        offer,
        proposalResponded({ occurredAt: '2025-05-02', data: { proposalId: 'us-offer', response } }),
      )
        .when({ asOf: '2025-05-02' })
        .thenMatches({ proposals: [{ proposalId: 'us-offer', status: response }] });
    },
  );

  it('orders proposals by madeAt, then proposalId, whatever the recording order', () => {
    given(
      proposalMade({ occurredAt: '2025-05-03', data: { proposalId: 'a-late' } }),
      proposalMade({
        occurredAt: '2025-05-01',
        data: { proposalId: 'wang-visit', by: 'CN', to: ['US'] },
      }),
      proposalMade({ occurredAt: '2025-05-01', data: { proposalId: 'us-offer' } }),
    )
      .when({ asOf: '2025-05-31' })
      .thenMatches({
        proposals: [
          { proposalId: 'us-offer' },
          { proposalId: 'wang-visit' },
          { proposalId: 'a-late' },
        ],
      });
  });
});

describe('the stance fold', () => {
  it('keeps the latest stance of each party, ordered by party', () => {
    given(
      statementMade({
        occurredAt: '2025-04-20',
        data: { party: 'US', speaker: 'US negotiators', stance: 'hardline' },
      }),
      statementMade({
        occurredAt: '2025-04-30',
        data: { party: 'US', speaker: 'Donald Trump', stance: 'conciliatory' },
      }),
      statementMade({
        occurredAt: '2025-05-02',
        data: { party: 'CN', speaker: 'MOFCOM', stance: 'hardline' },
      }),
    )
      .when({ asOf: '2025-05-02' })
      .thenVerify((state) =>
        expect(state.stances).toEqual([
          { party: 'CN', stance: 'hardline', speaker: 'MOFCOM', at: at('2025-05-02') },
          { party: 'US', stance: 'conciliatory', speaker: 'Donald Trump', at: at('2025-04-30') },
        ]),
      );
  });

  it('leaves the stance alone on a statement without one', () => {
    given(
      statementMade({
        occurredAt: '2025-04-30',
        data: { party: 'US', speaker: 'Donald Trump', stance: 'conciliatory' },
      }),
      statementMade({
        occurredAt: '2025-05-01',
        data: { party: 'US', speaker: 'Scott Bessent', stance: undefined },
      }),
    )
      .when({ asOf: '2025-05-01' })
      .thenMatches({
        stances: [
          { party: 'US', stance: 'conciliatory', speaker: 'Donald Trump', at: at('2025-04-30') },
        ],
      });
  });

  it('lists no stance for a party that never took one', () => {
    given(
      statementMade({
        data: { party: 'HK', speaker: 'HK government', quote: 'We object', stance: undefined },
      }),
    )
      .when({ asOf: '2025-04-30' })
      .thenMatches({ stances: [] });
  });
});

describe('the demand fold', () => {
  const precursors = demandMade({
    occurredAt: '2025-02-01',
    data: { by: 'US', of: 'CN', issue: 'fentanyl-precursors', summary: 'Stop precursor exports' },
  });

  it('opens a demand', () => {
    given(precursors)
      .when({ asOf: '2025-02-01' })
      .thenVerify((state) =>
        expect(state.demands).toEqual([
          {
            by: 'US',
            of: 'CN',
            issue: 'fentanyl-precursors',
            summary: 'Stop precursor exports',
            status: 'open',
            madeAt: at('2025-02-01'),
            resolvedAt: null,
          },
        ]),
      );
  });

  it('resolves the matching demand only', () => {
    given(
      precursors,
      demandMade({
        occurredAt: '2025-04-11',
        data: { by: 'CN', of: 'US', issue: 'fentanyl-precursors', summary: 'Lift tariffs' },
      }),
      demandResolved({
        occurredAt: '2025-05-12',
        data: { by: 'US', of: 'CN', issue: 'fentanyl-precursors' },
      }),
    )
      .when({ asOf: '2025-05-12' })
      .thenMatches({
        demands: [
          { by: 'US', of: 'CN', status: 'resolved', resolvedAt: at('2025-05-12') },
          { by: 'CN', of: 'US', status: 'open', resolvedAt: null },
        ],
      });
  });

  it('restates an open demand made again, keeping when it was first made', () => {
    given(
      precursors,
      demandMade({ occurredAt: '2025-03-01', data: { summary: 'Arrest the traffickers too' } }),
    )
      .when({ asOf: '2025-03-01' })
      .thenMatches({
        demands: [
          { summary: 'Arrest the traffickers too', status: 'open', madeAt: at('2025-02-01') },
        ],
      });
  });

  it('reopens a resolved demand made again', () => {
    given(
      precursors,
      demandResolved({ occurredAt: '2025-03-01' }),
      demandMade({ occurredAt: '2025-04-01' }),
    )
      .when({ asOf: '2025-04-01' })
      .thenMatches({ demands: [{ status: 'open', madeAt: at('2025-04-01'), resolvedAt: null }] });
  });

  it('orders demands by madeAt, then issue', () => {
    given(
      demandMade({
        occurredAt: '2025-04-11',
        data: { issue: 'tariff-removal', by: 'CN', of: 'US' },
      }),
      demandMade({
        occurredAt: '2025-04-11',
        data: { issue: 'export-controls', by: 'CN', of: 'US' },
      }),
      precursors,
    )
      .when({ asOf: '2025-04-30' })
      .thenMatches({
        demands: [
          { issue: 'fentanyl-precursors' },
          { issue: 'export-controls' },
          { issue: 'tariff-removal' },
        ],
      });
  });
});

describe('the agreement fold', () => {
  it('adds agreements in the order they were reached', () => {
    given(
      agreementReached({
        occurredAt: '2025-06-10',
        data: {
          parties: ['US', 'CN'],
          summary: 'London framework',
          terms: ['Rare earths licences'],
        },
      }),
      agreementReached({
        occurredAt: '2025-05-12',
        data: { summary: 'Geneva statement', effectiveAt: '2025-05-14' },
      }),
    )
      .when({ asOf: '2025-06-30' })
      .thenVerify((state) =>
        expect(state.agreements).toEqual([
          {
            parties: ['US', 'CN'],
            summary: 'Geneva statement',
            terms: [],
            at: at('2025-05-12'),
            effectiveAt: at('2025-05-14'),
          },
          {
            parties: ['US', 'CN'],
            summary: 'London framework',
            terms: ['Rare earths licences'],
            at: at('2025-06-10'),
            effectiveAt: null,
          },
        ]),
      );
  });
});

describe('the party fold', () => {
  it('starts from the founding parties and title', () => {
    given()
      .when({ asOf: '2025-04-01' })
      .thenMatches({
        negotiationId: NEGOTIATION,
        title: 'US-China trade and fentanyl talks',
        parties: [
          { code: 'US', name: 'United States' },
          { code: 'CN', name: 'China' },
          { code: 'HK', name: 'Hong Kong' },
        ],
      });
  });

  it('adds a party that joins', () => {
    given(
      partyJoined({
        occurredAt: '2025-04-01',
        data: { party: { code: 'EU', name: 'European Union' } },
      }),
    )
      .when({ asOf: '2025-04-01' })
      .thenMatches({
        parties: [
          { code: 'US' },
          { code: 'CN' },
          { code: 'HK' },
          { code: 'EU', name: 'European Union' },
        ],
      });
  });
});

describe('evolve', () => {
  const fold = (events: readonly RecordedDevelopment[]) =>
    events.reduce(evolve, initialFoldState(NEGOTIATION));

  describe('is total: it never throws on a stored event, however odd', () => {
    it.each<[string, Draft]>([
      [
        'a response to an unknown proposal',
        proposalResponded({ data: { proposalId: 'never-made' } }),
      ],
      ['a resolution of a demand never made', demandResolved({ data: { issue: 'never-made' } })],
      ['a retraction of an unknown event', developmentRetracted('no-such-event')],
      ['a round held by undeclared parties', talksHeld({ data: { participants: ['XX', 'YY'] } })],
      ['a tariff on an undeclared party', tariffChanged({ data: { appliedTo: 'XX' } })],
      ['a statement by an undeclared party', statementMade({ data: { party: 'XX' } })],
    ])('ignores or records %s without throwing', (_what, odd) => {
      const events = recorded(odd);
      expect(() => viewAt(fold(events), at('2025-12-31'), null, 1)).not.toThrow();
    });

    it('leaves the state unchanged by a response to an unknown proposal', () => {
      const before = recorded(proposalMade({ occurredAt: '2025-05-01' }));
      const odd = recorded(
        proposalMade({ occurredAt: '2025-05-01' }),
        proposalResponded({
          occurredAt: '2025-05-02',
          data: { proposalId: 'never-made', response: 'accepted' },
        }),
      );
      const asOf = at('2025-05-31');
      expect(viewAt(fold(odd), asOf, null, 0).proposals).toEqual(
        viewAt(fold(before), asOf, null, 0).proposals,
      );
    });

    it('keeps the first name of a party declared twice', () => {
      const state = fold(recorded(partyJoined({ data: { party: { code: 'CN', name: 'PRC' } } })));
      expect(state.parties.get('CN')).toEqual({ code: 'CN', name: 'China' });
    });

    it('takes a repeated proposalId as the proposal made anew', () => {
      const state = fold(
        recorded(
          proposalMade({ occurredAt: '2025-05-01', data: { proposalId: 'p', summary: 'first' } }),
          proposalResponded({
            occurredAt: '2025-05-02',
            data: { proposalId: 'p', response: 'rejected' },
          }),
          proposalMade({ occurredAt: '2025-05-03', data: { proposalId: 'p', summary: 'second' } }),
        ),
      );
      expect(getIn(state.proposals.byId, 'p')).toMatchObject({
        summary: 'second',
        status: 'proposed',
        madeAt: at('2025-05-03'),
      });
    });

    it('folds any sequence of developments without throwing', () => {
      const party = fc.constantFrom('US', 'CN', 'HK', 'XX');
      const day = fc
        .integer({ min: 1, max: 28 })
        .map((d) => `2025-04-${String(d).padStart(2, '0')}`);
      const proposalId = fc.constantFrom('p1', 'p2', 'p3');
      const development: fc.Arbitrary<Draft> = fc.oneof(
        fc
          .record({
            occurredAt: day,
            effectiveAt: day,
            rate: fc.integer({ min: 0, max: 1000 }),
            imposedBy: party,
            appliedTo: party,
          })
          .map(({ occurredAt, ...data }) => tariffChanged({ occurredAt, data })),
        fc
          .record({
            occurredAt: day,
            effectiveAt: day,
            imposedBy: party,
            action: fc.constantFrom('imposed', 'lifted', 'revoked' as const),
          })
          .map(({ occurredAt, ...data }) => tradeMeasureChanged({ occurredAt, data })),
        fc
          .record({ occurredAt: day, proposalId, by: party })
          .map(({ occurredAt, ...data }) => proposalMade({ occurredAt, data })),
        fc
          .record({
            occurredAt: day,
            proposalId,
            by: party,
            response: fc.constantFrom('under-review', 'accepted', 'withdrawn' as const),
          })
          .map(({ occurredAt, ...data }) => proposalResponded({ occurredAt, data })),
        fc
          .record({ occurredAt: day, scheduledFor: day })
          .map(({ occurredAt, ...data }) => talksScheduled({ occurredAt, data })),
        fc
          .record({
            occurredAt: day,
            outcome: fc.constantFrom(undefined, 'progress', 'breakdown' as const),
          })
          .map(({ occurredAt, ...data }) => talksHeld({ occurredAt, data })),
        fc
          .record({
            occurredAt: day,
            party,
            stance: fc.constantFrom(undefined, 'hardline' as const),
          })
          .map(({ occurredAt, ...data }) => statementMade({ occurredAt, data })),
        fc
          .record({ occurredAt: day, by: party, of: party })
          .map(({ occurredAt, ...data }) => demandMade({ occurredAt, data })),
        fc
          .record({ occurredAt: day, by: party, of: party })
          .map(({ occurredAt, ...data }) => demandResolved({ occurredAt, data })),
        fc.record({ occurredAt: day }).map(({ occurredAt }) => agreementReached({ occurredAt })),
        fc
          .record({ occurredAt: day, code: party })
          .map(({ occurredAt, code }) =>
            partyJoined({ occurredAt, data: { party: { code, name: code } } }),
          ),
        fc
          .record({ occurredAt: day })
          .map(({ occurredAt }) => developmentRetracted('no-such-event', { occurredAt })),
      );
      fc.assert(
        fc.property(fc.array(development, { maxLength: 40 }), day, (drafts, asOf) => {
          const events = recorded(...drafts.map((d) => ({ ...d, recordedAt: undefined })));
          expect(() => viewAt(fold(events), at(asOf), null, events.length - 1)).not.toThrow();
        }),
      );
    });
  });

  it('gives the same answer when the same developments are folded twice', () => {
    const events = recorded(
      fentanyl({ occurredAt: '2025-03-04', rate: 20 }),
      reciprocal({ occurredAt: '2025-04-09', rate: 125, effectiveAt: '2025-04-10' }),
      tradeMeasureChanged({ occurredAt: '2025-04-02', data: { effectiveAt: '2025-05-02' } }),
      proposalMade({ occurredAt: '2025-05-01' }),
      statementMade({ occurredAt: '2025-05-01' }),
      demandMade({ occurredAt: '2025-02-01' }),
      talksHeld({ occurredAt: '2025-04-15', data: { outcome: 'no-result' } }),
    );
    const asOf = at('2025-04-20');
    expect(viewAt(fold(events), asOf, null, 7)).toEqual(viewAt(fold(events), asOf, null, 7));
  });

  it("answers that nobody can change the timeline through: shared values are frozen, lists are the answer's own", () => {
    const history = [
      statementMade({ occurredAt: '2025-04-01' }),
      proposalMade({ data: { terms: ['a'] } }),
      agreementReached(),
      reciprocal({ occurredAt: '2025-04-02', rate: 34, effectiveAt: '2025-04-09' }),
      tradeMeasureChanged({ occurredAt: '2025-04-02' }),
    ];
    const writable = <T>(value: readonly T[]): T[] => value as T[];
    const perspective = { asOf: at('2025-12-31'), knownAt: null };
    // From a snapshot (one per development) and from what an answer folds on top of one.
    for (const snapshotEvery of [1, 128]) {
      const timeline = timelineOf(...history);
      const spaced = new NegotiationTimeline(timeline.negotiationId, { snapshotEvery });
      spaced.append(timeline.developmentsAfter(-1));
      const first = spaced.stateAt(perspective);
      expect(() => writable(first.proposals[0]!.to).push('HK')).toThrow(TypeError);
      expect(() => writable(first.proposals[0]!.terms).push('b')).toThrow(TypeError);
      expect(() => writable(first.agreements[0]!.parties).push('HK')).toThrow(TypeError);
      expect(() => Object.assign(first.talks, { rounds: 99 })).toThrow(TypeError);
      expect(() => Object.assign(first.proposals[0]!, { status: 'accepted' })).toThrow(TypeError);
      expect(() => Object.assign(first.stances[0]!, { stance: 'hostile' })).toThrow(TypeError);
      expect(() => Object.assign(first.parties[0]!, { name: 'Nobody' })).toThrow(TypeError);
      expect(() => Object.assign(first.tariffs[0]!.measures[0]!, { rate: 1 })).toThrow(TypeError);
      expect(() => writable(first.tradeMeasures[0]!.appliedTo).push('HK')).toThrow(TypeError);
      writable(first.parties).push({ code: 'XX', name: 'Nobody' });
      writable(first.proposals).pop();
      writable(first.agreements).pop();
      expect(spaced.stateAt(perspective)).toEqual(timelineOf(...history).stateAt(perspective));
    }
  });

  it('clones a fold that goes on independently of the original', () => {
    const events = recorded(
      reciprocal({ occurredAt: '2025-04-02', rate: 34, effectiveAt: '2025-04-09' }),
      reciprocal({ occurredAt: '2025-04-09', rate: 125, effectiveAt: '2025-04-10' }),
    );
    const original = fold(events.slice(0, 2));
    const copy = cloneFold(original);
    evolve(copy, events[2]!);
    const asOf = at('2025-04-30');
    expect(viewAt(original, asOf, null, 1).tariffs).toMatchObject([{ total: 34 }]);
    expect(viewAt(copy, asOf, null, 2).tariffs).toMatchObject([{ total: 125 }]);
  });
});

describe('the tariff and trade measure folds, against the contract rule read literally', () => {
  /**
   * A history of changes to two tariff lines and one trade measure, in any recording order, some
   * of them threatened or considered (a considered one with or without effectiveAt).
   */
  const day = fc
    .integer({ min: 1, max: 12 })
    .map((d) => at(`2025-04-${String(d).padStart(2, '0')}`));
  const modality = fc.constantFrom('occurred', 'occurred', 'threatened', 'considered' as const);
  const noEffectiveAt = fc.boolean();
  const tariffChange = fc
    .record({
      occurredAt: day,
      modality,
      noEffectiveAt,
      effectiveAt: day,
      measure: fc.constantFrom('reciprocal', 'fentanyl-ieepa'),
      rate: fc.constantFrom(0, 10, 20, 125),
      coverage: fc.constantFrom('all-goods', 'selected-goods' as const),
    })
    .map(({ occurredAt, modality, noEffectiveAt, ...data }) =>
      tariffChanged({
        occurredAt,
        modality,
        data: {
          ...data,
          ...(modality === 'considered' && noEffectiveAt && { effectiveAt: undefined }),
        },
      }),
    );
  const measureChange = fc
    .record({
      occurredAt: day,
      modality,
      noEffectiveAt,
      effectiveAt: day,
      action: fc.constantFrom('imposed', 'lifted', 'suspended' as const),
    })
    .map(({ occurredAt, modality, noEffectiveAt, ...data }) =>
      tradeMeasureChanged({
        occurredAt,
        modality,
        data: {
          ...data,
          ...(modality === 'considered' && noEffectiveAt && { effectiveAt: undefined }),
        },
      }),
    );
  const histories = fc.array(fc.oneof(tariffChange, measureChange), {
    minLength: 1,
    maxLength: 25,
  });

  type Any = RecordedDevelopment & { type: 'TariffChanged' | 'TradeMeasureChanged' };
  /** Changes that occurred: each has an effectiveAt. */
  type Change = Any & { data: { effectiveAt: Instant } };
  const occurred = <C extends Any>(c: C): c is C & Change => c.modality === undefined;
  /** Later in the contract's tie order: effectiveAt, then occurredAt, then revision. */
  const later = (a: Change, b: Change): boolean =>
    a.data.effectiveAt !== b.data.effectiveAt
      ? a.data.effectiveAt > b.data.effectiveAt
      : a.occurredAt !== b.occurredAt
        ? a.occurredAt > b.occurredAt
        : a.revision > b.revision;

  /** Per key: the change in effect at T, and the changes known at T not yet effective (one per effectiveAt). */
  function literally(changes: Change[], key: (c: Change) => string, asOf: string) {
    const known = changes.filter((c) => c.occurredAt <= asOf);
    const byKey = new Map<string, { active?: Change; scheduled: Map<string, Change> }>();
    for (const c of known) {
      const entry = byKey.get(key(c)) ?? { scheduled: new Map<string, Change>() };
      byKey.set(key(c), entry);
      if (c.data.effectiveAt <= asOf) {
        if (!entry.active || later(c, entry.active)) entry.active = c;
      } else {
        const same = entry.scheduled.get(c.data.effectiveAt);
        if (!same || later(c, same)) entry.scheduled.set(c.data.effectiveAt, c);
      }
    }
    return byKey;
  }

  /**
   * The Modality rule as the contract words it: a change that did not occur is listed at T while
   * occurredAt <= T, T < effectiveAt (or none), its rate (if any) is above 0, and no development of
   * the same line with a greater occurredAt <= T exists, whatever its modality. In the order of
   * `scheduled`: effectiveAt (none last), then as recorded in valid time.
   */
  function possibleLiterally(
    all: Any[],
    key: (c: Any) => string,
    asOf: string,
    modality: 'threatened' | 'considered',
  ): Any[] {
    const known = all.filter((c) => c.occurredAt <= asOf);
    return known
      .filter(
        (c) =>
          c.modality === modality &&
          !('rate' in c.data && c.data.rate === 0) &&
          (c.data.effectiveAt === undefined || asOf < c.data.effectiveAt) &&
          !known.some((d) => key(d) === key(c) && d.occurredAt > c.occurredAt),
      )
      .sort(
        (a, b) =>
          (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) ||
          (a.data.effectiveAt === b.data.effectiveAt
            ? 0
            : a.data.effectiveAt === undefined
              ? 1
              : b.data.effectiveAt === undefined
                ? -1
                : a.data.effectiveAt < b.data.effectiveAt
                  ? -1
                  : 1) ||
          (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0) ||
          a.revision - b.revision,
      );
  }

  it('gives every pair the lines, totals, scheduled, threatened and considered changes the rule gives', () => {
    fc.assert(
      fc.property(histories, day, (drafts, asOf) => {
        const events = recorded(...drafts);
        const all = events.filter(
          (e): e is Any & { type: 'TariffChanged' } => e.type === 'TariffChanged',
        );
        const changes = all.filter(occurred);
        const expected = [...literally(changes, (c) => c.data.measure, asOf)]
          .map(([measure, { active, scheduled }]) => ({
            measure,
            active:
              active && (active as Change & { type: 'TariffChanged' }).data.rate !== 0
                ? active
                : undefined,
            scheduled: [...scheduled.values()],
          }))
          .sort((a, b) => (a.measure < b.measure ? -1 : 1));
        const line = (c: Change & { type: 'TariffChanged' }) => ({
          measure: c.data.measure,
          rate: c.data.rate,
          coverage: c.data.coverage,
          effectiveAt: c.data.effectiveAt,
          eventId: c.eventId,
        });
        const measures = expected.flatMap((e) =>
          e.active ? [line(e.active as Change & { type: 'TariffChanged' })] : [],
        );
        const scheduled = expected.flatMap((e) =>
          e.scheduled
            .map((c) => line(c as Change & { type: 'TariffChanged' }))
            .sort((a, b) => (a.effectiveAt < b.effectiveAt ? -1 : 1)),
        );
        const total = measures.reduce(
          (sum, l) => sum + (l.coverage === 'all-goods' ? l.rate : 0),
          0,
        );
        const possible = (modality: 'threatened' | 'considered') =>
          possibleLiterally(
            all,
            (c) => (c.data as { measure: string }).measure,
            asOf,
            modality,
          ).map((c) => {
            const d = c as Any & { type: 'TariffChanged' };
            return {
              measure: d.data.measure,
              rate: d.data.rate,
              coverage: d.data.coverage,
              effectiveAt: d.data.effectiveAt ?? null,
              eventId: d.eventId,
              at: d.occurredAt,
            };
          });
        const threatened = possible('threatened');
        const considered = possible('considered');
        const state = timelineOf(...drafts).stateAt({ asOf: asOf, knownAt: null });
        expect(state.tariffs).toEqual(
          measures.length + scheduled.length + threatened.length + considered.length === 0
            ? []
            : [
                {
                  imposedBy: 'US',
                  appliedTo: 'CN',
                  total,
                  measures,
                  scheduled,
                  threatened,
                  considered,
                },
              ],
        );
      }),
    );
  });

  it('gives the trade measure the status, scheduled, threatened and considered changes the rule gives', () => {
    fc.assert(
      fc.property(histories, day, (drafts, asOf) => {
        const events = recorded(...drafts);
        const all = events.filter(
          (e): e is Any & { type: 'TradeMeasureChanged' } => e.type === 'TradeMeasureChanged',
        );
        const changes = all.filter(occurred);
        const expected = literally(changes, (c) => c.data.measure, asOf).get(
          'de-minimis-exemption',
        );
        const possible = (modality: 'threatened' | 'considered') =>
          possibleLiterally(
            all,
            (c) => (c.data as { measure: string }).measure,
            asOf,
            modality,
          ).map((c) => ({
            action: (c as Any & { type: 'TradeMeasureChanged' }).data.action,
            effectiveAt: c.data.effectiveAt ?? null,
            eventId: c.eventId,
            at: c.occurredAt,
          }));
        const threatened = possible('threatened');
        const considered = possible('considered');
        const state = timelineOf(...drafts).stateAt({ asOf: asOf, knownAt: null });
        const active = expected?.active as (Change & { type: 'TradeMeasureChanged' }) | undefined;
        const scheduled = [...(expected?.scheduled.values() ?? [])];
        if (!active && scheduled.length + threatened.length + considered.length === 0) {
          expect(state.tradeMeasures).toEqual([]);
          return;
        }
        expect(state.tradeMeasures).toMatchObject([
          {
            status: active?.data.action ?? null,
            effectiveAt: active?.data.effectiveAt ?? null,
            eventId: active?.eventId ?? null,
            scheduled: scheduled
              .sort((a, b) => (a.data.effectiveAt < b.data.effectiveAt ? -1 : 1))
              .map((c) => ({
                action: (c as Change & { type: 'TradeMeasureChanged' }).data.action,
                effectiveAt: c.data.effectiveAt,
                eventId: c.eventId,
              })),
            threatened,
            considered,
          },
        ]);
      }),
    );
  });
});
