import type { DevelopmentType, Instant, RecordedDevelopment } from '@parley/domain';
import { DecisionModel, toInstant } from '@parley/domain';
import fc from 'fast-check';
import type { FoldState } from './evolve';
import { evolve, initialFoldState, viewAt } from './evolve';
import type { NegotiationState, TariffPair } from './negotiation-state';
import { entriesOf } from './slices/layered-map';
import { tariffs, tariffsAsDecided } from './slices/tariffs';
import { generateNegotiation } from './testing/negotiation-generator';
import type { Perspective } from './timeline';
import { NegotiationTimeline } from './timeline';

/**
 * Snapshots must never change an answer: whatever the history (late reports, retractions, odd
 * streams a store may hold), the order it was appended in and the questions asked in between,
 * every answer equals the one a full fold of the selected developments gives.
 */

/** The contract's selection, folded from scratch: the reference the timeline must agree with. */
function referenceFold(
  stream: readonly RecordedDevelopment[],
  { asOf, knownAt }: Perspective,
): { state: FoldState; known: number } {
  let known = -1;
  for (const d of stream) if (knownAt === null || d.recordedAt <= knownAt) known = d.revision;
  const state = initialFoldState('n');
  if (known < 0) return { state, known };
  const retractedAt = new Map<string, number>();
  for (const d of stream) {
    if (d.type === 'DevelopmentRetracted' && !retractedAt.has(d.data.targetEventId))
      retractedAt.set(d.data.targetEventId, d.revision);
  }
  evolve(state, stream[0]!);
  const selected = stream
    .slice(1, known + 1)
    .filter((d) => d.occurredAt <= asOf && !((retractedAt.get(d.eventId) ?? Infinity) <= known))
    .sort((a, b) =>
      a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.revision - b.revision,
    );
  for (const d of selected) evolve(state, d);
  return { state, known };
}

/** The tariffs as finally decided (effectiveOn): every selected development known, whatever its occurredAt, shown at `asOf`. */
function referenceDecided(
  stream: readonly RecordedDevelopment[],
  { asOf, knownAt }: Perspective,
): readonly TariffPair[] {
  const everything = referenceFold(stream, { asOf: iso(8.64e15), knownAt });
  const decided = tariffsAsDecided();
  const retractedAt = new Map<string, number>();
  for (const d of stream)
    if (d.type === 'DevelopmentRetracted' && !retractedAt.has(d.data.targetEventId))
      retractedAt.set(d.data.targetEventId, d.revision);
  const selected = stream
    .slice(1, everything.known + 1)
    .filter((d) => !((retractedAt.get(d.eventId) ?? Infinity) <= everything.known))
    .sort((a, b) =>
      a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.revision - b.revision,
    );
  for (const d of selected)
    if (d.type === 'TariffChanged' || d.type === 'TariffScopeChanged') tariffs.evolve(decided, d);
  return tariffs.show(decided, asOf);
}

function referenceState(
  stream: readonly RecordedDevelopment[],
  perspective: Perspective,
): NegotiationState {
  const { state, known } = referenceFold(stream, perspective);
  return viewAt(state, perspective.asOf, perspective.knownAt, known);
}

/** What the decision model's situation must say, from the read side's reference fold, as plain values. */
function referenceSituation(stream: readonly RecordedDevelopment[], occurredAt: Instant) {
  const { state } = referenceFold(stream, { asOf: occurredAt, knownAt: null });
  const retracted = new Set<string>();
  for (const d of stream)
    if (d.type === 'DevelopmentRetracted') retracted.add(d.data.targetEventId);
  return {
    partiesDeclared: [...state.parties.keys()].sort(),
    proposalsAsOf: [...state.proposals.inOrder]
      .map((p) => [p.proposalId, { by: p.by, to: p.to, status: p.status }])
      .sort(),
    openDemandsAsOf: [...entriesOf(state.demands.byKey)]
      .filter(([, d]) => d.status === 'open')
      .map(([k]) => k)
      .sort(),
    proposalIdsInUse: [
      ...new Set(
        stream
          .filter((d) => d.type === 'ProposalMade' && !retracted.has(d.eventId))
          .map((d) => (d.type === 'ProposalMade' ? d.data.proposalId : '')),
      ),
    ].sort(),
    recordedEvents: stream
      .map((d) => [d.eventId, { type: d.type, retracted: retracted.has(d.eventId) }])
      .sort(),
  };
}

