import type { EventStore } from '@parley/event-store';
import { SqliteEventStore } from '@parley/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { negotiation } from '../support/requests';
import { RunningApp } from '../support/running-app';

/*
 * An error nobody planned for (here: the store's append and ping throw a plain Error whose message
 * and stack name files on the server) is answered 500 problem+json with a generic detail: the
 * message, stack and paths stay in the server's log.
 */

const SECRET = 'SQLITE_IOERR: disk I/O error at /var/lib/parley-secret/parley.db';

function failing(store: EventStore, methods: ReadonlySet<string>): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (typeof property === 'string' && methods.has(property)) {
        return () => {
          const error = new Error(SECRET);
          error.stack = `Error: ${SECRET}\n    at append (/work/main/libs/event-store/src/sqlite-event-store.ts:42:7)`;
          return Promise.reject(error);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

const leaks = /parley-secret|SQLITE_IOERR|\.ts:\d|\n\s+at |\/work\//;

describe('an unexpected error inside the app', () => {
  let dir: string;
  let app: RunningApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-internal-'));
    const path = join(dir, 'parley.db');
    app = await RunningApp.start({
      store: {
        store: failing(new SqliteEventStore({ path }), new Set(['append', 'ping'])),
        config: { kind: 'sqlite', path },
      },
      logger: false,
    });
  });

  afterAll(async () => {
    await app.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a 500 problem+json that names no file, message or stack', async () => {
    const answer = await app.post('/negotiations', negotiation());
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ status: 500, detail: 'An unexpected error occurred.' });
    expect(answer.contentType).toContain('application/problem+json');
    expect(JSON.stringify(answer.body)).not.toMatch(leaks);
  });

  it('the readiness probe (open to all) says the store is down, without its message', async () => {
    const answer = await app.get('/health/ready');
    expect(answer.status).toBe(503);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ checks: { error: { store: { status: 'down' } } } });
    expect(JSON.stringify(answer.body)).not.toMatch(leaks);
  });
});
