import type { EventStore } from './event-store.port';
import { StoreUnavailableError } from './event-store.port';
import { EventStoreDbEventStore, redactConnectionString } from './eventstoredb-event-store';
import { PostgresEventStore, messageOf, redactDatabaseUrl } from './postgres-event-store';
import type { RecordingClock } from './recording-clock';
import type { SqliteCreate, StoreLog } from './sqlite-event-store';
import { SqliteEventStore } from './sqlite-event-store';

/** Which store Parley runs on (EVENT_STORE and its settings, see DESIGN.md "Configuration"). */
export type EventStoreConfig =
  | {
      kind: 'sqlite';
      path: string;
      /** Whether a new, empty store may be created at the path (SQLITE_CREATE); 'if-missing' when unset. */
      create?: SqliteCreate;
    }
  | {
      kind: 'eventstoredb';
      connectionString: string;
      /** How long to wait for the server's first answer before giving up; 5 s when unset. */
      connectTimeoutMs?: number;
    }
  | {
      kind: 'postgres';
      /** A libpq connection string (DATABASE_URL). */
      connectionString: string;
      /** How long to wait for a connection before giving up; 5 s when unset. */
      connectTimeoutMs?: number;
    };

/**
 * Opens the configured store, ready for use. For EventStoreDB and PostgreSQL the server must answer
 * first (and PostgreSQL's schema is migrated): when it refuses, or does not answer within the
 * timeout, this rejects with a StoreUnavailableError saying where it looked (password hidden) and
 * why it failed, so that start-up can exit with a clear message instead of serving 503s from a
 * process that never had a store.
 */
export async function createEventStore(
  config: EventStoreConfig,
  options: { clock?: RecordingClock; log?: StoreLog } = {},
): Promise<EventStore> {
  const clock = options.clock ? { clock: options.clock } : {};
  switch (config.kind) {
    case 'sqlite':
      try {
        return new SqliteEventStore({
          path: config.path,
          ...(config.create ? { create: config.create } : {}),
          ...(options.log ? { log: options.log } : {}),
          ...clock,
        });
      } catch (error) {
        throw new StoreUnavailableError(
          `could not open the SQLite event store at ${config.path}: ${messageOf(error)}`,
          {
            cause: error,
          },
        );
      }
    case 'eventstoredb': {
      const timeoutMs = config.connectTimeoutMs ?? 5000;
      const store = new EventStoreDbEventStore({
        connectionString: config.connectionString,
        pingTimeoutMs: timeoutMs,
        ...clock,
      });
      try {
        await store.ping();
      } catch (error) {
        await store.close().catch(() => undefined);
        const where = redactConnectionString(config.connectionString);
        const reason =
          error instanceof StoreUnavailableError && error.cause !== undefined ? error.cause : error;
        throw new StoreUnavailableError(
          `could not reach EventStoreDB at ${where} (waited up to ${timeoutMs / 1000} s): ${messageOf(reason)}. ` +
            'Is the server running and reachable, and does EVENTSTORE_CONNECTION_STRING point at it?',
          { cause: error },
        );
      }
      return store;
    }
    case 'postgres': {
      const timeoutMs = config.connectTimeoutMs ?? 5000;
      const where = redactDatabaseUrl(config.connectionString);
      let store: PostgresEventStore;
      try {
        store = new PostgresEventStore({
          connectionString: config.connectionString,
          connectTimeoutMs: timeoutMs,
          ...clock,
        });
      } catch (error) {
        throw new StoreUnavailableError(
          `invalid PostgreSQL connection string "${where}": ${messageOf(error)}`,
          { cause: error },
        );
      }
      try {
        await store.migrate();
      } catch (error) {
        await store.close().catch(() => undefined);
        const reason =
          error instanceof StoreUnavailableError && error.cause !== undefined ? error.cause : error;
        const doing =
          error instanceof StoreUnavailableError
            ? `could not reach PostgreSQL at ${where} (waited up to ${timeoutMs / 1000} s)`
            : `could not prepare the PostgreSQL store at ${where}`;
        throw new StoreUnavailableError(
          `${doing}: ${messageOf(reason)}. ` +
            'Is the server running and reachable, and does DATABASE_URL point at it (user, password, database)?',
          { cause: error },
        );
      }
      return store;
    }
    default:
      return unknownKind(config);
  }
}

function unknownKind(config: never): never {
  throw new Error(`unknown event store kind: ${JSON.stringify(config)}`);
}
