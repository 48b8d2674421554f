import { redactDatabaseUrl } from '@parley/event-store';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';

/*
 * A real PostgreSQL server for the tests, named by PARLEY_TEST_DATABASE_URL (.ci/run installs
 * Debian's, starts it and sets the variable), and the one question asked before: does it answer?
 * When it is not set or nothing answers, the suites that need it are skipped, and each says so in
 * one line. There is no stand-in server: nothing else can show that Parley works on PostgreSQL.
 *
 * Every store a test opens lives in a schema of its own on that database (the connection string
 * names it in `options=-c search_path=…`, as a deployment may), so tests do not see each other's
 * events; the schemas are dropped afterwards.
 */

export const TEST_DATABASE_URL = process.env.PARLEY_TEST_DATABASE_URL ?? '';

export type PostgresServer = { available: true } | { available: false; reason: string };

/**
 * Asks the server at PARLEY_TEST_DATABASE_URL for `SELECT 1`. Jest decides what runs while it
 * loads a test file, before any hook, so the question is asked synchronously, in a child process.
 */
export function probePostgres(url: string = TEST_DATABASE_URL): PostgresServer {
  if (!url) return { available: false, reason: 'PARLEY_TEST_DATABASE_URL is not set' };
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const { Client } = require('pg');
       const client = new Client({ connectionString: process.env.URL, connectionTimeoutMillis: 5000 });
       client.connect().then(() => client.query('SELECT 1')).then(
         () => client.end().then(() => process.exit(0)),
         (error) => { process.stderr.write(String((error && (error.message || error.code)) || error)); process.exit(1); });`,
    ],
    {
      cwd: resolve(__dirname, '../..'),
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, URL: url },
    },
  );
  if (probe.status === 0) return { available: true };
  const said = (probe.stderr || probe.error?.message || `probe exited with ${probe.status}`)
    .trim()
    .split('\n')
    .pop();
  return {
    available: false,
    reason: `no PostgreSQL answers at ${redactDatabaseUrl(url)}: ${said ?? 'unknown'}`,
  };
}

let probed: PostgresServer | undefined;

/**
 * `describe` when PostgreSQL answers at PARLEY_TEST_DATABASE_URL, else `describe.skip` after one
 * plain line on stdout naming what is skipped (`what`, in `file`) and why.
 */
export function describeWhenPostgresAnswers(what: string, file: string): jest.Describe {
  probed ??= probePostgres();
  if (probed.available) return describe;
  process.stdout.write(`SKIPPED: ${what} (${file}) — ${probed.reason}\n`);
  return describe.skip;
}

/** `url` with the schema search path set to `schema` (a URL-form connection string). */
export function inSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

export interface TestSchema {
  schema: string;
  /** PARLEY_TEST_DATABASE_URL, with this schema as the search path. */
  connectionString: string;
  drop(): Promise<void>;
}

/** A new, empty schema on the test database, for one store. */
export async function aFreshSchema(label = 'test'): Promise<TestSchema> {
  const schema = `parley_${label}_${randomUUID().slice(0, 8)}`;
  await onTestDatabase((client) => client.query(`CREATE SCHEMA ${schema}`));
  return {
    schema,
    connectionString: inSchema(TEST_DATABASE_URL, schema),
    drop: async () => {
      await onTestDatabase((client) => client.query(`DROP SCHEMA ${schema} CASCADE`));
    },
  };
}

/** Runs `work` on a connection of its own to the test database. */
export async function onTestDatabase<T>(
  work: (client: Client) => Promise<T>,
  url: string = TEST_DATABASE_URL,
): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