/** The decision model's situation, asked about every key the stream names, as plain values. */
function situationOf(
  model: DecisionModel,
  stream: readonly RecordedDevelopment[],
  occurredAt: Instant,
) {
  const s = model.situationAt(occurredAt);
  const parties = new Set<string>();
  const proposals = new Set<string>();
  const demands = new Map<string, [string, string, string]>();
  for (const d of stream) {
    if (d.type === 'NegotiationOpened') for (const p of d.data.parties) parties.add(p.code);
    if (d.type === 'PartyJoined') parties.add(d.data.party.code);
    if (d.type === 'ProposalMade' || d.type === 'ProposalResponded')
      proposals.add(d.data.proposalId);
    if (d.type === 'DemandMade' || d.type === 'DemandResolved') {
      const { by, of, issue } = d.data;
      demands.set(`${by}\u0000${of}\u0000${issue}`, [by, of, issue]);
    }
  }
  return {
    partiesDeclared: [...parties].filter((code) => s.isDeclared(code)).sort(),
    proposalsAsOf: [...proposals]
      .flatMap((id) => {
        const facts = s.proposalAsOf(id);
        return facts ? [[id, facts]] : [];
      })
      .sort(),
    openDemandsAsOf: [...demands]
      .filter(([, [by, of, issue]]) => s.isDemandOpen(by, of, issue))
      .map(([key]) => key)
      .sort(),
    proposalIdsInUse: [...proposals].filter((id) => s.isProposalIdInUse(id)).sort(),
    recordedEvents: stream.map((d) => [d.eventId, s.recordedEvent(d.eventId)]).sort(),
  };
}

// ---- Odd streams: every type, many ties, retractions of anything (unknown, later, retractions) ----

const DAY = 86_400_000;
const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const iso = (ms: number): Instant => toInstant(ms);
const PARTIES = ['US', 'CN', 'EU'] as const;

interface Step {
  type: Exclude<DevelopmentType, 'NegotiationOpened'>;
  /** Half-days after T0: few distinct instants, so many developments share one. */
  at: number;
  /** Hours after the previous recording (0: the same recordedAt). */
  recordedAfter: number;
  a: number;
  b: number;
  c: number;
  /** What kind of act, where the type allows one (0, 1: occurred; 2: threatened; 3: considered). */
  m: number;
}

const TYPES: Step['type'][] = [
  'PartyJoined',
  'TariffChanged',
  'TariffChanged',
  'TariffScopeChanged',
  'TradeMeasureChanged',
  'ProposalMade',
  'ProposalResponded',
  'TalksScheduled',
  'TalksHeld',
  'TalksStatusChanged',
  'StatementMade',
  'DemandMade',
  'DemandResolved',
  'AgreementReached',
  'DevelopmentRetracted',
  'DevelopmentConfirmed',
  'DevelopmentDisputed',
  'DevelopmentUnreadable',
];

const aStep: fc.Arbitrary<Step> = fc.record({
  type: fc.constantFrom(...TYPES),
  at: fc.integer({ min: -4, max: 40 }),
  recordedAfter: fc.constantFrom(0, 1, 1, 5),
  a: fc.nat({ max: 5 }),
  b: fc.nat({ max: 5 }),
  c: fc.integer({ min: -6, max: 10 }),
  m: fc.nat({ max: 3 }),
});

/** The envelope's modality for a step: threatened and considered where the type allows them. */
function modalityOf(step: Step): { modality?: 'threatened' | 'considered' } {
  if (step.type === 'TariffChanged' || step.type === 'TradeMeasureChanged') {
    if (step.m === 2) return { modality: 'threatened' };
    if (step.m === 3) return { modality: 'considered' };
  }
  if (step.type === 'ProposalMade' && step.m >= 2) return { modality: 'considered' };
  return {};
}

/** A considered change may leave effectiveAt out: half of them do. */
const withoutEffectiveAt = (step: Step): boolean =>
  modalityOf(step).modality === 'considered' && step.c % 2 === 0;

