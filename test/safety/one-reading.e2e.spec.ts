import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SqliteEventStore } from '@parley/event-store';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.factory';
import { negotiation, tariffChanged } from '../support/requests';
import { RunningApp } from '../support/running-app';

/*
 * A request means one thing to every reader of its bytes: a number in a query is written one way
 * (decimal digits), an object names each key once (JSON.parse keeps the last of two, a proxy may
 * keep the first), and a secret put in a URL is not carried on into the logs.
 */

const paths = (errors: { path: string }[]): string[] => errors.map((e) => e.path);

describe('one reading of each request', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await RunningApp.start();
    expect((await app.post('/negotiations', negotiation())).status).toBe(201);
  });

  afterAll(() => app.destroy());

  describe('query numbers are plain decimal integers', () => {
    it.each(['0x10', '1.0', '1e2', '+5', '-0', ' 5', '5 ', '', '٥', '1_000', 'Infinity'])(
      'limit=%j on the events list and the replay: 400 naming limit',
      async (written) => {
        const limit = encodeURIComponent(written);
        for (const path of [
          `/negotiations/talks/events?limit=${limit}`,
          `/negotiations/talks/replay?limit=${limit}`,
        ]) {
          const answer = await app.get(path);
          expect({ path, status: answer.status }).toEqual({ path, status: 400 });
          expect([...new Set(paths(answer.body.errors))]).toEqual(['limit']);
        }
      },
    );

    it('limit=5 and limit=1000 are read as numbers', async () => {
      expect((await app.get('/negotiations/talks/events?limit=5')).status).toBe(200);
      expect((await app.get('/negotiations/talks/replay?limit=1000')).status).toBe(200);
    });
  });

  describe('a JSON object names each key once', () => {
    const revision = async (): Promise<number> =>
      (await app.get('/negotiations/talks')).body.revision as number;

    it('"type" twice: 400 naming type, nothing recorded', async () => {
      const before = await revision();
      const body = JSON.stringify(tariffChanged()).replace(
        '{"type":"TariffChanged"',
        '{"type":"StatementMade","type":"TariffChanged"',
      );
      const answer = await app.post('/negotiations/talks/events', body);

      expect(answer.status).toBe(400);
      expect(paths(answer.body.errors)).toEqual(['type']);
      expect(answer.body.errors[0].message).toMatch(/more than once/);
      expect(await revision()).toBe(before);
    });

    it('a key written with an escape is the same key: "rate" and "r\\u0061te" in data, 400 naming data.rate', async () => {
      const body = JSON.stringify(tariffChanged({ rate: 10 })).replace(
        '"rate":10',
        '"rate":10,"r\\u0061te":90',
      );
      const answer = await app.post('/negotiations/talks/events', body);

      expect(answer.status).toBe(400);
      expect(paths(answer.body.errors)).toEqual(['data.rate']);
    });

    it('in a batch, names the member: events[1].data.measure', async () => {
      const second = JSON.stringify(tariffChanged({ measure: 'a' })).replace(
        '"measure":"a"',
        '"measure":"a","measure":"b"',
      );
      const body = `{"events":[${JSON.stringify(tariffChanged())},${second}]}`;
      const answer = await app.post('/negotiations/talks/events/batch', body);

      expect(answer.status).toBe(400);
      expect(paths(answer.body.errors)).toEqual(['events[1].data.measure']);
    });

    it('the same key in different objects, or as a string value, is not a duplicate', async () => {
      const before = await revision();
      const answer = await app.post(
        '/negotiations/talks/events',
        tariffChanged({ measure: 'type' }, { summary: 'type "type" \\" type', source: { name: 'type' } }),
      );

      expect(answer.status).toBe(201);
      expect(await revision()).toBe(before + 1);
    });
  });
});

describe('secrets in a URL are not logged', () => {
  let nest: NestFastifyApplication;
  let baseUrl: string;
  let dir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-redact-'));
    const path = join(dir, 'parley.db');
    nest = await createApp({
      config: { port: 0, host: '127.0.0.1', store: { kind: 'sqlite', path } },
      store: new SqliteEventStore({ path }),
      logger: ['error', 'warn', 'log'],
      logDestination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      }),
    });
    await nest.listen(0, '127.0.0.1');
    const address = nest.getHttpServer().address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await nest.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('api_key, access_token, apiKey, a percent-encoded token name: the value is [REDACTED], the rest of the URL kept', async () => {
    const secrets = ['s3cret-one', 's3cret-two', 's3cret-three', 's3cret-four', 's3cret-five'];
    const query =
      `api_key=${secrets[0]}&asOf=2025-01-01&access_token=${secrets[1]}&apiKey=${secrets[2]}` +
      `&%74oken=${secrets[3]}&X-Api-Key=${secrets[4]}`;
    const answer = await fetch(`${baseUrl}/negotiations/nope/state?${query}`);
    expect(answer.status).toBe(400); // unknown parameters
    await answer.text();

    const line = lines.map((l) => JSON.parse(l)).find((l) => l.req?.url?.startsWith('/negotiations/nope'));
    expect(line?.req.url).toBe(
      '/negotiations/nope/state?api_key=[REDACTED]&asOf=2025-01-01&access_token=[REDACTED]' +
        '&apiKey=[REDACTED]&%74oken=[REDACTED]&X-Api-Key=[REDACTED]',
    );
    for (const secret of secrets) expect(lines.join('\n')).not.toContain(secret);
  });
});
