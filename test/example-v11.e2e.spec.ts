/**
 * The shipped example (examples/us-china-2025.ndjson) under contract v1.1, as
 * ../shared/fixtures/us-china-2025-facts.md has it: the 10 October 100% is a threat, never a
 * scheduled change; the April talks are dated by month and disputed by China; the Wang visit is
 * only considered; the Busan agreement has a second source, the White House, confirming it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { looseMismatch } from './support/loose-match';
import { RunningApp } from './support/running-app';

const EXAMPLE = join(__dirname, '..', 'examples', 'us-china-2025.ndjson');
const [openedLine, ...developments] = readFileSync(EXAMPLE, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Record<string, any> & { type: string; eventId: string });

const eventIdOf = (predicate: (d: (typeof developments)[number]) => boolean): string => {
  const found = developments.filter(predicate);
  if (found.length !== 1) throw new Error(`the example has ${found.length} such developments`);
  return found[0]!.eventId;
};
const THREAT = eventIdOf((d) => d.type === 'TariffChanged' && d.occurredAt === '2025-10-10');
const APRIL_TALKS = eventIdOf((d) => d.type === 'TalksHeld' && d.occurredAt === '2025-04');
const BUSAN = eventIdOf((d) => d.type === 'AgreementReached' && d.occurredAt === '2025-10-30');

describe('the example under contract v1.1', () => {
  let app: RunningApp;
  const get = async (path: string) => {
    const answer = await app.get(`/negotiations/us-china-2025${path}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const matches = (actual: unknown, expected: unknown) =>
    expect(looseMismatch(actual, expected)).toBeNull();

  beforeAll(async () => {
    app = await RunningApp.start();
    const opened = await app.post('/negotiations', {
      id: 'us-china-2025',
      ...(openedLine!.data as object),
      openedAt: openedLine!.occurredAt,
    });
    expect(opened.status).toBe(201);
    const recorded = await app.post('/negotiations/us-china-2025/events/batch', {
      events: developments,
    });
    expect({ status: recorded.status, body: recorded.body }).toMatchObject({ status: 201 });
  });

  afterAll(() => app.destroy());

  it('shows the 10 October 100% as threatened, not scheduled, the total unchanged (30) on 15 October', async () => {
    matches(await get('/tariffs?asOf=2025-10-15'), [
      { imposedBy: 'CN', appliedTo: 'US' },
      {
        imposedBy: 'US',
        appliedTo: 'CN',
        total: 30,
        // Only the truce's expiry as the 11 August extension set it (issue 14), never the threat.
        scheduled: [
          {
            measure: 'reciprocal',
            rate: 34,
            effectiveAt: '2025-11-10T05:01:00.000Z',
            reversion: true,
          },
        ],
        considered: [],
        threatened: [
          {
            measure: 'threat-100',
            rate: 100,
            coverage: 'all-goods',
            effectiveAt: '2025-11-01T00:00:00.000Z',
            eventId: THREAT,
            at: '2025-10-10T00:00:00.000Z',
          },
        ],
      },
    ]);
  });

  it('no longer shows the threat once it is withdrawn in Busan (a threat at rate 0), and never applies it', async () => {
    for (const asOf of ['2025-10-31', '2025-11-02']) {
      const pairs = (await get(`/tariffs?asOf=${asOf}`)) as {
        imposedBy: string;
        threatened: unknown[];
        measures: { measure: string }[];
      }[];
      const us = pairs.find((p) => p.imposedBy === 'US')!;
      expect({ asOf, threatened: us.threatened }).toEqual({ asOf, threatened: [] });
      expect(us.measures.map((m) => m.measure)).not.toContain('threat-100');
    }
    matches(await get('/tariffs?asOf=2025-11-02'), [
      { imposedBy: 'CN', appliedTo: 'US' },
      { imposedBy: 'US', appliedTo: 'CN', total: 30 },
    ]);
  });

  it('reports the threat on /changes as appeared in early October and gone by the end of the month', async () => {
    const threatOf = (body: { tariffs: { imposedBy: string; threatened: unknown }[] }) =>
      body.tariffs.find((p) => p.imposedBy === 'US')?.threatened;
    matches(threatOf(await get('/changes?from=2025-10-01&to=2025-10-15')), {
      appeared: [{ measure: 'threat-100', rate: 100, eventId: THREAT }],
      went: [],
    });
    matches(threatOf(await get('/changes?from=2025-10-15&to=2025-10-31')), {
      appeared: [],
      went: [{ measure: 'threat-100', rate: 100, eventId: THREAT }],
    });
  });

  it('dates the April talks by month: a round from 1 April, listed with precision month', async () => {
    matches(await get('/talks?asOf=2025-03-31'), { rounds: 0 });
    matches(await get('/talks?asOf=2025-04-01'), {
      status: 'stalled',
      since: '2025-04-01T00:00:00.000Z',
      rounds: 1,
      lastRoundAt: '2025-04-01T00:00:00.000Z',
    });
  });

  it("records China's denial as a dispute by CN: the round stays, its evidence is disputed", async () => {
    matches(await get('/talks?asOf=2025-05-09'), { status: 'stalled', rounds: 1 });
    const log = await get('/events?type=TalksHeld&to=2025-04-30');
    matches(log, {
      items: [
        {
          eventId: APRIL_TALKS,
          occurredAt: '2025-04-01T00:00:00.000Z',
          occurredPrecision: 'month',
          retracted: false,
          evidence: {
            status: 'disputed',
            sources: ['Reuters'],
            confirmedBy: [],
            disputedBy: ['CN'],
          },
        },
      ],
    });
    matches(await get('/talks?asOf=2025-05-09&minEvidence=corroborated'), { rounds: 0 });
  });

  it('lists the Wang visit as considered, not open', async () => {
    matches(await get('/proposals?asOf=2025-05-03'), [
      { proposalId: 'us-offer-tariff-talks', status: 'under-review' },
    ]);
    matches(await get('/proposals?asOf=2025-05-03&status=considered'), [
      {
        proposalId: 'wang-visit',
        by: 'CN',
        status: 'considered',
        consideredAt: '2025-05-02T00:00:00.000Z',
      },
    ]);
  });

  it('confirms the Busan agreement by a second source, the White House (by US)', async () => {
    matches(await get('/events?type=AgreementReached'), {
      items: [
        { occurredAt: '2025-05-12T00:00:00.000Z' },
        {
          eventId: BUSAN,
          evidence: {
            status: 'confirmed',
            sources: ['Wire reports', 'The White House, fact sheet of 1 November 2025'],
            confirmedBy: ['US'],
            disputedBy: [],
          },
        },
      ],
    });
  });
});
