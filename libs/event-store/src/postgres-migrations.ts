import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientBase } from 'pg';

/*
 * The PostgreSQL store's schema, made and changed only by versioned migrations: one plain SQL file
 * per version in ./postgres-migrations (0001_events.sql, 0002_…), applied at start-up in one
 * transaction and recorded in parley_schema_migrations. A version once released is never edited:
 * a change is a new file.
 *
 * The files are read from beside this module: libs/event-store/src/postgres-migrations when run
 * from the TypeScript sources (jest, the benchmark), dist/apps/api/postgres-migrations in the
 * webpack build, where nest-cli.json's `assets` copies them next to main.js.
 */

export const MIGRATIONS_DIR = join(__dirname, 'postgres-migrations');

export interface Migration {
  version: number;
  /** The file name, 0001_events.sql. */
  name: string;
  sql: string;
}

const FILE = /^(\d{4})_[a-z0-9_-]+\.sql$/;

/** The migrations in `dir`, by version; versions must run 1, 2, 3… without a gap. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new Error(
      `the PostgreSQL store's migrations are missing (looked in ${dir}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const migrations = names
    .filter((name) => FILE.test(name))
    .sort()
    .map((name) => ({
      version: Number(FILE.exec(name)![1]),
      name,
      sql: readFileSync(join(dir, name), 'utf8'),
    }));
  migrations.forEach((migration, i) => {
    if (migration.version !== i + 1) {
      throw new Error(
        `the PostgreSQL store's migrations in ${dir} must be numbered 0001, 0002, … without gaps; found ${migration.name} at place ${i + 1}`,
      );
    }
  });
  if (migrations.length === 0) throw new Error(`no migrations in ${dir}`);
  return migrations;
}

/**
 * Brings the database's schema up to the newest migration, in one transaction: all pending
 * versions or none. Instances that start together take turns (an advisory lock), so each version
 * is applied once. Refuses a database migrated by a newer Parley. Returns the versions applied.
 */
export async function migrate(
  client: ClientBase,
  migrations: readonly Migration[] = readMigrations(),
): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('parley_schema_migrations'))");
    await client.query(`
      CREATE TABLE IF NOT EXISTS parley_schema_migrations (
        version    integer     PRIMARY KEY,
        name       text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM parley_schema_migrations ORDER BY version',
    );
    const done = new Set(rows.map((row) => row.version));
    const newest = migrations[migrations.length - 1]?.version ?? 0;
    const unknown = rows.find((row) => row.version > newest);
    if (unknown) {
      throw new Error(
        `the database holds migration ${unknown.version} of a newer Parley; this one knows up to ${newest}`,
      );
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      try {
        await client.query(migration.sql);
      } catch (error) {
        throw new Error(
          `migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      await client.query('INSERT INTO parley_schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
