import fc from 'fast-check';
import type { ProposalResponse } from '@parley/domain';
import type { Draft } from '@parley/domain/testing';
import {
  CN,
  EU,
  US,
  at,
  demandMade,
  demandResolved,
  developmentRetracted,
  endOf,
  negotiationOpened,
  proposalMade,
  proposalResponded,
  statementMade,
  talksStatusChanged,
  tariffChanged,
  tradeMeasureChanged,
  whenRecorded,
} from '@parley/domain/testing';
import { timelineOf } from '../testing';
import { aHistory, aKnownAt, anInstant } from '../testing/history.arbitrary';
import { changesBetween } from './changes';

const eventIds = (changes: { developments: { eventId: string }[] }): string[] =>
  changes.developments.map((d) => d.eventId);

/** The negotiation of these histories, opened on 1 January 2025 (revision 0). */
const opened = negotiationOpened({
  eventId: 'event-0',
  occurredAt: '2025-01-01',
  data: { parties: [US, CN, EU] },
});

/** A US tariff line on China, announced on `occurredAt`. */
const usOnChina = (
  eventId: string,
  occurredAt: string,
  line: { measure: string; rate: number; effectiveAt: string },
): Draft<'TariffChanged'> => tariffChanged({ eventId, occurredAt, data: line });

const proposal = (occurredAt: string, proposalId: string): Draft =>
  proposalMade({ occurredAt, data: { proposalId } });

const response = (occurredAt: string, proposalId: string, answer: ProposalResponse): Draft =>
  proposalResponded({ occurredAt, data: { proposalId, response: answer } });

