import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Draft } from '@parley/domain/testing';
import {
  developmentConfirmed,
  developmentDisputed,
  developmentRetracted,
  endOf,
  partyJoined,
  proposalMade,
  statementMade,
  talksHeld,
  tariffChanged,
} from '@parley/domain/testing';
import type { Instant, MinEvidence } from '@parley/domain';
import { withEvidenceStatus } from './evidence';
import { evolve, initialFoldState, viewAt } from './evolve';
import { NEGOTIATION, recorded } from '@parley/domain/testing';
import { timelineOf } from './testing';
import { NegotiationTimeline } from './timeline';

/** Evidence as known at `knownAt` (a date: the end of that day; omitted: everything recorded). */
function evidence(history: readonly Draft[], report: Draft, knownAt?: string) {
  const timeline = timelineOf(...history);
  const known = timeline.revisionKnownAt(knownAt === undefined ? null : endOf(knownAt));
  return timeline.evidenceAt(report.eventId, known);
}

const reuters = { name: 'Reuters', attribution: 'unnamed-sources' } as const;

describe("a report's evidence (contract v1.1, Evidence)", () => {
  describe('with nothing judging it', () => {
    it('is reported, with its originating source', () => {
      const talks = talksHeld({ source: reuters });
      expect(evidence([talks], talks)).toEqual({
        status: 'reported',
        sources: ['Reuters'],
        confirmedBy: [],
        disputedBy: [],
      });
    });

    it('has no source when the report names none', () => {
      const talks = talksHeld();
      expect(evidence([talks], talks)).toEqual({
        status: 'reported',
        sources: [],
        confirmedBy: [],
        disputedBy: [],
      });
    });

    it('counts the outlet the source credits (via), not the one that relayed it', () => {
      const talks = talksHeld({ source: { name: 'CNBC', via: 'Wall Street Journal' } });
      expect(evidence([talks], talks)?.sources).toEqual(['Wall Street Journal']);
    });

    it.each(['official-statement', 'document'] as const)(
      'is confirmed when its own attribution is %s',
      (attribution) => {
        const tariff = tariffChanged({ source: { name: 'Federal Register', attribution } });
        expect(evidence([tariff], tariff)).toMatchObject({
          status: 'confirmed',
          confirmedBy: [],
        });
      },
    );

    it.each(['named-official', 'media-report', 'other'] as const)(
      'is only reported when its attribution is %s',
      (attribution) => {
        const tariff = tariffChanged({ source: { name: 'Reuters', attribution } });
        expect(evidence([tariff], tariff)?.status).toBe('reported');
      },
    );
  });

  describe('confirmed by another outlet', () => {
    it('is corroborated by a second source, listed in order of recording', () => {
      const talks = talksHeld({ source: reuters });
      const bloomberg = developmentConfirmed(talks, { source: { name: 'Bloomberg' } });
      expect(evidence([talks, bloomberg], talks)).toEqual({
        status: 'corroborated',
        sources: ['Reuters', 'Bloomberg'],
        confirmedBy: [],
        disputedBy: [],
      });
    });

    it('is not corroborated by two outlets citing the same source: one source', () => {
      const talks = talksHeld({ source: { name: 'Bloomberg', via: 'Wall Street Journal' } });
      const cnbc = developmentConfirmed(talks, {
        source: { name: 'CNBC', via: 'Wall Street Journal' },
      });
      expect(evidence([talks, cnbc], talks)).toMatchObject({
        status: 'reported',
        sources: ['Wall Street Journal'],
      });
    });

    it('is not corroborated by the same outlet again, however it is spelled', () => {
      const talks = talksHeld({ source: reuters });
      const again = developmentConfirmed(talks, { source: { name: 'REUTERS ' } });
      expect(evidence([talks, again], talks)).toMatchObject({
        status: 'reported',
        sources: ['Reuters'],
      });
    });

    it('is corroborated when a relayed report is confirmed by the outlet it credits: two sources', () => {
      const talks = talksHeld({ source: { name: 'CNBC', via: 'Wall Street Journal' } });
      const reutersToo = developmentConfirmed(talks, { source: reuters });
      expect(evidence([talks, reutersToo], talks)).toMatchObject({
        status: 'corroborated',
        sources: ['Wall Street Journal', 'Reuters'],
      });
    });
  });

  describe('confirmed by a party', () => {
    it('is confirmed, naming the party, and its source (if any) counts as one more', () => {
      const talks = talksHeld({ source: reuters });
      const byUs = developmentConfirmed(talks, {
        source: { name: 'White House', attribution: 'official-statement' },
        data: { by: 'US' },
      });
      expect(evidence([talks, byUs], talks)).toEqual({
        status: 'confirmed',
        sources: ['Reuters', 'White House'],
        confirmedBy: ['US'],
        disputedBy: [],
      });
    });

    it('is confirmed by a party without a source of its own, which adds none', () => {
      const talks = talksHeld({ source: reuters });
      const byCn = developmentConfirmed(talks, { source: undefined, data: { by: 'CN' } });
      expect(evidence([talks, byCn], talks)).toEqual({
        status: 'confirmed',
        sources: ['Reuters'],
        confirmedBy: ['CN'],
        disputedBy: [],
      });
    });
  });

  describe('disputed', () => {
    it('is disputed whatever else supports it: the contract example (Reuters, Bloomberg, then CN)', () => {
      const talks = talksHeld({ source: reuters, data: { level: 'embassy' } });
      const bloomberg = developmentConfirmed(talks, {
        source: { name: 'Bloomberg', attribution: 'unnamed-sources' },
      });
      const byCn = developmentDisputed(talks, {
        source: { name: 'Ministry of Commerce', attribution: 'official-statement' },
        data: { by: 'CN' },
      });
      expect(evidence([talks, bloomberg, byCn], talks)).toEqual({
        status: 'disputed',
        sources: ['Reuters', 'Bloomberg'],
        confirmedBy: [],
        disputedBy: ['CN'],
      });
    });

    it('is disputed over a party confirmation and an official attribution', () => {
      const tariff = tariffChanged({
        source: { name: 'White House', attribution: 'official-statement' },
      });
      const confirmed = developmentConfirmed(tariff, { data: { by: 'US' } });
      const disputed = developmentDisputed(tariff, { data: { by: 'CN' } });
      expect(evidence([tariff, confirmed, disputed], tariff)).toMatchObject({
        status: 'disputed',
        confirmedBy: ['US'],
        disputedBy: ['CN'],
      });
    });

    it('names the originating source of a dispute without a party, and its source is not one of the report', () => {
      const talks = talksHeld({ source: reuters });
      const disputed = developmentDisputed(talks, {
        source: { name: 'Caixin', via: 'Global Times' },
        data: { by: undefined },
      });
      expect(evidence([talks, disputed], talks)).toEqual({
        status: 'disputed',
        sources: ['Reuters'],
        confirmedBy: [],
        disputedBy: ['Global Times'],
      });
    });
  });

  describe('as known at knownAt', () => {
    const talks = talksHeld({
      occurredAt: '2025-04-20',
      source: reuters,
      recordedAt: '2025-04-23',
    });
    const confirmed = developmentConfirmed(talks, {
      occurredAt: '2025-04-24',
      recordedAt: '2025-04-25T10:00:00Z',
    });

    it('counts a confirmation only from its recordedAt on', () => {
      expect(evidence([talks, confirmed], talks, '2025-04-24')?.status).toBe('reported');
      expect(evidence([talks, confirmed], talks, '2025-04-25')?.status).toBe('corroborated');
    });

    it('stops counting a retracted confirmation from the retraction on, not before', () => {
      const retraction = developmentRetracted(confirmed, {
        occurredAt: '2025-04-26',
        recordedAt: '2025-04-27',
      });
      const history = [talks, confirmed, retraction];
      expect(evidence(history, talks, '2025-04-26')).toMatchObject({
        status: 'corroborated',
        sources: ['Reuters', 'Bloomberg'],
      });
      expect(evidence(history, talks, '2025-04-27')).toMatchObject({
        status: 'reported',
        sources: ['Reuters'],
      });
    });

    it('stops counting a retracted dispute from the retraction on', () => {
      const disputed = developmentDisputed(talks, {
        occurredAt: '2025-04-26',
        recordedAt: '2025-04-26',
      });
      const retraction = developmentRetracted(disputed, {
        occurredAt: '2025-04-28',
        recordedAt: '2025-04-28',
      });
      const history = [talks, confirmed, disputed, retraction];
      expect(evidence(history, talks, '2025-04-27')).toMatchObject({
        status: 'disputed',
        disputedBy: ['CN'],
      });
      expect(evidence(history, talks, '2025-04-28')).toMatchObject({
        status: 'corroborated',
        disputedBy: [],
      });
    });

    it('has no evidence for a report not yet recorded at knownAt', () => {
      expect(evidence([talks, confirmed], talks, '2025-04-22')).toBeUndefined();
    });
  });

  it('is given for reports only: not for the opening, a retraction, a confirmation or a dispute', () => {
    const talks = talksHeld({ source: reuters });
    const confirmed = developmentConfirmed(talks);
    const disputed = developmentDisputed(talks);
    const statement = statementMade();
    const retraction = developmentRetracted(statement);
    const timeline = timelineOf(talks, confirmed, disputed, statement, retraction);
    const opening = timeline.at(0)!;
    for (const judge of [opening, confirmed, disputed, retraction]) {
      expect(timeline.evidenceAt(judge.eventId, timeline.revision)).toBeUndefined();
      expect(timeline.evidenceStatusAt(judge.eventId, timeline.revision)).toBeNull();
    }
    // A retracted report still has its evidence (the log lists it with includeRetracted).
    expect(timeline.evidenceAt(statement.eventId, timeline.revision)?.status).toBe('reported');
  });
});