function oddStream(steps: readonly Step[]): RecordedDevelopment[] {
  const ids = steps.map(
    (_, i) => `00000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`,
  );
  let recorded = T0 - 10 * DAY;
  const stream: RecordedDevelopment[] = [
    {
      type: 'NegotiationOpened',
      eventId: '00000000-0000-4000-8000-000000000000',
      occurredAt: iso(T0),
      data: {
        title: 'odd',
        parties: [
          { code: 'US', name: 'United States' },
          { code: 'CN', name: 'China' },
        ],
      },
      negotiationId: 'n',
      revision: 0,
      recordedAt: iso(recorded),
    },
  ];
  steps.forEach((step, i) => {
    recorded += step.recordedAfter * 3_600_000;
    const occurredAt = iso(T0 + (step.at * DAY) / 2);
    const p = (k: number) => PARTIES[k % PARTIES.length]!;
    // A threat or an option is listed until its date: give it one after its announcement, mostly.
    const effectiveAt = iso(
      T0 + ((step.at + (modalityOf(step).modality ? Math.abs(step.c) * 2 - 2 : step.c)) * DAY) / 2,
    );
    const dataOf = (): Record<string, unknown> => {
      switch (step.type) {
        case 'PartyJoined':
          return { party: { code: p(step.a), name: `party ${step.b}` } };
        case 'TariffChanged':
          return {
            imposedBy: p(step.a),
            appliedTo: p(step.a + 1 + (step.b % 2)),
            measure: `m${step.b % 2}`,
            rate: [0, 10, 25, 125][step.b % 4],
            ...(withoutEffectiveAt(step) ? {} : { effectiveAt }),
            coverage: step.c % 2 ? 'selected-goods' : 'all-goods',
            // Temporary rates (a reversion to void or not), goods and lines displaced.
            ...(step.a % 3 === 0 && !withoutEffectiveAt(step)
              ? {
                  until: iso(Date.parse(effectiveAt) + (step.b + 1) * DAY),
                  thenRate: step.c % 3 ? 34 : 0,
                }
              : {}),
            ...(step.c % 2 && step.a % 2 ? { products: ['72', '8517.13'] } : {}),
            ...(step.b % 3 === 1 ? { displaces: [`m${(step.b + 1) % 2}`] } : {}),
          };
        case 'TariffScopeChanged':
          return {
            imposedBy: p(step.a),
            appliedTo: p(step.a + 1 + (step.b % 2)),
            measure: `m${step.b % 2}`,
            effectiveAt,
            ...(step.c % 3 !== 1 ? { exclude: [['85', '8517', '72'][step.a % 3]!] } : {}),
            ...(step.c % 3 !== 0 ? { include: [['8517.13', '85', '7208'][step.b % 3]!] } : {}),
          };
        case 'TradeMeasureChanged':
          return {
            imposedBy: p(step.a),
            appliedTo: [p(step.a + 1)],
            measure: `t${step.b % 2}`,
            kind: 'exemption',
            action: ['imposed', 'lifted', 'revoked'][step.b % 3],
            ...(withoutEffectiveAt(step) ? {} : { effectiveAt }),
          };
        case 'ProposalMade':
          return {
            proposalId: `p${step.a % 3}`,
            by: p(step.b),
            to: [p(step.b + 1)],
            subject: 'deal',
            summary: `offer ${i}`,
          };
        case 'ProposalResponded':
          return {
            proposalId: `p${step.a % 3}`,
            by: p(step.b),
            response: ['under-review', 'accepted', 'rejected', 'countered', 'withdrawn'][
              step.b % 5
            ],
            ...(step.c > 5 ? { counterProposalId: 'p9' } : {}),
          };
        case 'TalksScheduled':
          return { scheduledFor: effectiveAt };
        case 'TalksHeld':
          return {
            participants: [p(step.a), p(step.a + 1)],
            ...(step.b < 4
              ? { outcome: ['progress', 'no-result', 'agreement', 'breakdown'][step.b] }
              : {}),
          };
        case 'TalksStatusChanged':
          return { status: ['ongoing', 'stalled', 'suspended', 'none'][step.a % 4] };
        case 'StatementMade':
          return {
            party: p(step.a),
            speaker: `s${step.b}`,
            ...(step.b < 3 ? { stance: ['conciliatory', 'neutral', 'hardline'][step.b] } : {}),
          };
        case 'DemandMade':
          return {
            by: p(step.a),
            of: p(step.a + 1),
            issue: `i${step.b % 2}`,
            summary: `demand ${i}`,
          };
        case 'DemandResolved':
          return { by: p(step.a), of: p(step.a + 1), issue: `i${step.b % 2}` };
        case 'AgreementReached':
          return {
            parties: [p(step.a), p(step.a + 1)],
            summary: `deal ${i}`,
            ...(step.c > 0 ? { effectiveAt } : {}),
          };
        case 'DevelopmentRetracted': {
          // Any event: earlier, later (not recorded yet), itself, a retraction, or none at all.
          const target = Math.abs(i + step.c) % (steps.length + 2);
          return {
            targetEventId: target === 0 ? stream[0]!.eventId : (ids[target - 1] ?? 'unknown-event'),
            reason: 'false',
          };
        }
        case 'DevelopmentConfirmed':
        case 'DevelopmentDisputed': {
          const target = Math.abs(i + step.c) % (steps.length + 2);
          return {
            targetEventId: target === 0 ? stream[0]!.eventId : (ids[target - 1] ?? 'unknown-event'),
            ...(step.a % 2 ? { by: p(step.b) } : {}),
          };
        }
        case 'DevelopmentUnreadable':
          return {
            storedType: 'TalksHeld',
            stored: { occurredAt, data: { participants: [p(step.a)], outcome: 'maybe' } },
            reason: 'data.outcome must be one of progress, no-result, agreement, breakdown',
          };
      }
    };
    stream.push({
      type: step.type,
      eventId: ids[i]!,
      occurredAt,
      ...modalityOf(step),
      data: dataOf(),
      negotiationId: 'n',
      revision: i + 1,
      recordedAt: iso(recorded),
    } as RecordedDevelopment);
  });
  return stream;
}