describe('changesBetween', () => {
  describe('given US tariffs on China stepping up from February to April', () => {
    const feb = usOnChina('feb', '2025-02-01', {
      measure: 'fentanyl-ieepa',
      rate: 10,
      effectiveAt: '2025-02-04',
    });
    const mar = usOnChina('mar', '2025-03-03', {
      measure: 'fentanyl-ieepa',
      rate: 20,
      effectiveAt: '2025-03-04',
    });
    const apr = usOnChina('apr', '2025-04-09', {
      measure: 'reciprocal',
      rate: 125,
      effectiveAt: '2025-04-10',
    });
    const history = [
      opened,
      feb,
      mar,
      apr,
      talksStatusChanged({
        eventId: 'event-4',
        occurredAt: '2025-04-15',
        data: { status: 'stalled' },
      }),
    ];

    it('gives the pair totals at both ends and only the lines that changed', () => {
      const changes = changesBetween(timelineOf(...history), {
        from: endOf('2025-03-31'),
        to: endOf('2025-04-30'),
        knownAt: null,
      });
      expect(changes.tariffs).toEqual([
        {
          imposedBy: 'US',
          appliedTo: 'CN',
          before: 20,
          after: 145,
          lines: [
            {
              measure: 'reciprocal',
              before: null,
              after: {
                rate: 125,
                coverage: 'all-goods',
                effectiveAt: at('2025-04-10'),
                eventId: 'apr',
              },
            },
          ],
          threatened: { appeared: [], went: [] },
          considered: { appeared: [], went: [] },
          voided: [],
        },
      ]);
      expect(changes.talks).toEqual({ before: 'none', after: 'stalled' });
      expect(eventIds(changes)).toEqual(['apr', 'event-4']);
    });

    it('counts a change announced in the range but effective after it among the developments only', () => {
      const changes = changesBetween(timelineOf(...history), {
        from: endOf('2025-04-01'),
        to: endOf('2025-04-09'),
        knownAt: null,
      });
      expect(changes.tariffs).toEqual([]);
      expect(eventIds(changes)).toEqual(['apr']);
    });

    it('excludes developments on `from` itself and includes those on `to`: the range is (from, to]', () => {
      const changes = changesBetween(timelineOf(...history), {
        from: at('2025-03-03'),
        to: at('2025-04-09'),
        knownAt: null,
      });
      expect(eventIds(changes)).toEqual(['apr']);
    });

    describe('when `from` is omitted', () => {
      it('compares with the state before the first development', () => {
        const changes = changesBetween(timelineOf(...history), {
          from: null,
          to: endOf('2025-03-10'),
          knownAt: null,
        });
        expect(changes.from).toBeNull();
        expect(changes.tariffs).toEqual([
          expect.objectContaining({
            before: 0,
            after: 20,
            lines: [expect.objectContaining({ measure: 'fentanyl-ieepa', before: null })],
          }),
        ]);
        expect(eventIds(changes)).toEqual(['event-0', 'feb', 'mar']);
      });
    });

    describe('when a late report dated inside the range is recorded last', () => {
      const late = usOnChina('late', '2025-03-03', {
        measure: 'fentanyl-ieepa',
        rate: 20,
        effectiveAt: '2025-03-04',
      });
      const withLateReport = [opened, feb, apr, late];

      it('lists it in its valid-time place and counts it in the difference', () => {
        const changes = changesBetween(timelineOf(...withLateReport), {
          from: endOf('2025-02-28'),
          to: endOf('2025-03-31'),
          knownAt: null,
        });
        expect(eventIds(changes)).toEqual(['late']);
        expect(changes.tariffs).toEqual([expect.objectContaining({ before: 10, after: 20 })]);
      });

      it('leaves it out as known before it was recorded', () => {
        const changes = changesBetween(timelineOf(...withLateReport), {
          from: endOf('2025-02-28'),
          to: endOf('2025-03-31'),
          knownAt: whenRecorded(2, withLateReport),
        });
        expect(eventIds(changes)).toEqual([]);
        expect(changes.tariffs).toEqual([]);
        expect(changes.revision).toBe(2);
      });
    });

    describe('when the April increase is retracted', () => {
      const retracted = [opened, mar, apr, developmentRetracted(apr, { occurredAt: '2025-05-20' })];
      const range = { from: endOf('2025-03-31'), to: endOf('2025-04-30') };

      it('removes it from the developments and the difference, as known after the retraction', () => {
        const changes = changesBetween(timelineOf(...retracted), { ...range, knownAt: null });
        expect(eventIds(changes)).toEqual([]);
        expect(changes.tariffs).toEqual([]);
      });

      it('still shows it as known before the retraction', () => {
        const changes = changesBetween(timelineOf(...retracted), {
          ...range,
          knownAt: whenRecorded(2, retracted),
        });
        expect(eventIds(changes)).toEqual(['apr']);
        expect(changes.tariffs).toEqual([expect.objectContaining({ before: 20, after: 145 })]);
      });
    });
  });

  describe('given proposals made, answered and left open', () => {
    const history = [
      opened,
      proposal('2025-03-01', 'old-open'),
      proposal('2025-03-02', 'old-closing'),
      proposal('2025-03-03', 'old-closed'),
      response('2025-03-04', 'old-closed', 'rejected'),
      proposal('2025-04-05', 'new-open'),
      proposal('2025-04-06', 'new-closed'),
      response('2025-04-07', 'new-closed', 'accepted'),
      response('2025-04-08', 'old-closing', 'countered'),
      response('2025-04-09', 'old-open', 'under-review'),
    ];

    it('lists those opened in the range, those closed with their final status, and every one still open', () => {
      const { proposals } = changesBetween(timelineOf(...history), {
        from: endOf('2025-03-31'),
        to: endOf('2025-04-30'),
        knownAt: null,
      });
      const ids = (list: { proposalId: string; status: string }[]) =>
        list.map((p) => `${p.proposalId}:${p.status}`);
      expect(ids(proposals.opened)).toEqual(['new-open:proposed', 'new-closed:accepted']);
      expect(ids(proposals.closed)).toEqual(['old-closing:countered', 'new-closed:accepted']);
      expect(ids(proposals.stillOpen)).toEqual(['old-open:under-review', 'new-open:proposed']);
      expect(proposals.considered).toEqual({ appeared: [], went: [] });
    });
  });

  describe('given threats and options that appear and go (contract v1.1, Modality)', () => {
    const base = [
      opened,
      usOnChina('fentanyl', '2025-03-03', {
        measure: 'fentanyl-ieepa',
        rate: 20,
        effectiveAt: '2025-03-04',
      }),
      usOnChina('geneva', '2025-05-12', {
        measure: 'reciprocal',
        rate: 10,
        effectiveAt: '2025-05-14',
      }),
    ];
    const threat = tariffChanged({
      eventId: 'threat',
      occurredAt: '2025-10-10',
      modality: 'threatened',
      data: { measure: 'threat-100', rate: 100, effectiveAt: '2025-11-01' },
    });
    const between = (history: Draft[], from: string, to: string) =>
      changesBetween(timelineOf(...history), { from: endOf(from), to: endOf(to), knownAt: null });
    const threatListed = {
      measure: 'threat-100',
      rate: 100,
      coverage: 'all-goods',
      effectiveAt: at('2025-11-01'),
      eventId: 'threat',
      at: at('2025-10-10'),
    };

    it('reports a threat that appeared, the total unchanged and no line changed', () => {
      expect(between([...base, threat], '2025-10-01', '2025-10-15').tariffs).toEqual([
        {
          imposedBy: 'US',
          appliedTo: 'CN',
          before: 30,
          after: 30,
          lines: [],
          threatened: { appeared: [threatListed], went: [] },
          considered: { appeared: [], went: [] },
          voided: [],
        },
      ]);
    });

    it('reports a threat that went when its date passed, without putting it in force', () => {
      expect(between([...base, threat], '2025-10-15', '2025-11-02').tariffs).toEqual([
        expect.objectContaining({
          before: 30,
          after: 30,
          lines: [],
          threatened: { appeared: [], went: [threatListed] },
        }),
      ]);
    });

    it('reports a threat that went when an occurred change carried it out, and the line once in force', () => {
      const order = usOnChina('order', '2025-10-20', {
        measure: 'threat-100',
        rate: 100,
        effectiveAt: '2025-11-01',
      });
      const changes = between([...base, threat, order], '2025-10-15', '2025-10-25');
      expect(changes.tariffs).toEqual([
        expect.objectContaining({ lines: [], threatened: { appeared: [], went: [threatListed] } }),
      ]);
      expect(between([...base, threat, order], '2025-10-15', '2025-11-02').tariffs).toEqual([
        expect.objectContaining({
          before: 30,
          after: 130,
          lines: [expect.objectContaining({ measure: 'threat-100', before: null })],
          threatened: { appeared: [], went: [threatListed] },
        }),
      ]);
    });

    it('reports a threat replaced by a newer one: one appeared, one went', () => {
      const newer = tariffChanged({
        eventId: 'newer',
        occurredAt: '2025-10-12',
        modality: 'threatened',
        data: { measure: 'threat-100', rate: 130, effectiveAt: '2025-11-01' },
      });
      const { tariffs } = between([...base, threat, newer], '2025-10-11', '2025-10-15');
      expect(tariffs[0]!.threatened).toEqual({
        appeared: [expect.objectContaining({ eventId: 'newer', rate: 130 })],
        went: [threatListed],
      });
    });

    it('reports a considered option and a pair listed only for it', () => {
      const option = tariffChanged({
        eventId: 'option',
        occurredAt: '2025-06-01',
        modality: 'considered',
        data: { appliedTo: 'EU', measure: 'steel', rate: 25, effectiveAt: undefined },
      });
      expect(between([...base, option], '2025-05-31', '2025-06-02').tariffs).toEqual([
        {
          imposedBy: 'US',
          appliedTo: 'EU',
          before: 0,
          after: 0,
          lines: [],
          threatened: { appeared: [], went: [] },
          considered: {
            appeared: [expect.objectContaining({ eventId: 'option', effectiveAt: null })],
            went: [],
          },
          voided: [],
        },
      ]);
    });

    it('reports a trade measure threat that appeared, then went when its date passed, its status unchanged', () => {
      const measureThreat = tradeMeasureChanged({
        eventId: 'measure-threat',
        occurredAt: '2025-10-09',
        modality: 'threatened',
        data: { appliedTo: ['CN'], action: 'imposed', effectiveAt: '2025-11-01' },
      });
      const listed = {
        action: 'imposed',
        effectiveAt: at('2025-11-01'),
        eventId: 'measure-threat',
        at: at('2025-10-09'),
      };
      const history = [...base, measureThreat];
      expect(between(history, '2025-10-01', '2025-10-15').tradeMeasures).toEqual([
        {
          imposedBy: 'US',
          measure: 'de-minimis-exemption',
          appliedTo: ['CN'],
          kind: 'exemption',
          before: null,
          after: null,
          threatened: { appeared: [listed], went: [] },
          considered: { appeared: [], went: [] },
        },
      ]);
      expect(between(history, '2025-10-15', '2025-11-02').tradeMeasures).toEqual([
        expect.objectContaining({
          before: null,
          after: null,
          threatened: { appeared: [], went: [listed] },
        }),
      ]);
    });

    it('reports a proposal considered in the range apart from those opened, and one made since as went and opened', () => {
      const considered = proposalMade({
        occurredAt: '2025-05-02',
        modality: 'considered',
        data: { proposalId: 'wang-visit', by: 'CN', to: ['US'] },
      });
      const made = proposalMade({
        occurredAt: '2025-05-20',
        data: { proposalId: 'wang-visit', by: 'CN', to: ['US'] },
      });
      const history = [opened, proposal('2025-05-01', 'us-offer'), considered, made];
      const first = between(history, '2025-04-30', '2025-05-03').proposals;
      expect(first.opened.map((p) => p.proposalId)).toEqual(['us-offer']);
      expect(first.stillOpen.map((p) => p.proposalId)).toEqual(['us-offer']);
      expect(first.closed).toEqual([]);
      expect(first.considered).toEqual({
        appeared: [expect.objectContaining({ proposalId: 'wang-visit', status: 'considered' })],
        went: [],
      });
      const second = between(history, '2025-05-03', '2025-05-21').proposals;
      expect(second.opened.map((p) => `${p.proposalId}:${p.status}`)).toEqual([
        'wang-visit:proposed',
      ]);
      expect(second.closed).toEqual([]);
      expect(second.considered).toEqual({
        appeared: [],
        went: [expect.objectContaining({ proposalId: 'wang-visit', status: 'proposed' })],
      });
    });
  });

  describe('given trade measures, stances and demands', () => {
    const history = [
      opened,
      tradeMeasureChanged({
        occurredAt: '2025-03-01',
        data: {
          imposedBy: 'US',
          appliedTo: ['CN'],
          measure: 'de-minimis-exemption',
          kind: 'exemption',
          action: 'granted',
          effectiveAt: '2025-03-01',
        },
      }),
      tradeMeasureChanged({
        occurredAt: '2025-03-01',
        data: {
          imposedBy: 'CN',
          appliedTo: ['US'],
          measure: 'rare-earths',
          kind: 'export-control',
          action: 'imposed',
          effectiveAt: '2025-03-01',
        },
      }),
      statementMade({
        occurredAt: '2025-03-02',
        data: { party: 'US', speaker: 'A', stance: 'hardline' },
      }),
      statementMade({
        occurredAt: '2025-03-02',
        data: { party: 'CN', speaker: 'B', stance: 'neutral' },
      }),
      demandMade({
        occurredAt: '2025-03-05',
        data: { by: 'US', of: 'CN', issue: 'fentanyl', summary: 'curb precursors' },
      }),
      demandMade({
        occurredAt: '2025-03-06',
        data: { by: 'CN', of: 'US', issue: 'tariffs', summary: 'lift tariffs' },
      }),
      tradeMeasureChanged({
        occurredAt: '2025-04-02',
        data: {
          imposedBy: 'US',
          appliedTo: ['CN'],
          measure: 'de-minimis-exemption',
          kind: 'exemption',
          action: 'revoked',
          effectiveAt: '2025-05-02',
        },
      }),
      statementMade({
        occurredAt: '2025-04-10',
        data: { party: 'US', speaker: 'C', stance: 'conciliatory' },
      }),
      statementMade({
        occurredAt: '2025-04-11',
        data: { party: 'CN', speaker: 'D', stance: 'neutral' },
      }),
      demandResolved({ occurredAt: '2025-04-12', data: { by: 'US', of: 'CN', issue: 'fentanyl' } }),
      demandMade({
        occurredAt: '2025-04-13',
        data: { by: 'EU', of: 'CN', issue: 'overcapacity', summary: 'cut steel output' },
      }),
    ];

    const changes = changesBetween(timelineOf(...history), {
      from: endOf('2025-03-31'),
      to: endOf('2025-05-31'),
      knownAt: null,
    });

    it('lists the trade measures whose status changed, once effective', () => {
      expect(changes.tradeMeasures).toEqual([
        {
          imposedBy: 'US',
          measure: 'de-minimis-exemption',
          appliedTo: ['CN'],
          kind: 'exemption',
          before: 'granted',
          after: 'revoked',
          threatened: { appeared: [], went: [] },
          considered: { appeared: [], went: [] },
        },
      ]);
    });

    it('lists the stances that changed, not those restated', () => {
      expect(changes.stances).toEqual([
        {
          party: 'US',
          before: 'hardline',
          after: 'conciliatory',
          speaker: 'C',
          at: at('2025-04-10'),
        },
      ]);
    });

    it('lists the demands made and those resolved in the range', () => {
      expect(changes.demands.made.map((d) => d.issue)).toEqual(['overcapacity']);
      expect(changes.demands.resolved).toEqual([
        expect.objectContaining({
          issue: 'fentanyl',
          status: 'resolved',
          resolvedAt: at('2025-04-12'),
        }),
      ]);
    });
  });

  describe('for any history', () => {
    it('compares exactly the states at `from` and `to`, and lists what /events lists in (from, to]', () => {
      fc.assert(
        fc.property(
          aHistory.chain((history) =>
            fc.tuple(fc.constant(history), aKnownAt(history), anInstant, anInstant),
          ),
          ([history, knownAt, from, to]) => {
            fc.pre(from <= to);
            const timeline = timelineOf(...history);
            const changes = changesBetween(timeline, { from, to, knownAt });
            const before = timeline.stateAt({ asOf: from, knownAt });
            const after = timeline.stateAt({ asOf: to, knownAt });
            const total = (state: typeof before, appliedTo: string) =>
              state.tariffs.find((p) => p.imposedBy === 'US' && p.appliedTo === appliedTo)?.total ??
              0;
            for (const appliedTo of ['CN', 'EU']) {
              const pair = changes.tariffs.find((p) => p.appliedTo === appliedTo);
              expect(pair?.before ?? total(before, appliedTo)).toBe(total(before, appliedTo));
              expect(pair?.after ?? total(before, appliedTo)).toBe(total(after, appliedTo));
            }
            expect(changes.talks).toEqual({
              before: before.talks.status,
              after: after.talks.status,
            });
            const listed = timeline
              .list({ to, knownAt, includeRetracted: false, limit: Infinity })
              .items.filter((i) => i.development.occurredAt > from);
            expect(changes.developments).toEqual(listed.map((i) => i.development));
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