describe('minEvidence: which reports a fold takes', () => {
  const talks = talksHeld({
    occurredAt: '2025-04-20',
    recordedAt: '2025-04-23',
    source: reuters,
    data: { outcome: 'progress' },
  });
  const bloomberg = developmentConfirmed(talks, {
    occurredAt: '2025-04-24',
    recordedAt: '2025-04-24',
  });
  const disputed = developmentDisputed(talks, {
    occurredAt: '2025-04-30',
    recordedAt: '2025-04-30',
  });

  function rounds(history: readonly Draft[], min?: 'corroborated' | 'confirmed', knownAt?: string) {
    return timelineOf(...history).stateAt({
      asOf: endOf('2025-06-01'),
      knownAt: knownAt === undefined ? null : endOf(knownAt),
      ...(min === undefined ? {} : { minEvidence: min }),
    }).talks.rounds;
  }

  it('folds a report only reported without minEvidence, and leaves it out with corroborated', () => {
    expect(rounds([talks])).toBe(1);
    expect(rounds([talks], 'corroborated')).toBe(0);
  });

  it('takes a corroborated report with corroborated but not with confirmed', () => {
    expect(rounds([talks, bloomberg], 'corroborated')).toBe(1);
    expect(rounds([talks, bloomberg], 'confirmed')).toBe(0);
  });

  it('takes a report confirmed by a party at both levels', () => {
    const byUs = developmentConfirmed(talks, { source: undefined, data: { by: 'US' } });
    expect(rounds([talks, byUs], 'corroborated')).toBe(1);
    expect(rounds([talks, byUs], 'confirmed')).toBe(1);
  });

  it('puts a disputed report below every level, though the fold without minEvidence keeps it', () => {
    expect(rounds([talks, bloomberg, disputed])).toBe(1);
    expect(rounds([talks, bloomberg, disputed], 'corroborated')).toBe(0);
  });

  it('judges by the evidence as known at knownAt, at every asOf (even before the confirmation occurred)', () => {
    const history = [talks, bloomberg, disputed];
    expect(rounds(history, 'corroborated', '2025-04-23')).toBe(0);
    expect(rounds(history, 'corroborated', '2025-04-24')).toBe(1);
    expect(rounds(history, 'corroborated', '2025-04-30')).toBe(0);
    const state = timelineOf(...history).stateAt({
      asOf: endOf('2025-04-21'),
      knownAt: endOf('2025-04-25'),
      minEvidence: 'corroborated',
    });
    expect(state.talks.rounds).toBe(1);
  });

  it('takes a report again once the dispute against it is retracted', () => {
    const retraction = developmentRetracted(disputed, { occurredAt: '2025-05-02' });
    expect(rounds([talks, bloomberg, disputed, retraction], 'corroborated')).toBe(1);
  });

  it('always takes the opening and PartyJoined, and still applies retractions', () => {
    const joined = partyJoined({
      occurredAt: '2025-04-02',
      source: reuters,
      data: { party: { code: 'JP', name: 'Japan' } },
    });
    const proposal = proposalMade({
      occurredAt: '2025-04-03',
      source: { name: 'Kyodo', attribution: 'document' },
      data: { proposalId: 'jp-talks', by: 'JP', to: ['US'] },
    });
    const confirmedTariff = tariffChanged({
      occurredAt: '2025-04-04',
      source: { name: 'White House', attribution: 'official-statement' },
      data: { rate: 20, measure: 'fentanyl-ieepa', effectiveAt: '2025-04-04' },
    });
    const retraction = developmentRetracted(confirmedTariff, { occurredAt: '2025-04-05' });
    const state = timelineOf(joined, proposal, confirmedTariff, retraction).stateAt({
      asOf: endOf('2025-06-01'),
      knownAt: null,
      minEvidence: 'confirmed',
    });
    expect(state.title).not.toBe('');
    expect(state.parties.map((p) => p.code)).toEqual(['US', 'CN', 'HK', 'JP']);
    expect(state.proposals.map((p) => p.proposalId)).toEqual(['jp-talks']);
    expect(state.tariffs).toEqual([]);
  });

  it('lists only the developments such a fold takes', () => {
    const timeline = timelineOf(talks, bloomberg);
    const listed = (minEvidence?: 'corroborated' | 'confirmed') =>
      timeline
        .list({
          knownAt: null,
          includeRetracted: false,
          limit: 100,
          ...(minEvidence ? { minEvidence } : {}),
        })
        .items.map((item) => item.development.type);
    expect(listed()).toEqual(['NegotiationOpened', 'TalksHeld', 'DevelopmentConfirmed']);
    expect(listed('corroborated')).toEqual([
      'NegotiationOpened',
      'TalksHeld',
      'DevelopmentConfirmed',
    ]);
    expect(listed('confirmed')).toEqual(['NegotiationOpened', 'DevelopmentConfirmed']);
  });

  it('gives the same answers without minEvidence as the snapshot fold, before and after one is asked', () => {
    const history = [talks, bloomberg, disputed];
    const timeline = timelineOf(...history);
    const perspective = { asOf: endOf('2025-06-01'), knownAt: null };
    const before = timeline.stateAt(perspective);
    timeline.stateAt({ ...perspective, minEvidence: 'corroborated' });
    expect(timeline.stateAt(perspective)).toEqual(before);
    expect(before.talks.rounds).toBe(1);
  });
});