/**
 * A generated negotiation with some of its tariff and trade measure changes threatened or
 * considered (a considered one without effectiveAt every other time) and some proposals only
 * considered, chosen by position so that a run can be replayed.
 */
function withModalities(stream: readonly RecordedDevelopment[]): RecordedDevelopment[] {
  return stream.map((d, i): RecordedDevelopment => {
    if (d.type === 'TariffChanged' || d.type === 'TradeMeasureChanged') {
      // Due some weeks after it is announced, so that it is listed a while.
      const later = iso(Date.parse(d.occurredAt) + (i % 7) * 5 * DAY);
      if (i % 5 === 1)
        return {
          ...d,
          modality: 'threatened',
          data: { ...d.data, effectiveAt: later },
        } as typeof d;
      if (i % 5 === 3) {
        if (i % 2 === 0)
          return {
            ...d,
            modality: 'considered',
            data: { ...d.data, effectiveAt: later },
          } as typeof d;
        const data: Partial<typeof d.data> = { ...d.data };
        delete data.effectiveAt;
        return { ...d, modality: 'considered', data } as typeof d;
      }
    }
    if (d.type === 'ProposalMade' && i % 4 === 1) return { ...d, modality: 'considered' };
    return d;
  });
}

/** Perspectives probing a stream: instants between and at its developments, knownAt at and between recordings. */
const aPerspective = (stream: readonly RecordedDevelopment[]): fc.Arbitrary<Perspective> =>
  fc.record({
    asOf: fc.oneof(
      fc
        .integer({ min: -6, max: 44 })
        .map((halfDays) => iso(T0 + (halfDays * DAY) / 2 + (halfDays % 3 === 0 ? 3_600_000 : 0))),
      fc.constantFrom(...stream.map((d) => d.occurredAt)),
    ),
    knownAt: fc.option(
      fc.oneof(
        fc.constantFrom(...stream.map((d) => d.recordedAt)),
        fc.constantFrom(...stream.map((d) => iso(Date.parse(d.recordedAt) - 1))),
      ),
      { nil: null },
    ),
  });

/**
 * Where an answer holds something that is not frozen below its own lists: everything in them
 * is shared with the timeline, and nobody may change it.
 */
function unfrozenIn(answer: NegotiationState): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value !== 'object' || value === null) return;
    if (!Object.isFrozen(value)) found.push(path);
    for (const [key, inner] of Object.entries(value)) visit(inner, `${path}.${key}`);
  };
  for (const [list, items] of Object.entries(answer)) {
    if (Array.isArray(items)) items.forEach((item, i) => visit(item, `${list}[${i}]`));
  }
  visit(answer.talks, 'talks');
  return found;
}

/** Where to ask a stream: fractions of its valid time, and of its transaction time or none (knownAt null). */
type Pick = [asOf: number, knownAt: number | null];

const somePicks = (maxLength: number): fc.Arbitrary<Pick[]> =>
  fc.array(
    fc.tuple(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    ),
    { minLength: 1, maxLength },
  );

/** The perspectives `picks` name over a stream: asOf from a day before it to a day after. */
function probesOver(stream: readonly RecordedDevelopment[], picks: readonly Pick[]): Perspective[] {
  const first = Date.parse(stream[0]!.occurredAt) - DAY;
  let last = first;
  for (const d of stream) last = Math.max(last, Date.parse(d.occurredAt) + DAY);
  const recordedFirst = Date.parse(stream[0]!.recordedAt) - 1000;
  const recordedLast = Date.parse(stream[stream.length - 1]!.recordedAt);
  return picks.map(([a, k]) => ({
    asOf: iso(Math.round(first + a * (last - first))),
    knownAt:
      k === null ? null : iso(Math.round(recordedFirst + k * (recordedLast - recordedFirst))),
  }));
}

