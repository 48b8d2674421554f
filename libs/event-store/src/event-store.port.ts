/**
 * The store port. It speaks envelopes (stream, type, data, metadata, revision, recordedAt), not
 * domain types, so that an adapter is only about storage.
 */

/** What an append expects of the stream: that it does not exist yet, that its last revision is N, or anything. */
export type ExpectedRevision = 'no-stream' | 'any' | number;

export interface NewEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
}

export interface StoredEvent {
  stream: string;
  /** 0-based, gapless within the stream. */
  revision: number;
  /** Global order across streams; increases with every append, may have gaps. */
  position: bigint;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  /**
   * When the tracker recorded it (transaction time): stamped by Parley at append, never earlier
   * than the previous event's in the stream.
   */
  recordedAt: string;
}

export interface AppendResult {
  /** The stream's last revision after the append. */
  revision: number;
  events: StoredEvent[];
}

export interface Subscription {
  close(): Promise<void>;
}

export interface AppendOptions {
  /**
   * The id of the event the stream must end with, checked with `expected` (a revision): exact
   * even when another writer appended as many events as the caller expected. Only honoured by
   * stores whose `checksLastEventId` is true.
   */
  expectedLastEventId?: string;
}

export interface EventStore {
  /** Appends atomically: all the events or none. Durable when the promise resolves. */
  append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /**
   * True when `append` checks `options.expectedLastEventId` and commits the appends of one
   * stream in the order they were made. A writer may then append the next development of a
   * stream before the previous append has committed (pipelining): if the previous one fails,
   * the next one fails too, because the stream does not end with what it was decided on.
   */
  readonly checksLastEventId?: boolean;
  /** The stream's events from `fromRevision` on, in revision order ([] for a stream that does not exist). */
  readStream(stream: string, fromRevision?: number): Promise<StoredEvent[]>;
  /** Up to `limit` events of every stream after global position `after` (-1n: from the start). */
  readAll(after: bigint, limit: number): Promise<StoredEvent[]>;
  /**
   * Delivers every event after `after`, first those stored (catch-up), then new ones as they are
   * appended by any process, in global order, one batch at a time.
   */
  subscribeToAll(
    after: bigint,
    onEvents: (events: StoredEvent[]) => Promise<void> | void,
  ): Subscription;
  /** Resolves when the store answers; rejects with StoreUnavailableError when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, -1 when it does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${stream} is at revision ${actual}, expected ${String(expected)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class DuplicateEventIdError extends Error {
  constructor(
    readonly eventId: string,
    readonly existing: StoredEvent,
  ) {
    super(
      `event ${eventId} is already stored in ${existing.stream} at revision ${existing.revision}`,
    );
    this.name = 'DuplicateEventIdError';
  }
}

export class StoreUnavailableError extends Error {
  /** What a client may be told (no file names or addresses); a generic sentence when unset. */
  readonly detail?: string;
  /**
   * True when the store has already logged this fault with its cause, once for the episode: those
   * who answer with it need not log it again per request.
   */
  readonly reported: boolean;

  constructor(
    message: string,
    options?: { cause?: unknown; detail?: string; reported?: boolean },
  ) {
    super(message, options);
    this.name = 'StoreUnavailableError';
    this.detail = options?.detail;
    this.reported = options?.reported ?? false;
  }
}

/**
 * A stored event that is not what was recorded (its checksum, or its stream's chain of checksums,
 * does not match), or a store file that is structurally damaged: never served as truth.
 */
export class StoreCorruptionError extends StoreUnavailableError {
  constructor(message: string, options?: { cause?: unknown; reported?: boolean }) {
    super(message, {
      ...options,
      detail:
        'The event store holds a development that is not as it was recorded; the server log names it.',
    });
    this.name = 'StoreCorruptionError';
  }
}
