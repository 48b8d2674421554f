import { describe, expect, it } from '@jest/globals';
import {
  at,
  decisionModelOf,
  demandMade,
  demandResolved,
  developmentRetracted,
  partyJoined,
  proposalMade,
  proposalResponded,
  statementMade,
} from './testing';

/** What the rules read, as of a development's occurredAt, with every event known now. */

const JP = { code: 'JP', name: 'Japan' };

describe('the decision model', () => {
  const offer = proposalMade({ occurredAt: '2025-05-01', data: { proposalId: 'us-offer' } });
  const later = proposalMade({ occurredAt: '2025-06-01', data: { proposalId: 'later-offer' } });
  const falseOffer = proposalMade({
    occurredAt: '2025-05-01',
    data: { proposalId: 'false-offer' },
  });
  const joined = partyJoined({ occurredAt: '2025-05-20', data: { party: JP } });
  const statement = statementMade({ occurredAt: '2025-03-01' });
  const model = decisionModelOf(
    offer,
    proposalResponded({
      occurredAt: '2025-05-03',
      data: { proposalId: 'us-offer', response: 'rejected' },
    }),
    later,
    falseOffer,
    developmentRetracted(falseOffer, { occurredAt: '2025-05-02' }),
    demandMade({ occurredAt: '2025-02-01' }),
    joined,
    statement,
  );

  it('declares the founding parties always and a joined one from the day it joined', () => {
    const before = model.situationAt(at('2025-05-19'));
    expect(['US', 'CN', 'HK', 'JP'].filter((p) => before.isDeclared(p))).toEqual([
      'US',
      'CN',
      'HK',
    ]);
    expect(model.situationAt(at('2025-05-20')).isDeclared('JP')).toBe(true);
    expect(model.situationAt(at('2025-01-01')).isDeclared('US')).toBe(true);
  });

  it('counts as used every proposalId not retracted, whenever it was made', () => {
    const situation = model.situationAt(at('2025-04-01'));
    expect(situation.isProposalIdInUse('later-offer')).toBe(true);
    expect(situation.isProposalIdInUse('us-offer')).toBe(true);
    expect(situation.isProposalIdInUse('false-offer')).toBe(false);
  });

  it('gives a proposal made by occurredAt with its status then, none made later', () => {
    expect(model.situationAt(at('2025-05-02')).proposalAsOf('us-offer')).toEqual({
      by: 'US',
      to: ['CN'],
      status: 'proposed',
    });
    expect(model.situationAt(at('2025-05-03')).proposalAsOf('us-offer')?.status).toBe('rejected');
    expect(model.situationAt(at('2025-05-31')).proposalAsOf('later-offer')).toBeUndefined();
  });

  it('gives whether a demand is open as of occurredAt', () => {
    expect(
      model.situationAt(at('2025-01-31')).isDemandOpen('US', 'CN', 'fentanyl-precursors'),
    ).toBe(false);
    expect(
      model.situationAt(at('2025-02-01')).isDemandOpen('US', 'CN', 'fentanyl-precursors'),
    ).toBe(true);
  });

  it('knows every recorded event by id, its type and whether it is retracted, whatever the date', () => {
    const situation = model.situationAt(at('2025-01-01'));
    expect(situation.recordedEvent(falseOffer.eventId)).toEqual({
      type: 'ProposalMade',
      retracted: true,
    });
    expect(situation.recordedEvent(statement.eventId)).toEqual({
      type: 'StatementMade',
      retracted: false,
    });
    expect(situation.recordedEvent('no-such-event')).toBeUndefined();
  });

  describe('when a demand is resolved and made again', () => {
    const resolvedThenMade = decisionModelOf(
      demandMade({ occurredAt: '2025-02-01' }),
      demandResolved({ occurredAt: '2025-03-01' }),
      demandMade({ occurredAt: '2025-04-01' }),
    );

    it('is open, closed, then open again, following valid time whatever the recording order', () => {
      const open = (day: string) =>
        resolvedThenMade.situationAt(at(day)).isDemandOpen('US', 'CN', 'fentanyl-precursors');
      expect([open('2025-02-15'), open('2025-03-15'), open('2025-04-15')]).toEqual([
        true,
        false,
        true,
      ]);
    });
  });

  describe('when developments decided ahead of their commit are dropped', () => {
    it('answers as if they had never been appended', () => {
      const dropped = decisionModelOf(demandMade({ occurredAt: '2025-02-01' }), joined);
      dropped.dropAfter(1);
      expect(dropped.revision).toBe(1);
      expect(dropped.situationAt(at('2025-06-01')).isDeclared('JP')).toBe(false);
      expect(dropped.situationAt(at('2025-06-01')).recordedEvent(joined.eventId)).toBeUndefined();
    });
  });
});
