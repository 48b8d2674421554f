import Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import { mkdirSync, statSync, statfsSync } from 'node:fs';
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
  StoreCorruptionError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from './event-store.port';
import { RecordingClock } from './recording-clock';

/**
 * Whether the store may start a new, empty store: `if-missing` when no file is at the path (its
 * folder is made too), `never` to refuse. A 0-byte file is refused either way: it is what a
 * truncated store looks like, and nothing SQLite ever leaves once a store has its table.
 */
export type SqliteCreate = 'never' | 'if-missing';

/** Where the store says, once per episode, that it stopped or resumed acknowledging writes. */
export interface StoreLog {
  log(message: string): void;
  error(message: string): void;
}

export interface SqliteEventStoreOptions {
  /** The store's file; ':memory:' for a throw-away store. */
  path: string;
  /** Whether a new, empty store may be created at the path; 'if-missing' when unset. */
  create?: SqliteCreate;
  /** How often a subscription looks for events appended by other processes. */
  pollIntervalMs?: number;
  /** How often the file at the path is compared with the open one while no write comes; 1 s. */
  watchIntervalMs?: number;
  /** The system clock (for names and probes; `recordedAt` is the clock's). */
  now?: () => Date;
  /** What decides `recordedAt` (recording-clock.ts); one anchored to the system clock when unset. */
  clock?: RecordingClock;
  /** Where faults, recoveries and a new store are told; faults to stderr when unset. */
  log?: StoreLog;
}

interface EventRow {
  position: number;
  stream: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  recorded_at: string;
  checksum: string | null;
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
 * An event's checksum: SHA-256 (the first 128 bits, hex) over the previous event's checksum in
 * the stream and every stored field but the position, as stored (the data as its JSON text).
 * Chained, so that changing, removing or re-hashing one event breaks the check of the next.
 */
export function eventChecksum(
  previous: string | null,
  row: Pick<EventRow, 'stream' | 'revision' | 'event_id' | 'type' | 'data' | 'recorded_at'>,
): string {
  // Each field length-prefixed, so that no two different rows hash the same text. One string,
  // hashed at once: a hash object per event cost start-up about as much as reading the rows.
  const prior = previous ?? '';
  const revision = String(row.revision);
  const text =
    `${prior.length}:${prior}${row.stream.length}:${row.stream}${revision.length}:${revision}` +
    `${row.event_id.length}:${row.event_id}${row.type.length}:${row.type}` +
    `${row.recorded_at.length}:${row.recorded_at}${row.data.length}:${row.data}`;
  return hash('sha256', text, 'hex').slice(0, 32);
}

/** What a failed write tells a client, and the log, by SQLite's result code. */
function writeFaultOf(code: string): { cause: string; detail: string } | undefined {
  if (code === 'SQLITE_FULL') {
    return {
      cause: 'database or disk is full',
      detail: 'The event store cannot record: the database or disk is full.',
    };
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return {
      cause: 'its file or folder is read-only',
      detail: 'The event store cannot record: its file is read-only.',
    };
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') {
    return {
      cause: 'the disk refused the write (an I/O error: a read-only or failing file system?)',
      detail: 'The event store cannot record: its disk refused the write.',
    };
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return {
      cause: 'the file is damaged',
      detail: 'The event store cannot record: its file is damaged.',
    };
  }
  return undefined;
}

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * After a full disk, writes count as possible again once this much is free: a small write can
 * succeed on a nearly full disk while the next development does not, and readiness would flap.
 */
export const FREE_AFTER_FULL_BYTES = 1024 * 1024;

/**
 * A checkpoint every this many group commits: SQLite's own comes at 1,000 pages of log, and a
 * group writes a few pages (its rows, the two unique indexes, the meta page).
 */
const GROUPS_PER_CHECKPOINT = 200;

/** The identity of the open file, to notice when the path no longer leads to it. */
interface OpenedFile {
  dev: number;
  ino: number;
  /** The largest size seen: the store only grows (it never deletes, and is never vacuumed). */
  size: number;
  wal?: { dev: number; ino: number };
}

/** Without a log given: faults to stderr, the rest unsaid (the app gives its logger: main.ts). */
const consoleLog: StoreLog = {
  log: () => undefined,
  error: (message) => console.error(message),
};

/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so an append is on disk
 * when its promise resolves. Appends that arrive together are group-committed: each runs in its own
 * savepoint (a refused one does not undo the others) and the whole group costs one commit.
 *
 * It knows its file: it opens only an existing store unless creating one is asked for, and it
 * stops acknowledging (StoreUnavailableError, logged once) once the path no longer leads to the
 * file it has open (deleted, replaced, truncated, its write-ahead log deleted), checked before and
 * after every group commit and every second. Every event carries a chained checksum, checked on
 * every read: a changed byte is refused, naming the file, the position and the event.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly path: string;
  private readonly now: () => Date;
  private readonly clock: RecordingClock;
  private readonly pollIntervalMs: number;
  private readonly log: StoreLog;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  /** Subscriptions to wake, told the events this store has just committed (in position order). */
  private readonly listeners = new Set<(committed?: readonly StoredEvent[]) => void>();
  private closed = false;
  /** The open file as first seen; undefined in memory. */
  private readonly opened?: OpenedFile;
  /** Set once the path no longer leads to the open file: for good, until a restart. */
  private lost?: StoreUnavailableError;
  /** Group commits since the log was last checkpointed into the file. */
  private groupsSinceCheckpoint = 0;
  /** The file was truncated under the store: closing would write the log's pages into what is left. */
  private truncated = false;
  /** Set while writes fail (disk full, read-only, I/O error): until one succeeds. */
  private writeFault?: {
    error: StoreUnavailableError;
    code: string;
    since: number;
    refused: number;
  };
  private readonly watch?: NodeJS.Timeout;

