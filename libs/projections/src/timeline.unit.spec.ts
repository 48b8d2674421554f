import { describe, it, expect } from '@jest/globals';
import type { Draft } from '@parley/domain/testing';
import {
  at,
  demandMade,
  developmentRetracted,
  endOf,
  NEGOTIATION,
  negotiationOpened,
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
import fc from 'fast-check';
import type { DevelopmentFilter } from './timeline';
import { NegotiationTimeline } from './timeline';
import { given, timelineOf } from './testing';

/** Which developments count for a perspective (the three clocks), and the timeline's other answers. */

const JP = { code: 'JP', name: 'Japan' };

describe('valid time (asOf)', () => {
  const talks = talksHeld({ occurredAt: '2025-04-15T14:00:00Z', data: { outcome: 'no-result' } });

  it('counts the developments that occurred at or before asOf', () => {
    given(talks)
      .when({ asOf: '2025-04-15T14:00:00Z' })
      .thenMatches({ talks: { rounds: 1 } });
    given(talks)
      .when({ asOf: '2025-04-15T13:59:59.999Z' })
      .thenMatches({ talks: { rounds: 0 } });
  });

  it('takes a date-only asOf as the end of that day, so it includes everything on it', () => {
    given(talks)
      .when({ asOf: '2025-04-15' })
      .thenMatches({ asOf: '2025-04-15T23:59:59.999Z', talks: { rounds: 1 } });
    given(talks)
      .when({ asOf: '2025-04-14' })
      .thenMatches({ talks: { rounds: 0 } });
  });

  it('folds in order of occurredAt, so a late report lands in its place in history', () => {
    given(
      talksStatusChanged({ occurredAt: '2025-05-02', data: { status: 'exploratory' } }),
      // recorded after the status change, about a round held two weeks before it
      talksHeld({ occurredAt: '2025-04-15', data: { outcome: 'no-result' } }),
    )
      .when({ asOf: '2025-05-02' })
      .thenMatches({
        talks: {
          status: 'exploratory',
          since: at('2025-05-02'),
          rounds: 1,
          lastRoundAt: at('2025-04-15'),
        },
      });
  });

  it('folds developments that occurred at the same instant in revision order', () => {
    given(
      talksStatusChanged({ occurredAt: '2025-05-02', data: { status: 'stalled' } }),
      talksStatusChanged({ occurredAt: '2025-05-02', data: { status: 'exploratory' } }),
    )
      .when({ asOf: '2025-05-02' })
      .thenMatches({ talks: { status: 'exploratory' } });
    given(
      talksStatusChanged({ occurredAt: '2025-05-02', data: { status: 'exploratory' } }),
      talksStatusChanged({ occurredAt: '2025-05-02', data: { status: 'stalled' } }),
    )
      .when({ asOf: '2025-05-02' })
      .thenMatches({ talks: { status: 'stalled' } });
  });

  it('always folds NegotiationOpened: the title and founding parties are known before openedAt', () => {
    given(negotiationOpened({ occurredAt: '2025-02-01' }))
      .when({ asOf: '2024-12-31' })
      .thenMatches({
        title: 'US-China trade and fentanyl talks',
        parties: [{ code: 'US' }, { code: 'CN' }, { code: 'HK' }],
        revision: 0,
      });
  });

  it('follows the ordinary rule for PartyJoined', () => {
    const joined = partyJoined({ occurredAt: '2025-05-01', data: { party: JP } });
    given(joined)
      .when({ asOf: '2025-04-30' })
      .thenMatches({ parties: [{ code: 'US' }, { code: 'CN' }, { code: 'HK' }] });
    given(joined)
      .when({ asOf: '2025-05-01' })
      .thenMatches({
        parties: [{ code: 'US' }, { code: 'CN' }, { code: 'HK' }, { code: 'JP', name: 'Japan' }],
      });
  });
});

describe('transaction time (knownAt)', () => {
  const history: Draft[] = [
    negotiationOpened({ occurredAt: '2025-02-01', recordedAt: '2025-02-01T09:00:00Z' }),
    tariffChanged({
      occurredAt: '2025-04-09',
      data: { rate: 125, effectiveAt: '2025-04-10' },
      recordedAt: '2025-04-09T18:00:00Z',
    }),
    talksStatusChanged({
      occurredAt: '2025-05-02',
      data: { status: 'exploratory' },
      recordedAt: '2025-05-02T10:00:00Z',
    }),
    // a late report, learned on 5 May, of talks held on 15 April
    talksHeld({
      occurredAt: '2025-04-15',
      data: { outcome: 'no-result' },
      recordedAt: '2025-05-05T08:00:00Z',
    }),
  ];

  it('counts only what was recorded by knownAt: what the tracker believed then', () => {
    given(...history)
      .when({ asOf: '2025-04-20', knownAt: '2025-05-04' })
      .thenMatches({
        knownAt: '2025-05-04T23:59:59.999Z',
        revision: 2,
        talks: { status: 'none', rounds: 0 },
      });
  });

  it('counts a late report from the moment it was recorded', () => {
    given(...history)
      .when({ asOf: '2025-04-20', knownAt: '2025-05-05T08:00:00Z' })
      .thenMatches({
        revision: 3,
        talks: { status: 'stalled', rounds: 1, lastRoundAt: at('2025-04-15') },
      });
  });

  it('combines with asOf: what was believed at K about the world on T', () => {
    given(...history)
      .when({ asOf: '2025-04-09', knownAt: '2025-04-09T17:59:59Z' })
      .thenMatches({ revision: 0, tariffs: [] });
    given(...history)
      .when({ asOf: '2025-04-09', knownAt: '2025-04-09T18:00:00Z' })
      .thenMatches({ revision: 1, tariffs: [{ total: 0, scheduled: [{ rate: 125 }] }] });
  });

  it('knows everything when knownAt is not given', () => {
    given(...history)
      .when({ asOf: '2025-04-20' })
      .thenMatches({ knownAt: null, revision: 3, talks: { rounds: 1 } });
  });

  it('gives as revision the highest one known, whatever the asOf', () => {
    given(...history)
      .when({ asOf: '2025-01-01' })
      .thenMatches({ revision: 3 });
    given(...history)
      .when({ asOf: '2025-01-01', knownAt: '2025-04-10' })
      .thenMatches({ revision: 1 });
  });

  it('knows nothing, not even the title, before the negotiation was recorded', () => {
    given(...history)
      .when({ asOf: '2025-12-31', knownAt: '2025-01-31' })
      .thenMatches({ revision: -1, title: '', parties: [], tariffs: [] });
  });

  it('selects a prefix of the stream', () => {
    const timeline = timelineOf(...history);
    expect(timeline.revisionKnownAt(null)).toBe(3);
    expect(timeline.revisionKnownAt(at('2025-02-01T08:59:59Z'))).toBe(-1);
    expect(timeline.revisionKnownAt(at('2025-02-01T09:00:00Z'))).toBe(0);
    expect(timeline.revisionKnownAt(endOf('2025-05-02'))).toBe(2);
    expect(timeline.revisionKnownAt(endOf('2025-12-31'))).toBe(3);
  });
});

describe('retraction', () => {
  const raised = tariffChanged({
    occurredAt: '2025-04-09',
    data: { rate: 125 },
    recordedAt: '2025-04-09T12:00:00Z',
  });
  const falseReport = tariffChanged({
    occurredAt: '2025-04-20',
    data: { rate: 245 },
    recordedAt: '2025-04-20T12:00:00Z',
  });
  const retraction = developmentRetracted(falseReport, {
    occurredAt: '2025-04-22',
    recordedAt: '2025-04-22T12:00:00Z',
  });

  it('removes its target from every asOf, also those before the retraction occurred', () => {
    given(raised, falseReport, retraction)
      .when({ asOf: '2025-04-21' })
      .thenMatches({ tariffs: [{ total: 125 }] });
    given(raised, falseReport, retraction)
      .when({ asOf: '2025-12-31' })
      .thenMatches({ tariffs: [{ total: 125 }] });
  });

  it('leaves the target in place for a knownAt before the retraction was recorded', () => {
    given(raised, falseReport, retraction)
      .when({ asOf: '2025-12-31', knownAt: '2025-04-22T11:59:59Z' })
      .thenMatches({ revision: 2, tariffs: [{ total: 245 }] });
    given(raised, falseReport, retraction)
      .when({ asOf: '2025-12-31', knownAt: '2025-04-22T12:00:00Z' })
      .thenMatches({ revision: 3, tariffs: [{ total: 125 }] });
  });

  it('removes a retracted party', () => {
    const joined = partyJoined({ occurredAt: '2025-04-01', data: { party: JP } });
    given(joined, developmentRetracted(joined, { occurredAt: '2025-04-05' }))
      .when({ asOf: '2025-04-03' })
      .thenMatches({ parties: [{ code: 'US' }, { code: 'CN' }, { code: 'HK' }] });
  });

  it('removes a retracted response, so the proposal is back to its earlier status', () => {
    const rejected = proposalResponded({
      occurredAt: '2025-05-03',
      data: { response: 'rejected' },
    });
    given(
      proposalMade({ occurredAt: '2025-05-01' }),
      proposalResponded({ occurredAt: '2025-05-02', data: { response: 'under-review' } }),
      rejected,
      developmentRetracted(rejected, { occurredAt: '2025-05-04' }),
    )
      .when({ asOf: '2025-05-31' })
      .thenMatches({ proposals: [{ status: 'under-review', updatedAt: at('2025-05-02') }] });
  });

  it('changes nothing else in the state', () => {
    given(raised, falseReport, retraction)
      .when({ asOf: '2025-12-31' })
      .thenVerify((state) => {
        const withoutFalseReport = timelineOf(raised).stateAt({
          asOf: endOf('2025-12-31'),
          knownAt: null,
        });
        expect({ ...state, revision: 0 }).toEqual({ ...withoutFalseReport, revision: 0 });
      });
  });

  it('counts from the first retraction of a target recorded twice (a stream decide would not write)', () => {
    const again = developmentRetracted(falseReport, {
      occurredAt: '2025-04-25',
      recordedAt: '2025-04-25T12:00:00Z',
    });
    given(raised, falseReport, retraction, again)
      .when({ asOf: '2025-12-31', knownAt: '2025-04-23' })
      .thenMatches({ tariffs: [{ total: 125 }] });
  });
});

describe('determinism', () => {
  const history: Draft[] = [
    tariffChanged({ occurredAt: '2025-03-04', data: { measure: 'fentanyl-ieepa', rate: 20 } }),
    tariffChanged({ occurredAt: '2025-04-09', data: { rate: 125, effectiveAt: '2025-04-10' } }),
    tradeMeasureChanged({ occurredAt: '2025-04-02', data: { effectiveAt: '2025-05-02' } }),
    talksHeld({ occurredAt: '2025-04-15', data: { outcome: 'no-result' } }),
    talksScheduled({ occurredAt: '2025-05-06', data: { scheduledFor: '2025-05-10' } }),
    proposalMade({ occurredAt: '2025-05-01' }),
    proposalResponded({ occurredAt: '2025-05-02' }),
    proposalMade({
      occurredAt: '2025-05-01T06:00:00Z',
      data: { proposalId: 'wang-visit', by: 'CN', to: ['US'] },
    }),
    statementMade({ occurredAt: '2025-04-30', data: { party: 'US', stance: 'conciliatory' } }),
    statementMade({
      occurredAt: '2025-05-02T08:00:00Z',
      data: { party: 'CN', speaker: 'MOFCOM', stance: 'hardline' },
    }),
    demandMade({ occurredAt: '2025-02-01T12:00:00Z' }),
    partyJoined({ occurredAt: '2025-03-01', data: { party: JP } }),
  ];

  it('gives deep-equal answers to the same question asked twice', () => {
    const timeline = timelineOf(...history);
    const perspective = { asOf: endOf('2025-05-07'), knownAt: null };
    expect(timeline.stateAt(perspective)).toEqual(timeline.stateAt(perspective));
  });

  it('answers what no caller can change: changing one answer fails or leaves the next alone', () => {
    const timeline = timelineOf(...history);
    const perspective = { asOf: endOf('2025-05-07'), knownAt: null };
    const first = timeline.stateAt(perspective);
    expect(() => Object.assign(first.tariffs[0]!.measures[0]!, { rate: 999 })).toThrow(TypeError);
    expect(() => (first.proposals[0]!.to as string[]).push('HK')).toThrow(TypeError);
    (first.stances as unknown[]).pop();
    (first.proposals as unknown[]).pop();
    expect(() => (first.tariffs[0]!.measures as unknown[]).pop()).toThrow(TypeError);
    (first.tariffs as unknown[]).pop();
    expect(timeline.stateAt(perspective)).not.toEqual(first);
    expect(timeline.stateAt(perspective)).toEqual(timelineOf(...history).stateAt(perspective));
  });

  it('gives the same state whatever order developments of distinct occurredAt were recorded in', () => {
    const asOf = fc
      .constantFrom('2025-03-01', '2025-04-09', '2025-04-15', '2025-05-02', '2025-05-07')
      .map(endOf);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(history, { minLength: history.length }),
        asOf,
        (shuffled, at) => {
          const perspective = { asOf: at, knownAt: null };
          expect(timelineOf(...shuffled).stateAt(perspective)).toEqual(
            timelineOf(...history).stateAt(perspective),
          );
        },
      ),
    );
  });
});