describe('minEvidence answers as known now come from snapshots of their own', () => {
  const levels = ['corroborated', 'confirmed'] as const;
  const official = { name: 'MOFCOM', attribution: 'official-statement' } as const;
  const tariff = (
    occurredAt: string,
    measure: string,
    rate: number,
    source: { name: string; attribution: 'official-statement' | 'unnamed-sources' } = reuters,
  ) => tariffChanged({ occurredAt, source, data: { measure, rate, effectiveAt: occurredAt } });
  const a = tariff('2025-04-02', 'reciprocal', 34);
  const b = tariff('2025-04-09', 'reciprocal', 125);
  const c = tariff('2025-04-04', 'fentanyl-ieepa', 20, official);
  const talks = talksHeld({
    occurredAt: '2025-04-15',
    source: reuters,
    data: { outcome: 'progress' },
  });
  const statement = statementMade({ occurredAt: '2025-04-16', source: reuters });
  const confirmA = developmentConfirmed(a, { occurredAt: '2025-04-10' });
  const disputeB = developmentDisputed(b, { occurredAt: '2025-04-11' });
  const byUsTalks = developmentConfirmed(talks, { occurredAt: '2025-04-17', data: { by: 'US' } });
  // A late report, recorded after later-dated ones, lands inside history.
  const late = tariff('2025-04-03', 'section-301', 25);
  const confirmLate = developmentConfirmed(late, {
    occurredAt: '2025-04-18',
    source: { name: 'AP' },
  });
  const unconfirmA = developmentRetracted(confirmA, { occurredAt: '2025-04-19' });
  const undisputeB = developmentRetracted(disputeB, { occurredAt: '2025-04-20' });
  const retractTalks = developmentRetracted(talks, { occurredAt: '2025-04-21' });
  const confirmB = developmentConfirmed(b, { occurredAt: '2025-04-22', data: { by: 'US' } });
  const drafts = [a, b, c, talks, statement, confirmA, disputeB, byUsTalks, late, confirmLate];
  const stream = recorded(...drafts, unconfirmA, undisputeB, retractTalks, confirmB);
  const asOfs = ['2025-04-03', '2025-04-09', '2025-04-16', '2025-05-01'].map((d) => endOf(d));

  /** The fold of the developments a minEvidence answer as known at revision `known` takes, from the opening. */
  function reference(
    timeline: NegotiationTimeline,
    asOf: Instant,
    known: number,
    min: MinEvidence,
  ) {
    const selected = stream
      .slice(1, known + 1)
      .filter((d) => d.occurredAt <= asOf && timeline.isSelected(d, known, min))
      .sort((x, y) =>
        x.occurredAt < y.occurredAt
          ? -1
          : x.occurredAt > y.occurredAt
            ? 1
            : x.revision - y.revision,
      );
    let state = evolve(initialFoldState(NEGOTIATION), stream[0]!);
    for (const development of selected) state = evolve(state, development);
    return viewAt(state, asOf, null, known);
  }

  it('agrees with the fold of the selected developments after each development, judgements and late reports included', () => {
    const timeline = new NegotiationTimeline(NEGOTIATION, { snapshotEvery: 1 });
    let compared = 0;
    for (const development of stream) {
      expect(timeline.append([development])).toBe(true);
      for (const min of levels) {
        for (const asOf of asOfs) {
          const known = timeline.revision;
          const expected = reference(timeline, asOf, known, min);
          // The tariffs alone (GET …/tariffs), from the same snapshots, asked first.
          expect(timeline.tariffsAt({ asOf, knownAt: null, minEvidence: min })).toEqual(
            expected.tariffs,
          );
          expect(timeline.stateAt({ asOf, knownAt: null, minEvidence: min })).toEqual(expected);
          // And as known one development earlier: the fold without snapshots.
          if (known > 0) {
            const earlier = timeline.at(known - 1)!.recordedAt;
            const answer = timeline.stateAt({ asOf, knownAt: earlier, minEvidence: min });
            expect({ ...answer, knownAt: null }).toEqual(reference(timeline, asOf, known - 1, min));
            expect(timeline.tariffsAt({ asOf, knownAt: earlier, minEvidence: min })).toEqual(
              answer.tariffs,
            );
          }
          compared++;
        }
      }
    }
    expect(compared).toBe(stream.length * levels.length * asOfs.length);
    // The last answer is not trivial: b confirmed by the US, c official, the talks retracted.
    const last = timeline.stateAt({
      asOf: endOf('2025-05-01'),
      knownAt: null,
      minEvidence: 'confirmed',
    });
    expect(last.tariffs[0]!.measures.map((m) => [m.measure, m.rate])).toEqual([
      ['fentanyl-ieepa', 20],
      ['reciprocal', 125],
    ]);
    expect(last.talks.rounds).toBe(0);
  });
});

