import { PostgresEventStore } from '@parley/event-store';
import type { StoreOptions } from './event-store.contract';
import { describeEventStoreContract } from './event-store.contract';
import type { TestSchema } from '../support/postgres-server';
import { aFreshSchema, describeWhenPostgresAnswers } from '../support/postgres-server';

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
      ...(options.now ? { now: options.now } : {}),
    });
    await store.migrate();
    return { store, cleanup: () => store.close() };
  });
});