describe('append', () => {
  const stream = recorded(statementMade(), talksHeld(), talksStatusChanged());

  it('holds the stream in revision order', () => {
    const timeline = new NegotiationTimeline(NEGOTIATION);
    expect(timeline.isEmpty).toBe(true);
    expect(timeline.revision).toBe(-1);
    expect(timeline.append(stream)).toBe(true);
    expect(timeline.isEmpty).toBe(false);
    expect(timeline.revision).toBe(3);
    expect(timeline.eventById(stream[2]!.eventId)).toBe(stream[2]);
    expect(timeline.eventById('unknown')).toBeUndefined();
  });

  it('ignores developments it already holds, so a write seen twice is applied once', () => {
    const timeline = new NegotiationTimeline(NEGOTIATION);
    timeline.append(stream.slice(0, 3));
    expect(timeline.append(stream)).toBe(true);
    expect(timeline.revision).toBe(3);
    expect(timeline.list({ knownAt: null, includeRetracted: true, limit: 100 }).items).toHaveLength(
      4,
    );
  });

  it('refuses a gap, so the caller reads the missing revisions first', () => {
    const timeline = new NegotiationTimeline(NEGOTIATION);
    timeline.append(stream.slice(0, 2));
    expect(timeline.append(stream.slice(3))).toBe(false);
    expect(timeline.revision).toBe(1);
  });
});

