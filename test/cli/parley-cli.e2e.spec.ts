/**
 * The `parley` command (bin/parley.js) run as a child process against the real app, the way a
 * user runs `npx parley …`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningApp } from '../support/running-app';
import type { Run } from './parley-process';
import { ROOT, parley } from './parley-process';

const EXAMPLE = join(ROOT, 'examples', 'us-china-2025.ndjson');

interface Pair {
  imposedBy: string;
  appliedTo: string;
  total: number;
}
interface Page {
  items: { type: string; data: { measure?: string } }[];
}

const ndjson = (...lines: unknown[]): string =>
  lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';

const OPENING = {
  type: 'NegotiationOpened',
  occurredAt: '2025-02-01',
  data: {
    title: 'A small test negotiation',
    parties: [
      { code: 'US', name: 'United States' },
      { code: 'CN', name: 'China' },
    ],
  },
};
const tariff = (rate: unknown, by = 'US', on = 'CN') => ({
  type: 'TariffChanged',
  occurredAt: '2025-02-01',
  data: {
    imposedBy: by,
    appliedTo: on,
    measure: `line-${String(rate)}`,
    rate,
    effectiveAt: '2025-02-04',
    coverage: 'all-goods',
  },
});
const proposal = {
  type: 'ProposalMade',
  occurredAt: '2025-02-02',
  data: {
    proposalId: 'talks',
    by: 'US',
    to: ['CN'],
    subject: 'talks',
    summary: 'Talks on the tariffs',
  },
};
const response = {
  type: 'ProposalResponded',
  occurredAt: '2025-02-03',
  data: { proposalId: 'talks', by: 'CN', response: 'accepted' },
};
const statement = (speaker: string) => ({
  type: 'StatementMade',
  occurredAt: '2025-02-02',
  data: { party: 'CN', speaker, stance: 'neutral' },
});

describe('parley, the command line', () => {
  let app: RunningApp;
  let dir: string;

  beforeAll(async () => {
    app = await RunningApp.start();
    dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
  });

  afterAll(async () => {
    await app.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('import of the example', () => {
    let first: Run;
    beforeAll(async () => {
      first = await parley([
        'import',
        EXAMPLE,
        '--negotiation',
        'us-china-2025',
        '--url',
        app.baseUrl,
      ]);
    });

    it('opens the negotiation from the first line and records every development', async () => {
      expect(first.status).toBe(0);
      expect(first.stdout).toContain('opened from its NegotiationOpened line');
      expect(first.stdout).toMatch(/accepted\s+57 \(56 recorded now, 0 already recorded\)/);
      expect(first.stdout).toMatch(/refused\s+0/);
      const negotiation = await app.get('/negotiations/us-china-2025');
      expect(negotiation.body).toMatchObject({ revision: 56, eventCount: 57 });
    });

    it('shows its progress on stderr', () => {
      expect(first.stderr).toContain('progress: 57/57 lines');
    });

    it('gives the levels of the facts on 10 April 2025', async () => {
      const tariffs = await app.get<Pair[]>('/negotiations/us-china-2025/tariffs?asOf=2025-04-10');
      expect(tariffs.body.map((p) => [p.imposedBy, p.appliedTo, p.total])).toEqual([
        ['CN', 'US', 84],
        ['US', 'CN', 145],
      ]);
    });

    it('imported again, records nothing twice', async () => {
      const again = await parley([
        'import',
        EXAMPLE,
        '--negotiation',
        'us-china-2025',
        '--url',
        app.baseUrl,
        '--quiet',
      ]);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('already existed');
      expect(again.stdout).toMatch(/accepted\s+57 \(0 recorded now, 56 already recorded\)/);
      expect(again.stderr).toBe('');
      expect((await app.get('/negotiations/us-china-2025')).body.revision).toBe(56);
    });
  });

  describe('import of a file with bad lines', () => {
    let file: string;
    beforeAll(() => {
      file = join(dir, 'bad.ndjson');
      writeFileSync(
        file,
        ndjson(
          OPENING, // line 1
          tariff(10), // line 2
          tariff('high'), // line 3: 400, rate is not a number
          tariff(20, 'US', 'JP'), // line 4: 422, JP was never declared
          '{not json', // line 5
          proposal, // line 6
          '', // a blank line is skipped
          response, // line 8: needs line 6 recorded before it
        ),
      );
    });

    it('records the good lines and names each refused one with the reason', async () => {
      const run = await parley([
        'import',
        file,
        '--negotiation',
        'bad-lines',
        '--url',
        app.baseUrl,
        '--batch-size',
        '10',
      ]);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/lines read\s+7/);
      expect(run.stdout).toMatch(/accepted\s+4 \(3 recorded now/);
      expect(run.stdout).toMatch(/refused\s+3/);
      expect(run.stdout).toMatch(/line 3: 400 validation: data\.rate: .*rate must be a number/);
      expect(run.stdout).toMatch(
        /line 4: 422 party-unknown: party JP has not been declared .*\(data\.appliedTo\)/,
      );
      expect(run.stdout).toMatch(/line 5: not JSON/);
      const log = await app.get<Page>('/negotiations/bad-lines/events');
      expect(log.body.items.map((d) => d.type)).toEqual([
        'NegotiationOpened',
        'TariffChanged',
        'ProposalMade',
        'ProposalResponded',
      ]);
    });

    it('finds a bad line in a big batch by halving it, not with one request per line', async () => {
      const requests = async () => {
        const text = (await app.get<string>('/metrics')).body;
        return [
          ...text.matchAll(
            /^parley_http_requests_total\{method="POST",route="\/negotiations\/:id\/events(?:\/batch)?".*\} (\d+)$/gm,
          ),
        ]
          .map((m) => Number(m[1]))
          .reduce((a, b) => a + b, 0);
      };
      const big = join(dir, 'big.ndjson');
      const lines: object[] = Array.from({ length: 64 }, (_, i) => statement(`Speaker ${i}`));
      lines[40] = tariff('high');
      writeFileSync(big, ndjson(OPENING, ...lines));
      const before = await requests();
      const run = await parley([
        'import',
        big,
        '--negotiation',
        'halving',
        '--url',
        app.baseUrl,
        '--batch-size',
        '64',
        '--quiet',
      ]);
      const used = (await requests()) - before;
      expect(run.stdout).toMatch(/accepted\s+64 \(63 recorded now/);
      expect(run.stdout).toMatch(/line 42: 400 validation/);
      // One batch, then two halves per level down to the bad line: 1 + 2·log2(64) = 13.
      expect(used).toBeLessThanOrEqual(13);
    });

    it('prints the summary as JSON when asked', async () => {
      const run = await parley([
        'import',
        file,
        '--negotiation',
        'bad-lines-json',
        '--url',
        app.baseUrl,
        '--json',
        '--quiet',
      ]);
      const summary = JSON.parse(run.stdout) as { recorded: number; refused: { line: number }[] };
      expect(summary.recorded).toBe(3);
      expect(summary.refused.map((r) => r.line).sort()).toEqual([3, 4, 5]);
    });

    describe('with --strict', () => {
      it('stops at the first refused batch, of which nothing is recorded, and sends nothing after it', async () => {
        const strictFile = join(dir, 'strict.ndjson');
        writeFileSync(
          strictFile,
          ndjson(OPENING, tariff(10), tariff(15), tariff('high'), statement('Later')),
        );
        const run = await parley([
          'import',
          strictFile,
          '--negotiation',
          'strict-batches',
          '--url',
          app.baseUrl,
          '--strict',
          '--batch-size',
          '2',
        ]);
        expect(run.status).toBe(1);
        expect(run.stdout).toMatch(/line 4: 400 validation: data\.rate/);
        // Batches of two: lines 2–3 are recorded, lines 4–5 refused as a whole.
        expect(run.stdout).toMatch(
          /Stopped: batch of lines 4–5 refused; nothing of it was recorded/,
        );
        const log = await app.get<Page>('/negotiations/strict-batches/events');
        expect(log.body.items.map((d) => d.data.measure ?? null)).toEqual([
          null,
          'line-10',
          'line-15',
        ]);
      });

      it('refuses a file with a line that is not a development before sending anything', async () => {
        const run = await parley([
          'import',
          file,
          '--negotiation',
          'strict-local',
          '--url',
          app.baseUrl,
          '--strict',
        ]);
        expect(run.status).toBe(1);
        expect(run.stdout).toMatch(/Stopped: line 5 is not a development/);
        expect((await app.get('/negotiations/strict-local')).status).toBe(404);
      });
    });

    it('refuses a file for a negotiation that does not exist and has no opening line', async () => {
      const headless = join(dir, 'headless.ndjson');
      writeFileSync(headless, ndjson(tariff(10)));
      const run = await parley([
        'import',
        headless,
        '--negotiation',
        'nowhere',
        '--url',
        app.baseUrl,
      ]);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/Stopped: negotiation nowhere does not exist/);
    });
  });

  describe('export', () => {
    let exported: string;
    beforeAll(async () => {
      const run = await parley(['export', 'us-china-2025', '--url', app.baseUrl]);
      expect(run.status).toBe(0);
      expect(run.stderr).toContain('exported 57 developments of us-china-2025');
      exported = run.stdout;
    });

    it('writes NDJSON in the order of recording, the opening first, retracted reports and retractions included', () => {
      const lines = exported
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; eventId?: string });
      expect(lines).toHaveLength(57);
      // Opened on a date: written as that date, so that importing it opens it on a day again.
      expect(lines[0]).toMatchObject({ type: 'NegotiationOpened', occurredAt: '2025-02-01' });
      const example = readFileSync(EXAMPLE, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { eventId?: string });
      expect(lines.slice(1).map((l) => l.eventId)).toEqual(example.slice(1).map((l) => l.eventId));
      expect(lines.map((l) => l.type)).toContain('DevelopmentRetracted');
      expect(exported).not.toMatch(/"(recordedAt|revision|retracted|negotiationId)"/);
    });

    describe('re-imported into an empty server', () => {
      let other: RunningApp;
      beforeAll(async () => {
        other = await RunningApp.start();
        const file = join(dir, 'round-trip.ndjson');
        writeFileSync(file, exported);
        const run = await parley([
          'import',
          file,
          '--negotiation',
          'us-china-2025',
          '--url',
          other.baseUrl,
          '--quiet',
        ]);
        expect(run.status).toBe(0);
      });
      afterAll(() => other.destroy());

      it.each(['2025-02-05', '2025-04-07', '2025-04-10', '2025-05-14', '2025-11-01', '2025-12-31'])(
        'gives the identical state as of %s',
        async (asOf) => {
          const [before, after] = await Promise.all([
            app.get(`/negotiations/us-china-2025/state?asOf=${asOf}`),
            other.get(`/negotiations/us-china-2025/state?asOf=${asOf}`),
          ]);
          expect(after.status).toBe(200);
          expect(after.body).toEqual(before.body);
        },
      );

      it('gives the identical log, but for when it was recorded', async () => {
        const strip = (items: Record<string, unknown>[]) =>
          items.map(({ recordedAt: _recordedAt, eventId, type, ...rest }) => ({
            type,
            ...rest,
            eventId: type === 'NegotiationOpened' ? null : eventId,
          }));
        const [before, after] = await Promise.all([
          app.get('/negotiations/us-china-2025/events?includeRetracted=true&limit=1000'),
          other.get('/negotiations/us-china-2025/events?includeRetracted=true&limit=1000'),
        ]);
        expect(strip(after.body.items)).toEqual(strip(before.body.items));
        const [a, b] = await Promise.all([
          app.get('/negotiations/us-china-2025'),
          other.get('/negotiations/us-china-2025'),
        ]);
        expect(b.body).toEqual(a.body);
      });
    });

    it('re-imported under another id on the same server with --fresh-ids, gives the same levels', async () => {
      const file = join(dir, 'copy.ndjson');
      writeFileSync(file, exported);
      const run = await parley([
        'import',
        file,
        '--negotiation',
        'us-china-copy',
        '--url',
        app.baseUrl,
        '--fresh-ids',
        '--quiet',
      ]);
      expect(run.status).toBe(0);
      const totals = async (id: string, asOf: string) =>
        (await app.get<Pair[]>(`/negotiations/${id}/tariffs?asOf=${asOf}`)).body.map(
          (p: { total: number }) => p.total,
        );
      for (const asOf of ['2025-04-10', '2025-06-01']) {
        expect(await totals('us-china-copy', asOf)).toEqual(await totals('us-china-2025', asOf));
      }
      // The copied retraction points at the copied report, so that report stays retracted.
      const stances = (await app.get('/negotiations/us-china-copy/state?asOf=2025-04-08')).body
        .stances;
      expect(stances).toEqual([]);
    });

    it('--output writes the file instead', async () => {
      const file = join(dir, 'out.ndjson');
      const run = await parley([
        'export',
        'us-china-2025',
        '--url',
        app.baseUrl,
        '--output',
        file,
        '--quiet',
      ]);
      expect(run.status).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(exported);
    });
  });

  describe('state', () => {
    it('prints the state of play as tables', async () => {
      const run = await parley([
        'state',
        'us-china-2025',
        '--as-of',
        '2025-04-10',
        '--url',
        app.baseUrl,
      ]);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('As of 2025-04-10 (end of day), as known now');
      expect(run.stdout).toMatch(/US United States\s+CN China\s+145/);
      expect(run.stdout).toMatch(/CN China\s+US United States\s+84/);
      expect(run.stdout).toMatch(
        /US → CN\s+reciprocal\s+125\s+all-goods\s+2025-04-10T04:01:00Z\s+in force/,
      );
      expect(run.stdout).toMatch(
        /US\s+CN, HK\s+de-minimis-exemption\s+exemption\s+not yet in effect/,
      );
      expect(run.stdout).toMatch(/Open demands\n.*\n.*\n\s+US\s+CN\s+fentanyl-precursors/);
    });

    it('takes --known-at, and says when nothing was known yet', async () => {
      const known = await parley([
        'state',
        'us-china-2025',
        '--as-of',
        '2025-04-10',
        '--known-at',
        new Date().toISOString(),
        '--url',
        app.baseUrl,
      ]);
      expect(known.status).toBe(0);
      expect(known.stdout).toMatch(/as known at \d{4}-/);
      const early = await parley([
        'state',
        'us-china-2025',
        '--as-of',
        '2025-04-10',
        '--known-at',
        '2025-01-01',
        '--url',
        app.baseUrl,
      ]);
      expect(early.status).toBe(1);
      expect(early.stderr).toMatch(/the server refused: 404 negotiation-not-known-yet/);
    });

    it('prints JSON with --json', async () => {
      const run = await parley([
        'state',
        'us-china-2025',
        '--as-of',
        '2025-04-10',
        '--json',
        '--url',
        app.baseUrl,
      ]);
      expect(JSON.parse(run.stdout)).toMatchObject({
        negotiationId: 'us-china-2025',
        asOf: '2025-04-10T23:59:59.999Z',
      });
    });

    it('names a bad date as the server does', async () => {
      const run = await parley([
        'state',
        'us-china-2025',
        '--as-of',
        '2025-02-30',
        '--url',
        app.baseUrl,
      ]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/400 validation: asOf: asOf must be an ISO 8601 date/);
    });
  });

  describe('talking to the server', () => {
    it('sends PARLEY_API_KEY as a bearer token', async () => {
      const seen: (string | undefined)[] = [];
      const stub = createServer((request, response) => {
        seen.push(request.headers.authorization);
        response.writeHead(401, { 'content-type': 'application/problem+json' });
        response.end(
          JSON.stringify({
            type: '/problems/unauthorized',
            title: 'Unauthorized',
            status: 401,
            detail: 'a valid API key is needed',
          }),
        );
      });
      await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
      try {
        const run = await parley(['list', '--url', url], { PARLEY_API_KEY: 'secret-key' });
        expect(run.status).toBe(1);
        expect(run.stderr).toMatch(/401 unauthorized: a valid API key is needed/);
        expect(seen).toEqual(['Bearer secret-key']);
      } finally {
        stub.close();
      }
    });

    it('says so plainly when the server cannot be reached', async () => {
      const stub = createServer();
      await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
      const port = (stub.address() as AddressInfo).port;
      await new Promise((resolve) => stub.close(resolve));
      const run = await parley(['list', '--url', `http://127.0.0.1:${port}`]);
      expect(run.status).toBe(3);
      expect(run.stderr).toMatch(
        /cannot reach the Parley server at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/,
      );
    });

    it('lists the negotiations', async () => {
      const run = await parley(['list', '--url', app.baseUrl]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(
        /us-china-2025\s+US–China trade and fentanyl talks, 2025\s+57\s+2025-02-01\s+2025-11-05/,
      );
    });
  });

  describe('usage', () => {
    it.each([
      [['import', EXAMPLE], /import needs --negotiation ID/],
      [['import', '/no/such/file.ndjson', '--negotiation', 'x'], /no such file/],
      [
        ['import', EXAMPLE, '--negotiation', 'x', '--batch-size', '5000'],
        /--batch-size must be a whole number from 1 to 1000/,
      ],
      [['state'], /state takes one negotiation id/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['list', '--colour'], /Unknown option '--colour'/],
    ])('parley %j exits 2 with a hint', async (args, message) => {
      const run = await parley(args);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
    });

    it('prints help', async () => {
      const run = await parley(['--help']);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('parley import FILE.ndjson --negotiation ID');
    });
  });
});
