/**
 * The `parley` command with contract v1.1 "Tariffs as goods pay them", run as a child process
 * against the real app: `export` then `import` carries temporary rates, products, displaced
 * lines and scope changes; `state --product` shows what goods of a product pay between each pair;
 * `deadlines` lists what is due as a table. The facts are the Geneva truce's (../shared/CONTRACT.md).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningApp } from '../support/running-app';
import { parley } from './parley-process';

type Listed = Record<string, unknown> & { type: string; eventId: string; data: Record<string, unknown> };

const ID = 'geneva-truce';
const E = {
  truce: '7e1a0c2b-3d4f-4a5b-8c6d-000000000001',
  exclusion: '7e1a0c2b-3d4f-4a5b-8c6d-000000000002',
  steel: '7e1a0c2b-3d4f-4a5b-8c6d-000000000003',
  threat: '7e1a0c2b-3d4f-4a5b-8c6d-000000000004',
  talks: '7e1a0c2b-3d4f-4a5b-8c6d-000000000005',
};
const whiteHouse = { name: 'The White House', attribution: 'document' };

/** US tariffs on China in 2025, as posted: times as the contract writes them, offsets included. */
const DEVELOPMENTS: Record<string, unknown>[] = [
  {
    type: 'TariffChanged',
    occurredAt: '2025-03-03',
    source: whiteHouse,
    data: { imposedBy: 'US', appliedTo: 'CN', measure: 'fentanyl-ieepa', rate: 20, effectiveAt: '2025-03-04', coverage: 'all-goods' },
  },
  {
    type: 'TariffChanged',
    occurredAt: '2025-04-09',
    source: whiteHouse,
    data: { imposedBy: 'US', appliedTo: 'CN', measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-10T00:01:00-04:00', coverage: 'all-goods' },
  },
  {
    type: 'TariffScopeChanged',
    eventId: E.exclusion,
    occurredAt: '2025-04-11T22:00:00Z',
    source: { name: 'US Customs and Border Protection', attribution: 'document' },
    data: {
      imposedBy: 'US',
      appliedTo: 'CN',
      measure: 'reciprocal',
      effectiveAt: '2025-04-05T04:01:00Z',
      exclude: ['8471', '8517.13', '8542'],
      description: 'Smartphones, computers and chips',
    },
  },
  {
    type: 'TariffChanged',
    eventId: E.truce,
    occurredAt: '2025-05-12',
    source: whiteHouse,
    data: {
      imposedBy: 'US',
      appliedTo: 'CN',
      measure: 'reciprocal',
      rate: 10,
      effectiveAt: '2025-05-14T04:01:00Z',
      until: '2025-08-12T00:01:00-04:00',
      thenRate: 34,
      coverage: 'all-goods',
    },
  },
  {
    type: 'TariffChanged',
    eventId: E.steel,
    occurredAt: '2025-06-03',
    source: whiteHouse,
    data: {
      imposedBy: 'US',
      appliedTo: 'CN',
      measure: 'section-232-steel',
      rate: 50,
      effectiveAt: '2025-06-04T04:01:00Z',
      coverage: 'selected-goods',
      products: ['72', '73'],
      displaces: ['reciprocal'],
    },
  },
  {
    type: 'TalksScheduled',
    eventId: E.talks,
    occurredAt: '2025-07-30',
    data: { scheduledFor: '2025-08-20', venue: 'Stockholm' },
  },
  {
    type: 'TariffChanged',
    eventId: E.threat,
    modality: 'threatened',
    occurredAt: '2025-07-31',
    source: { name: 'Truth Social', attribution: 'official-statement' },
    data: { imposedBy: 'US', appliedTo: 'CN', measure: 'threat-100', rate: 100, effectiveAt: '2025-11-01', coverage: 'all-goods' },
  },
];

const without = (items: Listed[], ...fields: string[]) =>
  items.map((item) => Object.fromEntries(Object.entries(item).filter(([key]) => !fields.includes(key))));

/** The rows of the table under the first line that starts with `heading`, up to the next blank line, as cells. */
function tableUnder(stdout: string, heading: string): string[][] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith(heading));
  if (start < 0) throw new Error(`no "${heading}" in:\n${stdout}`);
  const rows: string[][] = [];
  // The heading, the header row and its rule come first.
  for (const line of lines.slice(start + 3)) {
    if (line.trim() === '') break;
    rows.push(line.trim().split(/\s{2,}/));
  }
  return rows;
}