describe('list', () => {
  const opened = negotiationOpened({
    occurredAt: '2025-02-01',
    recordedAt: '2025-02-01T09:00:00Z',
  });
  const demand = demandMade({ occurredAt: '2025-02-01', recordedAt: '2025-02-01T10:00:00Z' });
  const tariff = tariffChanged({
    occurredAt: '2025-04-09',
    data: { appliedTo: 'HK' },
    recordedAt: '2025-04-09T12:00:00Z',
  });
  const joined = partyJoined({
    occurredAt: '2025-04-20',
    data: { party: JP },
    recordedAt: '2025-04-20T12:00:00Z',
  });
  const statement = statementMade({
    occurredAt: '2025-04-30',
    data: { party: 'CN' },
    recordedAt: '2025-04-30T12:00:00Z',
  });
  const lateTalks = talksHeld({ occurredAt: '2025-04-15', recordedAt: '2025-05-01T12:00:00Z' });
  const retraction = developmentRetracted(statement, {
    occurredAt: '2025-05-02',
    recordedAt: '2025-05-02T12:00:00Z',
  });
  const timeline = timelineOf(opened, demand, tariff, joined, statement, lateTalks, retraction);

  const ids = (filter: Partial<DevelopmentFilter>) =>
    timeline
      .list({ knownAt: null, includeRetracted: false, limit: 100, ...filter })
      .items.map((item) => item.development.eventId);

  it('lists developments in (occurredAt, revision) order, NegotiationOpened included, retracted ones left out', () => {
    expect(ids({})).toEqual(
      [opened, demand, tariff, lateTalks, joined, retraction].map((d) => d.eventId),
    );
  });

  it('includes retracted ones on request, marked retracted', () => {
    const items = timeline.list({ knownAt: null, includeRetracted: true, limit: 100 }).items;
    expect(items.map((i) => [i.development.eventId, i.retracted])).toEqual([
      [opened.eventId, false],
      [demand.eventId, false],
      [tariff.eventId, false],
      [lateTalks.eventId, false],
      [joined.eventId, false],
      [statement.eventId, true],
      [retraction.eventId, false],
    ]);
  });

  it('filters on an inclusive occurredAt range', () => {
    expect(ids({ from: at('2025-04-09'), to: endOf('2025-04-20') })).toEqual(
      [tariff, lateTalks, joined].map((d) => d.eventId),
    );
    expect(ids({ from: at('2025-04-09T00:00:00.001Z'), to: at('2025-04-20') })).toEqual(
      [lateTalks, joined].map((d) => d.eventId),
    );
  });

  it('filters on types', () => {
    expect(ids({ types: new Set(['TalksHeld', 'NegotiationOpened']) })).toEqual([
      opened.eventId,
      lateTalks.eventId,
    ]);
  });

  it('filters on a party named, including the party a PartyJoined declares and the founding ones', () => {
    expect(ids({ party: 'HK' })).toEqual([opened.eventId, tariff.eventId]);
    expect(ids({ party: 'JP' })).toEqual([joined.eventId]);
    expect(ids({ party: 'CN', includeRetracted: true })).toEqual(
      [opened, demand, lateTalks, statement].map((d) => d.eventId),
    );
  });

  it('lists what was known at knownAt, with retractions as known then', () => {
    const items = timeline.list({
      knownAt: endOf('2025-04-30'),
      includeRetracted: true,
      limit: 100,
    }).items;
    expect(items.map((i) => [i.development.eventId, i.retracted])).toEqual([
      [opened.eventId, false],
      [demand.eventId, false],
      [tariff.eventId, false],
      [joined.eventId, false],
      [statement.eventId, false],
    ]);
  });

  it('pages: limit, whether more follow, and a cursor after (occurredAt, revision)', () => {
    const first = timeline.list({ knownAt: null, includeRetracted: false, limit: 2 });
    expect(first.items.map((i) => i.development.eventId)).toEqual([opened.eventId, demand.eventId]);
    expect(first.hasMore).toBe(true);
    const last = first.items[1]!.development;
    const second = timeline.list({
      knownAt: null,
      includeRetracted: false,
      limit: 4,
      after: { occurredAt: last.occurredAt, revision: last.revision },
    });
    expect(second.items.map((i) => i.development.eventId)).toEqual(
      [tariff, lateTalks, joined, retraction].map((d) => d.eventId),
    );
    expect(second.hasMore).toBe(false);
  });

  it('says no more follow when the only ones left are filtered out', () => {
    const page = timeline.list({ knownAt: null, includeRetracted: false, limit: 5 });
    expect(page.items).toHaveLength(5);
    expect(page.hasMore).toBe(true);
    const page2 = timeline.list({
      knownAt: null,
      includeRetracted: false,
      limit: 1,
      types: new Set(['TalksHeld']),
    });
    expect(page2.hasMore).toBe(false);
  });

  it('pages through everything, whatever the page size, without loss or repeat', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.boolean(), (limit, includeRetracted) => {
        const seen: string[] = [];
        let after: DevelopmentFilter['after'];
        for (;;) {
          const page = timeline.list({
            knownAt: null,
            includeRetracted,
            limit,
            ...(after && { after }),
          });
          seen.push(...page.items.map((i) => i.development.eventId));
          const tail = page.items[page.items.length - 1]?.development;
          if (!page.hasMore || !tail) break;
          after = { occurredAt: tail.occurredAt, revision: tail.revision };
        }
        expect(seen).toEqual(ids({ includeRetracted }));
      }),
    );
  });
});

