import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  AppendResult,
  EventStore,
  AppendOptions,
  ExpectedRevision,
  NewEvent,
  StoredEvent,
  Subscription,
} from './event-store.port';
import {
  DuplicateEventIdError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from './event-store.port';

export interface SqliteEventStoreOptions {
  /** The store's file; ':memory:' for a throw-away store. */
  path: string;
  /** How often a subscription looks for events appended by other processes. */
  pollIntervalMs?: number;
  /** The tracker's clock, for `recordedAt`. */
  now?: () => Date;
}

interface EventRow {
  position: number;
  stream: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  recorded_at: string;
}

interface PendingAppend {
  stream: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
  expectedLastEventId: string | undefined;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

function toStored(row: EventRow): StoredEvent {
  return {
    stream: row.stream,
    revision: row.revision,
    position: BigInt(row.position),
    eventId: row.event_id,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    recordedAt: row.recorded_at,
  };
}

/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so an append is on disk
 * when its promise resolves. Appends that arrive together are group-committed: each runs in its own
 * savepoint (a refused one does not undo the others) and the whole group costs one commit.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly pollIntervalMs: number;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  /** Subscriptions to wake, told the events this store has just committed (in position order). */
  private readonly listeners = new Set<(committed?: readonly StoredEvent[]) => void>();
  private closed = false;

  private readonly statements: {
    lastOfStream: Database.Statement<
      [string],
      { revision: number; recorded_at: string; event_id: string }
    >;
    byEventId: Database.Statement<[string], EventRow>;
    insert: Database.Statement<[string, number, string, string, string, string]>;
    readStream: Database.Statement<[string, number], EventRow>;
    readAll: Database.Statement<[number, number], EventRow>;
  };

  constructor(options: SqliteEventStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.now = options.now ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position    INTEGER PRIMARY KEY AUTOINCREMENT,
        stream      TEXT    NOT NULL,
        revision    INTEGER NOT NULL,
        event_id    TEXT    NOT NULL UNIQUE,
        type        TEXT    NOT NULL,
        data        TEXT    NOT NULL,
        recorded_at TEXT    NOT NULL,
        UNIQUE (stream, revision)
      );
    `);
    this.statements = {
      lastOfStream: this.db.prepare(
        'SELECT revision, recorded_at, event_id FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      ),
      byEventId: this.db.prepare('SELECT * FROM events WHERE event_id = ?'),
      insert: this.db.prepare(
        'INSERT INTO events (stream, revision, event_id, type, data, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      readStream: this.db.prepare(
        'SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision',
      ),
      readAll: this.db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
    };
  }

  /** Appends are committed in the order they are made, and `expectedLastEventId` is checked. */
  readonly checksLastEventId = true;

  append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({
        stream,
        events,
        expected,
        expectedLastEventId: options.expectedLastEventId,
        resolve,
        reject,
      });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every queued append in one transaction, then settles their promises. */
  private flush(): void {
    this.flushScheduled = false;
    const group = this.queue;
    this.queue = [];
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    const appendOne = this.db.transaction((request: PendingAppend) => this.appendNow(request));
    try {
      // IMMEDIATE takes the write lock before the group reads anything (waiting up to busy_timeout
      // for another process that holds it): a deferred transaction that read first could not
      // upgrade once another process had committed, and failed at once with "database is locked".
      this.db
        .transaction(() => {
          for (const request of group) {
            try {
              outcomes.push({ ok: true, result: appendOne(request) });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      const failure = new StoreUnavailableError('the event store could not commit', {
        cause: error,
      });
      for (const request of group) request.reject(failure);
      return;
    }
    group.forEach((request, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) request.resolve(outcome.result);
      else request.reject(outcome.error);
    });
    const committed: StoredEvent[] = [];
    for (const outcome of outcomes) if (outcome.ok) committed.push(...outcome.result.events);
    if (committed.length > 0) for (const wake of this.listeners) wake(committed);
  }

  private appendNow({
    stream,
    events,
    expected,
    expectedLastEventId,
  }: PendingAppend): AppendResult {
    const last = this.statements.lastOfStream.get(stream);
    const actual = last ? last.revision : -1;
    const matches =
      (expected === 'any' || (expected === 'no-stream' ? actual === -1 : expected === actual)) &&
      (expectedLastEventId === undefined || last?.event_id === expectedLastEventId);
    if (!matches) throw new WrongExpectedRevisionError(stream, expected, actual);
    const stamped = this.now().toISOString();
    const recordedAt = last && last.recorded_at > stamped ? last.recorded_at : stamped;
    const stored: StoredEvent[] = [];
    let revision = actual;
    for (const event of events) {
      const existing = this.statements.byEventId.get(event.eventId);
      if (existing) throw new DuplicateEventIdError(event.eventId, toStored(existing));
      revision += 1;
      const data = JSON.stringify(event.data);
      const info = this.statements.insert.run(
        stream,
        revision,
        event.eventId,
        event.type,
        data,
        recordedAt,
      );
      stored.push({
        stream,
        revision,
        position: BigInt(info.lastInsertRowid),
        eventId: event.eventId,
        type: event.type,
        data: event.data,
        recordedAt,
      });
    }
    return { revision, events: stored };
  }

  readStream(stream: string, fromRevision = 0): Promise<StoredEvent[]> {
    return this.guard(() => this.statements.readStream.all(stream, fromRevision).map(toStored));
  }

  readAll(after: bigint, limit: number): Promise<StoredEvent[]> {
    return this.guard(() => this.statements.readAll.all(Number(after), limit).map(toStored));
  }

  subscribeToAll(
    after: bigint,
    onEvents: (events: StoredEvent[]) => Promise<void> | void,
  ): Subscription {
    let checkpoint = after;
    let active = true;
    let running = false;
    let again = false;
    let timer: NodeJS.Timeout | undefined;
    // Reads everything after the checkpoint, one batch at a time, never two deliveries at once.
    // What this store has just committed right after the checkpoint is delivered as it is,
    // without reading it back (nothing can lie between: the group held the write lock).
    const pump = async (committed?: readonly StoredEvent[]): Promise<void> => {
      if (!active) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        if (committed && committed[0]!.position === checkpoint + 1n) {
          await onEvents([...committed]);
          checkpoint = committed[committed.length - 1]!.position;
        } else {
          again = true;
        }
        while (again && active) {
          again = false;
          for (;;) {
            const batch = this.closed ? [] : await this.readAll(checkpoint, 1000);
            if (batch.length === 0 || !active) break;
            await onEvents(batch);
            checkpoint = batch[batch.length - 1]!.position;
          }
        }
      } finally {
        running = false;
      }
    };
    const wake = (committed?: readonly StoredEvent[]): void =>
      void pump(committed).catch(() => undefined);
    this.listeners.add(wake);
    const poll = (): void => {
      timer = setTimeout(() => {
        wake();
        if (active) poll();
      }, this.pollIntervalMs);
      timer.unref();
    };
    wake();
    poll();
    return {
      close: async () => {
        active = false;
        clearTimeout(timer);
        this.listeners.delete(wake);
      },
    };
  }

  ping(): Promise<void> {
    return this.guard(() => {
      this.db.prepare('SELECT 1').get();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.queue.length > 0) this.flush();
    this.closed = true;
    this.listeners.clear();
    this.db.close();
  }

  private guard<T>(read: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    try {
      return Promise.resolve(read());
    } catch (error) {
      return Promise.reject(
        new StoreUnavailableError('the event store could not be read', { cause: error }),
      );
    }
  }
}
