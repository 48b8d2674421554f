import type { DefinedType } from '@parley/domain';
import { DEVELOPMENTS, RECORDABLE_TYPES } from '@parley/domain';
import type { AppsOnStore } from '../support/apps-on-store';
import { negotiation, proposalMade, proposalResponded, tariffChanged } from '../support/requests';
import type { RunningApp } from '../support/running-app';

/**
 * Contract v1.1, "Modality", end to end: the contract's two examples (the Wang visit considered;
 * the 10 October 2025 threat of 100% from 1 November) through /state, /tariffs, /proposals,
 * /changes, /tariffs/history, /replay and /events; a considered trade measure; a considered
 * proposal made later; and the refusals, which write nothing.
 */

const ID = 'modality';
const path = (rest: string) => `/negotiations/${ID}${rest}`;
const whiteHouse = { name: 'The White House', attribution: 'official-statement' };

/** The US tariffs on China in 2025 up to the Geneva truce: fentanyl 20 + reciprocal 10 = 30. */
const history = [
  tariffChanged(
    { measure: 'fentanyl-ieepa', rate: 10, effectiveAt: '2025-02-04' },
    { occurredAt: '2025-02-01', source: whiteHouse },
  ),
  tariffChanged(
    { measure: 'fentanyl-ieepa', rate: 20, effectiveAt: '2025-03-04' },
    { occurredAt: '2025-03-03', source: whiteHouse },
  ),
  tariffChanged(
    { measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-10' },
    { occurredAt: '2025-04-09', source: whiteHouse },
  ),
  proposalMade(
    { proposalId: 'us-offer-tariff-talks', summary: 'Resume discussions over the 145% tariffs' },
    { occurredAt: '2025-05-01' },
  ),
  tariffChanged(
    { measure: 'reciprocal', rate: 10, effectiveAt: '2025-05-14' },
    { occurredAt: '2025-05-12', source: whiteHouse },
  ),
];

/** The contract's example, as written there. */
const wangVisit = {
  type: 'ProposalMade',
  modality: 'considered',
  occurredAt: '2025-05-02',
  source: { name: 'Wall Street Journal', attribution: 'unnamed-sources' },
  data: {
    proposalId: 'wang-visit',
    by: 'CN',
    to: ['US'],
    subject: 'meeting',
    summary: 'Wang Xiaohong to the US or a third country',
  },
};

/** The 10 October 2025 threat: 100% from 1 November. */
const threat100 = tariffChanged(
  { measure: 'threat-100', rate: 100, effectiveAt: '2025-11-01' },
  {
    occurredAt: '2025-10-10',
    modality: 'threatened',
    source: { name: 'Truth Social', attribution: 'official-statement' },
  },
);

/** Beijing weighing export controls on rare earths, no date given. */
const rareEarths = {
  type: 'TradeMeasureChanged',
  modality: 'considered',
  occurredAt: '2025-10-11',
  source: { name: 'Reuters', attribution: 'unnamed-sources' },
  data: {
    imposedBy: 'CN',
    appliedTo: ['US'],
    measure: 'rare-earth-export-controls',
    kind: 'export-control',
    action: 'imposed',
  },
};

type Proposal = {
  proposalId: string;
  status: string;
  madeAt: string | null;
  consideredAt: string | null;
};
type Pair = {
  imposedBy: string;
  appliedTo: string;
  total: number;
  scheduled: unknown[];
  threatened: Record<string, unknown>[];
  considered: Record<string, unknown>[];
};

export function describeModality(apps: AppsOnStore): void {
  describe(`modality (${apps.storeName})`, () => {
    let app: RunningApp;
    const eventIds: Record<string, string> = {};

    async function record(name: string, body: unknown): Promise<void> {
      const answer = await app.post(path('/events'), body);
      expect({ name, status: answer.status, body: answer.body }).toMatchObject({
        name,
        status: 201,
      });
      eventIds[name] = answer.body.eventId as string;
    }

    const get = async (rest: string) => {
      const answer = await app.get(path(rest));
      expect({ rest, status: answer.status }).toEqual({ rest, status: 200 });
      return answer.body;
    };
    const ids = (proposals: Proposal[]) => proposals.map((p) => `${p.proposalId}:${p.status}`);
    const usOnChina = (pairs: Pair[]) =>
      pairs.find((p) => p.imposedBy === 'US' && p.appliedTo === 'CN');

    beforeAll(async () => {
      app = await apps.start();
      expect(
        (
          await app.post(
            '/negotiations',
            negotiation({
              id: ID,
              openedAt: '2025-01-20',
              parties: [
                { code: 'US', name: 'United States' },
                { code: 'CN', name: 'China' },
              ],
            }),
          )
        ).status,
      ).toBe(201);
      for (const [i, body] of history.entries()) await record(`history-${i}`, body);
      await record('wangVisit', wangVisit);
      await record('threat100', threat100);
      await record('rareEarths', rareEarths);
    });

    afterAll(() => app.destroy());

    describe('the Wang visit, considered', () => {
      it('as of 2025-05-03 the open proposals are the US offer of talks alone', async () => {
        expect(ids(await get('/proposals?asOf=2025-05-03'))).toEqual([
          'us-offer-tariff-talks:proposed',
        ]);
      });

      it('lists wang-visit as considered with consideredAt, not made, under status=considered and all', async () => {
        const considered = (await get(
          '/proposals?asOf=2025-05-03&status=considered',
        )) as Proposal[];
        expect(considered).toEqual([
          {
            proposalId: 'wang-visit',
            by: 'CN',
            to: ['US'],
            subject: 'meeting',
            summary: 'Wang Xiaohong to the US or a third country',
            terms: [],
            status: 'considered',
            counterProposalId: null,
            madeAt: null,
            consideredAt: '2025-05-02T00:00:00.000Z',
            updatedAt: '2025-05-02T00:00:00.000Z',
          },
        ]);
        expect(ids(await get('/proposals?asOf=2025-05-03&status=all'))).toEqual([
          'us-offer-tariff-talks:proposed',
          'wang-visit:considered',
        ]);
        expect(ids(await get('/proposals?asOf=2025-05-03&status=proposed'))).toEqual([
          'us-offer-tariff-talks:proposed',
        ]);
        const state = await get('/state?asOf=2025-05-03');
        expect(ids(state.proposals)).toEqual([
          'us-offer-tariff-talks:proposed',
          'wang-visit:considered',
        ]);
        expect(state.proposals[0].consideredAt).toBeNull();
      });

      it('is listed by /events with its modality', async () => {
        const { items } = await get('/events?type=ProposalMade');
        // The log gives the modality as posted: none on the US offer, which says none.
        expect(items.map((i: { modality?: string }) => i.modality)).toEqual([
          undefined,
          'considered',
        ]);
      });

      it('reports it under /changes proposals.considered, not as opened', async () => {
        const changes = await get('/changes?from=2025-04-30&to=2025-05-03');
        expect(ids(changes.proposals.opened)).toEqual(['us-offer-tariff-talks:proposed']);
        expect(ids(changes.proposals.considered.appeared)).toEqual(['wang-visit:considered']);
        expect(changes.proposals.considered.went).toEqual([]);
      });
    });

    describe('the 10 October 2025 threat of 100% from 1 November', () => {
      it('as of 2025-10-15 the US→CN pair shows it under threatened, nothing under scheduled, total unchanged (30)', async () => {
        const pair = usOnChina(await get('/tariffs?asOf=2025-10-15'))!;
        expect(pair).toMatchObject({ total: 30, scheduled: [], considered: [] });
        expect(pair.threatened).toEqual([
          expect.objectContaining({
            measure: 'threat-100',
            rate: 100,
            coverage: 'all-goods',
            effectiveAt: '2025-11-01T00:00:00.000Z',
            eventId: eventIds.threat100,
            at: '2025-10-10T00:00:00.000Z',
          }),
        ]);
        expect(usOnChina((await get('/state?asOf=2025-10-15')).tariffs)).toEqual(pair);
      });

      it('is not listed before it was made, and after 1 November it is gone and changed nothing', async () => {
        expect(usOnChina(await get('/tariffs?asOf=2025-10-09'))).toMatchObject({
          total: 30,
          threatened: [],
        });
        expect(usOnChina(await get('/tariffs?asOf=2025-11-02'))).toMatchObject({
          total: 30,
          scheduled: [],
          threatened: [],
        });
      });

      it('makes no point in /tariffs/history', async () => {
        const points = await get(
          '/tariffs/history?imposedBy=US&appliedTo=CN&from=2025-10-01&to=2025-12-31',
        );
        expect(points.map((p: { total: number }) => p.total)).toEqual([30]);
      });

      it('appears in /changes and goes once its date passes, the total unchanged', async () => {
        const appeared = await get('/changes?from=2025-10-01&to=2025-10-15');
        expect(appeared.tariffs).toEqual([
          expect.objectContaining({
            imposedBy: 'US',
            appliedTo: 'CN',
            before: 30,
            after: 30,
            lines: [],
            threatened: {
              appeared: [expect.objectContaining({ eventId: eventIds.threat100 })],
              went: [],
            },
          }),
        ]);
        const went = await get('/changes?from=2025-10-15&to=2025-11-02');
        expect(usOnChina(went.tariffs)).toMatchObject({
          before: 30,
          after: 30,
          threatened: {
            appeared: [],
            went: [expect.objectContaining({ eventId: eventIds.threat100 })],
          },
        });
      });

      it('is replayed with its modality and the total unchanged', async () => {
        const page = await get('/replay?from=2025-10-09&to=2025-10-10');
        expect(page.items).toEqual([
          expect.objectContaining({
            development: expect.objectContaining({
              eventId: eventIds.threat100,
              modality: 'threatened',
            }),
            state: expect.objectContaining({
              tariffs: [{ imposedBy: 'US', appliedTo: 'CN', total: 30 }],
            }),
          }),
        ]);
      });
    });

    describe('a trade measure only considered, with no date', () => {
      it('is an item with status null and the option under considered, effectiveAt null', async () => {
        const items = await get('/state?asOf=2025-12-31');
        expect(items.tradeMeasures).toEqual([
          expect.objectContaining({
            imposedBy: 'CN',
            appliedTo: ['US'],
            measure: 'rare-earth-export-controls',
            kind: 'export-control',
            status: null,
            effectiveAt: null,
            eventId: null,
            scheduled: [],
            threatened: [],
            considered: [
              expect.objectContaining({
                action: 'imposed',
                effectiveAt: null,
                eventId: eventIds.rareEarths,
                at: '2025-10-11T00:00:00.000Z',
              }),
            ],
          }),
        ]);
      });
    });

    describe('refusals: nothing is written', () => {
      const revision = async () => (await app.get(path(''))).body.revision as number;

      async function refused(body: Record<string, unknown>, status: number, expected: unknown) {
        const before = await revision();
        const answer = await app.post(path('/events'), body);
        expect({
          type: body.type,
          modality: body.modality,
          status: answer.status,
          body: answer.body,
        }).toMatchObject({
          type: body.type,
          modality: body.modality,
          status,
          body: expected,
        });
        expect(await revision()).toBe(before);
      }

      const withModality = (type: DefinedType, modality: string) => ({
        type,
        modality,
        occurredAt: '2025-06-01',
        source: { name: 'Reuters', attribution: 'unnamed-sources' },
        data: DEVELOPMENTS[type].example,
      });

      it('400 naming modality for threatened or considered on every type that does not allow it', async () => {
        let refusals = 0;
        for (const type of RECORDABLE_TYPES) {
          const allowed: readonly string[] =
            (DEVELOPMENTS[type] as { modalities?: readonly string[] }).modalities ?? [];
          for (const modality of ['threatened', 'considered']) {
            if (allowed.includes(modality)) continue;
            refusals++;
            await refused(withModality(type, modality), 400, {
              errors: [expect.objectContaining({ path: 'modality' })],
            });
          }
        }
        // Every type but TariffChanged and TradeMeasureChanged twice, ProposalMade once.
        expect(refusals).toBe(2 * RECORDABLE_TYPES.length - 5);
      });

      it('400 naming modality for a modality the contract does not know', async () => {
        await refused({ ...threat100, modality: 'rumoured' }, 400, {
          errors: [expect.objectContaining({ path: 'modality' })],
        });
      });

      it('400 naming data.effectiveAt when it is left out of a change that is not considered', async () => {
        for (const modality of [undefined, 'occurred', 'threatened']) {
          for (const body of [threat100, rareEarths]) {
            const data: Record<string, unknown> = { ...(body.data as Record<string, unknown>) };
            delete data.effectiveAt;
            await refused({ ...body, modality, data }, 400, {
              errors: [expect.objectContaining({ path: 'data.effectiveAt' })],
            });
          }
        }
      });

      it('422 proposal-not-made for a response to the considered wang-visit', async () => {
        await refused(
          proposalResponded(
            { proposalId: 'wang-visit', by: 'US', response: 'accepted' },
            { occurredAt: '2025-05-05' },
          ),
          422,
          { rule: 'proposal-not-made' },
        );
      });

      it('409 for the same proposal id made by another party', async () => {
        await refused(
          proposalMade(
            { proposalId: 'wang-visit', by: 'US', to: ['CN'], subject: 'meeting' },
            { occurredAt: '2025-05-20' },
          ),
          409,
          { rule: 'proposal-id-in-use' },
        );
      });
    });

    describe('wang-visit made later by China', () => {
      it('is proposed, madeAt its occurredAt, consideredAt kept, and open from then on', async () => {
        await record('wangMade', { ...wangVisit, modality: undefined, occurredAt: '2025-05-20' });
        expect(ids(await get('/proposals?asOf=2025-05-19'))).toEqual([
          'us-offer-tariff-talks:proposed',
        ]);
        const open = (await get('/proposals?asOf=2025-05-21')) as Proposal[];
        expect(open.map((p) => [p.proposalId, p.status, p.madeAt, p.consideredAt])).toEqual([
          ['us-offer-tariff-talks', 'proposed', '2025-05-01T00:00:00.000Z', null],
          ['wang-visit', 'proposed', '2025-05-20T00:00:00.000Z', '2025-05-02T00:00:00.000Z'],
        ]);
        expect(await get('/proposals?asOf=2025-05-21&status=considered')).toEqual([]);
        const changes = await get('/changes?from=2025-05-03&to=2025-05-21');
        expect(ids(changes.proposals.opened)).toEqual(['wang-visit:proposed']);
        expect(ids(changes.proposals.considered.went)).toEqual(['wang-visit:proposed']);
      });
    });
  });
}