describe('summary', () => {
  it('is undefined for an empty timeline', () => {
    expect(new NegotiationTimeline(NEGOTIATION).summary()).toBeUndefined();
  });

  it('describes the negotiation: parties declared so far, revision, event count and the span of occurredAt', () => {
    const falseJoin = partyJoined({
      occurredAt: '2025-04-02',
      data: { party: { code: 'KR', name: 'Korea' } },
    });
    const timeline = timelineOf(
      negotiationOpened({ occurredAt: '2025-02-01' }),
      partyJoined({ occurredAt: '2025-06-01', data: { party: JP } }),
      falseJoin,
      developmentRetracted(falseJoin, { occurredAt: '2025-04-03' }),
      // a late report dated before the negotiation was opened
      statementMade({ occurredAt: '2025-01-20' }),
    );
    expect(timeline.summary()).toEqual({
      id: NEGOTIATION,
      title: 'US-China trade and fentanyl talks',
      parties: [
        { code: 'US', name: 'United States' },
        { code: 'CN', name: 'China' },
        { code: 'HK', name: 'Hong Kong' },
        { code: 'JP', name: 'Japan' },
      ],
      revision: 4,
      eventCount: 5,
      firstOccurredAt: at('2025-01-20'),
      lastOccurredAt: at('2025-06-01'),
    });
  });

  it('counts NegotiationOpened, so a new negotiation has revision 0 and one event', () => {
    expect(timelineOf(negotiationOpened({ occurredAt: '2025-02-01' })).summary()).toMatchObject({
      revision: 0,
      eventCount: 1,
      firstOccurredAt: at('2025-02-01'),
      lastOccurredAt: at('2025-02-01'),
    });
  });
});
