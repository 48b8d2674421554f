import { Client, Pool } from 'pg';
import type { ClientConfig, Notification } from 'pg';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
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
import { migrate } from './postgres-migrations';
import { RecordingClock } from './recording-clock';

export interface PostgresEventStoreOptions {
  /** A libpq connection string: `postgres://user:password@host:5432/database?sslmode=require`. */
  connectionString: string;
  /** How long to wait for a connection to the server (and so for ping) before giving up. */
  connectTimeoutMs?: number;
  /** How often a subscription reads on when no notification has woken it (the fallback). */
  pollIntervalMs?: number;
  /** Connections in the pool (the listener of notifications has one more of its own). */
  poolSize?: number;
  /** What decides `recordedAt` (recording-clock.ts); one anchored to the system clock when unset. */
  clock?: RecordingClock;
}

/** The channel parley_append notifies at commit (see 0001_events.sql). */
const CHANNEL = 'parley_events';
/** At most this many appends share one commit. */
const MAX_GROUP = 500;
const SUBSCRIPTION_BATCH = 1000;
const RELISTEN_FIRST_DELAY_MS = 250;
const RELISTEN_MAX_DELAY_MS = 5000;

// node-postgres gives a bigint (position) as a string, which BigInt() takes exactly.
const COLUMNS = `stream, revision, position, event_id, type, data,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at`;

interface EventRow {
  stream: string;
  revision: number;
  position: string;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
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

/** What parley_append answers for one append. */
type Outcome =
  | { revision: number; recordedAt: string; positions: string[] }
  | { actual: number }
  | {
      duplicate: {
        stream: string;
        revision: number;
        position: string;
        eventId: string;
        type: string;
        data: Record<string, unknown>;
        recordedAt: string;
      };
    };

/** What a subscription is woken with: events just committed here, a notified position, or nothing (look). */
type Wake =
  { committed: readonly StoredEvent[]; before: bigint } | { notified: bigint } | undefined;

/** Hides the password of a libpq connection string (URL or key=value form), for messages and logs. */
export function redactDatabaseUrl(connectionString: string): string {
  return connectionString
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^/?#]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***')
    .replace(/(^|\s)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*)/gi, '$1$2***');
}

function toStored(row: EventRow): StoredEvent {
  return {
    stream: row.stream,
    revision: row.revision,
    position: BigInt(row.position),
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    recordedAt: row.recorded_at,
  };
}