  private readonly statements: {
    lastOfStream: Database.Statement<
      [string],
      { revision: number; recorded_at: string; event_id: string; checksum: string | null }
    >;
    byEventId: Database.Statement<[string], EventRow>;
    checksumAt: Database.Statement<[string, number], string | null>;
    insert: Database.Statement<[string, number, string, string, string, string, string]>;
    readStream: Database.Statement<[string, number], EventRow>;
    readAll: Database.Statement<[number, number], EventRow>;
    probe: Database.Statement<[string]>;
  };

  constructor(options: SqliteEventStoreOptions) {
    this.path = options.path;
    this.now = options.now ?? (() => new Date());
    this.clock = options.clock ?? new RecordingClock();
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.log = options.log ?? consoleLog;
    const inMemory = options.path === ':memory:';
    const creating = !inMemory && this.mayCreate(options.create ?? 'if-missing');
    this.db = new Database(options.path, { fileMustExist: !inMemory && !creating });
    try {
      if (!inMemory && !creating) this.checkIsStore();
      this.db.pragma('journal_mode = WAL');
      // Checkpoints (which write the log's pages into the file) are run by flush, right after it
      // has found the file still the one opened: into a file truncated under it, SQLite's own
      // would write pages back, and the file would look whole to the size check.
      this.db.pragma('wal_autocheckpoint = 0');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.migrate();
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.statements = {
      lastOfStream: this.db.prepare(
        'SELECT revision, recorded_at, event_id, checksum FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      ),
      byEventId: this.db.prepare('SELECT * FROM events WHERE event_id = ?'),
      checksumAt: this.db
        .prepare('SELECT checksum FROM events WHERE stream = ? AND revision = ?')
        .pluck() as Database.Statement<[string, number], string | null>,
      insert: this.db.prepare(
        'INSERT INTO events (stream, revision, event_id, type, data, recorded_at, checksum) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      readStream: this.db.prepare(
        'SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision',
      ),
      readAll: this.db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      probe: this.db.prepare(
        "INSERT INTO parley_meta (key, value) VALUES ('write-probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
    };
    if (!inMemory) {
      const file = statSync(this.path);
      this.opened = { dev: file.dev, ino: file.ino, size: file.size };
      // A store that cannot write (a read-only file) says so now, not at the first write.
      this.probeWrite();
      this.fileChange(); // notes the write-ahead log's identity, there once written to
      const watch = setInterval(() => this.checkFile(), options.watchIntervalMs ?? 1000);
      watch.unref();
      this.watch = watch;
    }
  }

  /** Whether the store starts empty at the path: refuses a missing file unless asked, an empty one always. */
  private mayCreate(create: SqliteCreate): boolean {
    const file = statSync(this.path, { throwIfNoEntry: false });
    if (file === undefined) {
      if (create !== 'if-missing') {
        throw new StoreUnavailableError(
          `there is no event store at ${this.path} (no such file), and creating one was not asked for: ` +
            'correct SQLITE_PATH, restore the file, or set SQLITE_CREATE=if-missing to start a new, empty store there',
        );
      }
      mkdirSync(dirname(this.path), { recursive: true });
      this.log.log(
        `no event store at ${this.path}: creating a new, empty one (SQLITE_CREATE=if-missing)`,
      );
      return true;
    }
    if (!file.isFile()) {
      throw new StoreUnavailableError(`${this.path} is not a file`);
    }
    if (file.size === 0) {
      throw new StoreUnavailableError(
        `the event store file ${this.path} is empty (0 bytes): a store is never empty once created, so it was ` +
          'probably truncated. Restore it from a backup; to start a new, empty store there instead, delete it and ' +
          'start with SQLITE_CREATE=if-missing',
      );
    }
    return false;
  }

  /** An existing file must be a SQLite database holding Parley's events. */
  private checkIsStore(): void {
    let tables: string[];
    try {
      tables = this.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .pluck()
        .all() as string[];
    } catch (error) {
      throw new StoreUnavailableError(
        `${this.path} cannot be read as a SQLite database: ${messageOf(error)} (${codeOf(error)})`,
        { cause: error },
      );
    }
    if (!tables.includes('events')) {
      throw new StoreUnavailableError(
        `${this.path} is a SQLite database but holds no Parley event store (it has no events table)`,
      );
    }
  }

  /**
   * The schema, and checksums for a store written before them: computed and stored once, in one
   * transaction, on the first open by this version (what those events held before cannot be
   * vouched for; from then on a change is found). A file that cannot be written is refused.
   */
  private migrate(): void {
    const tables = this.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    if (!tables.includes('events')) {
      this.db.exec(`
        CREATE TABLE events (
          position    INTEGER PRIMARY KEY AUTOINCREMENT,
          stream      TEXT    NOT NULL,
          revision    INTEGER NOT NULL,
          event_id    TEXT    NOT NULL UNIQUE,
          type        TEXT    NOT NULL,
          data        TEXT    NOT NULL,
          recorded_at TEXT    NOT NULL,
          checksum    TEXT,
          UNIQUE (stream, revision)
        );
        CREATE TABLE IF NOT EXISTS parley_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT OR REPLACE INTO parley_meta (key, value) VALUES ('checksums', 'complete');
      `);
      return;
    }
    const columns = this.db.prepare('PRAGMA table_info(events)').all() as { name: string }[];
    const hasChecksums = columns.some((column) => column.name === 'checksum');
    const done = tables.includes('parley_meta')
      ? (this.db.prepare("SELECT value FROM parley_meta WHERE key = 'checksums'").pluck().get() as
          string | undefined)
      : undefined;
    if (hasChecksums && done === 'complete') return;
    try {
      this.db
        .transaction(() => {
          this.db.exec(
            'CREATE TABLE IF NOT EXISTS parley_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
          );
          if (!hasChecksums) this.db.exec('ALTER TABLE events ADD COLUMN checksum TEXT');
          const set = this.db.prepare('UPDATE events SET checksum = ? WHERE position = ?');
          let previous: { stream: string; checksum: string | null } | undefined;
          let count = 0;
          // In pages (a write cannot run while a read iterates), in each stream's order.
          const page = this.db.prepare(
            'SELECT * FROM events WHERE (stream, revision) > (?, ?) ORDER BY stream, revision LIMIT 5000',
          );
          let after: [string, number] = ['', -1];
          for (;;) {
            const rows = page.all(...after) as EventRow[];
            if (rows.length === 0) break;
            for (const row of rows) {
              const before = previous?.stream === row.stream ? previous.checksum : null;
              let checksum = row.checksum;
              if (checksum === null) {
                checksum = eventChecksum(before, row);
                set.run(checksum, row.position);
                count += 1;
              }
              previous = { stream: row.stream, checksum };
            }
            const last = rows[rows.length - 1]!;
            after = [last.stream, last.revision];
          }
          this.db
            .prepare(
              "INSERT INTO parley_meta (key, value) VALUES ('checksums', 'complete') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .run();
          if (count > 0) {
            this.log.log(
              `${this.path}: ${count} stored events had no checksum (written before checksums were kept): ` +
                'computed and stored now, so that any later change is found',
            );
          }
        })
        .immediate();
    } catch (error) {
      throw new StoreUnavailableError(
        `${this.path} holds events stored before checksums were kept; adding them once needs to write ` +
          `to it, which failed: ${messageOf(error)} (${codeOf(error)})`,
        { cause: error },
      );
    }
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
    // The file is checked once per group, before and after its commit (flush), not per append.
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
    if (group.length === 0) return;
    const refuse = (error: unknown): void => {
      for (const request of group) request.reject(error);
    };
    // Nothing is acknowledged unless the path still leads to the file written, before and after.
    const lostBefore = this.checkFile();
    if (lostBefore) return refuse(lostBefore);
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
              if (writeFaultOf(codeOf(error))) throw error; // the whole group fails
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      return refuse(this.writeFailed(error, group.length));
    }
    const lostAfter = this.checkFile();
    if (lostAfter) return refuse(lostAfter);
    this.writeSucceeded();
    if (++this.groupsSinceCheckpoint >= GROUPS_PER_CHECKPOINT) this.checkpoint();
    group.forEach((request, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) request.resolve(outcome.result);
      else request.reject(outcome.error);
    });
    const committed: StoredEvent[] = [];
    for (const outcome of outcomes) if (outcome.ok) committed.push(...outcome.result.events);
    // Subscribers are told once the appenders have resumed: this process's write path applies
    // what it appended before it answers, so a subscription of the same process then finds it
    // applied and passes over it, instead of decoding it and applying it first.
    if (committed.length > 0) {
      setImmediate(() => {
        for (const wake of this.listeners) wake(committed);
      });
    }
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
    const recordedAt = this.clock.stamp(stream, last?.recorded_at);
    const stored: StoredEvent[] = [];
    let revision = actual;
    let previous = last?.checksum ?? null;
    for (const event of events) {
      const existing = this.statements.byEventId.get(event.eventId);
      if (existing) {
        throw new DuplicateEventIdError(event.eventId, this.verifiedRows([existing])[0]!);
      }
      revision += 1;
      const data = JSON.stringify(event.data);
      const row = {
        stream,
        revision,
        event_id: event.eventId,
        type: event.type,
        data,
        recorded_at: recordedAt,
      };
      const checksum = eventChecksum(previous, row);
      const info = this.statements.insert.run(
        stream,
        revision,
        event.eventId,
        event.type,
        data,
        recordedAt,
        checksum,
      );
      previous = checksum;
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

  /**
   * The stored events, once each one's checksum and its link to the previous one in its stream
   * are found right. The previous one is most often just before it in the rows read; otherwise
   * its checksum is looked up (one lookup in the (stream, revision) index), so that the chain is
   * checked wherever a read starts.
   */
  private verifiedRows(rows: readonly EventRow[]): StoredEvent[] {
    const last = new Map<string, { revision: number; checksum: string | null }>();
    return rows.map((row) => {
      let previous: string | null = null;
      if (row.revision > 0) {
        const before = last.get(row.stream);
        previous =
          before?.revision === row.revision - 1
            ? before.checksum
            : (this.statements.checksumAt.get(row.stream, row.revision - 1) ?? null);
      }
      const event = this.verified(row, previous);
      last.set(row.stream, { revision: row.revision, checksum: row.checksum });
      return event;
    });
  }

  private verified(row: EventRow, previous: string | null): StoredEvent {
    // Stored without a checksum (appended by a version before checksums, sharing the file after
    // the migration): served unchecked, and the next event's chain starts over from it.
    if (row.checksum !== null) {
      if (eventChecksum(previous, row) !== row.checksum) {
        const error = new StoreCorruptionError(
          `${this.path}: the stored event at position ${row.position} (event ${row.event_id}, revision ` +
            `${row.revision} of ${row.stream}) does not match its checksum: it, or the event before it in ` +
            'its stream, was changed or removed after it was recorded. It is not served; restore the file ' +
            'from a backup',
        );
        throw error;
      }
    }
    try {
      return toStored(row);
    } catch (error) {
      throw new StoreCorruptionError(
        `${this.path}: the stored event at position ${row.position} (event ${row.event_id}) cannot be read: ${messageOf(error)}`,
        { cause: error },
      );
    }
  }

  readStream(stream: string, fromRevision = 0): Promise<StoredEvent[]> {
    return this.guard(() =>
      this.verifiedRows(this.statements.readStream.all(stream, fromRevision)),
    );
  }

  readAll(after: bigint, limit: number): Promise<StoredEvent[]> {
    return this.guard(() => this.verifiedRows(this.statements.readAll.all(Number(after), limit)));
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

  /**
   * Ready means able to record: the path still leads to the open file, and writes succeed (while
   * they failed, a small write is tried again here, so that readiness returns with the disk).
   */
  ping(): Promise<void> {
    return this.guard(() => {
      this.db.prepare('SELECT 1').get();
      if (this.writeFault) this.probeWrite();
      if (this.writeFault) throw this.writeFault.error;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.queue.length > 0) this.flush();
    this.checkFile(); // a file truncated since the last look must not be closed into
    this.closed = true;
    clearInterval(this.watch);
    this.listeners.clear();
    // Closing checkpoints the write-ahead log into the file: into a truncated one, that would
    // leave a file that looks like a store with holes. Left open, it stays 0 bytes (refused at the
    // next start) beside its log. Otherwise closing is right: a deleted or replaced file's log
    // goes into the open file and is removed, so that no other file at the path picks it up.
    if (!this.truncated) this.db.close();
  }

  /** Writes one small row: the outcome sets or clears the write fault. */
  private probeWrite(): void {
    try {
      this.statements.probe.run(this.now().toISOString());
    } catch (error) {
      this.writeFailed(error, 0);
      return;
    }
    this.writeSucceeded();
  }

  /** The error a failed commit is answered with; a fault of the disk or file starts an episode, logged once. */
  private writeFailed(error: unknown, refused: number): StoreUnavailableError {
    const code = codeOf(error);
    const fault = writeFaultOf(code);
    if (!fault) {
      // Another process holding the write lock past busy_timeout: passing, not an episode.
      return new StoreUnavailableError('the event store could not commit', { cause: error });
    }
    if (code === 'SQLITE_FULL') {
      // The write-ahead log holds many copies of the same pages: moved into the file and emptied,
      // it gives back most of its room. It may fail on a disk this full; the next write tells.
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // still full
      }
    }
    if (this.writeFault) {
      this.writeFault.refused += refused;
      return this.writeFault.error;
    }
    const failure = new StoreUnavailableError(
      `the event store at ${this.path} cannot write: ${fault.cause} (${code}: ${messageOf(error)})`,
      { cause: error, detail: fault.detail, reported: true },
    );
    this.writeFault = { error: failure, code, since: Date.now(), refused };
    this.log.error(
      `${failure.message}. Writes are answered 503 and /health/ready fails until a write succeeds again` +
        (code === 'SQLITE_FULL'
          ? ` with ${FREE_AFTER_FULL_BYTES / 1024 / 1024} MiB free on its disk`
          : code.startsWith('SQLITE_READONLY')
            ? ' (a file opened read-only needs a restart of Parley once it is writable)'
            : ''),
    );
    return failure;
  }

  private writeSucceeded(): void {
    if (!this.writeFault) return;
    if (this.writeFault.code === 'SQLITE_FULL' && this.freeBytes() < FREE_AFTER_FULL_BYTES) return;
    const { since, refused } = this.writeFault;
    this.writeFault = undefined;
    this.log.log(
      `the event store at ${this.path} writes again, after ${((Date.now() - since) / 1000).toFixed(1)} s ` +
        `(${refused} appends refused meanwhile)`,
    );
  }

  /** Moves the log's pages into the file (PASSIVE: it waits for no reader); a failure is left to the next. */
  private checkpoint(): void {
    this.groupsSinceCheckpoint = 0;
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A full disk or a busy file: the log keeps the pages, the next group commit tries again.
    }
  }

  /** Bytes free for this process on the file's file system (Infinity when it cannot be told). */
  private freeBytes(): number {
    try {
      const disk = statfsSync(dirname(this.path));
      return disk.bavail * disk.bsize;
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }

  /** The error every write and read is refused with once the path no longer leads to the open file. */
  private checkFile(): StoreUnavailableError | undefined {
    if (this.lost || !this.opened || this.closed) return this.lost;
    const change = this.fileChange();
    if (change === undefined) return undefined;
    this.truncated = change.kind === 'truncated';
    const rescued = this.rescue(change.kind);
    this.lost = new StoreUnavailableError(
      `the event store's file changed under it: ${change.what}`,
      {
        detail:
          'The event store cannot record: its file or its write-ahead log was deleted, replaced or truncated while open. Parley must be restarted.',
        reported: true,
      },
    );
    this.log.error(
      `${this.lost.message}. Nothing more is acknowledged: writes are answered 503 and /health/ready fails ` +
        `until Parley is restarted on a good file. ${rescued}`,
    );
    return this.lost;
  }

  /** What changed at the path since the file was opened, if anything. */
  private fileChange():
    { kind: 'deleted' | 'replaced' | 'truncated' | 'wal-deleted'; what: string } | undefined {
    const opened = this.opened!;
    const file = statSync(this.path, { throwIfNoEntry: false });
    if (file === undefined) {
      return { kind: 'deleted', what: `${this.path} was deleted (or its folder was)` };
    }
    if (file.ino !== opened.ino || file.dev !== opened.dev) {
      return { kind: 'replaced', what: `${this.path} was replaced by another file` };
    }
    if (file.size < opened.size) {
      return {
        kind: 'truncated',
        what: `${this.path} was truncated (from ${opened.size} to ${file.size} bytes)`,
      };
    }
    opened.size = file.size;
    const wal = statSync(`${this.path}-wal`, { throwIfNoEntry: false });
    if (wal === undefined) {
      if (opened.wal) {
        return {
          kind: 'wal-deleted',
          what: `its write-ahead log ${this.path}-wal was deleted`,
        };
      }
    } else if (!opened.wal) {
      opened.wal = { dev: wal.dev, ino: wal.ino };
    } else if (wal.ino !== opened.wal.ino || wal.dev !== opened.wal.dev) {
      return {
        kind: 'wal-deleted',
        what: `its write-ahead log ${this.path}-wal was replaced by another file`,
      };
    }
    return undefined;
  }

  /**
   * Saves what the open file still holds where it can: the deleted write-ahead log's events are
   * copied into the file (a checkpoint through the open log); a deleted or replaced file is copied
   * beside the path. Says what it did, for the log.
   */
  private rescue(kind: 'deleted' | 'replaced' | 'truncated' | 'wal-deleted'): string {
    try {
      if (kind === 'wal-deleted') {
        this.db.pragma('wal_checkpoint(FULL)');
        return `The events acknowledged so far were copied from the deleted log into ${this.path}.`;
      }
      if (kind === 'deleted' || kind === 'replaced') {
        const copy = `${this.path}.rescued-${this.now().toISOString().replace(/[:.]/g, '-')}`;
        mkdirSync(dirname(copy), { recursive: true });
        this.db.prepare('VACUUM INTO ?').run(copy);
        return `The events acknowledged so far were copied to ${copy}; to keep them, stop Parley and move it to ${this.path}.`;
      }
      return 'What the file held cannot be recovered from the open store; restore it from a backup.';
    } catch (error) {
      return `Rescuing what the open file held failed: ${messageOf(error)}.`;
    }
  }

  private guard<T>(read: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    const lost = this.checkFile();
    if (lost) return Promise.reject(lost);
    try {
      return Promise.resolve(read());
    } catch (error) {
      if (error instanceof StoreUnavailableError) return Promise.reject(error);
      const code = codeOf(error);
      const structural = code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
      const message = `the event store at ${this.path} could not be read: ${messageOf(error)}${code ? ` (${code})` : ''}`;
      return Promise.reject(
        structural
          ? new StoreCorruptionError(message, { cause: error })
          : new StoreUnavailableError(message, { cause: error }),
      );
    }
  }
}
