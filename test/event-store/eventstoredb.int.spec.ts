import type { EventStore } from '@parley/event-store';
import {
  EventStoreDbEventStore,
  StoreUnavailableError,
  createEventStore,
} from '@parley/event-store';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { StartedTestContainer } from 'testcontainers';
import { GenericContainer, Wait } from 'testcontainers';
import type { StoreOptions } from './event-store.contract';
import { aDevelopment, aStream, describeEventStoreContract } from './event-store.contract';

/*
 * The store contract against a real EventStoreDB / KurrentDB node started by testcontainers.
 * Without a container runtime (this machine and CI have only a docker client, no engine) the
 * suite is skipped, and says so in one line. There is no stand-in server: nothing else can show
 * that the adapter works.
 */

const IMAGE = process.env.PARLEY_TEST_EVENTSTORE_IMAGE ?? 'kurrentplatform/kurrentdb:25.0';
const HTTP_PORT = 2113;

/**
 * Asks testcontainers whether a container runtime answers. Jest decides what runs while it loads
 * this file, before any hook, so the question is asked synchronously, in a child process.
 */
function probeContainerRuntime(): { available: true } | { available: false; reason: string } {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `require('testcontainers').getContainerRuntimeClient().then(
        () => process.exit(0),
        (error) => { process.stderr.write(String((error && error.message) || error)); process.exit(1); })`,
    ],
    { cwd: resolve(__dirname, '../..'), encoding: 'utf8', timeout: 60_000 },
  );
  if (probe.status === 0) return { available: true };
  const said = (probe.stderr || probe.error?.message || `probe exited with ${probe.status}`)
    .trim()
    .split('\n')
    .pop();
  return { available: false, reason: said ?? 'unknown' };
}

const runtime = probeContainerRuntime();
if (!runtime.available) {
  process.stdout.write(
    `SKIPPED: EventStoreDB store contract (test/event-store/eventstoredb.int.spec.ts) — no container runtime for testcontainers: ${runtime.reason}\n`,
  );
}
const describeWithEventStoreDb = runtime.available ? describe : describe.skip;

/** Environment for an insecure, in-memory single node; KurrentDB 25 reads KURRENTDB_*, older images EVENTSTORE_*. */
function nodeEnvironment(image: string): Record<string, string> {
  const prefix = /kurrent/i.test(image) ? 'KURRENTDB' : 'EVENTSTORE';
  return {
    [`${prefix}_CLUSTER_SIZE`]: '1',
    [`${prefix}_INSECURE`]: 'true',
    [`${prefix}_RUN_PROJECTIONS`]: 'None',
    [`${prefix}_MEM_DB`]: 'true',
  };
}

describeWithEventStoreDb(`EventStoreDB (${IMAGE} in a container)`, () => {
  let container: StartedTestContainer | undefined;
  let connectionString = '';

  beforeAll(async () => {
    container = await new GenericContainer(IMAGE)
      .withEnvironment(nodeEnvironment(IMAGE))
      .withExposedPorts(HTTP_PORT)
      // /health/live answers 204 once the node serves requests.
      .withWaitStrategy(
        Wait.forHttp('/health/live', HTTP_PORT).forStatusCodeMatching(
          (code) => code >= 200 && code < 300,
        ),
      )
      .withStartupTimeout(180_000)
      .start();
    connectionString = `esdb://${container.getHost()}:${container.getMappedPort(HTTP_PORT)}?tls=false`;
  }, 240_000);

  afterAll(async () => {
    await container?.stop();
  }, 60_000);

  describeEventStoreContract('EventStoreDB', async (options: StoreOptions = {}) => {
    const store = new EventStoreDbEventStore({
      connectionString,
      ...(options.now ? { now: options.now } : {}),
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

/** A port on this machine that nothing listens on (bound, then released). */
async function aClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address ? address.port : 1;
}

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