/**
 * The store on PostgreSQL, through node-postgres' pool: one table, parley_events, made and changed
 * by the versioned migrations in ./postgres-migrations (`migrate()`, run by createEventStore at
 * start-up).
 *
 * Appends that arrive while a commit is under way are group-committed: the next commit takes them
 * all, in one call of parley_append (one statement, so one transaction and one WAL flush, with
 * `synchronous_commit` on), and each is all or nothing. One commit at a time per instance keeps one
 * stream's appends in the order they were made, so `expectedLastEventId` is honoured and the
 * write path may pipeline. parley_append holds an advisory lock across instances from before
 * positions are taken until the commit is visible, so positions ascend in commit order and readers
 * following them never skip an event (0001_events.sql says why).
 *
 * Subscriptions read on from their position whenever a commit anywhere is notified (LISTEN on
 * one connection of its own, re-established when lost), and every `pollIntervalMs` in case a
 * notification was missed. What this instance has just committed is handed to its subscriptions
 * as it is, without reading it back, when nothing else can lie before it.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly clientConfig: ClientConfig;
  private readonly clock: RecordingClock;
  /**
   * The latest recordedAt of each stream this process has appended or read (the app reads every
   * stream at start-up and follows them): what the clock stamps after. parley_append still keeps
   * a stamp from preceding what another process wrote meanwhile (greatest).
   */
  private readonly lastRecordedAt = new Map<string, string>();
  private readonly pollIntervalMs: number;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  /** The commit under way, if any. */
  private committing: Promise<void> | undefined;
  private readonly wakes = new Set<(wake: Wake) => void>();
  private listener: Client | undefined;
  private relistenTimer: NodeJS.Timeout | undefined;
  private listenFailures = 0;
  private closed = false;

  constructor(options: PostgresEventStoreOptions) {
    this.clientConfig = {
      connectionString: options.connectionString,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      // A silent network (no reset) shows up as an error instead of a request that never ends.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      query_timeout: 30_000,
      application_name: 'parley',
    };
    this.pool = new Pool({ ...this.clientConfig, max: options.poolSize ?? 10 });
    // An idle connection the server dropped: the pool discards it; the next request reconnects.
    this.pool.on('error', () => undefined);
    this.clock = options.clock ?? new RecordingClock();
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
  }

  /** Appends are committed in the order they are made, and `expectedLastEventId` is checked. */
  readonly checksLastEventId = true;

  /** Keeps the latest recordedAt of the events' streams (see lastRecordedAt). */
  private noted(events: StoredEvent[]): StoredEvent[] {
    for (const event of events) {
      const known = this.lastRecordedAt.get(event.stream);
      if (known === undefined || event.recordedAt > known) {
        this.lastRecordedAt.set(event.stream, event.recordedAt);
      }
    }
    return events;
  }

  /** Applies the pending migrations (see postgres-migrations.ts); returns the versions applied. */
  async migrate(): Promise<number[]> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw unavailable(error, 'could not connect to PostgreSQL');
    });
    try {
      return await migrate(client);
    } finally {
      client.release();
    }
  }

  append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    const ids = new Set<string>();
    for (const { eventId } of events) {
      if (ids.has(eventId))
        return Promise.reject(new TypeError(`one append carries eventId ${eventId} twice`));
      ids.add(eventId);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({
        stream,
        events,
        expected,
        expectedLastEventId: options.expectedLastEventId,
        resolve,
        reject,
      });
      this.scheduleFlush();
    });
  }

  /** Commits on the next turn of the event loop, so that appends made together share it. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.committing) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.committing || this.queue.length === 0) return;
    const group = this.queue.splice(0, MAX_GROUP);
    this.committing = this.commit(group)
      // What commit() did not settle (it failed itself) is refused; the settled stay as they are.
      .catch((error: unknown) => group.forEach((request) => request.reject(error)))
      .finally(() => {
        this.committing = undefined;
        if (this.queue.length > 0) this.scheduleFlush();
      });
  }

  /** One call of parley_append for the whole group; then each promise is settled with its outcome. */
  private async commit(queued: PendingAppend[]): Promise<void> {
    const group: PendingAppend[] = [];
    const appends = [];
    for (const request of queued) {
      let recordedAt: string;
      try {
        recordedAt = this.clock.stamp(request.stream, this.lastRecordedAt.get(request.stream));
      } catch (error) {
        request.reject(error); // the clock is far behind the stream: refused, nothing sent
        continue;
      }
      group.push(request);
      appends.push({
        stream: request.stream,
        expected: request.expected,
        ...(request.expectedLastEventId !== undefined
          ? { lastEventId: request.expectedLastEventId }
          : {}),
        recordedAt,
        events: request.events.map((event) => ({ eventId: event.eventId, type: event.type })),
      });
    }
    if (group.length === 0) return;
    // Apart from the rest (see 0001_events.sql), as json[]: each element is the data as written.
    const datas = group.flatMap((request) =>
      request.events.map((event) => JSON.stringify(event.data)),
    );
    let answer: { before: string; outcomes: Outcome[] };
    try {
      const { rows } = await this.pool.query<{ answer: typeof answer }>({
        name: 'parley-append',
        text: 'SELECT parley_append($1::json, $2::json[]) AS answer',
        values: [JSON.stringify(appends), datas],
      });
      answer = rows[0]!.answer;
    } catch (error) {
      // Connection trouble while the commit was under way leaves its outcome unknown: the caller
      // is told the store is unavailable and retries with the same eventIds, which are recognised.
      const failure = unavailable(error, 'could not append to PostgreSQL');
      for (const request of group) request.reject(failure);
      return;
    }
    const committed: StoredEvent[] = [];
    group.forEach((request, i) => {
      const outcome = answer.outcomes[i]!;
      if ('duplicate' in outcome) {
        const existing = outcome.duplicate;
        request.reject(
          new DuplicateEventIdError(existing.eventId, {
            ...existing,
            position: BigInt(existing.position),
          }),
        );
      } else if ('actual' in outcome) {
        request.reject(
          new WrongExpectedRevisionError(request.stream, request.expected, outcome.actual),
        );
      } else {
        const events = request.events.map((event, k) => ({
          stream: request.stream,
          revision: outcome.revision - request.events.length + 1 + k,
          position: BigInt(outcome.positions[k]!),
          eventId: event.eventId,
          type: event.type,
          data: event.data,
          recordedAt: outcome.recordedAt,
        }));
        committed.push(...events);
        request.resolve({ revision: outcome.revision, events });
      }
    });
    this.noted(committed);
    if (committed.length > 0) {
      const wake: Wake = { committed, before: BigInt(answer.before) };
      for (const subscription of this.wakes) subscription(wake);
    }
  }

  async readStream(stream: string, fromRevision = 0): Promise<StoredEvent[]> {
    const rows = await this.query<EventRow>(
      'parley-read-stream',
      `SELECT ${COLUMNS} FROM parley_events WHERE stream = $1 AND revision >= $2 ORDER BY revision`,
      [stream, fromRevision],
      `could not read ${stream}`,
    );
    return this.noted(rows.map(toStored));
  }

  async readAll(after: bigint, limit: number): Promise<StoredEvent[]> {
    if (limit <= 0) return [];
    const rows = await this.query<EventRow>(
      'parley-read-all',
      `SELECT ${COLUMNS} FROM parley_events WHERE position > $1 ORDER BY position LIMIT $2`,
      [after.toString(), limit],
      'could not read the events',
    );
    return this.noted(rows.map(toStored));
  }

  subscribeToAll(
    after: bigint,
    onEvents: (events: StoredEvent[]) => Promise<void> | void,
  ): Subscription {
    let checkpoint = after;
    let active = !this.closed;
    let running = false;
    let again = false;
    let timer: NodeJS.Timeout | undefined;
    // Delivers what lies after the checkpoint, one batch at a time, never two deliveries at once.
    // A failed delivery leaves the checkpoint where it was: the next wake delivers it again.
    const pump = async (wake: Wake): Promise<void> => {
      if (!active) return;
      if (wake && 'notified' in wake && wake.notified <= checkpoint) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        if (wake && 'committed' in wake && checkpoint >= wake.before) {
          const fresh = wake.committed.filter((event) => event.position > checkpoint);
          if (fresh.length > 0) {
            await onEvents(fresh);
            checkpoint = fresh[fresh.length - 1]!.position;
          }
        } else {
          again = true;
        }
        while (again && active) {
          again = false;
          for (;;) {
            const batch = this.closed ? [] : await this.readAll(checkpoint, SUBSCRIPTION_BATCH);
            if (batch.length === 0 || !active) break;
            await onEvents(batch);
            checkpoint = batch[batch.length - 1]!.position;
          }
        }
      } finally {
        running = false;
      }
    };
    const wake = (signal: Wake): void => void pump(signal).catch(() => undefined);
    const poll = (): void => {
      timer = setTimeout(() => {
        wake(undefined);
        if (active) poll();
      }, this.pollIntervalMs);
      timer.unref();
    };
    if (active) {
      this.wakes.add(wake);
      this.listen();
      wake(undefined);
      poll();
    }
    return {
      close: async () => {
        active = false;
        clearTimeout(timer);
        this.wakes.delete(wake);
      },
    };
  }

  /**
   * Keeps one connection LISTENing for commits while subscriptions are open; when it is lost, it
   * is made again after a pause (growing to 5 s), and meanwhile the subscriptions poll.
   */
  private listen(): void {
    if (this.closed || this.listener || this.relistenTimer) return;
    const client = new Client(this.clientConfig);
    this.listener = client;
    client.on('notification', (message: Notification) => {
      if (message.channel !== CHANNEL) return;
      let notified: bigint | undefined;
      try {
        notified = message.payload ? BigInt(message.payload) : undefined;
      } catch {
        notified = undefined; // not one of ours: look anyway
      }
      const signal: Wake = notified === undefined ? undefined : { notified };
      for (const subscription of this.wakes) subscription(signal);
    });
    const lost = (): void => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.listenFailures++;
      const pause = Math.min(
        RELISTEN_FIRST_DELAY_MS * 2 ** (this.listenFailures - 1),
        RELISTEN_MAX_DELAY_MS,
      );
      this.relistenTimer = setTimeout(() => {
        this.relistenTimer = undefined;
        if (this.wakes.size > 0) this.listen();
      }, pause);
      this.relistenTimer.unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client
      .connect()
      .then(() => client.query(`LISTEN ${CHANNEL}`))
      .then(() => {
        this.listenFailures = 0;
        // Commits made while nobody listened were not notified here: look now.
        for (const subscription of this.wakes) subscription(undefined);
      }, lost);
  }

  async ping(): Promise<void> {
    await this.query('parley-ping', 'SELECT 1', [], 'PostgreSQL does not answer');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // What was appended before close() is committed (or refused) first.
    while (this.committing || this.queue.length > 0) {
      this.flush();
      await this.committing;
    }
    this.closed = true;
    this.wakes.clear();
    clearTimeout(this.relistenTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  /** A named query: each connection prepares it once (parsed and planned once, not per call). */
  private async query<R extends object>(
    name: string,
    text: string,
    values: unknown[],
    doing: string,
  ): Promise<R[]> {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
    try {
      return (await this.pool.query<R>({ name, text, values })).rows;
    } catch (error) {
      throw unavailable(error, doing);
    }
  }
}

/**
 * SQLSTATE classes that mean the server cannot serve now: connection exceptions (08), refused
 * authorization (28), no such database (3D), insufficient resources (53), lock not available
 * (55P03), operator intervention such as a shutdown or a cancelled statement (57), system errors (58).
 */
const UNAVAILABLE_STATES = /^(08|28|3D|53|55P03|57|58)/;
/** node-postgres' own words for a connection it lost or could not make. */
const CONNECTION_TROUBLE =
  /connection|terminated|timeout|not queryable|Cannot use a pool after calling end/i;

/**
 * Connection trouble becomes StoreUnavailableError (a 503); anything else is passed on as it is.
 * Errors are recognised by their code and message, not by class: socket errors come from Node's
 * own realm, which is not the caller's under jest.
 */
function unavailable(error: unknown, doing: string): unknown {
  if (error instanceof StoreUnavailableError) return error;
  if (typeof error !== 'object' || error === null) return error;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const trouble =
    typeof code === 'string'
      ? /^[0-9A-Z]{5}$/.test(code)
        ? UNAVAILABLE_STATES.test(code)
        : /^E[A-Z_]+$/.test(code) // a system error of the socket: ECONNREFUSED, ECONNRESET, ENOTFOUND…
      : typeof message === 'string' && CONNECTION_TROUBLE.test(message);
  return trouble
    ? new StoreUnavailableError(`${doing}: ${messageOf(error)}`, { cause: error })
    : error;
}

/** An error's message; each of an AggregateError's (a connection tried on several addresses). */
export function messageOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { errors, message, name } = error as {
    errors?: unknown;
    message?: unknown;
    name?: unknown;
  };
  if (Array.isArray(errors) && errors.length > 0) return errors.map(messageOf).join('; ');
  if (typeof message === 'string' && message) return message;
  return typeof name === 'string' ? name : 'unknown error';
}
