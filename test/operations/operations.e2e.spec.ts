import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EventStore } from '@parley/event-store';
import { SqliteEventStore, StoreUnavailableError } from '@parley/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp } from '../../apps/api/src/app.factory';
import { STORE_DOWN } from '../../apps/api/src/operations/health.controller';
// Every answer these tests receive is checked against the served OpenAPI document.
import { checkedFetch as fetch } from '../support/documented-answers';

/** A store whose ping or reads can be made to fail, to see what readiness and the logs say then. */
function faultyStore(
  store: EventStore,
  faults: { ping?: boolean; readStream?: boolean },
): EventStore {
  return new Proxy(store, {
    get(target, property, receiver): unknown {
      if (property === 'ping' && faults.ping) {
        return () => Promise.reject(new StoreUnavailableError('the disk went away'));
      }
      if (property === 'readStream' && faults.readStream) {
        return () => Promise.reject(new Error('boom in the store'));
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

interface Harness {
  app: NestFastifyApplication;
  url: string;
  logLines: Record<string, unknown>[];
  close(): Promise<void>;
}

async function start(
  options: { faults?: { ping?: boolean; readStream?: boolean }; pollIntervalMs?: number } = {},
): Promise<Harness & { dbPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-ops-'));
  const dbPath = join(dir, 'parley.db');
  const logLines: Record<string, unknown>[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const store = faultyStore(
    new SqliteEventStore({ path: dbPath, pollIntervalMs: options.pollIntervalMs ?? 100 }),
    options.faults ?? {},
  );
  const app = await createApp({
    config: { port: 0, host: '127.0.0.1', store: { kind: 'sqlite', path: dbPath } },
    store,
    logger: ['error', 'warn', 'log'],
    logDestination,
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    logLines,
    dbPath,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const OPENING = {
  id: 'ops-check',
  title: 'Operations check',
  parties: [
    { code: 'US', name: 'United States' },
    { code: 'CN', name: 'China' },
  ],
  openedAt: '2025-02-01',
};

const TARIFF = {
  type: 'TariffChanged',
  occurredAt: '2025-02-01',
  data: {
    imposedBy: 'US',
    appliedTo: 'CN',
    measure: 'fentanyl-ieepa',
    rate: 10,
    effectiveAt: '2025-02-04',
    coverage: 'all-goods',
  },
};

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** The value of one sample of the Prometheus text format, or undefined when it is absent. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('operations: health, metrics and logs, outside the contract routes', () => {
  describe('on a healthy store', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(() => h.close());

    it('answers liveness at /health', async () => {
      const answer = await fetch(`${h.url}/health`);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ status: 'ok' });
    });

    it('answers readiness at /health/ready after pinging the store, with the projection lag', async () => {
      const answer = await fetch(`${h.url}/health/ready`);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({
        status: 'ok',
        info: {
          store: { status: 'up' },
          projections: { status: 'up', lagEvents: 0, lagSeconds: 0 },
        },
      });
    });

    it('counts requests by route pattern and status, and times them', async () => {
      await fetch(`${h.url}/negotiations/no-such-thing`);
      await fetch(`${h.url}/negotiations/no-such-thing`);
      const text = await (await fetch(`${h.url}/metrics`)).text();
      const labels = { method: 'GET', route: '/negotiations/:id', status: '404' };
      expect(sample(text, 'parley_http_requests_total', labels)).toBe(2);
      expect(sample(text, 'parley_http_request_duration_seconds_count', labels)).toBe(2);
      expect(
        sample(text, 'parley_http_request_duration_seconds_bucket', { ...labels, le: '+Inf' }),
      ).toBe(2);
      expect(text).toContain('# TYPE parley_http_request_duration_seconds histogram');
      expect(text).toContain('process_cpu_seconds_total');
    });

    it('counts appends and the events appended, by type', async () => {
      const before = await (await fetch(`${h.url}/metrics`)).text();
      const okBefore = sample(before, 'parley_store_appends_total', { outcome: 'ok' }) ?? 0;
      expect((await post(`${h.url}/negotiations`, OPENING)).status).toBe(201);
      expect((await post(`${h.url}/negotiations/ops-check/events`, TARIFF)).status).toBe(201);
      const after = await (await fetch(`${h.url}/metrics`)).text();
      expect(sample(after, 'parley_store_appends_total', { outcome: 'ok' })).toBe(okBefore + 2);
      expect(sample(after, 'parley_store_appended_events_total', { type: 'TariffChanged' })).toBe(
        1,
      );
      expect(
        sample(after, 'parley_store_appended_events_total', { type: 'NegotiationOpened' }),
      ).toBe(1);
      expect(sample(after, 'parley_projection_lag_events')).toBe(0);
    });

    it('serves Prometheus’ text format', async () => {
      const answer = await fetch(`${h.url}/metrics`);
      expect(answer.headers.get('content-type')).toContain('text/plain');
      expect(answer.headers.get('content-type')).toContain('version=0.0.4');
    });

    it('writes one JSON log line per answered request, carrying the request id it echoes', async () => {
      const answer = await fetch(`${h.url}/negotiations/no-such-thing`, {
        headers: { 'x-request-id': 'trace-abc-123' },
      });
      expect(answer.headers.get('x-request-id')).toBe('trace-abc-123');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const mine = h.logLines.filter((line) => line.reqId === 'trace-abc-123');
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        level: 40,
        msg: 'request completed',
        req: { id: 'trace-abc-123', method: 'GET', url: '/negotiations/no-such-thing' },
        res: { statusCode: 404 },
      });
    });

    it('makes up a request id when none, or an unsafe one, is sent', async () => {
      const none = await fetch(`${h.url}/negotiations`);
      const unsafe = await fetch(`${h.url}/negotiations`, {
        headers: { 'x-request-id': 'a b"}{' },
      });
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
      expect(none.headers.get('x-request-id')).toMatch(uuid);
      expect(unsafe.headers.get('x-request-id')).toMatch(uuid);
    });

    it('does not log the polling of /health and /metrics', async () => {
      const before = h.logLines.length;
      await fetch(`${h.url}/health`);
      await fetch(`${h.url}/health/ready`);
      await fetch(`${h.url}/metrics`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(h.logLines.slice(before).filter((l) => l.msg === 'request completed')).toEqual([]);
    });
  });

  describe('when the store does not answer', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await start({ faults: { ping: true } });
    });
    afterAll(() => h.close());

    it('stays alive but is not ready: 503 problem+json with the failed check', async () => {
      expect((await fetch(`${h.url}/health`)).status).toBe(200);
      const answer = await fetch(`${h.url}/health/ready`);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(await answer.json()).toMatchObject({
        type: '/problems/not-ready',
        status: 503,
        checks: {
          status: 'error',
          error: { store: { status: 'down', message: STORE_DOWN } },
        },
      });
      // The store's own message is in the log only (it can name files or addresses).
      expect(JSON.stringify(h.logLines)).toContain('the disk went away');
    });
  });

  describe('when serving a request fails inside the app', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await start({ faults: { readStream: true } });
    });
    afterAll(() => h.close());

    it('logs the error line with the request id too', async () => {
      await post(`${h.url}/negotiations`, OPENING);
      const answer = await post(`${h.url}/negotiations/ops-check/events`, TARIFF, {
        'x-request-id': 'failing-1',
      });
      expect(answer.status).toBe(500);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const lines = h.logLines.filter((line) => line.reqId === 'failing-1');
      expect(lines.map((l) => l.msg)).toEqual([
        expect.stringContaining('boom in the store'),
        'request errored',
      ]);
      expect(
        h.logLines.filter(
          (l) => String(l.msg).includes('boom in the store') && l.reqId !== 'failing-1',
        ),
      ).toEqual([]);
    });
  });

  describe('when another process appends and this instance has not caught up yet', () => {
    let h: Harness & { dbPath: string };
    beforeAll(async () => {
      // This instance looks for other processes' appends only once a minute.
      h = await start({ pollIntervalMs: 60_000 });
      expect((await post(`${h.url}/negotiations`, OPENING)).status).toBe(201);
    });
    afterAll(() => h.close());

    it('reports the events it is behind by as projection lag', async () => {
      const other = new SqliteEventStore({ path: h.dbPath });
      try {
        await other.append(
          'negotiation-ops-check',
          [
            {
              eventId: '7d4cbd43-5d36-4d5e-9a57-1a4e1c1e0a01',
              type: 'TalksStatusChanged',
              data: { occurredAt: '2025-02-02T00:00:00.000Z', data: { status: 'exploratory' } },
            },
            {
              eventId: '7d4cbd43-5d36-4d5e-9a57-1a4e1c1e0a02',
              type: 'TalksStatusChanged',
              data: { occurredAt: '2025-02-03T00:00:00.000Z', data: { status: 'ongoing' } },
            },
          ],
          0,
        );
      } finally {
        await other.close();
      }
      const text = await (await fetch(`${h.url}/metrics`)).text();
      expect(sample(text, 'parley_projection_lag_events')).toBe(2);
      expect(sample(text, 'parley_projection_lag_seconds')).toBeGreaterThanOrEqual(0);
      const ready = (await (await fetch(`${h.url}/health/ready`)).json()) as {
        info: { projections: { lagEvents: number } };
      };
      expect(ready.info.projections.lagEvents).toBe(2);
    });
  });
});
