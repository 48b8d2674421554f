import type { EventStore } from '@parley/event-store';
import {
  EventStoreDbEventStore,
  StoreUnavailableError,
  createEventStore,
} from '@parley/event-store';
import {
  EVENTSTORE_IMAGE,
  aClosedPort,
  describeWhenContainersRun,
  startEventStoreDbNode,
} from '../support/eventstoredb-node';
import type { EventStoreDbNode } from '../support/eventstoredb-node';
import type { StoreOptions } from './event-store.contract';
import { aDevelopment, aStream, describeEventStoreContract } from './event-store.contract';

/*
 * The store contract against a real EventStoreDB / KurrentDB node started by testcontainers.
 * Without a container runtime (this machine and CI have only a docker client, no engine) the
 * suite is skipped, and says so in one line. There is no stand-in server: nothing else can show
 * that the adapter works.
 */

const describeWithEventStoreDb = describeWhenContainersRun(
  'EventStoreDB store contract',
  'test/event-store/eventstoredb.int.spec.ts',
);

describeWithEventStoreDb(`EventStoreDB (${EVENTSTORE_IMAGE} in a container)`, () => {
  let node: EventStoreDbNode | undefined;
  let connectionString = '';

  beforeAll(async () => {
    node = await startEventStoreDbNode();
    connectionString = node.connectionString;
  }, 240_000);

  afterAll(async () => {
    await node?.stop();
  }, 60_000);

  describeEventStoreContract('EventStoreDB', async (options: StoreOptions = {}) => {
    const store = new EventStoreDbEventStore({
      connectionString,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    return { store, cleanup: () => store.close() };
  });

  describe('opened by createEventStore', () => {
    let store: EventStore | undefined;

    afterEach(async () => {
      await store?.close();
    });

    it('answers ping and serves appends', async () => {
      store = await createEventStore({ kind: 'eventstoredb', connectionString });
      await store.ping();
      const stream = aStream();
      await store.append(stream, [aDevelopment()], 'no-stream');
      expect(await store.readStream(stream)).toHaveLength(1);
    });
  });
});

describe('the EventStoreDB event store, when no server answers', () => {
  let store: EventStoreDbEventStore;

  beforeEach(async () => {
    store = new EventStoreDbEventStore({
      connectionString: `esdb://127.0.0.1:${await aClosedPort()}?tls=false`,
      pingTimeoutMs: 2000,
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
    await new Promise((resolve) => setTimeout(resolve, 600));

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

describe('createEventStore for EventStoreDB, when no server answers', () => {
  it('fails fast with a message that says where it looked and why', async () => {
    const port = await aClosedPort();
    const started = Date.now();

    const opening = createEventStore({
      kind: 'eventstoredb',
      connectionString: `esdb://admin:changeit@127.0.0.1:${port}?tls=false`,
    });

    await expect(opening).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(opening).rejects.toThrow(
      `could not reach EventStoreDB at esdb://admin:***@127.0.0.1:${port}?tls=false`,
    );
    await expect(opening).rejects.toThrow(/EVENTSTORE_CONNECTION_STRING/);
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('refuses a connection string that is not one, naming it', async () => {
    await expect(
      createEventStore({ kind: 'eventstoredb', connectionString: 'http://localhost:2113' }),
    ).rejects.toThrow(/invalid EventStoreDB connection string "http:\/\/localhost:2113"/);
  });
});
