import type { EventStore, StoredEvent } from '@parley/event-store';
import {
  DuplicateEventIdError,
  EventStoreDbEventStore,
  WrongExpectedRevisionError,
  createEventStore,
} from '@parley/event-store';
import { randomUUID } from 'node:crypto';
import { inSchema, onTestDatabase } from './postgres-server';
import { RunningApp } from './running-app';

/**
 * Starts the real app on one kind of store: on a fresh, empty store, or on the store of an app
 * started before (a second instance, or a restart). The end-to-end scenarios in test/scenarios
 * take one of these, so that the same scenarios run on SQLite and on EventStoreDB.
 */
export interface AppsOnStore {
  /** Names the store in test titles: 'SQLite', 'EventStoreDB', 'PostgreSQL'. */
  readonly storeName: string;
  start(options?: { sameStoreAs?: RunningApp }): Promise<RunningApp>;
}

/** The embedded store: a fresh SQLite file in a temporary folder per store, as in `npm start`. */
export const onSqlite: AppsOnStore = {
  storeName: 'SQLite',
  start: ({ sameStoreAs } = {}) =>
    RunningApp.start(sameStoreAs ? { dbPath: sameStoreAs.dbPath } : {}),
};

/**
 * EventStoreDB: every app gets its own connection (its own adapter and client, as separate API
 * processes would), to the node at `connectionString()`. `sameStoreAs` may name an app started
 * through another connection string to the same node (directly, or through a proxy).
 *
 * One node serves a whole test file, and a server cannot be emptied between tests, so a "fresh
 * store" is a namespace on it: the app's streams (`negotiation-talks`) are stored under a prefix
 * of their own (`e2e1f2e3d4c-negotiation-talks`), and the adapter is told that prefix as its
 * `streamPrefix`, so its reads of `$all` and its subscriptions (filtered on the server) see that
 * namespace only. Everything else is the product as it runs: the real adapter, client and server.
 */
export function onEventStoreDb(connectionString: () => string): AppsOnStore {
  return {
    storeName: 'EventStoreDB',
    async start({ sameStoreAs } = {}) {
      const namespace = sameStoreAs
        ? namespaces.get(sameStoreAs)
        : `e2e${randomUUID().slice(0, 8)}-`;
      if (namespace === undefined) throw new Error('that app does not run on this EventStoreDB');
      const adapter = new EventStoreDbEventStore({
        connectionString: connectionString(),
        streamPrefix: `${namespace}negotiation-`,
      });
      await adapter.ping().catch(async (error: unknown) => {
        await adapter.close();
        throw error;
      });
      const app = await RunningApp.start({
        store: {
          store: withStreamNamespace(adapter, namespace),
          config: { kind: 'eventstoredb', connectionString: connectionString() },
        },
      });
      namespaces.set(app, namespace);
      return app;
    },
  };
}

/**
 * PostgreSQL: every app is opened as `npm start` opens it (createEventStore: connect, migrate), with
 * its own pool, on the server at `databaseUrl()`. A fresh store is a schema of its own on that
 * database, named in the connection string (`options=-c search_path=…`, as a deployment may do);
 * `sameStoreAs` may name an app started through another address of the same server (a proxy).
 * `dropSchemas()` removes the schemas made so far.
 */
export function onPostgres(
  databaseUrl: () => string,
): AppsOnStore & { dropSchemas(): Promise<void> } {
  const made: string[] = [];
  return {
    storeName: 'PostgreSQL',
    async start({ sameStoreAs } = {}) {
      let schema = sameStoreAs ? schemas.get(sameStoreAs) : undefined;
      if (sameStoreAs && schema === undefined)
        throw new Error('that app does not run on PostgreSQL');
      if (schema === undefined) {
        schema = `parley_e2e_${randomUUID().slice(0, 8)}`;
        await onTestDatabase((client) => client.query(`CREATE SCHEMA ${schema}`));
        made.push(schema);
      }
      const connectionString = inSchema(databaseUrl(), schema);
      const config = { kind: 'postgres' as const, connectionString };
      const app = await RunningApp.start({
        store: { store: await createEventStore(config), config },
      });
      schemas.set(app, schema);
      return app;
    },
    async dropSchemas() {
      const schemasMade = made.splice(0);
      if (schemasMade.length === 0) return;
      await onTestDatabase((client) =>
        client.query(`DROP SCHEMA ${schemasMade.join(', ')} CASCADE`),
      );
    },
  };
}

/** The schema of each app started on PostgreSQL. */
const schemas = new WeakMap<RunningApp, string>();

/** The namespace of each app started on EventStoreDB, whichever connection string it was started with. */
const namespaces = new WeakMap<RunningApp, string>();

/**
 * The store as the app sees it: stream `s` is stored as `namespace + s`; errors and events name
 * `s`. Everything else the store offers is passed through as it is.
 */
function withStreamNamespace(store: EventStore, namespace: string): EventStore {
  const inner = (stream: string): string => namespace + stream;
  const outer = (stream: string): string =>
    stream.startsWith(namespace) ? stream.slice(namespace.length) : stream;
  const event = (e: StoredEvent): StoredEvent => ({ ...e, stream: outer(e.stream) });
  const renamed = (error: unknown): unknown => {
    if (error instanceof WrongExpectedRevisionError) {
      return new WrongExpectedRevisionError(outer(error.stream), error.expected, error.actual);
    }
    if (error instanceof DuplicateEventIdError) {
      return new DuplicateEventIdError(error.eventId, event(error.existing));
    }
    return error;
  };
  const renaming: Partial<EventStore> = {
    append: async (stream, ...rest) => {
      try {
        const result = await store.append(inner(stream), ...rest);
        return { ...result, events: result.events.map(event) };
      } catch (error) {
        throw renamed(error);
      }
    },
    readStream: async (stream, ...rest) =>
      (await store.readStream(inner(stream), ...rest)).map(event),
    readAll: async (after, limit) => (await store.readAll(after, limit)).map(event),
    subscribeToAll: (after, onEvents) =>
      store.subscribeToAll(after, (events) => onEvents(events.map(event))),
  };
  return new Proxy(store, {
    get(target, property, receiver): unknown {
      if (Object.prototype.hasOwnProperty.call(renaming, property)) {
        return renaming[property as keyof EventStore];
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
