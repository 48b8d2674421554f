import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  Position,
  ReadPosition,
  ResolvedEvent,
} from '@eventstore/db-client';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  isCommandError,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  StoredEvent,
  Subscription,
} from './event-store.port';
import { RecordingClock } from './recording-clock';
import {
  DuplicateEventIdError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from './event-store.port';

/*
 * The only file that knows @eventstore/db-client. A move to its successor @kurrent/kurrentdb-client
 * (where `expectedRevision` is called `streamState`) changes this file and nothing else.
 */

export interface EventStoreDbEventStoreOptions {
  /** `esdb://host:2113?tls=false`, or `esdb+discover://` / several hosts for a cluster. */
  connectionString: string;
  /** Only streams whose name starts with this are Parley's; readAll and subscriptions skip the rest. */
  streamPrefix?: string;
  /** How long ping() waits for an answer. */
  pingTimeoutMs?: number;
  /** What decides `recordedAt` (recording-clock.ts); one anchored to the system clock when unset. */
  clock?: RecordingClock;
}

/** What Parley keeps in an event's metadata. */
interface ParleyMetadata {
  recordedAt: string;
}

/** The protocol's "no position" value (an unsigned 64-bit -1), sent by servers before 22.6 on stream reads. */
const NO_POSITION = 0xffff_ffff_ffff_ffffn;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const READ_ALL_PAGE = 1000;
const SUBSCRIPTION_BATCH = 1000;
const RESUBSCRIBE_FIRST_DELAY_MS = 250;
const RESUBSCRIBE_MAX_DELAY_MS = 5000;

/** Hides the password of `esdb://user:password@host`, for messages and logs. */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/^([a-z+]+:\/\/[^:@/]+):[^@/]*@/i, '$1:***@');
}

