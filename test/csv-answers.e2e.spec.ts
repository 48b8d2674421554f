import { parse } from 'csv-parse/sync';
import { negotiation, statementMade, tariffChanged } from './support/requests';
import { RunningApp } from './support/running-app';

/*
 * CSV answers (issue 16): GET …/events, …/tariffs and …/tariffs/history answer RFC 4180 CSV on
 * `Accept: text/csv` or `format=csv`, parsed back here with csv-parse (an independent reader).
 * Every answer is also checked against the served OpenAPI document (RunningApp.request).
 */

const CSV = { accept: 'text/csv' };

/** The CSV as a spreadsheet reads it: header row, then rows; the raw lines must end with CRLF. */
function table(text: string): Record<string, string>[] {
  expect(text.endsWith('\r\n')).toBe(true);
  // Outside quoted cells, every line break is a CRLF (csv-parse alone would read a bare LF too).
  const unquoted = text.replace(/"(?:[^"]|"")*"/g, '');
  expect(unquoted).not.toMatch(/(^|[^\r])\n|\r(?!\n)/);
  return parse<Record<string, string>>(text, { columns: true, record_delimiter: '\r\n' });
}

describe('CSV answers', () => {
  let app: RunningApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await RunningApp.start();
    expect(
      (
        await app.request(
          'POST',
          '/negotiations',
          negotiation({ id: 'csv-talks', openedAt: '2025-01-01' }),
        )
      ).status,
    ).toBe(201);
    const record = async (body: Record<string, unknown>): Promise<string> => {
      const answer = await app.request('POST', '/negotiations/csv-talks/events', body);
      if (answer.status !== 201) throw new Error(JSON.stringify(answer.body));
      return (answer.body as { eventId: string }).eventId;
    };
    ids.fentanyl = await record(
      tariffChanged(
        { measure: 'fentanyl-ieepa', rate: 20, effectiveAt: '2025-03-04' },
        { occurredAt: '2025-03-03', source: { name: 'The White House', attribution: 'document' } },
      ),
    );
    ids.reciprocal = await record(
      tariffChanged(
        { measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-10' },
        { occurredAt: '2025-04-09' },
      ),
    );
    ids.threat = await record(
      tariffChanged(
        { measure: 'threat-100', rate: 100, effectiveAt: '2025-11-01' },
        { occurredAt: '2025-10-10', modality: 'threatened' },
      ),
    );
    ids.hostile = await record(
      statementMade(
        { quote: 'He said "no", then "maybe"' },
        {
          occurredAt: '2025-04-30',
          summary: '=HYPERLINK("https://evil.example","click"), and a comma\r\nand a second line',
          source: { name: '@SUM(A1:A2)', via: '+cmd|calc', attribution: 'media-report' },
        },
      ),
    );
    ids.minus = await record(
      statementMade({}, { occurredAt: '2025-05-01', summary: '-2+3', source: { name: '\tTab' } }),
    );
  });

  afterAll(() => app.destroy());

  describe('GET …/events', () => {
    it('with Accept: text/csv, answers every development as a row: header, CRLF, columns as documented', async () => {
      const answer = await app.request<string>(
        'GET',
        '/negotiations/csv-talks/events',
        undefined,
        CSV,
      );
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('text/csv; charset=utf-8; header=present');
      expect(answer.headers.get('content-disposition')).toBe(
        'attachment; filename="csv-talks-events.csv"',
      );
      expect(answer.headers.get('vary')).toMatch(/\bAccept\b/);
      expect(answer.body.split('\r\n')[0]).toBe(
        'occurredAt,occurredPrecision,type,modality,revision,recordedAt,eventId,summary,sourceName,sourceUrl,sourceAttribution,sourceVia,retracted,evidenceStatus,unreadable,data',
      );
      const rows = table(answer.body);
      const json = await app.request<{ items: Record<string, any>[] }>(
        'GET',
        '/negotiations/csv-talks/events',
      );
      expect(rows.map((row) => row.eventId)).toEqual(json.body.items.map((item) => item.eventId));
      const fentanyl = rows.find((row) => row.eventId === ids.fentanyl)!;
      expect(fentanyl).toMatchObject({
        occurredAt: '2025-03-03T00:00:00.000Z',
        occurredPrecision: 'day',
        type: 'TariffChanged',
        modality: '',
        revision: '1',
        sourceName: 'The White House',
        sourceAttribution: 'document',
        retracted: 'false',
      });
      expect(JSON.parse(fentanyl.data!)).toEqual(
        json.body.items.find((item) => item.eventId === ids.fentanyl)!.data,
      );
      expect(rows.find((row) => row.eventId === ids.threat)!.modality).toBe('threatened');
      expect(rows[0]).toMatchObject({ type: 'NegotiationOpened', revision: '0' });
    });

    it('neutralises formulas, quotes commas, doubles quotes and keeps line breaks inside one cell', async () => {
      const answer = await app.request<string>(
        'GET',
        '/negotiations/csv-talks/events?type=StatementMade',
        undefined,
        CSV,
      );
      const rows = table(answer.body);
      const hostile = rows.find((row) => row.eventId === ids.hostile)!;
      // What a spreadsheet would run starts with ' and is shown as text.
      expect(hostile.summary).toBe(
        `'=HYPERLINK("https://evil.example","click"), and a comma\r\nand a second line`,
      );
      expect(hostile.sourceName).toBe("'@SUM(A1:A2)");
      expect(hostile.sourceVia).toBe("'+cmd|calc");
      expect(JSON.parse(hostile.data!)).toMatchObject({ quote: 'He said "no", then "maybe"' });
      const minus = rows.find((row) => row.eventId === ids.minus)!;
      expect(minus.summary).toBe("'-2+3");
      expect(minus.sourceName).toBe("'\tTab");
      // As written: the quoted cell, its quotes doubled, its line break kept.
      expect(answer.body).toContain(
        `"'=HYPERLINK(""https://evil.example"",""click""), and a comma\r\nand a second line"`,
      );
    });

    it('pages as JSON does (limit, cursor), the next page’s address in Link, none on the last', async () => {
      const first = await app.request<string>(
        'GET',
        '/negotiations/csv-talks/events?format=csv&limit=2',
      );
      expect(first.contentType).toMatch(/^text\/csv/);
      const seen = table(first.body).map((row) => row.eventId);
      expect(seen).toHaveLength(2);
      let link = first.headers.get('link');
      while (link) {
        const next = /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
        expect(next).toMatch(/^\/negotiations\/csv-talks\/events\?format=csv&limit=2&cursor=/);
        const page = await app.request<string>('GET', next!);
        seen.push(...table(page.body).map((row) => row.eventId));
        link = page.headers.get('link');
      }
      const json = await app.request<{ items: { eventId: string }[] }>(
        'GET',
        '/negotiations/csv-talks/events',
      );
      expect(seen).toEqual(json.body.items.map((item) => item.eventId));
      expect(seen).toHaveLength(6);
    });

    it('answers 304 to If-None-Match naming the CSV’s own ETag (not the JSON’s)', async () => {
      const csv = await app.request('GET', '/negotiations/csv-talks/events', undefined, CSV);
      const json = await app.request('GET', '/negotiations/csv-talks/events');
      const etag = csv.headers.get('etag')!;
      expect(etag).toMatch(/^W\/"/);
      expect(etag).not.toBe(json.headers.get('etag'));
      const again = await app.request('GET', '/negotiations/csv-talks/events', undefined, {
        ...CSV,
        'if-none-match': etag,
      });
      expect(again.status).toBe(304);
    });
  });

  describe('GET …/tariffs', () => {
    it('answers one row per line of each pair: in force, scheduled, threatened, with the pair’s total', async () => {
      const answer = await app.request<string>(
        'GET',
        '/negotiations/csv-talks/tariffs?asOf=2025-04-09&format=csv',
      );
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-disposition')).toBe(
        'attachment; filename="csv-talks-tariffs.csv"',
      );
      expect(
        table(answer.body).map(({ imposedBy, appliedTo, total, list, measure, rate, eventId }) => ({
          imposedBy,
          appliedTo,
          total,
          list,
          measure,
          rate,
          eventId,
        })),
      ).toEqual([
        {
          imposedBy: 'US',
          appliedTo: 'CN',
          total: '20',
          list: 'measures',
          measure: 'fentanyl-ieepa',
          rate: '20',
          eventId: ids.fentanyl,
        },
        {
          imposedBy: 'US',
          appliedTo: 'CN',
          total: '20',
          list: 'scheduled',
          measure: 'reciprocal',
          rate: '125',
          eventId: ids.reciprocal,
        },
      ]);

      const october = table(
        (
          await app.request<string>(
            'GET',
            '/negotiations/csv-talks/tariffs?asOf=2025-10-15',
            undefined,
            CSV,
          )
        ).body,
      );
      expect(october.map((row) => [row.list, row.measure, row.total])).toEqual([
        ['measures', 'fentanyl-ieepa', '145'],
        ['measures', 'reciprocal', '145'],
        ['threatened', 'threat-100', '145'],
      ]);
      expect(october[2]).toMatchObject({
        coverage: 'all-goods',
        effectiveAt: '2025-11-01T00:00:00.000Z',
        announcedAt: '2025-10-10T00:00:00.000Z',
        evidenceStatus: expect.any(String),
      });
    });

    it('answers a header row alone where there is no line', async () => {
      const answer = await app.request<string>(
        'GET',
        '/negotiations/csv-talks/tariffs?asOf=2025-01-02',
        undefined,
        CSV,
      );
      expect(answer.body.split('\r\n')).toEqual([
        'imposedBy,appliedTo,total,list,measure,rate,coverage,effectiveAt,until,thenRate,products,excluded,included,displaces,reversion,retroactive,announcedAt,eventId,evidenceStatus,product,productRate,productMeasures,productDisplaced,productUncertain',
        '',
      ]);
    });
  });

  describe('GET …/tariffs/history', () => {
    it('answers one row per step, the lines in force written as measure rate%', async () => {
      const answer = await app.request<string>(
        'GET',
        '/negotiations/csv-talks/tariffs/history?imposedBy=US&appliedTo=CN&to=2025-12-31&format=csv',
      );
      expect(answer.status).toBe(200);
      const none = { product: '', productRate: '', productMeasures: '' };
      expect(table(answer.body)).toEqual([
        {
          at: '2025-03-04T00:00:00.000Z',
          total: '20',
          measures: 'fentanyl-ieepa 20%',
          eventIds: ids.fentanyl,
          ...none,
        },
        {
          at: '2025-04-10T00:00:00.000Z',
          total: '145',
          measures: 'fentanyl-ieepa 20%; reciprocal 125%',
          eventIds: `${ids.fentanyl} ${ids.reciprocal}`,
          ...none,
        },
      ]);
      const product = await app.request<string>(
        'GET',
        '/negotiations/csv-talks/tariffs/history?imposedBy=US&appliedTo=CN&to=2025-12-31&product=8471',
        undefined,
        CSV,
      );
      expect(
        table(product.body).map((row) => [
          row.at,
          row.product,
          row.productRate,
          row.productMeasures,
        ]),
      ).toEqual([
        ['2025-03-04T00:00:00.000Z', '8471', '20', 'fentanyl-ieepa'],
        ['2025-04-10T00:00:00.000Z', '8471', '145', 'fentanyl-ieepa reciprocal'],
      ]);
    });
  });

  describe('GET /tariffs, …/deadlines and GET /deadlines', () => {
    beforeAll(async () => {
      await app.request('POST', '/negotiations', negotiation({ id: 'csv-other' }));
      await app.request(
        'POST',
        '/negotiations/csv-other/events',
        tariffChanged(
          { imposedBy: 'CN', appliedTo: 'US', measure: 'retaliation', rate: 34 },
          { occurredAt: '2025-04-04' },
        ),
      );
    });

    it('GET /tariffs answers the rows of every negotiation, its id first', async () => {
      const answer = await app.request<string>('GET', '/tariffs?asOf=2025-04-10&format=csv');
      expect(answer.headers.get('content-disposition')).toBe('attachment; filename="tariffs.csv"');
      expect(
        table(answer.body).map((row) => [row.negotiationId, row.imposedBy, row.measure, row.total]),
      ).toEqual([
        ['csv-other', 'CN', 'retaliation', '34'],
        ['csv-talks', 'US', 'fentanyl-ieepa', '145'],
        ['csv-talks', 'US', 'reciprocal', '145'],
      ]);
    });

    it('with product=, repeats what that product pays on each row of the pair', async () => {
      const answer = await app.request<string>(
        'GET',
        '/negotiations/csv-talks/tariffs?asOf=2025-04-10&product=8471',
        undefined,
        CSV,
      );
      const rows = table(answer.body);
      expect(rows).toHaveLength(2);
      for (const row of rows)
        expect(row).toMatchObject({
          product: '8471',
          productRate: '145',
          productMeasures: 'fentanyl-ieepa reciprocal',
        });
    });

    it('…/deadlines and GET /deadlines answer one row per deadline', async () => {
      const one = table(
        (
          await app.request<string>(
            'GET',
            '/negotiations/csv-talks/deadlines?asOf=2025-04-09&format=csv',
          )
        ).body,
      );
      expect(one).toEqual([
        expect.objectContaining({
          at: '2025-04-10T00:00:00.000Z',
          kind: 'tariff-change',
          imposedBy: 'US',
          appliedTo: 'CN',
          measure: 'reciprocal',
          rate: '125',
          reversion: 'false',
          eventId: ids.reciprocal,
        }),
      ]);
      const across = table(
        (await app.request<string>('GET', '/deadlines?asOf=2025-10-15', undefined, CSV)).body,
      );
      expect(across.map((row) => [row.negotiationId, row.kind, row.measure, row.modality])).toEqual(
        [['csv-talks', 'tariff-threat', 'threat-100', 'threatened']],
      );
    });
  });

  describe('choosing the format', () => {
    it.each([
      ['no Accept', {}],
      ['a browser’s Accept', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }],
      ['JSON preferred', { accept: 'application/json, text/csv;q=0.5' }],
      ['CSV refused', { accept: 'text/csv;q=0, */*' }],
    ])('answers JSON with %s', async (_case, headers) => {
      const answer = await app.request(
        'GET',
        '/negotiations/csv-talks/tariffs',
        undefined,
        headers,
      );
      expect(answer.contentType).toMatch(/^application\/json/);
    });

    it.each([
      ['text/csv', {}],
      ['CSV preferred', { accept: 'text/csv, application/json;q=0.9' }],
      ['CSV named beside any', { accept: 'text/csv, */*' }],
    ])('answers CSV with Accept: %s', async (accept, headers) => {
      const answer = await app.request('GET', '/negotiations/csv-talks/tariffs', undefined, {
        accept,
        ...headers,
      });
      expect(answer.contentType).toBe('text/csv; charset=utf-8; header=present');
    });

    it('lets format=json win over Accept: text/csv, as a link would ask', async () => {
      const answer = await app.request(
        'GET',
        '/negotiations/csv-talks/tariffs?format=json',
        undefined,
        CSV,
      );
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(Array.isArray(answer.body)).toBe(true);
    });

    it.each(['xml', 'CSV', ''])('refuses format=%s with a 400 naming format', async (format) => {
      const answer = await app.request(
        'GET',
        `/negotiations/csv-talks/events?format=${format}`,
        undefined,
        CSV,
      );
      expect(answer.status).toBe(400);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({
        errors: [{ path: 'format', message: 'format must be one of: json, csv' }],
      });
    });

    it('refuses format where no CSV is answered, as any unknown parameter', async () => {
      const answer = await app.request('GET', '/negotiations/csv-talks/talks?format=csv');
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ errors: [{ path: 'format' }] });
    });

    it('answers errors as problem+json when CSV is asked', async () => {
      const answer = await app.request('GET', '/negotiations/nowhere/events', undefined, CSV);
      expect(answer.status).toBe(404);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
    });
  });

  it('lets a script of an allowed origin read the next page’s Link and the file name', async () => {
    const origin = 'https://newsroom.example.org';
    const cors = await RunningApp.start({ security: { corsOrigins: [origin] } });
    try {
      await cors.request('POST', '/negotiations', negotiation({ id: 'cors-csv' }));
      await cors.request('POST', '/negotiations/cors-csv/events', tariffChanged());
      const answer = await cors.request(
        'GET',
        '/negotiations/cors-csv/events?format=csv&limit=1',
        undefined,
        { origin },
      );
      expect(answer.headers.get('link')).toMatch(/rel="next"$/);
      const exposed = answer.headers
        .get('access-control-expose-headers')!
        .split(/,\s*/)
        .map((name) => name.toLowerCase());
      expect(exposed).toEqual(expect.arrayContaining(['link', 'content-disposition']));
    } finally {
      await cors.destroy();
    }
  });

  it('documents the format parameter and the CSV answer with its columns on the six routes', async () => {
    const document = (await app.request<any>('GET', '/docs-json')).body;
    for (const path of [
      '/negotiations/{id}/events',
      '/negotiations/{id}/tariffs',
      '/negotiations/{id}/tariffs/history',
      '/negotiations/{id}/deadlines',
      '/tariffs',
      '/deadlines',
    ]) {
      const operation = document.paths[path].get;
      expect(operation['x-parley-csv']).toBeUndefined();
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({ name: 'format', in: 'query', schema: expect.anything() }),
      );
      const csv = operation.responses['200'].content['text/csv'];
      expect(csv.schema.type).toBe('string');
      expect(csv.schema.description).toMatch(/Columns: `/);
      expect(Object.keys(operation.responses['200'].content)).toContain('application/json');
    }
    expect(
      document.paths['/negotiations/{id}/events'].get.responses['200'].headers.Link,
    ).toBeDefined();
    expect(document.paths['/negotiations/{id}/talks'].get.parameters).not.toContainEqual(
      expect.objectContaining({ name: 'format' }),
    );
  });
});
