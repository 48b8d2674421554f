import { SqliteEventStore } from '@parley/event-store';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { aClosedPort } from '../support/eventstoredb-node';
import { negotiation, tariffChanged } from '../support/requests';
import type { HttpAnswer } from '../support/running-app';
import { RunningApp } from '../support/running-app';
import { checkedFetch as fetch } from '../support/documented-answers';

/*
 * What the API says while its store does not answer, and that it recovers when the store is back,
 * on what runs here: the embedded store. (On EventStoreDB the same is played through a TCP proxy
 * in eventstoredb.e2e.spec.ts, when a container runtime answers, and on PostgreSQL in
 * postgres.e2e.spec.ts.) And that the app refuses to start, saying why, when the configured
 * EventStoreDB or PostgreSQL cannot be reached.
 */

const ROOT = resolve(__dirname, '../..');

function expectStoreUnavailable(answer: HttpAnswer<any>): void {
  expect({ status: answer.status, contentType: answer.contentType }).toEqual({
    status: 503,
    contentType: expect.stringContaining('application/problem+json'),
  });
  expect(answer.headers.get('retry-after')).toBe('1');
  expect(answer.body).toEqual({
    type: '/problems/store-unavailable',
    title: 'Event store unavailable',
    status: 503,
    detail: expect.any(String),
  });
}

describe('while the store does not answer', () => {
  let dir: string;
  let store: SqliteEventStore;
  let app: RunningApp;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-unavailable-'));
    const path = join(dir, 'parley.db');
    store = new SqliteEventStore({ path });
    // logger: false, for the 503s provoked here would each log an error with its stack.
    app = await RunningApp.start({
      store: { store, config: { kind: 'sqlite', path } },
      logger: false,
    });
    expect((await app.post('/negotiations', negotiation())).status).toBe(201);
  });

  afterEach(async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('because it was closed underneath the running app', () => {
    beforeEach(async () => {
      await store.close();
    });

    it('answers every write, and a request to follow a negotiation live, 503 problem+json with Retry-After', async () => {
      expectStoreUnavailable(await app.post('/negotiations/talks/events', tariffChanged()));
      expectStoreUnavailable(
        await app.post('/negotiations/talks/events/batch', { events: [tariffChanged()] }),
      );
      expectStoreUnavailable(await app.post('/negotiations', negotiation({ id: 'other-talks' })));
      expectStoreUnavailable(await app.get('/negotiations/talks/live'));
    });

    it('keeps answering queries from what the read model holds', async () => {
      const held = await app.get('/negotiations/talks');
      expect(held.status).toBe(200);
      expect(held.body.revision).toBe(0);
      expect((await app.get('/negotiations/talks/state?asOf=2025-02-01')).status).toBe(200);
    });

    it('is not ready, so that a load balancer sends requests elsewhere', async () => {
      const ready = await app.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.contentType).toContain('application/problem+json');
      expect((await app.get('/health')).status).toBe(200);
    });
  });

  describe('because another process holds its write lock past the busy timeout', () => {
    let locker: ChildProcessWithoutNullStreams | undefined;

    afterEach(() => {
      locker?.kill();
    });

    it('answers 503, then records the retried development once the lock is released', async () => {
      locker = await holdWriteLock(join(dir, 'parley.db'));
      const development = tariffChanged({}, { eventId: randomUUID() });

      expectStoreUnavailable(await app.post('/negotiations/talks/events', development));

      await release(locker);
      const retried = await app.post('/negotiations/talks/events', development);
      expect(retried.status).toBe(201);
      expect(retried.body.revision).toBe(1);
      const listed = await app.get<{ items: { eventId: string }[] }>('/negotiations/talks/events');
      expect(listed.body.items.map((e) => e.eventId)).toEqual([
        expect.any(String),
        development.eventId,
      ]);
    }, 20_000);
  });
});

