import { describe, expect, it } from '@jest/globals';
import type { RecordDevelopment } from './decide';
import { decide } from './decide';
import { withParsedTimes } from './development';
import type { DefinedType } from './developments';
import { envelopeFaults } from './developments/envelope';
import { DomainError } from './domain-error';
import type { Draft, Overrides } from './testing';
import {
  agreementReached,
  at,
  decisionModelOf,
  demandMade,
  demandResolved,
  developmentConfirmed,
  developmentDisputed,
  developmentRetracted,
  negotiationOpened,
  partyJoined,
  proposalMade,
  proposalResponded,
  specification,
  statementMade,
  talksHeld,
  talksScheduled,
  talksStatusChanged,
  tariffChanged,
  tradeMeasureChanged,
  unrecorded,
} from './testing';

/** The tracker's clock in these specifications, unless one says otherwise. */
const NOW = '2025-06-01T12:00:00.000Z';

/** The command the write path decides: a development a client posts, at the tracker's clock. */
function recording(development: Draft, now: string = NOW): RecordDevelopment {
  return { development: unrecorded(development), now: at(now) };
}

/**
 * given(developments already recorded).when(recording(a new one)): decide against the situation
 * the write path builds, the decision model as of the new development's occurredAt with every
 * event known now.
 */
const given = specification((history: readonly Draft[], command: RecordDevelopment) =>
  decide(command, decisionModelOf(...history).situationAt(command.development.occurredAt)),
);

function refusal(rule: DomainError['rule'], path: string, kind: DomainError['kind'] = 'rejected') {
  return { rule, kind, path };
}

