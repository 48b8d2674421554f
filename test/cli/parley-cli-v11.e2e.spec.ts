/**
 * The `parley` command with the fields of contract v1.1 (modality, evidence, dates known roughly),
 * run as a child process against the real app: `state` shows what did not occur apart from what
 * is in force or open, and `export` then `import` gives the same log.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningApp } from '../support/running-app';
import { parley } from './parley-process';

type Listed = Record<string, unknown> & {
  type: string;
  eventId: string;
  occurredAt: string;
  occurredPrecision: string;
  data: Record<string, unknown>;
};

const ID = 'rough-and-hedged';
const T = {
  talks: '6d2f3c1e-6a8e-4a47-9a52-8d7d2f0c1a01',
  yearStatement: '6d2f3c1e-6a8e-4a47-9a52-8d7d2f0c1a02',
  threat: '6d2f3c1e-6a8e-4a47-9a52-8d7d2f0c1a03',
  wangVisit: '6d2f3c1e-6a8e-4a47-9a52-8d7d2f0c1a04',
};

/** Developments as a client posts them, one of each v1.1 field and form. */
const DEVELOPMENTS: Record<string, unknown>[] = [
  {
    type: 'TariffChanged',
    occurredAt: '2025-03-03',
    source: { name: 'The White House', attribution: 'document' },
    data: { imposedBy: 'US', appliedTo: 'CN', measure: 'fentanyl-ieepa', rate: 20, effectiveAt: '2025-03-04', coverage: 'all-goods' },
  },
  {
    type: 'TalksHeld',
    eventId: T.talks,
    occurredAt: '2025-04',
    reportedAt: '2025-04-23',
    source: { name: 'Reuters', attribution: 'unnamed-sources' },
    data: { participants: ['US', 'CN'], level: 'embassy' },
  },
  {
    type: 'StatementMade',
    eventId: T.yearStatement,
    occurredAt: '2025',
    data: { party: 'CN', speaker: 'MOFCOM', stance: 'hardline' },
  },
  { type: 'StatementMade', occurredAt: '2025-03-15', occurredPrecision: 'approximate', data: { party: 'US', speaker: 'Scott Bessent', stance: 'conciliatory' } },
  { type: 'StatementMade', occurredAt: '2025-03', occurredPrecision: 'approximate', data: { party: 'CN', speaker: 'Lin Jian', stance: 'neutral' } },
  {
    type: 'DevelopmentConfirmed',
    occurredAt: '2025-04-25',
    source: { name: 'Bloomberg', attribution: 'unnamed-sources' },
    data: { targetEventId: T.talks, note: 'Other officials say so too' },
  },
  {
    type: 'DevelopmentDisputed',
    occurredAt: '2025-04-28',
    source: { name: 'Ministry of Commerce', attribution: 'official-statement' },
    data: { targetEventId: T.talks, by: 'CN', note: 'No talks have been held' },
  },
  {
    type: 'ProposalMade',
    eventId: T.wangVisit,
    modality: 'considered',
    occurredAt: '2025-05-02',
    source: { name: 'Bloomberg', via: 'Wall Street Journal', attribution: 'unnamed-sources' },
    data: { proposalId: 'wang-visit', by: 'CN', to: ['US'], subject: 'meeting', summary: 'Wang Xiaohong to the US or a third country' },
  },
  {
    type: 'TariffChanged',
    eventId: T.threat,
    modality: 'threatened',
    occurredAt: '2025-10-10T14:00:00-04:00',
    source: { name: 'Truth Social', attribution: 'official-statement' },
    data: { imposedBy: 'US', appliedTo: 'CN', measure: 'threat-100', rate: 100, effectiveAt: '2025-11-01', coverage: 'all-goods' },
  },
  {
    type: 'TariffChanged',
    modality: 'considered',
    occurredAt: '2025-06',
    data: { imposedBy: 'CN', appliedTo: 'US', measure: 'soybeans-option', rate: 50, coverage: 'selected-goods' },
  },
  {
    type: 'TradeMeasureChanged',
    modality: 'threatened',
    occurredAt: '2025-10-11',
    data: { imposedBy: 'US', appliedTo: ['CN'], measure: 'software-export-controls', kind: 'export-control', action: 'imposed', effectiveAt: '2025-11-01' },
  },
  {
    type: 'DevelopmentRetracted',
    occurredAt: '2025-05-03',
    data: { targetEventId: T.yearStatement, reason: 'Misattributed' },
  },
];

const without = (items: Listed[], ...fields: string[]) =>
  items.map((item) => Object.fromEntries(Object.entries(item).filter(([key]) => !fields.includes(key))));