/** Another process that opens the file and holds its write lock (BEGIN IMMEDIATE) until its stdin ends. */
async function holdWriteLock(path: string): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(${JSON.stringify(path)});
       db.exec('BEGIN IMMEDIATE');
       process.stdout.write('locked\\n');
       process.stdin.on('end', () => { db.exec('COMMIT'); db.close(); });
       process.stdin.resume();`,
    ],
    { cwd: ROOT },
  );
  await new Promise<void>((resolvePromise, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('locked')) resolvePromise();
    });
    child.once('exit', (code) => reject(new Error(`the locking process exited with ${code}`)));
  });
  return child;
}

async function release(locker: ChildProcessWithoutNullStreams): Promise<void> {
  const exited = new Promise((resolvePromise) => locker.once('exit', resolvePromise));
  locker.stdin.end();
  await exited;
}

describe('starting the API (apps/api/src/main.ts) as its own process', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-start-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('with EVENT_STORE=eventstoredb and nothing at the address, exits 1 saying where it looked and why', async () => {
    const port = await aClosedPort();

    const run = await runApi({
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: `esdb://admin:changeit@127.0.0.1:${port}?tls=false`,
      PORT: String(await aClosedPort()),
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `Parley could not start: could not reach EventStoreDB at esdb://admin:***@127.0.0.1:${port}?tls=false`,
    );
    expect(run.stderr).toContain('EVENTSTORE_CONNECTION_STRING');
    expect(run.stderr + run.stdout).not.toContain('changeit');
    expect(run.stdout).not.toContain('listening on');
  }, 30_000);

  it('with EVENT_STORE=postgres and nothing at the address, exits 1 saying where it looked and why', async () => {
    const port = await aClosedPort();

    const run = await runApi({
      EVENT_STORE: 'postgres',
      DATABASE_URL: `postgres://parley:changeit@127.0.0.1:${port}/parley`,
      PORT: String(await aClosedPort()),
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `Parley could not start: could not reach PostgreSQL at postgres://parley:***@127.0.0.1:${port}/parley`,
    );
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).toContain('DATABASE_URL');
    expect(run.stderr + run.stdout).not.toContain('changeit');
    expect(run.stdout).not.toContain('listening on');
  }, 30_000);

  it('with EVENT_STORE=postgres and no DATABASE_URL, exits 1 saying what to set', async () => {
    const run = await runApi({ EVENT_STORE: 'postgres', PORT: String(await aClosedPort()) });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('EVENT_STORE=postgres needs DATABASE_URL');
    expect(run.stdout).not.toContain('listening on');
  }, 30_000);

  it('with the embedded store, the same entry point starts and serves', async () => {
    const port = await aClosedPort();

    const run = await runApi(
      {
        EVENT_STORE: 'sqlite',
        SQLITE_PATH: join(dir, 'parley.db'),
        SQLITE_CREATE: 'if-missing',
        PORT: String(port),
      },
      async () => (await fetch(`http://127.0.0.1:${port}/health`)).status,
    );

    expect(run.answered).toBe(200);
  }, 30_000);
});

interface ApiRun<T> {
  code: number | null;
  stdout: string;
  stderr: string;
  answered?: T;
}

/**
 * Runs the TypeScript entry point (compiled on the fly by test/support/register-ts.js) with `env`
 * on loopback. Without `whenListening`, waits for it to exit; with it, asks it once it says it
 * listens, then stops it.
 */
function runApi<T>(
  env: Record<string, string>,
  whenListening?: () => Promise<T>,
): Promise<ApiRun<T>> {
  const child = spawn(
    process.execPath,
    ['-r', './test/support/register-ts.js', 'apps/api/src/main.ts'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env },
    },
  );
  let stdout = '';
  let stderr = '';
  let answered: T | undefined;
  let asked = false;
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += String(chunk);
    if (whenListening && !asked && stdout.includes('listening on')) {
      asked = true;
      void whenListening()
        .then((value) => (answered = value))
        .finally(() => child.kill());
    }
  });
  return new Promise((resolvePromise) => {
    child.once('exit', (code) =>
      resolvePromise({ code, stdout, stderr, ...(asked ? { answered } : {}) }),
    );
  });
}
