import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { resolve } from 'node:path';
import { checkedFetch as fetch } from '../support/documented-answers';
import { aClosedPort } from '../support/eventstoredb-node';

/*
 * The real server (apps/api/src/main.ts, compiled on the fly by test/support/register-ts.js) as a
 * child process on a SQLite file (or another store, named by its environment), on a loopback port
 * picked free just before it starts.
 */

const ROOT = resolve(__dirname, '../..');
const TAIL = 8_000;

export interface ApiProcess {
  readonly baseUrl: string;
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Resolves with the exit code and signal once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last few kilobytes of its stdout and stderr, to explain a failure. */
  output(): string;
}

/**
 * The store the server runs on: a SQLite file's path (created when missing), or the variables
 * that name a store (a SQLite file given this way must exist, as SQLITE_PATH alone says).
 */
export type ApiStore = string | { EVENT_STORE: string; [name: string]: string };

/** `env`: more environment variables for the process (LD_PRELOAD and FAKETIME for libfaketime). */
export async function startApi(
  store: ApiStore,
  attempts = 3,
  env: Record<string, string> = {},
): Promise<ApiProcess> {
  const storeEnv =
    typeof store === 'string'
      ? { EVENT_STORE: 'sqlite', SQLITE_PATH: store, SQLITE_CREATE: 'if-missing' }
      : store;
  for (let attempt = 1; ; attempt++) {
    const port = await aClosedPort();
    const child = spawn(
      process.execPath,
      ['-r', './test/support/register-ts.js', 'apps/api/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOST: '127.0.0.1',
          PORT: String(port),
          ...storeEnv,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + String(chunk)).slice(-TAIL);
    };
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    const listening = await new Promise<boolean>((done) => {
      child.stderr.on('data', keep);
      child.stdout.on('data', (chunk: Buffer) => {
        keep(chunk);
        if (tail.includes('listening on')) done(true);
      });
      void exited.then(() => done(false));
    });
    if (listening) {
      return { baseUrl: `http://127.0.0.1:${port}`, child, exited, output: () => tail };
    }
    // Another process may have taken the port between picking it and listening: try another.
    if (attempt >= attempts || !tail.includes('EADDRINUSE')) {
      throw new Error(`the API did not start:\n${tail}`);
    }
  }
}

export async function kill(
  api: ApiProcess,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill(signal);
  return api.exited;
}

export interface Answer<T = any> {
  status: number;
  body: T;
}

export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer<T>> {
  const response = await fetch(baseUrl + path, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export interface ListedEvent {
  eventId: string;
  type: string;
  revision: number;
  recordedAt: string;
  retracted: boolean;
}

/** Every event of a negotiation, retracted ones included, following nextCursor page by page. */
export async function allEvents(baseUrl: string, negotiationId: string): Promise<ListedEvent[]> {
  const items: ListedEvent[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `includeRetracted=true&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await call<{ items: ListedEvent[]; nextCursor: string | null }>(
      baseUrl,
      'GET',
      `/negotiations/${negotiationId}/events?${query}`,
    );
    if (page.status !== 200) throw new Error(`listing ${negotiationId} answered ${page.status}`);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}