/** Appends `stream` in chunks, asking `probes` after each, and checks every answer against the reference. */
function checkAgainstReference(
  stream: readonly RecordedDevelopment[],
  chunks: readonly number[],
  snapshotEvery: number,
  probes: readonly Perspective[],
): void {
  const timeline = new NegotiationTimeline('n', { snapshotEvery });
  // What the write side decides on.
  const decisions = new DecisionModel();
  let appended = 0;
  for (const size of [...chunks, stream.length]) {
    const next = Math.min(stream.length, appended + Math.max(1, size));
    expect(timeline.append(stream.slice(appended, next))).toBe(true);
    expect(decisions.append(stream.slice(appended, next))).toBe(true);
    appended = next;
    const prefix = stream.slice(0, appended);
    for (const perspective of probes) {
      const expected = referenceState(prefix, perspective);
      // The tariffs alone (GET …/tariffs), asked first: it may build the snapshots itself.
      expect(timeline.tariffsAt(perspective)).toEqual(expected.tariffs);
      const answer = timeline.stateAt(perspective);
      expect(answer).toEqual(expected);
      expect(unfrozenIn(answer)).toEqual([]);
      const { known } = referenceFold(prefix, perspective);
      expect(
        viewAt(timeline.fold(perspective), perspective.asOf, perspective.knownAt, known),
      ).toEqual(expected);
      // As finally decided (effectiveOn): the fold kept between answers is the fold from scratch.
      expect(timeline.tariffsEffectiveOn(perspective.asOf, perspective.knownAt)).toEqual(
        referenceDecided(prefix, perspective),
      );
    }
    for (const { asOf } of probes.slice(0, 2)) {
      const expected = referenceSituation(prefix, asOf);
      expect(situationOf(decisions, prefix, asOf)).toEqual(expected);
    }
    if (appended === stream.length) break;
  }
}

