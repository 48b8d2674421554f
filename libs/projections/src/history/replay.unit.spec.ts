import fc from 'fast-check';
import type { Instant } from '@parley/domain';
import type { Draft } from '@parley/domain/testing';
import {
  CN,
  EU,
  US,
  at,
  developmentRetracted,
  endOf,
  negotiationOpened,
  proposalMade,
  proposalResponded,
  talksStatusChanged,
  tariffChanged,
  whenRecorded,
} from '@parley/domain/testing';
import { timelineOf } from '../testing';
import { aHistory, aKnownAt, anInstant } from '../testing/history.arbitrary';
import { changesBetween } from './changes';
import type { ReplayStep } from './replay';
import { replay } from './replay';
import { summarize } from './state-summary';

const ALL = { from: null, to: endOf('2025-12-31'), knownAt: null, limit: 1000 };
const steps = (items: ReplayStep[]) =>
  items.map(({ development, state }) => [
    development.eventId,
    state.tariffs.map((t) => t.total).join('+'),
    state.talksStatus,
    state.openProposals,
  ]);

/** The negotiation of these histories, opened on 1 January 2025 (revision 0). */
const opened = negotiationOpened({
  eventId: 'event-0',
  occurredAt: '2025-01-01',
  data: { parties: [US, CN, EU] },
});

/** A US tariff line on China, announced on `occurredAt`, effective then unless it says otherwise. */
const usOnChina = (
  eventId: string,
  occurredAt: string,
  line: { measure: string; rate: number; effectiveAt?: string },
): Draft<'TariffChanged'> => tariffChanged({ eventId, occurredAt, data: line });

const stalled = (eventId: string, occurredAt: string): Draft =>
  talksStatusChanged({ eventId, occurredAt, data: { status: 'stalled' } });

