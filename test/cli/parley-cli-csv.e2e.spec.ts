/**
 * `parley export ID --csv` (issue 16) run as a child process against the real app: the log for a
 * spreadsheet, read back here with csv-parse.
 */
import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { negotiation, statementMade, tariffChanged } from '../support/requests';
import type { HttpAnswer } from '../support/running-app';
import { RunningApp } from '../support/running-app';
import { ROOT, parley } from './parley-process';

const EXAMPLE = join(ROOT, 'examples', 'us-china-2025.ndjson');

const rowsOf = (text: string): Record<string, string>[] =>
  parse<Record<string, string>>(text, { columns: true, record_delimiter: '\r\n' });

/** Every development as GET …/events lists it, retracted ones included, page after page. */
async function listed(app: RunningApp, id: string): Promise<{ eventId: string }[]> {
  const items: { eventId: string }[] = [];
  let cursor: string | null = null;
  do {
    const page: HttpAnswer<{ items: { eventId: string }[]; nextCursor: string | null }> =
      await app.get(
        `/negotiations/${id}/events?includeRetracted=true&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

describe('parley export --csv', () => {
  let app: RunningApp;
  let dir: string;

  beforeAll(async () => {
    app = await RunningApp.start();
    dir = mkdtempSync(join(tmpdir(), 'parley-cli-csv-'));
    const run = await parley([
      'import',
      EXAMPLE,
      '--negotiation',
      'us-china-2025',
      '--quiet',
      '--url',
      app.baseUrl,
    ]);
    expect(run.status).toBe(0);
  });

  afterAll(async () => {
    await app.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the example’s log on stdout: a header row, one row per development in the log’s order, retracted ones included', async () => {
    const run = await parley(['export', 'us-china-2025', '--csv', '--url', app.baseUrl]);

    expect(run.status).toBe(0);
    expect(run.stderr).toBe('exported 57 developments of us-china-2025\n');
    expect(run.stdout.startsWith('occurredAt,occurredPrecision,type,')).toBe(true);
    const rows = rowsOf(run.stdout);
    expect(rows.map((row) => row.eventId)).toEqual(
      (await listed(app, 'us-china-2025')).map((item) => item.eventId),
    );
    expect(rows[0]).toMatchObject({ type: 'NegotiationOpened', revision: '0' });
    // The false "90-day pause" report of 7 April, retracted the same day.
    expect(rows.filter((row) => row.retracted === 'true')).toHaveLength(1);
    expect(rows.filter((row) => row.type === 'DevelopmentRetracted')).toHaveLength(1);
  });

  it('follows the pages past 1000 developments into one file with one header row, cells escaped', async () => {
    expect(
      (await app.post('/negotiations', negotiation({ id: 'long-log', openedAt: '2025-01-01' })))
        .status,
    ).toBe(201);
    for (let batch = 0; batch < 2; batch++) {
      const events = Array.from({ length: batch === 0 ? 1000 : 100 }, (_, i) =>
        tariffChanged(
          { measure: `line-${batch}-${i}`, rate: 1 + (i % 50), effectiveAt: '2025-03-01' },
          { occurredAt: '2025-02-01' },
        ),
      );
      expect((await app.post('/negotiations/long-log/events/batch', { events })).status).toBe(201);
    }
    expect(
      (
        await app.post(
          '/negotiations/long-log/events',
          statementMade({}, { occurredAt: '2025-02-02', summary: '=1+1, "quoted"\r\nsecond line' }),
        )
      ).status,
    ).toBe(201);
    const file = join(dir, 'long-log.csv');

    const run = await parley([
      'export',
      'long-log',
      '--csv',
      '--output',
      file,
      '--url',
      app.baseUrl,
    ]);

    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('exported 1102 developments of long-log\n');
    const text = readFileSync(file, 'utf8');
    expect(text.match(/^occurredAt,/gm)).toHaveLength(1);
    const rows = rowsOf(text);
    expect(rows).toHaveLength(1102);
    expect(rows.map((row) => row.eventId)).toEqual(
      (await listed(app, 'long-log')).map((item) => item.eventId),
    );
    expect(rows[rows.length - 1]!.summary).toBe(`'=1+1, "quoted"\r\nsecond line`);
  });

  it('says why when the server refuses, exit status 1', async () => {
    const run = await parley(['export', 'nowhere', '--csv', '--url', app.baseUrl]);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/the server refused: 404/);
    expect(run.stdout).toBe('');
  });
});