describe('snapshots never change an answer', () => {
  it('for odd streams of every type, appended in chunks and asked in between, knownAt included', () => {
    fc.assert(
      fc.property(
        fc.array(aStep, { minLength: 1, maxLength: 70 }).chain((steps) => {
          const stream = oddStream(steps);
          return fc.tuple(
            fc.constant(stream),
            fc.array(fc.integer({ min: 1, max: 25 }), { maxLength: 6 }),
            fc.integer({ min: 1, max: 9 }),
            fc.array(aPerspective(stream), { minLength: 1, maxLength: 6 }),
          );
        }),
        ([stream, chunks, snapshotEvery, probes]) =>
          checkAgainstReference(stream, chunks, snapshotEvery, probes),
      ),
      { numRuns: 300 },
    );
  }, 120_000);

  it('for streams of tariff, trade measure and proposal developments, most of them threatened or considered', () => {
    const aModalStep: fc.Arbitrary<Step> = fc.record({
      type: fc.constantFrom<Step['type']>(
        'TariffChanged',
        'TariffChanged',
        'TariffScopeChanged',
        'TradeMeasureChanged',
        'ProposalMade',
        'ProposalResponded',
        'DevelopmentRetracted',
      ),
      at: fc.integer({ min: -4, max: 40 }),
      recordedAfter: fc.constantFrom(0, 1, 5),
      a: fc.nat({ max: 1 }),
      b: fc.nat({ max: 5 }),
      c: fc.integer({ min: -6, max: 10 }),
      m: fc.constantFrom(0, 2, 2, 3, 3),
    });
    fc.assert(
      fc.property(
        fc.array(aModalStep, { minLength: 1, maxLength: 60 }).chain((steps) => {
          const stream = oddStream(steps);
          return fc.tuple(
            fc.constant(stream),
            fc.array(fc.integer({ min: 1, max: 25 }), { maxLength: 4 }),
            fc.integer({ min: 1, max: 6 }),
            fc.array(aPerspective(stream), { minLength: 2, maxLength: 8 }),
          );
        }),
        ([stream, chunks, snapshotEvery, probes]) =>
          checkAgainstReference(stream, chunks, snapshotEvery, probes),
      ),
      { numRuns: 300 },
    );
  }, 120_000);

  it('for generated negotiations with many late reports and retractions, threatened and considered changes and proposals', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.nat(),
          events: fc.integer({ min: 2, max: 300 }),
          lateFraction: fc.double({ min: 0, max: 0.4, noNaN: true }),
          retractionFraction: fc.double({ min: 0, max: 0.15, noNaN: true }),
          maxLatenessDays: fc.integer({ min: 0, max: 20 }),
          snapshotEvery: fc.integer({ min: 1, max: 40 }),
          chunks: fc.array(fc.integer({ min: 1, max: 120 }), { maxLength: 5 }),
          picks: somePicks(8),
        }),
        ({
          seed,
          events,
          lateFraction,
          retractionFraction,
          maxLatenessDays,
          snapshotEvery,
          chunks,
          picks,
        }) => {
          const stream = generateNegotiation({
            events,
            seed,
            lateFraction,
            retractionFraction,
            maxLatenessDays,
            meanGapMinutes: 600,
            negotiationId: 'n',
          });
          checkAgainstReference(
            withModalities(stream),
            chunks,
            snapshotEvery,
            probesOver(stream, picks),
          );
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('for imports whose batches land all over history: late reports anywhere, retractions of them, in batches of any size', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.nat(),
          events: fc.integer({ min: 2, max: 400 }),
          lateFraction: fc.double({ min: 0, max: 0.6, noNaN: true }),
          retractionFraction: fc.double({ min: 0.02, max: 0.2, noNaN: true }),
          maxLatenessDays: fc.integer({ min: 1, max: 200 }),
          snapshotEvery: fc.integer({ min: 1, max: 30 }),
          chunks: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 20 }),
          picks: somePicks(6),
        }),
        ({
          seed,
          events,
          lateFraction,
          retractionFraction,
          maxLatenessDays,
          snapshotEvery,
          chunks,
          picks,
        }) => {
          // Late by up to 200 days with developments 10 hours apart (400 span 166 days): a late
          // report lands anywhere back to the opening, and a retraction of one anywhere too.
          const stream = generateNegotiation({
            events,
            seed,
            lateFraction,
            retractionFraction,
            maxLatenessDays,
            meanGapMinutes: 600,
            negotiationId: 'n',
          });
          checkAgainstReference(
            withModalities(stream),
            chunks,
            snapshotEvery,
            // First the state as known now, as a /live follower asks after each batch: a day
            // after the last development, with every revision known.
            probesOver(stream, [[1, null], ...picks]),
          );
        },
      ),
      { numRuns: 80 },
    );
  }, 120_000);

  it('for long negotiations with snapshots far apart: answers and snapshots take many changes at once', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.nat(),
          events: fc.integer({ min: 800, max: 2000 }),
          snapshotEvery: fc.integer({ min: 150, max: 600 }),
          picks: somePicks(4),
        }),
        ({ seed, events, snapshotEvery, picks }) => {
          const stream = withModalities(generateNegotiation({ events, seed, negotiationId: 'n' }));
          checkAgainstReference(stream, [], snapshotEvery, probesOver(stream, picks));
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);

  it('for a negotiation long enough that its sorted lists grow and split their chunks', () => {
    const stream = generateNegotiation({ events: 8_000, seed: 11, negotiationId: 'n' });
    const picks: Pick[] = [
      [0.2, null],
      [0.5, null],
      [0.8, 0.9],
      [0.97, null],
      [1, null],
      [0.99, 0.6],
    ];
    checkAgainstReference(stream, [3_000, 4_000], 128, probesOver(stream, picks));
  }, 120_000);

  it('the decision model forgets developments dropped after a revision, as if never appended, and takes new ones after them', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(
            fc.array(aStep, { minLength: 1, maxLength: 60 }),
            fc.array(aStep, { maxLength: 12 }),
          )
          .chain(([steps, otherSteps]) => {
            const stream = oddStream(steps);
            return fc.tuple(
              fc.constant(stream),
              fc.constant(oddStream(otherSteps).slice(1)),
              fc.integer({ min: 0, max: stream.length - 1 }),
              fc.array(aPerspective(stream), { minLength: 1, maxLength: 4 }),
            );
          }),
        ([stream, continuation, keep, probes]) => {
          const decisions = new DecisionModel();
          decisions.append(stream);
          decisions.situationAt(probes[0]!.asOf);
          decisions.dropAfter(keep);
          const kept = stream.slice(0, keep + 1);
          expect(decisions.revision).toBe(keep);
          for (const { asOf } of probes)
            expect(situationOf(decisions, kept, asOf)).toEqual(referenceSituation(kept, asOf));
          // Then a different continuation, with ids of its own, recorded after what was kept.
          const lastRecorded = Date.parse(kept[kept.length - 1]!.recordedAt);
          const other = continuation.map(
            (d, i) =>
              ({
                ...d,
                eventId: d.eventId.replace('-8000-', '-9000-'),
                ...(d.type === 'DevelopmentRetracted'
                  ? {
                      data: {
                        ...d.data,
                        targetEventId: d.data.targetEventId.replace('-8000-', '-9000-'),
                      },
                    }
                  : {}),
                revision: keep + 1 + i,
                recordedAt: iso(Math.max(lastRecorded, Date.parse(d.recordedAt))),
              }) as RecordedDevelopment,
          );
          const whole = [...kept, ...other];
          expect(decisions.append(other)).toBe(true);
          for (const { asOf } of probes)
            expect(situationOf(decisions, whole, asOf)).toEqual(referenceSituation(whole, asOf));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a tariff pair shown before is shown again only where no date it is read against lies between: every asOf around the dates of rates, scopes, threats and options, in any order', () => {
    // Pairs a snapshot holds are shared by every answer folded from it, and their answers kept
    // between asOfs (tariffs.ts, keptPairAt): asked on both sides of each date, in any order,
    // each answer must still be the full fold's.
    const aTariffStep: fc.Arbitrary<Step> = fc.record({
      type: fc.constantFrom<Step['type']>('TariffChanged', 'TariffScopeChanged', 'PartyJoined'),
      at: fc.integer({ min: -4, max: 30 }),
      recordedAfter: fc.constant(1),
      a: fc.nat({ max: 5 }),
      b: fc.nat({ max: 5 }),
      c: fc.integer({ min: -6, max: 10 }),
      m: fc.constantFrom(0, 1, 2, 3),
    });
    fc.assert(
      fc.property(
        fc.array(aTariffStep, { minLength: 1, maxLength: 40 }).chain((steps) => {
          const stream = oddStream(steps);
          const dates = new Set<number>();
          for (const d of stream) {
            const data = d.data as { effectiveAt?: string; until?: string };
            for (const at of [d.occurredAt, data.effectiveAt, data.until])
              if (at !== undefined) for (const ms of [-1, 0, 1]) dates.add(Date.parse(at) + ms);
          }
          return fc.tuple(
            fc.constant(stream),
            fc.integer({ min: 1, max: 6 }),
            fc.shuffledSubarray([...dates], { minLength: dates.size }),
          );
        }),
        ([stream, snapshotEvery, dates]) => {
          const timeline = new NegotiationTimeline('n', { snapshotEvery });
          timeline.append(stream);
          for (const ms of dates) {
            const perspective = { asOf: iso(ms), knownAt: null };
            expect(timeline.tariffsAt(perspective)).toEqual(
              referenceState(stream, perspective).tariffs,
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);

  it('drops only the snapshots after a late development, and answers as a full fold after it', () => {
    const stream = generateNegotiation({
      events: 3000,
      seed: 9,
      lateFraction: 0,
      retractionFraction: 0,
      negotiationId: 'n',
    });
    const timeline = new NegotiationTimeline('n', { snapshotEvery: 100 });
    timeline.append(stream.slice(0, 2000));
    const end = stream[1999]!.occurredAt;
    // An answer inside history (before the last 49) takes the snapshots on its way.
    timeline.stateAt({ asOf: stream[1950]!.occurredAt, knownAt: null });
    const snapshotIndexes = (): number[] =>
      (
        timeline as unknown as { snapshots: { snapshots: Array<{ index: number }> } }
      ).snapshots.snapshots.map((s) => s.index);
    expect(snapshotIndexes()).toEqual(Array.from({ length: 20 }, (_, i) => i * 100));
    const late = { ...stream[2000]!, occurredAt: stream[1000]!.occurredAt };
    timeline.append([late]);
    // It lands after index 1000 (ties go by revision): the snapshots up to there still hold.
    expect(snapshotIndexes()).toEqual(Array.from({ length: 11 }, (_, i) => i * 100));
    const rest = [late, ...stream.slice(2001)].map((d, i) => ({ ...d, revision: 2000 + i }));
    timeline.append(rest.slice(1));
    const whole = [...stream.slice(0, 2000), ...rest];
    for (const asOf of [
      stream[500]!.occurredAt,
      stream[1000]!.occurredAt,
      end,
      whole[whole.length - 1]!.occurredAt,
    ]) {
      expect(timeline.stateAt({ asOf, knownAt: null })).toEqual(
        referenceState(whole, { asOf, knownAt: null }),
      );
    }
  });

  it('takes no snapshots for the state to now as known now, and takes them for one as known before a late report', () => {
    const stream = generateNegotiation({
      events: 2000,
      seed: 9,
      lateFraction: 0,
      retractionFraction: 0,
      negotiationId: 'n',
    });
    const timeline = new NegotiationTimeline('n', { snapshotEvery: 100 });
    timeline.append(stream);
    const snapshotIndexes = (): number[] =>
      (
        timeline as unknown as { snapshots: { snapshots: Array<{ index: number }> } }
      ).snapshots.snapshots.map((s) => s.index);
    const asOf = iso(Date.parse(stream[1999]!.occurredAt) + DAY);
    timeline.stateAt({ asOf, knownAt: null });
    expect(snapshotIndexes()).toEqual([0]);
    // A late report (revision 2000) landing after index 1000; then the state to now as known before it.
    const late = {
      ...stream[1999]!,
      eventId: 'late',
      revision: 2000,
      occurredAt: stream[1000]!.occurredAt,
      recordedAt: iso(Date.parse(stream[1999]!.recordedAt) + 1),
    };
    timeline.append([late]);
    const before = { asOf, knownAt: stream[1999]!.recordedAt };
    expect(timeline.stateAt(before)).toEqual(referenceState([...stream, late], before));
    expect(snapshotIndexes()).toEqual(Array.from({ length: 21 }, (_, i) => i * 100));
  });

  it('a batch drops only the snapshots after the first place one of its developments lands at or retracts', () => {
    const stream = generateNegotiation({
      events: 3000,
      seed: 9,
      lateFraction: 0,
      retractionFraction: 0,
      negotiationId: 'n',
    });
    const timeline = new NegotiationTimeline('n', { snapshotEvery: 100 });
    timeline.append(stream.slice(0, 2000));
    // An answer inside history (before the last 49) takes the snapshots on its way.
    const inside = stream[1950]!.occurredAt;
    timeline.stateAt({ asOf: inside, knownAt: null });
    const snapshotIndexes = (): number[] =>
      (
        timeline as unknown as { snapshots: { snapshots: Array<{ index: number }> } }
      ).snapshots.snapshots.map((s) => s.index);
    expect(snapshotIndexes()).toEqual(Array.from({ length: 20 }, (_, i) => i * 100));
    // Three late reports (landing after 1500, 700 and 1200) and one on time: the snapshots up to
    // 700 still hold.
    const lateAt = [1500, 700, 1200];
    const late = [
      ...lateAt.map((at, i) => ({ ...stream[2000 + i]!, occurredAt: stream[at]!.occurredAt })),
      stream[2003]!,
    ];
    expect(timeline.append(late)).toBe(true);
    expect(snapshotIndexes()).toEqual(Array.from({ length: 8 }, (_, i) => i * 100));
    // The state as known now (a /live follower's after each batch) takes none: the next batch
    // would drop them before anyone asked for them.
    const now = stream[2003]!.occurredAt;
    expect(timeline.stateAt({ asOf: now, knownAt: null })).toEqual(
      referenceState([...stream.slice(0, 2000), ...late], { asOf: now, knownAt: null }),
    );
    expect(snapshotIndexes()).toEqual(Array.from({ length: 8 }, (_, i) => i * 100));
    // An answer inside history takes them again, from the last that holds.
    timeline.stateAt({ asOf: inside, knownAt: null });
    expect(snapshotIndexes()).toEqual(Array.from({ length: 20 }, (_, i) => i * 100));
    // So does one to now as known at an earlier revision: it starts from a snapshot that knew no more.
    const earlier = { asOf: now, knownAt: stream[1999]!.recordedAt };
    expect(timeline.stateAt(earlier)).toEqual(
      referenceState([...stream.slice(0, 2000), ...late], earlier),
    );
    expect(snapshotIndexes()).toEqual(Array.from({ length: 21 }, (_, i) => i * 100));
    // Then a late report landing after 1800 and the retraction of the statement after 400
    // (recorded before): the snapshots up to 400 hold.
    const target = stream.slice(401, 500).find((d) => d.type === 'StatementMade')!;
    const retraction = {
      ...stream[2005]!,
      type: 'DevelopmentRetracted',
      data: { targetEventId: target.eventId, reason: 'misreported' },
    } as RecordedDevelopment;
    const batch = [...late, { ...stream[2004]!, occurredAt: stream[1800]!.occurredAt }, retraction];
    expect(timeline.append(batch.slice(late.length))).toBe(true);
    expect(snapshotIndexes()).toEqual(
      Array.from({ length: Math.floor(target.revision / 100) + 1 }, (_, i) => i * 100),
    );
    const whole = [...stream.slice(0, 2000), ...batch];
    for (const asOf of [
      stream[300]!.occurredAt,
      target.occurredAt,
      stream[700]!.occurredAt,
      stream[1500]!.occurredAt,
      stream[1900]!.occurredAt,
      stream[2003]!.occurredAt,
    ]) {
      for (const knownAt of [null, stream[1999]!.recordedAt]) {
        expect(timeline.stateAt({ asOf, knownAt })).toEqual(
          referenceState(whole, { asOf, knownAt }),
        );
      }
    }
  });
});
