import type { StoredEvent } from '@parley/event-store';
import {
  DuplicateEventIdError,
  PostgresEventStore,
  StoreUnavailableError,
  WrongExpectedRevisionError,
  createEventStore,
  migrate,
  readMigrations,
  redactDatabaseUrl,
} from '@parley/event-store';
import { Client } from 'pg';
import { aClosedPort } from '../support/eventstoredb-node';
import type { TestSchema } from '../support/postgres-server';
import {
  aFreshSchema,
  describeWhenPostgresAnswers,
  onTestDatabase,
} from '../support/postgres-server';
import type { StoreOptions } from './event-store.contract';
import {
  aDevelopment,
  aStream,
  describeEventStoreContract,
  developments,
  eventually,
} from './event-store.contract';

const describeWithPostgres = describeWhenPostgresAnswers(
  'PostgreSQL store contract',
  'test/event-store/postgres.int.spec.ts',
);

describeWithPostgres('PostgreSQL (PARLEY_TEST_DATABASE_URL)', () => {
  let schema: TestSchema;

  beforeAll(async () => {
    schema = await aFreshSchema('contract');
  });

  afterAll(async () => {
    await schema?.drop();
  });

  describeEventStoreContract('PostgreSQL', async (options: StoreOptions = {}) => {
    const store = new PostgresEventStore({
      connectionString: schema.connectionString,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    await store.migrate();
    return { store, cleanup: () => store.close() };
  });
});

describeWithPostgres('the PostgreSQL event store, beyond the contract', () => {
  let schema: TestSchema;
  const opened: PostgresEventStore[] = [];
  /** Another instance on the test schema: a store with a pool of its own, as another process has. */
  const open = async (
    options: { pollIntervalMs?: number; poolSize?: number } = {},
  ): Promise<PostgresEventStore> => {
    const store = new PostgresEventStore({ connectionString: schema.connectionString, ...options });
    opened.push(store);
    await store.migrate();
    return store;
  };

  beforeEach(async () => {
    schema = await aFreshSchema('store');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await schema.drop();
  });

  describe('many instances appending while another follows', () => {
    it('never lets a follower pass an event that commits after one at a higher position', async () => {
      // Four writers, each with its own pool (as four API processes), append concurrently to
      // streams of their own; events committing out of position order would be passed for good
      // by a reader that follows positions. Two followers on a fifth instance: a subscription,
      // and a reader that reads on from its last position as fast as it can.
      // A writer has one commit in flight at a time: a small pool each (the suites share the
      // server's connections).
      const writers = await Promise.all(Array.from({ length: 4 }, () => open({ poolSize: 3 })));
      const follower = await open();
      const subscribed: StoredEvent[] = [];
      const subscription = follower.subscribeToAll(-1n, (batch) => void subscribed.push(...batch));
      const polled: StoredEvent[] = [];
      let writing = true;
      const reader = (async () => {
        let checkpoint = -1n;
        for (;;) {
          const stillWriting = writing;
          const batch = await follower.readAll(checkpoint, 1000);
          polled.push(...batch);
          if (batch.length > 0) checkpoint = batch[batch.length - 1]!.position;
          else if (!stillWriting) return;
        }
      })();
      try {
        const acknowledged = await Promise.all(
          writers.map(async (writer, w) => {
            const ids: string[] = [];
            await Promise.all(
              Array.from({ length: 16 }, async (_, client) => {
                for (let n = 0; n < 12; n++) {
                  const events = developments(1 + ((client + n) % 4));
                  await writer.append(`negotiation-w${w}-c${client % 4}`, events, 'any');
                  ids.push(...events.map((e) => e.eventId));
                }
              }),
            );
            return ids;
          }),
        );
        writing = false;
        await reader;
        const all = acknowledged.flat();
        const stored = await follower.readAll(-1n, 100_000);
        expect(stored).toHaveLength(all.length);
        expect(new Set(stored.map((e) => e.eventId))).toEqual(new Set(all));
        expect(polled.map((e) => e.eventId)).toEqual(stored.map((e) => e.eventId));
        await eventually(() => expect(subscribed).toHaveLength(stored.length), 5000);
        expect(subscribed.map((e) => e.eventId)).toEqual(stored.map((e) => e.eventId));
      } finally {
        writing = false;
        await reader.catch(() => undefined);
        await subscription.close();
      }
    }, 60_000);
  });

  describe('when two instances share one database', () => {
    it("each one's subscription sees the other's writes, woken by a notification well before its poll", async () => {
      // A poll of a minute: only LISTEN/NOTIFY can deliver within the second.
      const [one, two] = [
        await open({ pollIntervalMs: 60_000 }),
        await open({ pollIntervalMs: 60_000 }),
      ];
      const stream = aStream();
      const seenByTwo: StoredEvent[] = [];
      const seenByOne: StoredEvent[] = [];
      const subscriptions = [
        two.subscribeToAll(-1n, (batch) => void seenByTwo.push(...batch)),
        one.subscribeToAll(-1n, (batch) => void seenByOne.push(...batch)),
      ];
      try {
        await sleep(300); // both listening
        const written = (await one.append(stream, [aDevelopment()], 'no-stream')).events;
        await eventually(() => expect(seenByTwo).toEqual(written), 1000);

        const answered = (await two.append(stream, [aDevelopment()], 0)).events;
        await eventually(() => expect(seenByOne).toEqual([...written, ...answered]), 1000);
      } finally {
        await Promise.all(subscriptions.map((s) => s.close()));
      }
    });

    it('refuses an id one of them stored through the other, in any stream', async () => {
      const [one, two] = [await open(), await open()];
      const original = aDevelopment();
      const first = aStream();
      await one.append(first, [original], 'no-stream');

      const refused = two.append(aStream(), [original], 'no-stream');

      await expect(refused).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(refused).rejects.toMatchObject({ existing: { stream: first, revision: 0 } });
    });

    it('decides an append against what the other committed just before', async () => {
      const [one, two] = [await open(), await open()];
      const stream = aStream();
      await one.append(stream, [aDevelopment()], 'no-stream');

      const refused = two.append(stream, [aDevelopment()], 'no-stream');

      await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(refused).rejects.toMatchObject({ actual: 0 });
    });
  });

  describe('checking the last event id (pipelined appends)', () => {
    it('appends when the stream ends with that id, and refuses with the actual revision when not', async () => {
      const store = await open();
      const stream = aStream();
      const [first] = (await store.append(stream, [aDevelopment()], 'no-stream')).events;

      const next = await store.append(stream, [aDevelopment()], 0, {
        expectedLastEventId: first!.eventId,
      });
      const stale = store.append(stream, [aDevelopment()], 1, {
        expectedLastEventId: first!.eventId,
      });

      expect(next.revision).toBe(1);
      await expect(stale).rejects.toMatchObject({ expected: 1, actual: 1 });
    });

    it('commits appends made together in the order they were made, a refused one undoing only itself', async () => {
      const store = await open();
      const stream = aStream();
      const events = developments(3);
      const results = await Promise.allSettled([
        store.append(stream, [events[0]!], 'no-stream'),
        store.append(stream, [events[1]!], 0, { expectedLastEventId: events[0]!.eventId }),
        store.append(stream, [aDevelopment()], 0), // stale: refused alone
        store.append(stream, [events[2]!], 1, { expectedLastEventId: events[1]!.eventId }),
      ]);

      expect(results.map((r) => r.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect((await store.readStream(stream)).map((e) => e.eventId)).toEqual(
        events.map((e) => e.eventId),
      );
    });
  });

  it('gives data back as it was written: key order, escapes, every character', async () => {
    const store = await open();
    const data = {
      zeta: 1,
      alpha: { nested: [3, 2, 1], 'with space': 'é ✓ 漢字 🙂' },
      nul: 'a\u0000b',
      quote: '"\\',
      big: 1e21,
      list: [{ b: 1, a: 2 }],
    };
    const stream = aStream();
    await store.append(stream, [aDevelopment({ data })], 'no-stream');

    const [read] = await store.readStream(stream);

    expect(JSON.stringify(read!.data)).toBe(JSON.stringify(data));
  });

  describe('durability', () => {
    it('commits appends with synchronous_commit on, whatever the session says', async () => {
      await open(); // migrated
      const setting = await onTestDatabase(async (client) => {
        await client.query(`SET search_path = ${schema.schema}`);
        await client.query('BEGIN');
        await client.query('SET LOCAL synchronous_commit = off');
        await client.query("SELECT parley_append('[]'::json, '{}'::json[])");
        const { rows } = await client.query<{ synchronous_commit: string }>(
          'SHOW synchronous_commit',
        );
        await client.query('ROLLBACK');
        return rows[0]!.synchronous_commit;
      });

      expect(setting).toBe('on');
    });
  });

  describe('migrations', () => {
    it('records each version it applied, and applies none twice', async () => {
      const store = await open(); // applies them

      const again = await store.migrate();

      expect(again).toEqual([]);
      const recorded = await onTestDatabase((client) =>
        client.query<{ version: number; name: string }>(
          `SELECT version, name FROM ${schema.schema}.parley_schema_migrations ORDER BY version`,
        ),
      );
      expect(recorded.rows).toEqual(
        readMigrations().map((m) => ({ version: m.version, name: m.name })),
      );
    });

    it('applies them once when instances start together on an empty database', async () => {
      const stores = Array.from(
        { length: 4 },
        () => new PostgresEventStore({ connectionString: schema.connectionString }),
      );
      opened.push(...stores);

      const applied = await Promise.all(stores.map((store) => store.migrate()));

      expect(applied.flat().sort()).toEqual(readMigrations().map((m) => m.version));
    });

    it('refuses a database migrated by a newer Parley', async () => {
      await open();
      await onTestDatabase((client) =>
        client.query(
          `INSERT INTO ${schema.schema}.parley_schema_migrations (version, name) VALUES (999, '0999_future.sql')`,
        ),
      );

      await expect(open()).rejects.toThrow(
        /holds migration 999 of a newer Parley; this one knows up to \d+/,
      );
    });

    it('applies nothing of a version that fails, and says which', async () => {
      const store = new PostgresEventStore({ connectionString: schema.connectionString });
      opened.push(store);
      const broken = [
        ...readMigrations(),
        { version: 2, name: '0002_broken.sql', sql: 'SELEKT 1' },
      ];

      await expect(
        (async () => {
          const client = new Client({ connectionString: schema.connectionString });
          await client.connect();
          try {
            await migrate(client, broken);
          } finally {
            await client.end();
          }
        })(),
      ).rejects.toThrow(/migration 0002_broken.sql failed: syntax error/);
      const tables = await onTestDatabase((client) =>
        client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [
          schema.schema,
        ]),
      );
      expect(tables.rows).toEqual([]);
    });
  });

  it('is opened by createEventStore from its configuration, migrated', async () => {
    const store = await createEventStore({
      kind: 'postgres',
      connectionString: schema.connectionString,
    });
    try {
      await store.ping();
      const stream = aStream();
      await store.append(stream, [aDevelopment()], 'no-stream');
      expect(await store.readStream(stream)).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('says where it looked when the password is refused, without the password', async () => {
    const url = new URL(schema.connectionString);
    url.password = 'not-the-password';

    const opening = createEventStore({ kind: 'postgres', connectionString: url.toString() });

    await expect(opening).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(opening).rejects.toThrow(/password authentication failed/);
    await expect(opening).rejects.toThrow(`${url.username}:***@`);
    await expect(opening).rejects.not.toThrow('not-the-password');
  });
});

describe('the PostgreSQL event store, when no server answers', () => {
  let store: PostgresEventStore;

  beforeEach(async () => {
    store = new PostgresEventStore({
      connectionString: `postgres://parley:secret@127.0.0.1:${await aClosedPort()}/parley`,
      connectTimeoutMs: 2000,
    });
  });

  afterEach(async () => {
    await store.close();
  });

  it('says so with StoreUnavailableError on ping, reads and appends (the API answers 503)', async () => {
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readStream(aStream())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readAll(-1n, 10)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.append(aStream(), [aDevelopment()], 'no-stream')).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  it('keeps a subscription waiting for the server, and closes it cleanly', async () => {
    const delivered: unknown[] = [];
    const subscription = store.subscribeToAll(-1n, (batch) => void delivered.push(...batch));
    await sleep(600);

    await subscription.close();

    expect(delivered).toEqual([]);
  });

  it('refuses everything once closed', async () => {
    await store.close();

    await expect(store.ping()).rejects.toThrow('the event store is closed');
    await expect(store.append(aStream(), [aDevelopment()], 'any')).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });
});

describe('createEventStore for PostgreSQL, when no server answers', () => {
  it('fails fast with a message that says where it looked and why, the password hidden', async () => {
    const port = await aClosedPort();
    const started = Date.now();

    const opening = createEventStore({
      kind: 'postgres',
      connectionString: `postgres://parley:s3cret@127.0.0.1:${port}/parley`,
    });

    await expect(opening).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(opening).rejects.toThrow(
      `could not reach PostgreSQL at postgres://parley:***@127.0.0.1:${port}/parley (waited up to 5 s): connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    await expect(opening).rejects.toThrow(/DATABASE_URL/);
    await expect(opening).rejects.not.toThrow('s3cret');
    expect(Date.now() - started).toBeLessThan(6000);
  });
});

describe('redactDatabaseUrl', () => {
  it.each([
    ['postgres://parley:s3cret@db:5432/parley', 'postgres://parley:***@db:5432/parley'],
    [
      'postgresql://parley:p@ss@db/parley?sslmode=require',
      'postgresql://parley:***@db/parley?sslmode=require',
    ],
    [
      'postgres://db/parley?user=parley&password=s3cret',
      'postgres://db/parley?user=parley&password=***',
    ],
    [
      "host=db user=parley password='s3 cret' dbname=parley",
      'host=db user=parley password=*** dbname=parley',
    ],
    ['postgres://parley@db/parley', 'postgres://parley@db/parley'],
  ])('hides the password of %s', (given, shown) => {
    expect(redactDatabaseUrl(given)).toBe(shown);
  });
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
