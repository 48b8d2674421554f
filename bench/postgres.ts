import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/**
 * A schema of its own on the database at DATABASE_URL, for one measure of the PostgreSQL store,
 * dropped afterwards (BENCH_KEEP=1 keeps it). The store finds it through the connection string's
 * search path.
 */
export async function scratchSchema(
  databaseUrl: string,
  label: string,
): Promise<{ schema: string; connectionString: string; remove: () => Promise<void> }> {
  const schema = `parley_bench_${label}_${randomUUID().slice(0, 8)}`;
  await onDatabase(databaseUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    schema,
    connectionString: url.toString(),
    remove: async () => {
      if (process.env.BENCH_KEEP) return void console.error(`kept schema ${schema}`);
      await onDatabase(databaseUrl, (client) => client.query(`DROP SCHEMA ${schema} CASCADE`));
    },
  };
}

export async function onDatabase<T>(
  databaseUrl: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
