import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { negotiation, tariffChanged } from '../support/requests';
import type { ApiProcess } from './api-process';
import { call, kill, startApi } from './api-process';

/*
 * SIGTERM (what a process manager or an orchestrator sends to stop a service) shuts the real
 * server down gracefully: the requests it has already received are answered, the store is
 * closed cleanly (the WAL is checkpointed into the file, nothing acknowledged is missing), and
 * the process exits with code 0.
 */

const BATCHES = 4;
const BATCH_SIZE = 1000;

/** A POST whose body is on the wire when `sent` resolves; `answer` resolves with the status and body. */
function post(
  baseUrl: string,
  path: string,
  body: unknown,
): { sent: Promise<void>; answer: Promise<{ status: number; body: any }> } {
  const payload = Buffer.from(JSON.stringify(body));
  let sent!: Promise<void>;
  const answer = new Promise<{ status: number; body: any }>((resolveAnswer, reject) => {
    const req = request(baseUrl + path, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': payload.length },
    });
    sent = new Promise((done) => req.once('finish', () => done()));
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () =>
        resolveAnswer({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
      );
      res.once('error', reject);
    });
    req.end(payload);
  });
  return { sent, answer };
}

function healthOnANewConnection(baseUrl: string): Promise<number> {
  return new Promise((resolveStatus, reject) => {
    const req = request(`${baseUrl}/health`, { agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolveStatus(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end();
  });
}

describe('stopped with SIGTERM while requests are in flight', () => {
  let dir: string;
  let api: ApiProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-sigterm-'));
  });

  afterEach(async () => {
    if (api) await kill(api, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every request it has received, closes the store cleanly and exits 0', async () => {
    const dbPath = join(dir, 'parley.db');
    api = await startApi(dbPath);
    expect((await call(api.baseUrl, 'POST', '/negotiations', negotiation())).status).toBe(201);

    const batches = Array.from({ length: BATCHES }, (_, b) =>
      post(api!.baseUrl, '/negotiations/talks/events/batch', {
        events: Array.from({ length: BATCH_SIZE }, (_, k) =>
          tariffChanged(
            { measure: `line-${b}-${k % 50}`, rate: k % 300 },
            { eventId: randomUUID(), occurredAt: '2025-02-01' },
          ),
        ),
      }),
    );
    const singles = Array.from({ length: 8 }, (_, i) =>
      post(
        api!.baseUrl,
        '/negotiations/talks/events',
        tariffChanged({ rate: i }, { eventId: randomUUID() }),
      ),
    );
    const inFlight = [...batches, ...singles];
    await Promise.all(inFlight.map((r) => r.sent));
    // Once the server answers a request made after them on a new connection, it has accepted
    // their connections and read their heads (one turn of its event loop reads every ready
    // socket): they are in flight. Then stop it.
    expect(await healthOnANewConnection(api.baseUrl)).toBe(200);
    const t0 = Date.now();
    const stopping = kill(api, 'SIGTERM');

    const answers = await Promise.all(
      inFlight.map((r, i) =>
        r.answer.catch((e) => ({ status: -1, body: `${i} ${e} ${Date.now() - t0}` })),
      ),
    );
    const exit = await stopping;
    if (answers.some((a) => a.status !== 201))
      process.stdout.write(
        api
          .output()
          .split('\n')
          .filter((l) => /SIGTERM|completed|error/i.test(l))
          .map((l) => l.slice(0, 300))
          .join('\n'),
      );

    expect(answers.filter((a) => a.status !== 201)).toEqual([]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(api.output()).not.toMatch(/"level":50|Error during shutdown/);

    // The store was closed: its WAL is checkpointed into the file (and removed, or left empty).
    const wal = `${dbPath}-wal`;
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set(
        (db.prepare('SELECT event_id FROM events').all() as { event_id: string }[]).map(
          (r) => r.event_id,
        ),
      );
      const acknowledged = answers.flatMap((a) =>
        a.body.results
          ? a.body.results.map((r: { eventId: string }) => r.eventId)
          : [a.body.eventId],
      );
      expect(acknowledged).toHaveLength(BATCHES * BATCH_SIZE + singles.length);
      expect(acknowledged.filter((id: string) => !stored.has(id))).toEqual([]);
      expect(stored.size).toBe(1 + acknowledged.length);
    } finally {
      db.close();
    }
  }, 30_000);
});