describe('replay', () => {
  describe('given tariffs, talks and proposals, with a late report', () => {
    const history = [
      opened,
      usOnChina('feb', '2025-02-01', {
        measure: 'fentanyl-ieepa',
        rate: 10,
        effectiveAt: '2025-02-04',
      }),
      proposalMade({
        eventId: 'event-2',
        occurredAt: '2025-02-10',
        data: { proposalId: 'talks-offer' },
      }),
      usOnChina('apr', '2025-04-09', {
        measure: 'reciprocal',
        rate: 125,
        effectiveAt: '2025-04-10',
      }),
      stalled('event-4', '2025-04-15'),
      usOnChina('late-mar', '2025-03-03', {
        measure: 'fentanyl-ieepa',
        rate: 20,
        effectiveAt: '2025-03-04',
      }),
      proposalResponded({
        eventId: 'event-6',
        occurredAt: '2025-04-20',
        data: { proposalId: 'talks-offer', response: 'rejected' },
      }),
    ];

    it('gives every development in valid-time order, each with the state right after it', () => {
      const { items, hasMore } = replay(timelineOf(...history), ALL);
      expect(steps(items)).toEqual([
        ['event-0', '', 'none', 0],
        ['feb', '0', 'none', 0], // announced on 1 Feb, effective on the 4th: scheduled, not yet counted
        ['event-2', '10', 'none', 1],
        ['late-mar', '10', 'none', 1], // the late report lands in its place; effective the next day
        ['apr', '20', 'none', 1],
        ['event-4', '145', 'stalled', 1],
        ['event-6', '145', 'stalled', 0],
      ]);
      expect(hasMore).toBe(false);
      expect(items[1]!.state).toEqual({
        asOf: at('2025-02-01'),
        tariffs: [{ imposedBy: 'US', appliedTo: 'CN', total: 0 }],
        talksStatus: 'none',
        openProposals: 0,
      });
    });

    it('covers (from, to]: the state before the first step is the state at `from`', () => {
      const { items } = replay(timelineOf(...history), {
        ...ALL,
        from: endOf('2025-03-03'),
        to: endOf('2025-04-15'),
      });
      expect(steps(items)).toEqual([
        ['apr', '20', 'none', 1],
        ['event-4', '145', 'stalled', 1],
      ]);
    });

    it('pages like /events: a page of two, then the rest after its last development', () => {
      const timeline = timelineOf(...history);
      const first = replay(timeline, { ...ALL, limit: 2 });
      expect(first.hasMore).toBe(true);
      const last = first.items[1]!.development;
      const rest = replay(timeline, {
        ...ALL,
        after: { occurredAt: last.occurredAt, revision: last.revision },
      });
      expect(steps([...first.items, ...rest.items])).toEqual(steps(replay(timeline, ALL).items));
    });

    it('leaves out the late report as known before it was recorded', () => {
      const { items } = replay(timelineOf(...history), {
        ...ALL,
        knownAt: whenRecorded(4, history),
      });
      expect(items.map((i) => i.development.eventId)).toEqual([
        'event-0',
        'feb',
        'event-2',
        'apr',
        'event-4',
      ]);
      expect(items[3]!.state.tariffs[0]!.total).toBe(10);
    });
  });

  describe('given a retracted tariff increase', () => {
    const misreported = usOnChina('misreported', '2025-04-10', {
      measure: 'reciprocal',
      rate: 125,
    });
    const history = [
      opened,
      usOnChina('event-1', '2025-03-04', { measure: 'fentanyl-ieepa', rate: 20 }),
      misreported,
      stalled('event-3', '2025-04-15'),
      developmentRetracted(misreported, { eventId: 'event-4', occurredAt: '2025-04-20' }),
    ];

    it('removes it from the steps and from every later state, as known after the retraction', () => {
      const { items } = replay(timelineOf(...history), ALL);
      expect(steps(items)).toEqual([
        ['event-0', '', 'none', 0],
        ['event-1', '20', 'none', 0],
        ['event-3', '20', 'stalled', 0],
        ['event-4', '20', 'stalled', 0],
      ]);
    });

    it('keeps it as known before the retraction', () => {
      const { items } = replay(timelineOf(...history), {
        ...ALL,
        knownAt: whenRecorded(3, history),
      });
      expect(steps(items).map((s) => s[1])).toEqual(['', '20', '145', '145']);
    });
  });

  describe('given a pair listed only for a threat (contract v1.1, Modality)', () => {
    const history = [
      opened,
      tariffChanged({
        eventId: 'threat',
        occurredAt: '2025-10-10',
        modality: 'threatened',
        data: { measure: 'threat-100', rate: 100, effectiveAt: '2025-11-01' },
      }),
      stalled('before-due', '2025-10-20'),
      stalled('after-due', '2025-11-05'),
    ];

    it('lists the pair at total 0 while the threat is listed, and no more once it falls due', () => {
      const { items } = replay(timelineOf(...history), ALL);
      expect(items.map(({ development, state }) => [development.eventId, state.tariffs])).toEqual([
        ['event-0', []],
        ['threat', [{ imposedBy: 'US', appliedTo: 'CN', total: 0 }]],
        ['before-due', [{ imposedBy: 'US', appliedTo: 'CN', total: 0 }]],
        ['after-due', []],
      ]);
    });
  });

  describe('for any history', () => {
    const aQuery = aHistory.chain((history) =>
      fc.tuple(
        fc.constant(history),
        aKnownAt(history),
        fc.option(anInstant, { nil: null }),
        anInstant,
        fc.integer({ min: 1, max: 5 }),
      ),
    );

    it('gives, after each development, the state a fold of everything up to it gives', () => {
      fc.assert(
        fc.property(aQuery, ([history, knownAt, from, to]) => {
          fc.pre(from === null || from < to);
          const timeline = timelineOf(...history);
          const { items } = replay(timeline, { from, to, knownAt, limit: 1000 });
          // Where several developments share an instant, the state as of that instant is the one after the last of them.
          for (const [i, step] of items.entries()) {
            const next = items[i + 1];
            if (next && next.development.occurredAt === step.development.occurredAt) continue;
            const expected = summarize(
              timeline.fold({ asOf: step.development.occurredAt, knownAt }),
              step.development.occurredAt,
            );
            if (from === null || step.development.occurredAt > from)
              expect(step.state).toEqual(expected);
          }
        }),
        { numRuns: 200 },
      );
    });

    it('gives the same steps paged or in one page, and the same developments as changesBetween', () => {
      fc.assert(
        fc.property(aQuery, ([history, knownAt, from, to, limit]) => {
          fc.pre(from === null || from < to);
          const timeline = timelineOf(...history);
          const whole = replay(timeline, { from, to, knownAt, limit: 1000 }).items;
          const paged: ReplayStep[] = [];
          let after: { occurredAt: Instant; revision: number } | undefined;
          for (;;) {
            const page = replay(timeline, {
              from,
              to,
              knownAt,
              limit,
              ...(after ? { after } : {}),
            });
            paged.push(...page.items);
            if (!page.hasMore) break;
            const last = page.items[page.items.length - 1]!.development;
            after = { occurredAt: last.occurredAt, revision: last.revision };
          }
          expect(steps(paged)).toEqual(steps(whole));
          const changes = changesBetween(timeline, { from, to, knownAt });
          expect(whole.map((s) => s.development.eventId)).toEqual(
            changes.developments.map((d) => d.eventId),
          );
        }),
        { numRuns: 200 },
      );
    });
  });
});