describe('minEvidence answers, for random streams of reports, judgements and retractions', () => {
  type Step =
    | {
        kind: 'report';
        day: number;
        source: number;
        official: boolean;
        rate: number;
        talks: boolean;
      }
    | { kind: 'confirm' | 'dispute' | 'retract'; target: number; party: boolean; source: number };
  const SOURCES = ['Reuters', 'Bloomberg', 'reuters', 'AP'] as const;
  const aStep: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant('report' as const),
      day: fc.integer({ min: 1, max: 28 }),
      source: fc.integer({ min: 0, max: 3 }),
      official: fc.boolean(),
      rate: fc.integer({ min: 0, max: 50 }),
      talks: fc.boolean(),
    }),
    fc.record({
      kind: fc.constantFrom('confirm' as const, 'dispute' as const, 'retract' as const),
      target: fc.nat(),
      party: fc.boolean(),
      source: fc.integer({ min: 0, max: 3 }),
    }),
  );

  /** The drafts of the steps: judgements and retractions name an earlier development, any kind. */
  function draftsOf(steps: readonly Step[]): Draft[] {
    const drafts: Draft[] = [];
    for (const step of steps) {
      if (step.kind === 'report') {
        const occurredAt = `2025-04-${String(step.day).padStart(2, '0')}`;
        const source = {
          name: SOURCES[step.source]!,
          attribution: step.official
            ? ('official-statement' as const)
            : ('unnamed-sources' as const),
        };
        drafts.push(
          step.talks
            ? talksHeld({ occurredAt, source, data: { outcome: 'progress' } })
            : tariffChanged({
                occurredAt,
                source,
                data: { measure: `m${step.rate % 3}`, rate: step.rate, effectiveAt: occurredAt },
              }),
        );
        continue;
      }
      if (drafts.length === 0) continue;
      const target = drafts[step.target % drafts.length]!;
      const o = {
        occurredAt: '2025-04-15',
        source: { name: SOURCES[step.source]! },
        data: step.party ? { by: 'US' } : { by: undefined },
      };
      drafts.push(
        step.kind === 'confirm'
          ? developmentConfirmed(target, o)
          : step.kind === 'dispute'
            ? developmentDisputed(target, o)
            : developmentRetracted(target, { occurredAt: '2025-04-15' }),
      );
    }
    return drafts;
  }

  it('equal a fold of the selected developments, as known now and at every earlier revision, appended one by one', () => {
    fc.assert(
      fc.property(
        fc.array(aStep, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 3 }),
        (steps, days) => {
          const stream = recorded(...draftsOf(steps));
          const timeline = new NegotiationTimeline(NEGOTIATION, { snapshotEvery: 2 });
          const reference = (asOf: Instant, known: number, min: MinEvidence) => {
            const selected = stream
              .slice(1, known + 1)
              .filter((d) => d.occurredAt <= asOf && timeline.isSelected(d, known, min))
              .sort((x, y) =>
                x.occurredAt < y.occurredAt
                  ? -1
                  : x.occurredAt > y.occurredAt
                    ? 1
                    : x.revision - y.revision,
              );
            let state = evolve(initialFoldState(NEGOTIATION), stream[0]!);
            for (const development of selected) state = evolve(state, development);
            return viewAt(state, asOf, null, known);
          };
          for (const development of stream) {
            timeline.append([development]);
            const known = timeline.revision;
            for (const day of days) {
              const asOf = endOf(
                day === 0 ? '2025-03-31' : `2025-04-${String(Math.min(day, 30)).padStart(2, '0')}`,
              );
              for (const min of ['corroborated', 'confirmed'] as const) {
                expect(timeline.stateAt({ asOf, knownAt: null, minEvidence: min })).toEqual(
                  reference(asOf, known, min),
                );
                const earlier = Math.max(0, known - 1 - (day % 3));
                const knownAt = timeline.at(earlier)!.recordedAt;
                if (timeline.revisionKnownAt(knownAt) !== earlier) continue;
                expect({
                  ...timeline.stateAt({ asOf, knownAt, minEvidence: min }),
                  knownAt: null,
                }).toEqual(reference(asOf, earlier, min));
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decorate shared items (withEvidenceStatusAt) as a fresh decoration would, as judgements and retractions land', () => {
    let shared = 0;
    fc.assert(
      fc.property(
        fc.array(aStep, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 4 }),
        (steps, days, batch) => {
          const stream = recorded(...draftsOf(steps));
          const timeline = new NegotiationTimeline(NEGOTIATION, { snapshotEvery: 2 });
          const fresh = <T>(value: T, known: number): T =>
            withEvidenceStatus(value, (id) => timeline.evidenceStatusAt(id, known));
          // Developments land a few at a time; after each landing every answer is asked again
          // (as known now, as known earlier, with and without minEvidence), so copies made
          // before a judgement or a retraction are asked for after it.
          for (let i = 0; i < stream.length; i += batch) {
            timeline.append(stream.slice(i, i + batch));
            for (const day of days) {
              const asOf = endOf(
                `2025-04-${String(Math.min(Math.max(day, 1), 30)).padStart(2, '0')}`,
              );
              for (const back of [0, 1, 3]) {
                const known = Math.max(0, timeline.revision - back);
                const knownAt = back === 0 ? null : timeline.at(known)!.recordedAt;
                if (timeline.revisionKnownAt(knownAt) !== known) continue;
                for (const minEvidence of [undefined, 'corroborated'] as const) {
                  const perspective = { asOf, knownAt, ...(minEvidence ? { minEvidence } : {}) };
                  const tariffs = timeline.tariffsAt(perspective);
                  const answer = timeline.withEvidenceStatusAt(tariffs, known);
                  expect(answer).toEqual(fresh(tariffs, known));
                  const again = timeline.withEvidenceStatusAt(
                    timeline.tariffsAt(perspective),
                    known,
                  );
                  expect(again).toEqual(answer);
                  if (again[0]?.measures[0] && again[0].measures[0] === answer[0]?.measures[0])
                    shared++;
                  const state = timeline.stateAt(perspective);
                  expect(timeline.withEvidenceStatusAt(state.tariffs, known)).toEqual(
                    fresh(state.tariffs, known),
                  );
                }
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
    // The copies are shared between answers, not made again each time.
    expect(shared).toBeGreaterThan(100);
  });
});

describe('evidenceStatus on state items (withEvidenceStatus)', () => {
  const statusOf = (eventId: string) => (eventId === 'a' ? 'confirmed' : 'reported');

  it('adds evidenceStatus to every item with an eventId, in any list, without touching the original', () => {
    const pair = Object.freeze({
      imposedBy: 'US',
      appliedTo: 'CN',
      total: 20,
      measures: Object.freeze([Object.freeze({ measure: 'x', eventId: 'a' })]),
      scheduled: Object.freeze([]),
      threatened: Object.freeze([Object.freeze({ measure: 'y', eventId: 'b', at: 't' })]),
      someFutureList: Object.freeze([Object.freeze({ eventId: 'a' })]),
    });
    const item = Object.freeze({
      measure: 'm',
      eventId: null,
      scheduled: Object.freeze([Object.freeze({ action: 'imposed', eventId: 'b' })]),
    });
    const shown = withEvidenceStatus({ tariffs: [pair], tradeMeasures: [item] }, statusOf);
    expect(shown).toEqual({
      tariffs: [
        {
          ...pair,
          measures: [{ measure: 'x', eventId: 'a', evidenceStatus: 'confirmed' }],
          threatened: [{ measure: 'y', eventId: 'b', at: 't', evidenceStatus: 'reported' }],
          someFutureList: [{ eventId: 'a', evidenceStatus: 'confirmed' }],
        },
      ],
      tradeMeasures: [
        {
          measure: 'm',
          eventId: null,
          evidenceStatus: null,
          scheduled: [{ action: 'imposed', eventId: 'b', evidenceStatus: 'reported' }],
        },
      ],
    });
    expect(pair.measures[0]).toEqual({ measure: 'x', eventId: 'a' });
    // Lists with nothing to add are shared, not copied.
    expect(shown.tariffs[0]!.scheduled).toBe(pair.scheduled);
  });

  it('reaches items held in an object field too, as /changes holds a line before and after', () => {
    const change = Object.freeze({
      measure: 'reciprocal',
      before: null,
      after: Object.freeze({ rate: 125, eventId: 'a' }),
    });
    expect(withEvidenceStatus({ lines: [change] }, statusOf)).toEqual({
      lines: [
        {
          measure: 'reciprocal',
          before: null,
          after: { rate: 125, eventId: 'a', evidenceStatus: 'confirmed' },
        },
      ],
    });
    expect(change.after).toEqual({ rate: 125, eventId: 'a' });
  });

  it('shares the decoration of a frozen object (a pair, a list) only when all it holds is frozen too: one holding a list that still changes is decorated afresh', () => {
    const shared = new WeakMap<object, object>();
    const x = Object.freeze({ measure: 'x', eventId: 'a' });
    const y = Object.freeze({ measure: 'y', eventId: 'b' });
    const growing: { measure: string; eventId: string }[] = [x];
    const pair = Object.freeze({ imposedBy: 'US', measures: growing });
    expect(withEvidenceStatus([pair], statusOf, shared)[0]!.measures).toEqual([
      { ...x, evidenceStatus: 'confirmed' },
    ]);
    growing.push(y);
    expect(withEvidenceStatus([pair], statusOf, shared)[0]!.measures).toEqual([
      { ...x, evidenceStatus: 'confirmed' },
      { ...y, evidenceStatus: 'reported' },
    ]);
    // Frozen throughout: decorated once, and the same frozen copy given to every later answer.
    const fixed = Object.freeze({ imposedBy: 'US', measures: Object.freeze([x, y]) });
    const first = withEvidenceStatus([fixed], statusOf, shared)[0]!;
    expect(first).toEqual({
      imposedBy: 'US',
      measures: [
        { ...x, evidenceStatus: 'confirmed' },
        { ...y, evidenceStatus: 'reported' },
      ],
    });
    expect(Object.isFrozen(first) && Object.isFrozen(first.measures)).toBe(true);
    expect(withEvidenceStatus([fixed], statusOf, shared)[0]).toBe(first);
  });

  it('gives each state item the status of the report behind it, as known at the answer', () => {
    const tariff = tariffChanged({
      occurredAt: '2025-04-09',
      source: reuters,
      data: { effectiveAt: '2025-04-10', rate: 125 },
    });
    const confirmed = developmentConfirmed(tariff, { source: undefined, data: { by: 'US' } });
    const timeline = timelineOf(tariff, confirmed);
    const state = timeline.stateAt({ asOf: endOf('2025-04-12'), knownAt: null });
    const known = timeline.revision;
    const shown = withEvidenceStatus(state.tariffs, (id) => timeline.evidenceStatusAt(id, known));
    expect(shown[0]!.measures[0]).toMatchObject({
      eventId: tariff.eventId,
      evidenceStatus: 'confirmed',
    });
    expect(
      withEvidenceStatus(state.tariffs, (id) => timeline.evidenceStatusAt(id, known - 1))[0]!
        .measures[0],
    ).toMatchObject({ evidenceStatus: 'reported' });
  });
});
