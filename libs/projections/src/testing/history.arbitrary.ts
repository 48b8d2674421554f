import fc from 'fast-check';
import type { Instant } from '@parley/domain';
import { instantMs, toInstant } from '@parley/domain';
import { GivenTimeline } from './given-timeline';

/** Days after 1 Jan 2025, as dates the builder understands. */
const day = (n: number): string =>
  toInstant(instantMs('2025-01-01T00:00:00.000Z') + n * 86_400_000).slice(0, 10);

/** Any instant of 2025 at a whole hour, to probe a history between its developments. */
export const anInstant: fc.Arbitrary<Instant> = fc
  .integer({ min: -5 * 24, max: 370 * 24 })
  .map((hours) => toInstant(instantMs('2025-01-01T00:00:00.000Z') + hours * 3_600_000));

type Step =
  | {
      kind: 'tariff';
      on: number;
      effectiveIn: number;
      measure: string;
      rate: number;
      selected: boolean;
      toEu: boolean;
    }
  | { kind: 'talks'; on: number; status: 'ongoing' | 'stalled' }
  | { kind: 'proposal'; on: number; answer: 'accepted' | 'rejected' | null }
  | { kind: 'retract'; on: number; pick: number };

const aStep: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('tariff' as const),
      on: fc.integer({ min: 0, max: 360 }),
      effectiveIn: fc.integer({ min: -20, max: 40 }),
      measure: fc.constantFrom('fentanyl', 'reciprocal', 'section-301'),
      rate: fc.constantFrom(0, 10, 20, 125),
      selected: fc.boolean(),
      toEu: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('talks' as const),
      on: fc.integer({ min: 0, max: 360 }),
      status: fc.constantFrom('ongoing' as const, 'stalled' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('proposal' as const),
      on: fc.integer({ min: 0, max: 360 }),
      answer: fc.constantFrom('accepted' as const, 'rejected' as const, null),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('retract' as const),
      on: fc.integer({ min: 0, max: 360 }),
      pick: fc.nat(),
    }),
  },
);

/**
 * Histories recorded in random order of their dates (so with late reports), with tariff changes
 * announced ahead or backdated, several lines and pairs, proposals, talks and retractions.
 */
export const aHistory: fc.Arbitrary<GivenTimeline> = fc
  .array(aStep, { minLength: 1, maxLength: 40 })
  .map((steps) => {
    const given = new GivenTimeline('random', '2024-12-01');
    const retractable: string[] = [];
    let proposals = 0;
    for (const step of steps) {
      switch (step.kind) {
        case 'tariff':
          given.tariff(day(step.on), {
            measure: step.measure,
            rate: step.rate,
            effectiveAt: day(step.on + step.effectiveIn),
            coverage: step.selected ? 'selected-goods' : 'all-goods',
            appliedTo: step.toEu ? 'EU' : 'CN',
          });
          retractable.push(given.lastEventId);
          break;
        case 'talks':
          given.talks(day(step.on), step.status);
          retractable.push(given.lastEventId);
          break;
        case 'proposal': {
          const id = `p${proposals++}`;
          given.proposal(day(step.on), id);
          retractable.push(given.lastEventId);
          if (step.answer) given.response(day(step.on + 3), id, step.answer);
          break;
        }
        case 'retract':
          if (retractable.length > 0)
            given.retract(day(step.on), retractable.splice(step.pick % retractable.length, 1)[0]!);
          break;
      }
    }
    return given;
  });

/** A transaction-time cut of a history: everything (null) or what was recorded by one of its revisions. */
export const aKnownAt = (given: GivenTimeline): fc.Arbitrary<Instant | null> =>
  fc.option(
    fc.integer({ min: 0, max: given.revision }).map((r) => GivenTimeline.recordedAt(r)),
    { nil: null },
  );