describe('parley with tariffs as goods pay them (contract v1.1)', () => {
  let app: RunningApp;
  let dir: string;

  const events = async (server: RunningApp): Promise<Listed[]> => {
    const answer = await server.get(`/negotiations/${ID}/events?includeRetracted=true&limit=1000`);
    expect(answer.status).toBe(200);
    return answer.body.items;
  };

  beforeAll(async () => {
    app = await RunningApp.start();
    dir = mkdtempSync(join(tmpdir(), 'parley-cli-tariffs-'));
    const opened = await app.post('/negotiations', {
      id: ID,
      title: 'The Geneva truce',
      openedAt: '2025-02-01',
      parties: [
        { code: 'US', name: 'United States' },
        { code: 'CN', name: 'China' },
      ],
    });
    expect(opened.status).toBe(201);
    for (const development of DEVELOPMENTS) {
      const recorded = await app.post(`/negotiations/${ID}/events`, development);
      expect({ type: development.type, status: recorded.status, body: recorded.body }).toMatchObject({ status: 201 });
    }
  });

  afterAll(async () => {
    await app.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('export, then import into an empty server', () => {
    let exported: string;
    let other: RunningApp;
    const line = (eventId: string) =>
      exported
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((l) => l.eventId === eventId);

    beforeAll(async () => {
      const run = await parley(['export', ID, '--url', app.baseUrl]);
      expect(run.status).toBe(0);
      exported = run.stdout;
      other = await RunningApp.start();
      const file = join(dir, 'round-trip.ndjson');
      writeFileSync(file, exported);
      const imported = await parley(['import', file, '--negotiation', ID, '--url', other.baseUrl, '--quiet']);
      expect(imported.stdout).toMatch(/refused\s+0/);
      expect(imported.status).toBe(0);
    });
    afterAll(() => other.destroy());

    it('writes the scope change and the new fields of tariff changes, times as UTC instants', () => {
      expect(line(E.exclusion)).toEqual({
        type: 'TariffScopeChanged',
        eventId: E.exclusion,
        occurredAt: '2025-04-11T22:00:00.000Z',
        source: { name: 'US Customs and Border Protection', attribution: 'document' },
        data: {
          imposedBy: 'US',
          appliedTo: 'CN',
          measure: 'reciprocal',
          effectiveAt: '2025-04-05T04:01:00.000Z',
          exclude: ['8471', '8517.13', '8542'],
          description: 'Smartphones, computers and chips',
        },
      });
      expect(line(E.truce)).toMatchObject({
        occurredAt: '2025-05-12',
        data: { effectiveAt: '2025-05-14T04:01:00.000Z', until: '2025-08-12T04:01:00.000Z', thenRate: 34 },
      });
      expect(line(E.steel)).toMatchObject({
        data: { coverage: 'selected-goods', products: ['72', '73'], displaces: ['reciprocal'] },
      });
    });

    it('gives the same /events, scope change and new fields included, but for when each was recorded', async () => {
      const [before, after] = await Promise.all([events(app), events(other)]);
      const opening = (items: Listed[]): Listed[] =>
        items.map((i) => (i.type === 'NegotiationOpened' ? { ...i, eventId: 'the opening' } : i));
      expect(without(opening(after), 'recordedAt')).toEqual(without(opening(before), 'recordedAt'));
      expect(after.map((i) => i.type)).toContain('TariffScopeChanged');
    });

    it.each(['2025-04-12', '2025-06-10', '2025-08-01', '2025-08-13'])('gives the same state as of %s', async (asOf) => {
      const [before, after] = await Promise.all([
        app.get(`/negotiations/${ID}/state?asOf=${asOf}`),
        other.get(`/negotiations/${ID}/state?asOf=${asOf}`),
      ]);
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before.body);
    });

    it('imports a hand-written file with the new fields once, however often it is imported', async () => {
      const third = await RunningApp.start();
      try {
        const file = join(dir, 'hand-written.ndjson');
        const lines = [
          { type: 'NegotiationOpened', occurredAt: '2025-02-01', data: { title: 'By hand', parties: [{ code: 'US', name: 'United States' }, { code: 'CN', name: 'China' }] } },
          ...DEVELOPMENTS.map(({ eventId: _id, ...rest }) => rest),
        ];
        writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
        const first = await parley(['import', file, '--negotiation', 'by-hand', '--url', third.baseUrl, '--quiet', '--json']);
        expect(first.status).toBe(0);
        expect(JSON.parse(first.stdout)).toMatchObject({ recorded: DEVELOPMENTS.length, refused: [] });
        const again = await parley(['import', file, '--negotiation', 'by-hand', '--url', third.baseUrl, '--quiet', '--json']);
        expect(JSON.parse(again.stdout)).toMatchObject({ recorded: 0, alreadyRecorded: DEVELOPMENTS.length, refused: [] });
      } finally {
        await third.destroy();
      }
    });

    it('reports a scope change of a line the file never records as refused, naming the rule, and records the rest', async () => {
      const fourth = await RunningApp.start();
      try {
        const file = join(dir, 'unknown-line.ndjson');
        const lines = [
          { type: 'NegotiationOpened', occurredAt: '2025-02-01', data: { title: 'Unknown line', parties: [{ code: 'US', name: 'United States' }, { code: 'CN', name: 'China' }] } },
          DEVELOPMENTS[0],
          { ...DEVELOPMENTS[2], eventId: undefined, data: { ...(DEVELOPMENTS[2]!.data as object), measure: 'section-301' } },
        ];
        writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
        const run = await parley(['import', file, '--negotiation', 'unknown-line', '--url', fourth.baseUrl, '--quiet', '--json']);
        expect(run.status).toBe(1);
        const summary = JSON.parse(run.stdout);
        expect(summary).toMatchObject({ recorded: 1, refused: [{ line: 3 }] });
        expect(summary.refused[0].reason).toMatch(/tariff-line-unknown|data\.measure/);
      } finally {
        await fourth.destroy();
      }
    });
  });

  describe('state --product', () => {
    it('shows what a smartphone pays on 1 August: fentanyl alone, the reciprocal line excludes it', async () => {
      const run = await parley(['state', ID, '--as-of', '2025-08-01', '--product', '8517.13.00', '--url', app.baseUrl]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(tableUnder(run.stdout, 'Applicable to product 8517.13.00')).toEqual([['US → CN', '20', 'fentanyl-ieepa', '–', '–']]);
      // The headline total is as without a product.
      expect(run.stdout).toMatch(/US United States\s+CN China\s+30/);
    });

    it('shows steel at 50 + 20, the reciprocal line displaced', async () => {
      const run = await parley(['state', ID, '--as-of', '2025-08-01', '--product', '7208', '--url', app.baseUrl]);
      expect(run.status).toBe(0);
      const [row] = tableUnder(run.stdout, 'Applicable to product 7208');
      expect(row![0]).toBe('US → CN');
      expect(row![1]).toBe('70');
      expect(row![2]!.split(', ').sort()).toEqual(['fentanyl-ieepa', 'section-232-steel']);
      expect(row![3]).toBe('reciprocal');
    });

    it('shows toys at the total: every all-goods line covers them', async () => {
      const run = await parley(['state', ID, '--as-of', '2025-08-01', '--product', '9503', '--url', app.baseUrl]);
      expect(run.status).toBe(0);
      const [row] = tableUnder(run.stdout, 'Applicable to product 9503');
      expect(row!.slice(0, 2)).toEqual(['US → CN', '30']);
    });

    it('notes the temporary rate, its pending reversion, the exclusions and the products on the lines', async () => {
      const run = await parley(['state', ID, '--as-of', '2025-08-01', '--wide', '--url', app.baseUrl]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/reciprocal\s+10\s.*in force.*until 2025-08-12T04:01:00Z, then 34%.*excluding 8471, 8517\.13, 8542/);
      expect(run.stdout).toMatch(/reciprocal\s+34\s.*scheduled.*the temporary rate ends/);
      expect(run.stdout).toMatch(/section-232-steel\s+50\s.*products 72, 73; displaces reciprocal/);
      expect(run.stdout).not.toContain('Applicable to product');
    });

    it('gives applicable in --json as the server answers it', async () => {
      const run = await parley(['state', ID, '--as-of', '2025-08-01', '--product', '8471', '--json', '--url', app.baseUrl]);
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout).tariffs[0].applicable).toEqual({
        product: '8471',
        rate: 20,
        measures: ['fentanyl-ieepa'],
        displaced: [],
        uncertain: [],
      });
    });

    it('passes the server’s refusal of a malformed code on, naming product (exit 1)', async () => {
      const run = await parley(['state', ID, '--product', '85..17', '--url', app.baseUrl]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/the server refused: .*product/);
    });
  });

  describe('deadlines', () => {
    it('lists what is due after 1 August by time: the reversion, the next round, the threat', async () => {
      const run = await parley(['deadlines', ID, '--as-of', '2025-08-01', '--url', app.baseUrl]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(tableUnder(run.stdout, `Deadlines of ${ID}`)).toEqual([
        ['2025-08-12T04:01:00Z', 'tariff-change', 'US → CN', 'reciprocal', '34% (reversion: the temporary rate ends)', E.truce],
        ['2025-08-20', 'talks-round', '–', '–', 'next round of talks', E.talks],
        ['2025-11-01', 'tariff-threat', 'US → CN', 'threat-100', '100% (threatened, not decided)', E.threat],
      ]);
    });

    it('stops at --to', async () => {
      const run = await parley(['deadlines', ID, '--as-of', '2025-08-01', '--to', '2025-08-15', '--url', app.baseUrl]);
      expect(run.status).toBe(0);
      expect(tableUnder(run.stdout, `Deadlines of ${ID}`).map((row) => row[1])).toEqual(['tariff-change']);
    });

    it('says none when nothing is due', async () => {
      const run = await parley(['deadlines', ID, '--as-of', '2025-12-01', '--url', app.baseUrl]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Deadlines of geneva-truce, after 2025-12-01\n {2}none/);
    });

    it('gives the server’s answer with --json', async () => {
      const run = await parley(['deadlines', ID, '--as-of', '2025-08-01', '--to', '2025-08-15', '--json', '--url', app.baseUrl]);
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([
        {
          at: '2025-08-12T04:01:00.000Z',
          kind: 'tariff-change',
          eventId: E.truce,
          imposedBy: 'US',
          appliedTo: 'CN',
          measure: 'reciprocal',
          rate: 34,
          coverage: 'all-goods',
          reversion: true,
        },
      ]);
    });

    it('refuses without a negotiation (exit 2), and passes on the server’s refusals (exit 1)', async () => {
      expect((await parley(['deadlines', '--url', app.baseUrl])).status).toBe(2);
      const unknown = await parley(['deadlines', 'no-such-negotiation', '--url', app.baseUrl]);
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toMatch(/the server refused/);
      const badDate = await parley(['deadlines', ID, '--as-of', '2025-02-30', '--url', app.baseUrl]);
      expect(badDate.status).toBe(1);
      expect(badDate.stderr).toMatch(/asOf/);
    });
  });
});