/**
 * The production store on EventStoreDB / KurrentDB. Streams are named by the caller
 * (`negotiation-<id>`), the event type is the development type, the event id is Parley's `eventId`
 * and `recordedAt` lives in the event's metadata (not the server's `created`, which a migration
 * that copies events rewrites).
 *
 * Positions are the commit positions of the transaction log. Every append through gRPC is one
 * implicit transaction whose events each get their own log position, so commit positions are
 * distinct and ascending in `$all` order. (Events written by the legacy TCP API inside explicit
 * multi-request transactions share a commit position; readAll never ends a page in the middle of
 * one, but a subscription checkpoint taken inside one could skip its remainder.)
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly prefix: string;
  private readonly pingTimeoutMs: number;
  private readonly clock: RecordingClock;
  /** Appends to one stream from this process, one at a time (see append). */
  private readonly streamQueues = new Map<string, Promise<void>>();
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(options: EventStoreDbEventStoreOptions) {
    try {
      this.client = EventStoreDBClient.connectionString(options.connectionString);
    } catch (error) {
      throw new Error(
        `invalid EventStoreDB connection string "${redactConnectionString(options.connectionString)}": ${messageOf(error)}`,
        { cause: error },
      );
    }
    this.prefix = options.streamPrefix ?? 'negotiation-';
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5000;
    this.clock = options.clock ?? new RecordingClock();
  }

  /**
   * Appends all the events or none.
   *
   * The stream is read first: its last event (read backwards) gives the revision to check
   * `expected` against and the `recordedAt` the new events must not precede; then its events up
   * to that revision are read and their ids checked for duplicates. The write goes to the server
   * with that exact revision, so nothing can land between the read and the write: a lost race
   * comes back as WrongExpectedRevisionError, or, for 'any', is retried from a fresh read.
   * (Sending 'any' as ANY would let another writer slip in between, and with it a `recordedAt`
   * earlier than its predecessor's or an unchecked duplicate.) Appends to one stream from this
   * process are queued one behind the other, so that they do not lose races to each other.
   *
   * Duplicate event ids, and their limit: the server deduplicates silently, and only an append that
   * repeats the events just after its expected revision (a retry). Parley's read-and-check finds an
   * id anywhere in the same stream. What it cannot see is an id stored in ANOTHER stream: finding
   * that would need an index of every event id, which the server does not offer, so such an event
   * is stored a second time. A concurrent append of the same ids to the same stream, racing
   * between our read and our write, is answered by the server as an idempotent success; reading
   * the written revisions back tells ours from theirs, and theirs is reported as a duplicate
   * unless it is identical to ours in id, type, data and recordedAt (then the outcome is exactly
   * the one asked for, and it is reported as done).
   *
   * Cost: the duplicate check reads the whole stream, so an append is linear in the stream's
   * length (the write path reads it anyway to decide). A stale revision is refused after reading
   * the last event only.
   */
  append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    const invalid = events.find((event) => !UUID.test(event.eventId));
    if (invalid) {
      return Promise.reject(
        new TypeError(`eventId must be a UUID for EventStoreDB, got "${invalid.eventId}"`),
      );
    }
    const ids = events.map((event) => event.eventId.toLowerCase());
    const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
    if (repeated)
      return Promise.reject(new TypeError(`one append carries eventId ${repeated} twice`));
    return this.oneAtATime(stream, () => this.appendNow(stream, events, expected));
  }

  private async appendNow(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    for (;;) {
      const last = await this.lastEventOf(stream);
      const actual = last ? last.revision : -1;
      const matches =
        expected === 'any' || (expected === 'no-stream' ? actual === -1 : expected === actual);
      if (!matches) throw new WrongExpectedRevisionError(stream, expected, actual);
      if (actual >= 0) {
        const stored = await this.readStream(stream, 0, actual + 1);
        const byId = new Map(stored.map((event) => [event.eventId.toLowerCase(), event]));
        for (const event of events) {
          const existing = byId.get(event.eventId.toLowerCase());
          if (existing) throw new DuplicateEventIdError(event.eventId, existing);
        }
      }
      if (events.length === 0) return { revision: actual, events: [] };

      const recordedAt = this.clock.stamp(stream, last?.recordedAt);
      const metadata: ParleyMetadata = { recordedAt };
      try {
        await this.client.appendToStream(
          stream,
          events.map((event) =>
            jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata }),
          ),
          { expectedRevision: actual === -1 ? NO_STREAM : BigInt(actual) },
        );
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          if (expected === 'any') continue;
          const current = error.actualVersion;
          throw new WrongExpectedRevisionError(
            stream,
            expected,
            typeof current === 'bigint' ? Number(current) : -1,
          );
        }
        throw unavailable(error, `could not append to ${stream}`);
      }
      const written = await this.readBack(stream, actual + 1, events.length);
      events.forEach((event, i) => {
        const found = written[i]!;
        if (found.eventId.toLowerCase() !== event.eventId.toLowerCase()) {
          throw new Error(
            `${stream} holds ${found.eventId} at revision ${found.revision} where ${event.eventId} was just appended`,
          );
        }
        const ours =
          found.type === event.type &&
          found.recordedAt === recordedAt &&
          JSON.stringify(found.data) === JSON.stringify(event.data);
        if (!ours) throw new DuplicateEventIdError(event.eventId, found);
      });
      return { revision: actual + events.length, events: written };
    }
  }

  private async lastEventOf(stream: string): Promise<StoredEvent | undefined> {
    this.assertOpen();
    let last: StoredEvent | undefined;
    try {
      const read = this.client.readStream(stream, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      });
      // Read to the end (one event) rather than leave the loop early, which would destroy the
      // read while the server's answer is still piped into it.
      for await (const resolved of read) last ??= this.toStored(resolved);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw unavailable(error, `could not read ${stream}`);
    }
    return last;
  }

  /** The events just appended, with their positions (the append's answer carries only the last one's). */
  private async readBack(
    stream: string,
    fromRevision: number,
    count: number,
  ): Promise<StoredEvent[]> {
    for (let attempt = 0; ; attempt++) {
      const written = await this.readStream(stream, fromRevision, count);
      if (written.length === count) return written;
      // A follower may not have the write yet when the connection does not prefer the leader.
      if (attempt === 20) {
        throw new StoreUnavailableError(
          `the events appended to ${stream} at revision ${fromRevision} could not be read back`,
        );
      }
      await delay(50);
    }
  }

  async readStream(stream: string, fromRevision = 0, maxCount?: number): Promise<StoredEvent[]> {
    this.assertOpen();
    const events: StoredEvent[] = [];
    try {
      const read = this.client.readStream(stream, {
        fromRevision: BigInt(fromRevision),
        ...(maxCount === undefined ? {} : { maxCount }),
      });
      for await (const resolved of read) {
        const event = this.toStored(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw unavailable(error, `could not read ${stream}`);
    }
    return events;
  }

  /**
   * Pages through `$all` and keeps Parley's streams (system events and other streams are skipped
   * here: the v6 client offers server-side filters to subscriptions only).
   */
  async readAll(after: bigint, limit: number): Promise<StoredEvent[]> {
    this.assertOpen();
    if (limit <= 0) return [];
    const found: StoredEvent[] = [];
    let from: ReadPosition = after < 0n ? START : { commit: after, prepare: after };
    let seen: Position | undefined;
    try {
      for (;;) {
        let count = 0;
        // A read from a position starts AT it; what was seen already is skipped.
        for await (const resolved of this.client.readAll({
          fromPosition: from,
          maxCount: READ_ALL_PAGE,
        })) {
          count++;
          const recorded = resolved.event;
          if (!recorded) continue;
          const position = recorded.position;
          if (seen && !isAfter(position, seen)) continue;
          seen = position;
          if (position.commit <= after || !recorded.streamId.startsWith(this.prefix)) continue;
          const event = this.toStored(resolved);
          if (event) found.push(event);
        }
        if (count < READ_ALL_PAGE || found.length > limit || !seen) break;
        from = seen;
      }
    } catch (error) {
      throw unavailable(error, 'could not read $all');
    }
    // Never end a page inside a commit position: a reader resuming after it would skip the rest.
    let end = Math.min(limit, found.length);
    while (end < found.length && found[end]!.position === found[end - 1]!.position) end++;
    return found.slice(0, end);
  }

  /**
   * A catch-up subscription on `$all`, filtered on the server to Parley's streams: the stored
   * events after `after` first, then new ones live. Events are handed over in batches of what has
   * arrived, one batch at a time, the next only once the handler's promise settles. When the
   * handler throws or the connection drops, it resubscribes from the last delivered position
   * after a pause (growing to 5 s), so a failed batch is delivered again.
   */
  subscribeToAll(
    after: bigint,
    onEvents: (events: StoredEvent[]) => Promise<void> | void,
  ): Subscription {
    let checkpoint = after;
    let active = !this.closed;
    let current: AllStreamSubscription | undefined;
    let interrupt: (() => void) | undefined;

    // Delivers what one server subscription sends, until it ends, fails, or we are closed.
    const follow = (subscription: AllStreamSubscription): Promise<void> =>
      new Promise<void>((resolvePromise, rejectPromise) => {
        let delivering = false;
        let ended = false;
        // Once this subscription is given up, whatever it still buffers is never delivered.
        let settled = false;
        const resolve = (): void => {
          settled = true;
          resolvePromise();
        };
        const reject = (error: Error): void => {
          settled = true;
          rejectPromise(error);
        };
        interrupt = resolve;
        const drain = async (): Promise<void> => {
          if (delivering || settled) return;
          delivering = true;
          try {
            while (active && !settled) {
              const batch: StoredEvent[] = [];
              let item: AllStreamResolvedEvent | null;
              while (
                batch.length < SUBSCRIPTION_BATCH &&
                (item = subscription.read() as AllStreamResolvedEvent | null) !== null
              ) {
                const event = this.toStored(item);
                if (event && event.position > checkpoint && event.stream.startsWith(this.prefix))
                  batch.push(event);
              }
              if (batch.length === 0) break;
              await onEvents(batch);
              checkpoint = batch[batch.length - 1]!.position;
            }
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          } finally {
            delivering = false;
          }
          if (ended) resolve();
        };
        subscription.on('readable', () => void drain());
        subscription.on('error', reject);
        const finish = (): void => {
          ended = true;
          if (!delivering) resolve();
        };
        subscription.on('end', finish);
        subscription.on('close', finish);
      });

    const run = async (): Promise<void> => {
      let failures = 0;
      while (active) {
        let subscription: AllStreamSubscription | undefined;
        try {
          subscription = this.client.subscribeToAll({
            fromPosition: checkpoint < 0n ? START : { commit: checkpoint, prepare: checkpoint },
            filter: streamNameFilter({ prefixes: [this.prefix] }),
          });
          current = subscription;
          await follow(subscription);
          failures = 0;
        } catch {
          failures++;
        } finally {
          current = undefined;
          await subscription?.unsubscribe().catch(() => undefined);
        }
        if (!active) break;
        const pause = Math.min(
          RESUBSCRIBE_FIRST_DELAY_MS * 2 ** Math.max(failures - 1, 0),
          RESUBSCRIBE_MAX_DELAY_MS,
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          interrupt = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    };

    const running = active ? run() : Promise.resolve();
    const handle: Subscription = {
      close: async () => {
        if (!active) return running;
        active = false;
        this.subscriptions.delete(handle);
        interrupt?.();
        await current?.unsubscribe().catch(() => undefined);
        await running;
      },
    };
    if (active) this.subscriptions.add(handle);
    return handle;
  }

  /** Reads the last event of `$all`: answers when the server does, within pingTimeoutMs. */
  async ping(): Promise<void> {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.pingTimeoutMs} ms`)),
        this.pingTimeoutMs,
      );
    });
    const answer = (async () => {
      let answered = 0;
      for await (const resolved of read) if (resolved) answered++; // the answer matters, not its content
      return answered;
    })();
    try {
      await Promise.race([answer, timeout]);
    } catch (error) {
      answer.catch(() => undefined);
      void read.cancel().catch(() => undefined);
      throw new StoreUnavailableError(`EventStoreDB is unreachable: ${messageOf(error)}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await Promise.allSettled(this.streamQueues.values());
    await this.client.dispose();
  }

  private oneAtATime<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const previous = this.streamQueues.get(stream) ?? Promise.resolve();
    const result = previous.then(work);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.streamQueues.set(stream, settled);
    void settled.then(() => {
      if (this.streamQueues.get(stream) === settled) this.streamQueues.delete(stream);
    });
    return result;
  }

  private toStored(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | undefined {
    const recorded = resolved.event;
    if (!recorded) return undefined;
    const commit = recorded.position?.commit;
    if (commit === undefined || commit === NO_POSITION) {
      throw new Error(
        'EventStoreDB did not give the position of a stream event; Parley needs EventStoreDB 22.6 or later',
      );
    }
    const metadata = recorded.metadata as Partial<ParleyMetadata> | undefined;
    return {
      stream: recorded.streamId,
      revision: Number(recorded.revision),
      position: commit,
      eventId: recorded.id,
      type: recorded.type,
      data: recorded.isJson && isRecord(recorded.data) ? recorded.data : {},
      // Events not written by Parley have no recordedAt of ours: the server's time is the best we know.
      recordedAt:
        metadata && typeof metadata === 'object' && typeof metadata.recordedAt === 'string'
          ? metadata.recordedAt
          : recorded.created.toISOString(),
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }
}

/** Positions in `$all` order: by commit position, then by prepare position. */
function isAfter(position: Position, other: Position): boolean {
  return (
    position.commit > other.commit ||
    (position.commit === other.commit && position.prepare > other.prepare)
  );
}

/** Connection trouble becomes StoreUnavailableError (a 503); anything else is passed on as it is. */
function unavailable(error: unknown, doing: string): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const connectionTrouble =
    (error instanceof Error &&
      isCommandError(error) &&
      ['unavailable', 'deadline-exceeded', 'timeout', 'cancelled', 'not-leader'].includes(
        error.type,
      )) ||
    (error instanceof Error && /^Failed to discover/.test(error.message));
  return connectionTrouble
    ? new StoreUnavailableError(`${doing}: ${messageOf(error)}`, { cause: error })
    : error;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
