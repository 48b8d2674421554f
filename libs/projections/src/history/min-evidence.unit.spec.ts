import { describe, expect, it } from '@jest/globals';
import {
  developmentConfirmed,
  developmentDisputed,
  endOf,
  talksHeld,
  tariffChanged,
} from '@parley/domain/testing';
import { timelineOf } from '../testing';
import { changesBetween } from './changes';
import { replay } from './replay';
import { tariffHistory } from './tariff-history';

/**
 * The history answers with minEvidence (contract v1.1): each is made of the developments a fold
 * with that minEvidence takes, as known at knownAt.
 */

const official = { name: 'White House', attribution: 'official-statement' } as const;
const unnamed = { name: 'Reuters', attribution: 'unnamed-sources' } as const;

// Fentanyl 20 from 4 March, officially announced; reciprocal 125 from 10 April, only reported.
const fentanyl = tariffChanged({
  occurredAt: '2025-03-03',
  source: official,
  data: { measure: 'fentanyl-ieepa', rate: 20, effectiveAt: '2025-03-04' },
});
const reciprocal = tariffChanged({
  occurredAt: '2025-04-09',
  source: unnamed,
  data: { measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-10' },
});
const talks = talksHeld({
  occurredAt: '2025-04-20',
  source: unnamed,
  data: { outcome: 'progress' },
});
const bloomberg = developmentConfirmed(talks, { occurredAt: '2025-04-24' });
const disputed = developmentDisputed(talks, { occurredAt: '2025-04-30' });
const history = [fentanyl, reciprocal, talks, bloomberg, disputed];
const range = { from: endOf('2025-03-31'), to: endOf('2025-05-31'), knownAt: null };

describe('GET …/changes with minEvidence', () => {
  it('compares the states made of the selected reports, and lists only those', () => {
    const all = changesBetween(timelineOf(...history), range);
    expect(all.tariffs).toMatchObject([{ before: 20, after: 145 }]);
    expect(all.talks).toEqual({ before: 'none', after: 'ongoing' });
    expect(all.developments.map((d) => d.type)).toEqual([
      'TariffChanged',
      'TalksHeld',
      'DevelopmentConfirmed',
      'DevelopmentDisputed',
    ]);

    const confirmed = changesBetween(timelineOf(...history), {
      ...range,
      minEvidence: 'confirmed',
    });
    expect(confirmed.tariffs).toEqual([]);
    expect(confirmed.talks).toEqual({ before: 'none', after: 'none' });
    expect(confirmed.developments.map((d) => d.type)).toEqual([
      'DevelopmentConfirmed',
      'DevelopmentDisputed',
    ]);
  });

  it('takes the talks before they were disputed, as known then', () => {
    const changes = changesBetween(timelineOf(...history), {
      ...range,
      knownAt: endOf('2025-04-25'),
      minEvidence: 'corroborated',
    });
    expect(changes.talks).toEqual({ before: 'none', after: 'ongoing' });
  });
});

describe('GET …/replay with minEvidence', () => {
  it('replays only the selected developments, each with the state they make', () => {
    const page = replay(timelineOf(...history), {
      from: null,
      to: endOf('2025-05-31'),
      knownAt: null,
      limit: 100,
      minEvidence: 'confirmed',
    });
    expect(
      page.items.map(({ development, state }) => [
        development.type,
        state.tariffs.map((t) => t.total),
        state.talksStatus,
      ]),
    ).toEqual([
      ['NegotiationOpened', [], 'none'],
      // Announced on 3 March, effective the next day: scheduled, not yet counted.
      ['TariffChanged', [0], 'none'],
      ['DevelopmentConfirmed', [20], 'none'],
      ['DevelopmentDisputed', [20], 'none'],
    ]);
  });

  it('continues a page from its cursor with the same selection', () => {
    const timeline = timelineOf(...history);
    const query = {
      from: null,
      to: endOf('2025-05-31'),
      knownAt: null,
      limit: 2,
      minEvidence: 'corroborated' as const,
    };
    const first = replay(timeline, query);
    const last = first.items[first.items.length - 1]!.development;
    const next = replay(timeline, {
      ...query,
      after: { occurredAt: last.occurredAt, revision: last.revision },
    });
    expect(next.items.map(({ development, state }) => [development.type, state.tariffs])).toEqual([
      ['DevelopmentConfirmed', [{ imposedBy: 'US', appliedTo: 'CN', total: 20 }]],
      ['DevelopmentDisputed', [{ imposedBy: 'US', appliedTo: 'CN', total: 20 }]],
    ]);
  });
});

describe('GET …/tariffs/history with minEvidence', () => {
  it('steps only with the selected changes', () => {
    const query = {
      imposedBy: 'US',
      appliedTo: 'CN',
      from: null,
      to: endOf('2025-05-31'),
      knownAt: null,
    };
    const levels = (minEvidence?: 'corroborated') =>
      tariffHistory(timelineOf(...history), {
        ...query,
        ...(minEvidence ? { minEvidence } : {}),
      }).map((p) => [p.at.slice(0, 10), p.total]);
    expect(levels()).toEqual([
      ['2025-03-04', 20],
      ['2025-04-10', 145],
    ]);
    expect(levels('corroborated')).toEqual([['2025-03-04', 20]]);
  });
});
