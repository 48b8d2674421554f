import fc from 'fast-check';
import type { Instant } from '@parley/domain';
import { instantMs, toInstant } from '@parley/domain';
import type { Draft } from '@parley/domain/testing';
import {
  CN,
  EU,
  US,
  at,
  developmentRetracted,
  negotiationOpened,
  proposalMade,
  proposalResponded,
  recordingTimes,
  talksStatusChanged,
  tariffChanged,
} from '@parley/domain/testing';

const JANUARY_1 = instantMs(at('2025-01-01'));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Days after 1 Jan 2025, as dates the builders understand. */
const day = (n: number): string => toInstant(JANUARY_1 + n * DAY).slice(0, 10);

/** Any instant of 2025 at a whole hour, to probe a history between its developments. */
export const anInstant: fc.Arbitrary<Instant> = fc
  .integer({ min: -5 * 24, max: 370 * 24 })
  .map((hours) => toInstant(JANUARY_1 + hours * HOUR));

type Step =
  | {
      kind: 'tariff';
      on: number;
      effectiveIn: number;
      measure: string;
      rate: number;
      selected: boolean;
      toEu: boolean;
      /** Contract v1.1: threatened or considered (`considered-undated`: without effectiveAt). */
      modality: 'occurred' | 'threatened' | 'considered' | 'considered-undated';
    }
  | { kind: 'talks'; on: number; status: 'ongoing' | 'stalled' }
  | {
      kind: 'proposal';
      on: number;
      answer: 'accepted' | 'rejected' | null;
      /** Only considered at first; made three days later instead of answered (when there is an answer). */
      considered: boolean;
    }
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
      modality: fc.constantFrom(
        'occurred' as const,
        'occurred' as const,
        'occurred' as const,
        'threatened' as const,
        'considered' as const,
        'considered-undated' as const,
      ),
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
      considered: fc.boolean(),
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
 * Histories, in recording order, of a negotiation between the US, China and the EU opened on
 * 1 December 2024: developments recorded in random order of their dates (so with late reports),
 * tariff changes announced ahead or backdated, several lines and pairs, some threatened or only
 * considered, proposals (some only considered, some of those made later), talks and
 * retractions. `timelineOf(...history)` records them.
 */
export const aHistory: fc.Arbitrary<Draft[]> = fc
  .array(aStep, { minLength: 1, maxLength: 40 })
  .map((steps) => {
    const history: Draft[] = [
      negotiationOpened({ occurredAt: '2024-12-01', data: { parties: [US, CN, EU] } }),
    ];
    const retractable: Draft[] = [];
    const add = (development: Draft): Draft => {
      history.push(development);
      return development;
    };
    let proposals = 0;
    for (const step of steps) {
      switch (step.kind) {
        case 'tariff':
          retractable.push(
            add(
              tariffChanged({
                occurredAt: day(step.on),
                ...(step.modality !== 'occurred' && {
                  modality: step.modality === 'threatened' ? 'threatened' : 'considered',
                }),
                data: {
                  imposedBy: 'US',
                  appliedTo: step.toEu ? 'EU' : 'CN',
                  measure: step.measure,
                  rate: step.rate,
                  effectiveAt:
                    step.modality === 'considered-undated'
                      ? undefined
                      : day(step.on + step.effectiveIn),
                  coverage: step.selected ? 'selected-goods' : 'all-goods',
                },
              }),
            ),
          );
          break;
        case 'talks':
          retractable.push(
            add(talksStatusChanged({ occurredAt: day(step.on), data: { status: step.status } })),
          );
          break;
        case 'proposal': {
          const proposalId = `p${proposals++}`;
          retractable.push(
            add(
              proposalMade({
                occurredAt: day(step.on),
                ...(step.considered && { modality: 'considered' }),
                data: { proposalId, by: 'US', to: ['CN'] },
              }),
            ),
          );
          if (step.considered && step.answer) {
            retractable.push(
              add(
                proposalMade({
                  occurredAt: day(step.on + 3),
                  data: { proposalId, by: 'US', to: ['CN'] },
                }),
              ),
            );
          } else if (step.answer) {
            add(
              proposalResponded({
                occurredAt: day(step.on + 3),
                data: { proposalId, by: 'CN', response: step.answer },
              }),
            );
          }
          break;
        }
        case 'retract':
          if (retractable.length > 0) {
            const [target] = retractable.splice(step.pick % retractable.length, 1);
            add(developmentRetracted(target!, { occurredAt: day(step.on) }));
          }
          break;
      }
    }
    return history;
  });

/**
 * A transaction-time cut of a history: everything (null) or what was known when one of its
 * revisions was recorded.
 */
export const aKnownAt = (history: readonly Draft[]): fc.Arbitrary<Instant | null> => {
  const times = recordingTimes(history);
  return fc.option(
    fc.integer({ min: 0, max: times.length - 1 }).map((revision) => times[revision]!),
    { nil: null },
  );
};