describe('decide', () => {
  describe('when the development is dated in the future', () => {
    it('refuses one more than a day after the tracker clock', () => {
      given()
        .when(recording(statementMade({ occurredAt: '2025-06-02T12:00:00.001Z' })))
        .thenThrows(DomainError, refusal('occurred-in-future', 'occurredAt'));
    });

    it('refuses a date-only occurredAt two days ahead', () => {
      given()
        .when(recording(talksStatusChanged({ occurredAt: '2025-06-03' })))
        .thenThrows(DomainError, refusal('occurred-in-future', 'occurredAt'));
    });

    it('accepts one exactly a day ahead, which another time zone may already call today', () => {
      const statement = statementMade({ occurredAt: '2025-06-02T12:00:00Z' });
      given()
        .when(recording(statement))
        .then([unrecorded(statement)]);
    });

    it('judges against the clock passed in, not the machine clock', () => {
      const statement = statementMade({ occurredAt: '2030-01-01' });
      given()
        .when(recording(statement, '2029-12-31T00:00:00.000Z'))
        .then([unrecorded(statement)]);
      given()
        .when(recording(statement, '2025-06-01T00:00:00.000Z'))
        .thenThrows(DomainError, refusal('occurred-in-future', 'occurredAt'));
    });
  });

  describe('when its occurredAt is known only roughly (contract v1.1, "Dates known roughly")', () => {
    /** The draft as a client would post it with this occurredAt, read as the request pipe reads it. */
    function dated<D extends Draft<DefinedType>>(
      development: D,
      occurredAt: string,
      approximate = false,
    ): D {
      const read = withParsedTimes({
        ...development,
        occurredAt,
        ...(approximate && { occurredPrecision: 'approximate' }),
      });
      if (!('development' in read)) throw new Error(`not a time: ${read.invalidTime}`);
      return { ...development, ...read.development };
    }

    it('refuses a month that starts more than a day after the clock: 2026-12 recorded on 2026-11-20', () => {
      given()
        .when(recording(dated(talksHeld(), '2026-12'), '2026-11-20T12:00:00.000Z'))
        .thenThrows(DomainError, refusal('occurred-in-future', 'occurredAt'));
    });

    it('accepts the month under way, though most of it is still ahead: 2026-11 on 2026-11-20', () => {
      const talks = dated(talksHeld(), '2026-11');
      given()
        .when(recording(talks, '2026-11-20T12:00:00.000Z'))
        .thenVerify(([decided]) => {
          expect(decided).toMatchObject({
            occurredAt: '2026-11-01T00:00:00.000Z',
            occurredPrecision: 'month',
          });
        });
    });

    it('judges a year by its start too: 2026 from its eve on, 2027 refused in November 2026', () => {
      const year = dated(talksHeld(), '2026');
      given()
        .when(recording(year, '2026-01-01T00:00:00.000Z'))
        .then([unrecorded(year)]);
      given()
        .when(recording(year, '2025-12-31T00:00:00.000Z'))
        .then([unrecorded(year)]);
      given()
        .when(recording(dated(talksHeld(), '2027'), '2026-11-20T12:00:00.000Z'))
        .thenThrows(DomainError, refusal('occurred-in-future', 'occurredAt'));
    });

    it('gives a month starting tomorrow the day every date has: another time zone may already be in it', () => {
      const talks = dated(talksHeld(), '2026-12');
      given()
        .when(recording(talks, '2026-11-30T00:00:00.000Z'))
        .then([unrecorded(talks)]);
      given()
        .when(recording(talks, '2026-11-29T23:59:59.999Z'))
        .thenThrows(DomainError, refusal('occurred-in-future', 'occurredAt'));
    });

    it('does not relax the rule when the date is approximate', () => {
      given()
        .when(recording(dated(talksHeld(), '2026-12', true), '2026-11-20T12:00:00.000Z'))
        .thenThrows(DomainError, refusal('occurred-in-future', 'occurredAt'));
      given()
        .when(recording(dated(talksHeld(), '2026-12-15', true), '2026-11-20T12:00:00.000Z'))
        .thenThrows(DomainError, refusal('occurred-in-future', 'occurredAt'));
    });

    it.each<[string, string]>([
      ['2025', 'year'],
      ['2025-04', 'month'],
      ['2025-04-23', 'day'],
    ])('records %s with precision %s, unchanged', (text, precision) => {
      const talks = dated(talksHeld(), text);
      expect(talks.occurredPrecision).toBe(precision);
      given()
        .when(recording(talks))
        .then([unrecorded(talks)]);
    });

    it('records approximate with any form, unchanged', () => {
      for (const text of ['2025', '2025-03', '2025-03-15', '2025-03-15T10:00:00+01:00']) {
        const statement = dated(statementMade(), text, true);
        expect(statement.occurredPrecision).toBe('approximate');
        given()
          .when(recording(statement))
          .then([unrecorded(statement)]);
      }
    });

    it('judges the parties as of the start of the period: one who joined mid-month is not yet declared', () => {
      const joined = partyJoined({
        occurredAt: '2025-04-10',
        data: { party: { code: 'JP', name: 'Japan' } },
      });
      given(joined)
        .when(recording(dated(talksHeld({ data: { participants: ['US', 'JP'] } }), '2025-04')))
        .thenThrows(DomainError, refusal('party-unknown', 'data.participants[1]'));
      const may = dated(talksHeld({ data: { participants: ['US', 'JP'] } }), '2025-05');
      given(joined)
        .when(recording(may))
        .then([unrecorded(may)]);
    });
  });

  describe('when the development names a party that is not declared', () => {
    it.each<[string, Draft, string]>([
      ['TariffChanged appliedTo', tariffChanged({ data: { appliedTo: 'JP' } }), 'data.appliedTo'],
      ['TariffChanged imposedBy', tariffChanged({ data: { imposedBy: 'JP' } }), 'data.imposedBy'],
      [
        'TradeMeasureChanged appliedTo',
        tradeMeasureChanged({ data: { appliedTo: ['CN', 'JP'] } }),
        'data.appliedTo[1]',
      ],
      ['ProposalMade by', proposalMade({ data: { by: 'JP' } }), 'data.by'],
      ['ProposalMade to', proposalMade({ data: { to: ['CN', 'JP'] } }), 'data.to[1]'],
      [
        'TalksScheduled participants',
        talksScheduled({ data: { participants: ['JP'] } }),
        'data.participants[0]',
      ],
      [
        'TalksHeld participants',
        talksHeld({ data: { participants: ['US', 'JP'] } }),
        'data.participants[1]',
      ],
      ['StatementMade party', statementMade({ data: { party: 'JP' } }), 'data.party'],
      ['DemandMade of', demandMade({ data: { of: 'JP' } }), 'data.of'],
      ['DemandResolved by', demandResolved({ data: { by: 'JP' } }), 'data.by'],
      [
        'AgreementReached parties',
        agreementReached({ data: { parties: ['US', 'JP'] } }),
        'data.parties[1]',
      ],
    ])('refuses %s, pointing at the field', (_field, development, path) => {
      given().when(recording(development)).thenThrows(DomainError, refusal('party-unknown', path));
    });

    it('refuses a response by an undeclared party before looking at the proposal', () => {
      given(proposalMade({ occurredAt: '2025-05-01' }))
        .when(recording(proposalResponded({ occurredAt: '2025-05-02', data: { by: 'JP' } })))
        .thenThrows(DomainError, refusal('party-unknown', 'data.by'));
    });

    describe('and the party joins only later in valid time', () => {
      const joined = partyJoined({
        occurredAt: '2025-05-01',
        data: { party: { code: 'JP', name: 'Japan' } },
      });

      it('refuses a development dated before it joined', () => {
        given(joined)
          .when(recording(tariffChanged({ occurredAt: '2025-04-30', data: { appliedTo: 'JP' } })))
          .thenThrows(DomainError, refusal('party-unknown', 'data.appliedTo'));
      });

      it('accepts one dated the moment it joined or after', () => {
        const sameDay = tariffChanged({ occurredAt: '2025-05-01', data: { appliedTo: 'JP' } });
        const later = tariffChanged({ occurredAt: '2025-05-20', data: { appliedTo: 'JP' } });
        given(joined)
          .when(recording(sameDay))
          .then([unrecorded(sameDay)]);
        given(joined)
          .when(recording(later))
          .then([unrecorded(later)]);
      });
    });

    it('knows a party from a late report of its joining, dated before the new development', () => {
      const tariff = tariffChanged({ occurredAt: '2025-04-20', data: { appliedTo: 'JP' } });
      given(
        statementMade({ occurredAt: '2025-05-10' }),
        partyJoined({ occurredAt: '2025-04-01', data: { party: { code: 'JP', name: 'Japan' } } }),
      )
        .when(recording(tariff))
        .then([unrecorded(tariff)]);
    });

    it('forgets a party whose joining was retracted', () => {
      const joined = partyJoined({
        occurredAt: '2025-04-01',
        data: { party: { code: 'JP', name: 'Japan' } },
      });
      given(joined, developmentRetracted(joined, { occurredAt: '2025-04-02' }))
        .when(recording(tariffChanged({ occurredAt: '2025-04-20', data: { appliedTo: 'JP' } })))
        .thenThrows(DomainError, refusal('party-unknown', 'data.appliedTo'));
    });

    it('knows the founding parties even before the negotiation was opened', () => {
      const early = tariffChanged({ occurredAt: '2025-01-10', data: { appliedTo: 'HK' } });
      given(negotiationOpened({ occurredAt: '2025-02-01' }))
        .when(recording(early))
        .then([unrecorded(early)]);
    });
  });

  describe('when a party joins', () => {
    it('accepts a party not yet declared', () => {
      const joined = partyJoined({ data: { party: { code: 'JP', name: 'Japan' } } });
      given()
        .when(recording(joined))
        .then([unrecorded(joined)]);
    });

    it('refuses a party already declared as of then (a rule beyond the contract list)', () => {
      given()
        .when(recording(partyJoined({ data: { party: { code: 'CN', name: 'China' } } })))
        .thenThrows(DomainError, refusal('party-already-declared', 'data.party.code'));
    });

    it('accepts an earlier-dated joining of a party that joins later in valid time', () => {
      const jp = { code: 'JP', name: 'Japan' };
      const earlier = partyJoined({ occurredAt: '2025-03-01', data: { party: jp } });
      given(partyJoined({ occurredAt: '2025-05-01', data: { party: jp } }))
        .when(recording(earlier))
        .then([unrecorded(earlier)]);
    });
  });

  describe('when a party would impose a measure on itself', () => {
    it('refuses a tariff with imposedBy == appliedTo', () => {
      given()
        .when(recording(tariffChanged({ data: { imposedBy: 'US', appliedTo: 'US' } })))
        .thenThrows(DomainError, refusal('parties-differ', 'data.appliedTo'));
    });

    it('refuses a trade measure whose appliedTo includes imposedBy, pointing at that element', () => {
      given()
        .when(
          recording(tradeMeasureChanged({ data: { imposedBy: 'US', appliedTo: ['CN', 'US'] } })),
        )
        .thenThrows(DomainError, refusal('parties-differ', 'data.appliedTo[1]'));
    });

    it('accepts measures between different parties', () => {
      const tariff = tariffChanged({ data: { imposedBy: 'CN', appliedTo: 'US' } });
      const measure = tradeMeasureChanged({ data: { imposedBy: 'US', appliedTo: ['CN', 'HK'] } });
      given()
        .when(recording(tariff))
        .then([unrecorded(tariff)]);
      given()
        .when(recording(measure))
        .then([unrecorded(measure)]);
    });
  });

  describe('when a proposal is made', () => {
    it('accepts a proposalId not used before', () => {
      const proposal = proposalMade({ data: { proposalId: 'wang-visit', by: 'CN', to: ['US'] } });
      given(proposalMade({ data: { proposalId: 'us-offer' } }))
        .when(recording(proposal))
        .then([unrecorded(proposal)]);
    });

    it('refuses a used proposalId as a conflict', () => {
      given(proposalMade({ occurredAt: '2025-05-01', data: { proposalId: 'us-offer' } }))
        .when(
          recording(proposalMade({ occurredAt: '2025-05-03', data: { proposalId: 'us-offer' } })),
        )
        .thenThrows(DomainError, refusal('proposal-id-in-use', 'data.proposalId', 'conflict'));
    });

    it('refuses an id used by a proposal made later in valid time: ids are unique in the negotiation', () => {
      given(proposalMade({ occurredAt: '2025-05-10', data: { proposalId: 'us-offer' } }))
        .when(
          recording(proposalMade({ occurredAt: '2025-05-01', data: { proposalId: 'us-offer' } })),
        )
        .thenThrows(DomainError, refusal('proposal-id-in-use', 'data.proposalId', 'conflict'));
    });

    it('accepts the id of a proposal whose report was retracted', () => {
      const retracted = proposalMade({
        occurredAt: '2025-05-01',
        data: { proposalId: 'us-offer' },
      });
      const again = proposalMade({ occurredAt: '2025-05-03', data: { proposalId: 'us-offer' } });
      given(retracted, developmentRetracted(retracted, { occurredAt: '2025-05-02' }))
        .when(recording(again))
        .then([unrecorded(again)]);
    });
  });

  describe('when a proposal is only considered (contract v1.1 modality)', () => {
    const weighed = proposalMade({
      occurredAt: '2025-05-02',
      modality: 'considered',
      data: { proposalId: 'wang-visit', by: 'CN', to: ['US'] },
    });

    it('accepts a considered proposal under a new id', () => {
      given()
        .when(recording(weighed))
        .then([unrecorded(weighed)]);
    });

    it('refuses a response to it as not made', () => {
      given(weighed)
        .when(
          recording(
            proposalResponded({
              occurredAt: '2025-05-04',
              data: { proposalId: 'wang-visit', by: 'US', response: 'accepted' },
            }),
          ),
        )
        .thenThrows(DomainError, refusal('proposal-not-made', 'data.proposalId'));
    });

    it('lets the same party make it later, and then it can be answered', () => {
      const made = proposalMade({
        occurredAt: '2025-05-06',
        data: { proposalId: 'wang-visit', by: 'CN', to: ['US'] },
      });
      given(weighed)
        .when(recording(made))
        .then([unrecorded(made)]);
      const answer = proposalResponded({
        occurredAt: '2025-05-07',
        data: { proposalId: 'wang-visit', by: 'US', response: 'accepted' },
      });
      given(weighed, made)
        .when(recording(answer))
        .then([unrecorded(answer)]);
    });

    it('refuses a response dated while it was still only considered', () => {
      const made = proposalMade({
        occurredAt: '2025-05-06',
        data: { proposalId: 'wang-visit', by: 'CN', to: ['US'] },
      });
      given(weighed, made)
        .when(
          recording(
            proposalResponded({
              occurredAt: '2025-05-03',
              data: { proposalId: 'wang-visit', by: 'US', response: 'rejected' },
            }),
          ),
        )
        .thenThrows(DomainError, refusal('proposal-not-made', 'data.proposalId'));
    });

    it('refuses another party making a proposal under its id, as a conflict', () => {
      given(weighed)
        .when(
          recording(
            proposalMade({
              occurredAt: '2025-05-06',
              data: { proposalId: 'wang-visit', by: 'US', to: ['CN'] },
            }),
          ),
        )
        .thenThrows(DomainError, refusal('proposal-id-in-use', 'data.proposalId', 'conflict'));
    });

    it('refuses considering again a proposal already made', () => {
      const made = proposalMade({
        occurredAt: '2025-05-01',
        data: { proposalId: 'wang-visit', by: 'CN', to: ['US'] },
      });
      given(made)
        .when(recording({ ...weighed, eventId: '00000000-0000-4000-8000-0000000fffff' }))
        .thenThrows(DomainError, refusal('proposal-id-in-use', 'data.proposalId', 'conflict'));
    });
  });

  describe('when a proposal is answered', () => {
    const offer = proposalMade({
      occurredAt: '2025-05-01',
      data: { proposalId: 'us-offer', by: 'US', to: ['CN', 'HK'] },
    });
    const answer = (o: Overrides<'ProposalResponded'>): Draft<'ProposalResponded'> =>
      proposalResponded({
        occurredAt: '2025-05-05',
        ...o,
        data: { proposalId: 'us-offer', by: 'CN', ...o.data },
      });

    it('accepts a response by a party it was made to', () => {
      const accepted = answer({ data: { response: 'accepted' } });
      given(offer)
        .when(recording(accepted))
        .then([unrecorded(accepted)]);
    });

    it('accepts a response at the very moment the proposal was made', () => {
      const review = answer({
        occurredAt: '2025-05-01',
        data: { by: 'HK', response: 'under-review' },
      });
      given(offer)
        .when(recording(review))
        .then([unrecorded(review)]);
    });

    it('refuses a response to an unknown proposal', () => {
      given(offer)
        .when(recording(answer({ data: { proposalId: 'no-such-offer' } })))
        .thenThrows(DomainError, refusal('proposal-unknown', 'data.proposalId'));
    });

    it('refuses a response to a proposal whose report was retracted', () => {
      given(offer, developmentRetracted(offer, { occurredAt: '2025-05-02' }))
        .when(recording(answer({})))
        .thenThrows(DomainError, refusal('proposal-unknown', 'data.proposalId'));
    });

    it('refuses a response dated before the proposal was made', () => {
      given(offer)
        .when(recording(answer({ occurredAt: '2025-04-30T23:59:59Z' })))
        .thenThrows(DomainError, refusal('proposal-not-yet-made', 'data.proposalId'));
    });

    describe('and the proposal is already closed at the response time', () => {
      it.each(['accepted', 'rejected', 'countered', 'withdrawn'] as const)(
        'refuses any response after it was %s',
        (closing) => {
          given(
            offer,
            answer({
              occurredAt: '2025-05-03',
              data: { by: closing === 'withdrawn' ? 'US' : 'CN', response: closing },
            }),
          )
            .when(
              recording(
                answer({ occurredAt: '2025-05-05', data: { by: 'HK', response: 'accepted' } }),
              ),
            )
            .thenThrows(DomainError, refusal('proposal-closed', 'data.proposalId'));
        },
      );

      it('refuses a response at the same instant as the closing one', () => {
        given(offer, answer({ occurredAt: '2025-05-05', data: { response: 'rejected' } }))
          .when(
            recording(
              answer({ occurredAt: '2025-05-05', data: { by: 'HK', response: 'accepted' } }),
            ),
          )
          .thenThrows(DomainError, refusal('proposal-closed', 'data.proposalId'));
      });
    });

    it('accepts a response dated before a later closing one: the rule looks at the state then', () => {
      const early = answer({
        occurredAt: '2025-05-04',
        data: { by: 'HK', response: 'under-review' },
      });
      given(offer, answer({ occurredAt: '2025-05-10', data: { response: 'rejected' } }))
        .when(recording(early))
        .then([unrecorded(early)]);
    });

    it('accepts further responses while the proposal is under review', () => {
      const accepted = answer({ occurredAt: '2025-05-06', data: { response: 'accepted' } });
      given(offer, answer({ occurredAt: '2025-05-03', data: { response: 'under-review' } }))
        .when(recording(accepted))
        .then([unrecorded(accepted)]);
    });

    it('accepts a withdrawal by the proposer', () => {
      const withdrawn = answer({ data: { by: 'US', response: 'withdrawn' } });
      given(offer)
        .when(recording(withdrawn))
        .then([unrecorded(withdrawn)]);
    });

    it('refuses a withdrawal by anyone but the proposer', () => {
      given(offer)
        .when(recording(answer({ data: { by: 'CN', response: 'withdrawn' } })))
        .thenThrows(DomainError, refusal('proposal-withdrawn-by-proposer-only', 'data.by'));
    });

    it.each(['under-review', 'accepted', 'rejected', 'countered'] as const)(
      'refuses %s by a declared party the proposal was not made to',
      (response) => {
        given(offer, partyJoined({ occurredAt: '2025-04-01' }))
          .when(recording(answer({ data: { by: 'EU', response } })))
          .thenThrows(DomainError, refusal('proposal-response-by-addressee-only', 'data.by'));
      },
    );

    it('refuses the proposer answering its own proposal other than by withdrawing it', () => {
      given(offer)
        .when(recording(answer({ data: { by: 'US', response: 'accepted' } })))
        .thenThrows(DomainError, refusal('proposal-response-by-addressee-only', 'data.by'));
    });
  });

  describe('when a demand is resolved', () => {
    const demand = demandMade({
      occurredAt: '2025-02-01',
      data: { by: 'US', of: 'CN', issue: 'fentanyl-precursors' },
    });
    const resolution = (o: Overrides<'DemandResolved'> = {}): Draft<'DemandResolved'> =>
      demandResolved({
        occurredAt: '2025-05-12',
        ...o,
        data: { by: 'US', of: 'CN', issue: 'fentanyl-precursors', ...o.data },
      });

    it('accepts the resolution of the open demand', () => {
      const resolved = resolution();
      given(demand)
        .when(recording(resolved))
        .then([unrecorded(resolved)]);
    });

    it('refuses it when no demand was ever made', () => {
      given()
        .when(recording(resolution()))
        .thenThrows(DomainError, refusal('demand-not-open', 'data.issue'));
    });

    it('refuses it when the demand is made only later in valid time, saying as of when', () => {
      given(demand)
        .when(recording(resolution({ occurredAt: '2025-01-15' })))
        .thenThrows(DomainError, {
          ...refusal('demand-not-open', 'data.issue'),
          message: expect.stringContaining('as of 2025-01-15T00:00:00.000Z') as unknown as string,
        });
    });

    it('refuses it when the demand was already resolved then', () => {
      given(demand, resolution({ occurredAt: '2025-05-01' }))
        .when(recording(resolution()))
        .thenThrows(DomainError, refusal('demand-not-open', 'data.issue'));
    });

    it.each<[string, Partial<Draft<'DemandResolved'>['data']>]>([
      ['by', { by: 'CN', of: 'US' }],
      ['of', { of: 'HK' }],
      ['issue', { issue: 'soybeans' }],
    ])('refuses it when the %s does not match the open demand', (_field, data) => {
      given(demand)
        .when(recording(resolution({ data })))
        .thenThrows(DomainError, refusal('demand-not-open', 'data.issue'));
    });

    it('accepts the resolution of a demand made again after it was resolved', () => {
      const resolved = resolution({ occurredAt: '2025-06-01' });
      given(
        demand,
        resolution({ occurredAt: '2025-03-01' }),
        demandMade({ occurredAt: '2025-04-01' }),
      )
        .when(recording(resolved))
        .then([unrecorded(resolved)]);
    });
  });

  describe('when a development is retracted', () => {
    const opened = negotiationOpened();
    const tariff = tariffChanged({ occurredAt: '2025-04-09' });

    it('accepts the retraction of a recorded development', () => {
      const retraction = developmentRetracted(tariff, { occurredAt: '2025-04-12' });
      given(opened, tariff)
        .when(recording(retraction))
        .then([unrecorded(retraction)]);
    });

    it('accepts it dated before the development it retracts: it acts on the report, not the world', () => {
      const retraction = developmentRetracted(tariff, { occurredAt: '2025-03-01' });
      given(opened, tariff)
        .when(recording(retraction))
        .then([unrecorded(retraction)]);
    });

    it('refuses the retraction of an unknown event', () => {
      given(opened, tariff)
        .when(recording(developmentRetracted('11111111-2222-4333-8444-555555555555')))
        .thenThrows(DomainError, refusal('retraction-target-unknown', 'data.targetEventId'));
    });

    it('refuses the retraction of NegotiationOpened', () => {
      given(opened, tariff)
        .when(recording(developmentRetracted(opened, { occurredAt: '2025-04-12' })))
        .thenThrows(
          DomainError,
          refusal('retraction-target-not-retractable', 'data.targetEventId'),
        );
    });

    it('refuses the retraction of a retraction', () => {
      const retraction = developmentRetracted(tariff, { occurredAt: '2025-04-12' });
      given(opened, tariff, retraction)
        .when(recording(developmentRetracted(retraction, { occurredAt: '2025-04-13' })))
        .thenThrows(
          DomainError,
          refusal('retraction-target-not-retractable', 'data.targetEventId'),
        );
    });

    it('refuses the retraction of an event already retracted', () => {
      given(opened, tariff, developmentRetracted(tariff, { occurredAt: '2025-04-12' }))
        .when(recording(developmentRetracted(tariff, { occurredAt: '2025-04-13' })))
        .thenThrows(
          DomainError,
          refusal('retraction-target-already-retracted', 'data.targetEventId'),
        );
    });
  });

  describe('when a report is confirmed or disputed (contract v1.1, Evidence)', () => {
    const opened = negotiationOpened();
    const talks = talksHeld({
      occurredAt: '2025-04-22',
      source: { name: 'Reuters', attribution: 'unnamed-sources' },
    });
    /** A confirmation or a dispute of `target`: the two builders take the same overrides. */
    type Judge = (target: Draft | string, o?: Overrides<'DevelopmentConfirmed'>) => Draft;
    const judgements: ['DevelopmentConfirmed' | 'DevelopmentDisputed', Judge][] = [
      ['DevelopmentConfirmed', developmentConfirmed],
      ['DevelopmentDisputed', developmentDisputed],
    ];

    describe.each(judgements)('%s', (type, judge) => {
      it('accepts it of a recorded report, by another source or by a party', () => {
        const bySource = judge(talks, {
          occurredAt: '2025-04-24',
          source: { name: 'Bloomberg' },
          data: { by: undefined },
        });
        const byParty = judge(talks, { occurredAt: '2025-04-25', data: { by: 'CN' } });
        for (const judgement of [bySource, byParty]) {
          given(opened, talks)
            .when(recording(judgement))
            .then([unrecorded(judgement)]);
        }
      });

      it('accepts it dated before the report: it judges the report, not the world', () => {
        const judgement = judge(talks, { occurredAt: '2025-04-01' });
        given(opened, talks)
          .when(recording(judgement))
          .then([unrecorded(judgement)]);
      });

      it('refuses an unknown target', () => {
        given(opened, talks)
          .when(recording(judge('11111111-2222-4333-8444-555555555555')))
          .thenThrows(DomainError, refusal('evidence-target-unknown', 'data.targetEventId'));
      });

      it('refuses a retracted target', () => {
        const retraction = developmentRetracted(talks, { occurredAt: '2025-04-23' });
        given(opened, talks, retraction)
          .when(recording(judge(talks, { occurredAt: '2025-04-24' })))
          .thenThrows(DomainError, refusal('evidence-target-retracted', 'data.targetEventId'));
      });

      it.each<[string, (targets: Record<string, Draft>) => Draft]>([
        ['NegotiationOpened', (t) => t.opened!],
        ['DevelopmentRetracted', (t) => t.retraction!],
        ['DevelopmentConfirmed', (t) => t.confirmation!],
        ['DevelopmentDisputed', (t) => t.dispute!],
      ])('refuses a target that is not a report: a %s', (_target, pick) => {
        const statement = statementMade({ occurredAt: '2025-04-20' });
        const targets = {
          opened,
          retraction: developmentRetracted(statement, { occurredAt: '2025-04-21' }),
          confirmation: developmentConfirmed(talks, { occurredAt: '2025-04-23' }),
          dispute: developmentDisputed(talks, { occurredAt: '2025-04-23' }),
        };
        given(opened, statement, talks, targets.retraction, targets.confirmation, targets.dispute)
          .when(recording(judge(pick(targets), { occurredAt: '2025-04-24' })))
          .thenThrows(DomainError, refusal('evidence-target-not-a-report', 'data.targetEventId'));
      });

      it('refuses a party that is not declared, naming data.by', () => {
        given(opened, talks)
          .when(recording(judge(talks, { occurredAt: '2025-04-24', data: { by: 'JP' } })))
          .thenThrows(DomainError, refusal('party-unknown', 'data.by'));
      });

      it('needs a source unless a party judges: a form rule (400, see envelope.unit.spec.ts) that decide leaves alone', () => {
        const sourceless = judge(talks, { occurredAt: '2025-04-24', data: { by: undefined } });
        delete (sourceless as { source?: unknown }).source;
        expect(envelopeFaults(type, sourceless)).toEqual([
          expect.objectContaining({ path: 'source' }),
        ]);
        const byParty = judge(talks, { occurredAt: '2025-04-24', data: { by: 'US' } });
        delete (byParty as { source?: unknown }).source;
        expect(envelopeFaults(type, byParty)).toEqual([]);
        given(opened, talks)
          .when(recording(byParty))
          .then([unrecorded(byParty)]);
      });

      it('can itself be retracted, and then the report can be judged again', () => {
        const judgement = judge(talks, { occurredAt: '2025-04-24' });
        const retraction = developmentRetracted(judgement, { occurredAt: '2025-04-26' });
        given(opened, talks, judgement)
          .when(recording(retraction))
          .then([unrecorded(retraction)]);
        const again = judge(talks, { occurredAt: '2025-04-27' });
        given(opened, talks, judgement, retraction)
          .when(recording(again))
          .then([unrecorded(again)]);
      });

      it('cannot be retracted twice', () => {
        const judgement = judge(talks, { occurredAt: '2025-04-24' });
        given(
          opened,
          talks,
          judgement,
          developmentRetracted(judgement, { occurredAt: '2025-04-26' }),
        )
          .when(recording(developmentRetracted(judgement, { occurredAt: '2025-04-27' })))
          .thenThrows(
            DomainError,
            refusal('retraction-target-already-retracted', 'data.targetEventId'),
          );
      });
    });
  });

  describe('when nothing in the rules applies', () => {
    it.each<[string, Draft]>([
      ['TalksScheduled', talksScheduled({ data: { participants: ['US', 'CN'], venue: 'Geneva' } })],
      ['TalksHeld', talksHeld({ data: { participants: ['US', 'CN'], outcome: 'progress' } })],
      ['TalksStatusChanged', talksStatusChanged({ data: { status: 'suspended' } })],
      [
        'StatementMade',
        statementMade({ data: { party: 'CN', speaker: 'MOFCOM', stance: 'hardline' } }),
      ],
      ['DemandMade', demandMade({ data: { by: 'CN', of: 'US', issue: 'tariff-removal' } })],
      [
        'AgreementReached',
        agreementReached({ data: { parties: ['US', 'CN'], effectiveAt: '2025-05-14' } }),
      ],
      ['TariffChanged', tariffChanged({ data: { rate: 0 } })],
      ['TradeMeasureChanged', tradeMeasureChanged({ data: { action: 'reinstated' } })],
    ])('accepts %s and returns it unchanged as the one event to append', (_type, development) => {
      given()
        .when(recording(development))
        .then([unrecorded(development)]);
    });
  });
});