describe('parley with contract v1.1 fields', () => {
  let app: RunningApp;
  let dir: string;
  let exported: string;

  const events = async (server: RunningApp, id: string): Promise<Listed[]> => {
    const answer = await server.get(`/negotiations/${id}/events?includeRetracted=true&limit=1000`);
    expect(answer.status).toBe(200);
    return answer.body.items;
  };

  beforeAll(async () => {
    app = await RunningApp.start();
    dir = mkdtempSync(join(tmpdir(), 'parley-cli-v11-'));
    const opened = await app.post('/negotiations', {
      id: ID,
      title: 'Rough dates and hedged reports',
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
    const run = await parley(['export', ID, '--url', app.baseUrl]);
    expect(run.status).toBe(0);
    exported = run.stdout;
  });

  afterAll(async () => {
    await app.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('export', () => {
    const line = (eventIdOrType: string) =>
      exported
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((l) => l.eventId === eventIdOrType || (l.eventId === undefined && l.type === eventIdOrType));

    it('writes each occurredAt in the form it was posted in, so that its precision is said again', () => {
      expect(line(T.talks)).toMatchObject({ occurredAt: '2025-04' });
      expect(line(T.talks)).not.toHaveProperty('occurredPrecision');
      expect(line(T.yearStatement)).toMatchObject({ occurredAt: '2025' });
      expect(exported).toContain('"occurredAt":"2025-03-03"');
      expect(line(T.threat)).toMatchObject({ occurredAt: '2025-10-10T18:00:00.000Z' });
      expect(exported).toContain('"occurredAt":"2025-03-15T00:00:00.000Z","occurredPrecision":"approximate"');
      expect(exported).toContain('"occurredAt":"2025-03-01T00:00:00.000Z","occurredPrecision":"approximate"');
    });

    it('writes modality, source.via, confirmations and disputes, and nothing the server adds', () => {
      expect(line(T.threat)).toMatchObject({ modality: 'threatened' });
      expect(line(T.wangVisit)).toMatchObject({
        modality: 'considered',
        source: { name: 'Bloomberg', via: 'Wall Street Journal', attribution: 'unnamed-sources' },
      });
      expect(exported).toMatch(/"type":"DevelopmentConfirmed".*"targetEventId":"6d2f3c1e-6a8e-4a47-9a52-8d7d2f0c1a01"/);
      expect(exported).toMatch(/"type":"DevelopmentDisputed".*"by":"CN"/);
      expect(exported).not.toMatch(/"(recordedAt|revision|retracted|negotiationId|evidence|evidenceStatus)"/);
      expect(exported).not.toMatch(/"occurredPrecision":"(instant|day|month|year)"/);
    });
  });

  describe('export, then import into an empty server', () => {
    let other: RunningApp;
    beforeAll(async () => {
      other = await RunningApp.start();
      const file = join(dir, 'round-trip.ndjson');
      writeFileSync(file, exported);
      const run = await parley(['import', file, '--negotiation', ID, '--url', other.baseUrl, '--quiet']);
      expect(run.stdout).toMatch(/refused\s+0/);
      expect(run.status).toBe(0);
    });
    afterAll(() => other.destroy());

    it('gives the same /events, precision and modality included, but for when each was recorded', async () => {
      const [before, after] = await Promise.all([events(app, ID), events(other, ID)]);
      // NegotiationOpened gets its eventId on the server that opens the negotiation.
      const opening = (items: Listed[]): Listed[] =>
        items.map((i) => (i.type === 'NegotiationOpened' ? { ...i, eventId: 'the opening' } : i));
      expect(without(opening(after), 'recordedAt')).toEqual(without(opening(before), 'recordedAt'));
      expect(after.map((i) => i.occurredPrecision)).toEqual(before.map((i) => i.occurredPrecision));
      expect(new Set(after.map((i) => i.occurredPrecision))).toEqual(new Set(['instant', 'day', 'month', 'year', 'approximate']));
    });

    it.each(['2025-04-01', '2025-05-03', '2025-06-15', '2025-10-15'])('gives the same state as of %s', async (asOf) => {
      const [before, after] = await Promise.all([
        app.get(`/negotiations/${ID}/state?asOf=${asOf}`),
        other.get(`/negotiations/${ID}/state?asOf=${asOf}`),
      ]);
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before.body);
    });

    it('imports the log as GET …/events lists it (full UTC times with their precision) to the same precision', async () => {
      const file = join(dir, 'listed.ndjson');
      // In the order of recording (revision), as an export writes it; the listing is in valid-time order.
      const listed = [...(await events(app, ID))].sort((a, b) => Number(a.revision) - Number(b.revision));
      writeFileSync(file, listed.map((item) => JSON.stringify(item)).join('\n') + '\n');
      const run = await parley(['import', file, '--negotiation', 'from-listing', '--url', other.baseUrl, '--fresh-ids', '--quiet']);
      expect(run.stdout).toMatch(/refused\s+0/);
      expect(run.status).toBe(0);
      const [before, after] = await Promise.all([events(app, ID), events(other, 'from-listing')]);
      const dates = (items: Listed[]) => items.map(({ type, occurredAt, occurredPrecision }) => ({ type, occurredAt, occurredPrecision }));
      expect(dates(after)).toEqual(dates(before));
    });
  });

  it('import --fresh-ids points copied confirmations and disputes at the copied report', async () => {
    const file = join(dir, 'copy.ndjson');
    writeFileSync(file, exported);
    const run = await parley(['import', file, '--negotiation', 'hedged-copy', '--url', app.baseUrl, '--fresh-ids', '--quiet']);
    expect(run.stdout).toMatch(/refused\s+0/);
    expect(run.status).toBe(0);
    const copied = await events(app, 'hedged-copy');
    const talks = copied.find((i) => i.type === 'TalksHeld')!;
    expect(talks.eventId).not.toBe(T.talks);
    for (const type of ['DevelopmentConfirmed', 'DevelopmentDisputed']) {
      expect(copied.find((i) => i.type === type)?.data.targetEventId).toBe(talks.eventId);
    }
  });

  describe('state', () => {
    const state = async (asOf: string) => {
      const run = await parley(['state', ID, '--as-of', asOf, '--url', app.baseUrl, '--wide']);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      return run.stdout;
    };

    it('shows a threatened tariff line apart from the lines in force, and out of the total', async () => {
      const out = await state('2025-10-15');
      expect(out).toMatch(/US United States\s+CN China\s+20\n/);
      expect(out).toMatch(/US → CN\s+fentanyl-ieepa\s+20\s+all-goods\s+2025-03-04\s+in force/);
      const apart = out.slice(out.indexOf('Threatened and considered tariff lines'));
      expect(out).toContain('Threatened and considered tariff lines (not in force, in no total)');
      expect(apart).toMatch(/US → CN\s+threat-100\s+100\s+all-goods\s+2025-11-01\s+2025-10-10T18:00:00Z\s+threatened/);
      expect(out.slice(0, out.indexOf('Threatened and considered tariff lines'))).not.toContain('threat-100');
    });

    it('shows a considered tariff line without an effective date as not given', async () => {
      const out = await state('2025-10-15');
      expect(out).toMatch(/CN → US\s+soybeans-option\s+50\s+selected-goods\s+not given\s+2025-06-01\s+considered/);
    });

    it('shows a threatened trade measure apart from the measures in effect', async () => {
      const out = await state('2025-10-15');
      expect(out).toContain('Threatened and considered trade measures (not in effect)');
      expect(out).toMatch(/US\s+CN\s+software-export-controls\s+export-control\s+imposed\s+2025-11-01\s+2025-10-11\s+threatened/);
      expect(out).not.toMatch(/^Trade measures$/m);
    });

    it('shows a considered proposal apart from the open ones', async () => {
      const out = await state('2025-05-03');
      expect(out).toMatch(/Open proposals\n\s+none/);
      expect(out).toMatch(/Considered proposals \(reported weighed, not made\)\n.*\n.*\n\s+wang-visit\s+CN\s+US\s+meeting\s+2025-05-02\s+Wang Xiaohong/);
    });

    it('gives each line its evidence status: the White House document and the posted threat confirmed, the unsourced option reported', async () => {
      const out = await state('2025-10-15');
      expect(out).toMatch(/pair\s+measure\s+rate %\s+coverage\s+effective\s+evidence/);
      expect(out).toMatch(/US → CN\s+fentanyl-ieepa\s+20\s+all-goods\s+2025-03-04\s+in force\s+confirmed/);
      expect(out).toMatch(/US → CN\s+threat-100\s+.*\s+threatened\s+confirmed/);
      expect(out).toMatch(/CN → US\s+soybeans-option\s+.*\s+considered\s+reported/);
      expect(out).toMatch(/software-export-controls\s+.*\s+threatened\s+reported/);
    });

    it('takes --min-evidence: only confirmed reports are folded, and a level that is none is the server\'s 400', async () => {
      const run = await parley(['state', ID, '--as-of', '2025-10-15', '--min-evidence', 'confirmed', '--url', app.baseUrl]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/US → CN\s+threat-100\s+.*\s+threatened\s+confirmed/);
      expect(run.stdout).not.toContain('soybeans-option');
      expect(run.stdout).not.toContain('software-export-controls');
      const refused = await parley(['state', ID, '--min-evidence', 'reported', '--url', app.baseUrl]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/400 validation: minEvidence/);
    });

    it('shows nothing threatened once the threat is due, and no sections for what is not there', async () => {
      const out = await state('2025-03-10');
      expect(out).not.toContain('Threatened and considered');
      expect(out).not.toContain('Considered proposals');
    });
  });
});
