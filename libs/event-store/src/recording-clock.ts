import { StoreUnavailableError } from './event-store.port';

/** A stamp may run ahead of the system clock by this much without a word (skew between processes). */
export const CLOCK_TOLERANCE_MS = 1_000;
/** Past this, the clock is not moved ahead to a stored recordedAt: the append is refused instead. */
export const CLOCK_THRESHOLD_MS = 60_000;
/** The widest window in which the system clock's millisecond is seen to turn that start-up takes at once. */
const EDGE_WINDOW_MS = 0.02;
/** How long start-up looks for such a window before taking the narrowest seen. */
const EDGE_SEARCH_MS = 20;

export interface RecordingClockOptions {
  /** The system clock, in ms since the epoch (Date.now). */
  wall?: () => number;
  /** A monotonic count of ms (performance.now): unmoved when someone sets the system clock. */
  monotonic?: () => number;
  toleranceMs?: number;
  thresholdMs?: number;
  /** Where the clock says what it found; stderr when unset. */
  log?: (message: string) => void;
}

/** An append refused because the clock is behind the stream's last recordedAt by more than the threshold. */
export class ClockBehindError extends StoreUnavailableError {
  constructor(
    readonly stream: string,
    /** The stream's last recordedAt. */
    readonly previous: string,
    /** What the clock says now. */
    readonly now: string,
  ) {
    super(
      `the clock (${now}) is behind the last recordedAt of ${stream} (${previous}) by ` +
        `${seconds(Date.parse(previous) - Date.parse(now))}: nothing is stamped before it`,
      {
        detail:
          `The event store cannot record: this server's clock (${now}) is behind the time the ` +
          `last development of this negotiation was recorded (${previous}), and nothing is ` +
          'recorded before it. The server log says what to do.',
        // The clock logs it, once per stream and episode: not a stack per request.
        reported: true,
      },
    );
    this.name = 'ClockBehindError';
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

/**
 * The one place that decides `recordedAt` (README, "Clocks"). Time is counted by a monotonic
 * source anchored at start-up to the system clock and to the highest stored recordedAt, so that
 * setting the system clock while Parley runs moves no stamp. A stamp is never earlier than the
 * stream's previous one: when the clock is behind it by up to the threshold, the clock is moved
 * ahead to it (said in the log past the tolerance); by more, the append is refused
 * (ClockBehindError) rather than stamped with a past time or carried far into the future.
 */
export class RecordingClock {
  private readonly wall: () => number;
  private readonly monotonic: () => number;
  private readonly toleranceMs: number;
  private readonly thresholdMs: number;
  private readonly log: (message: string) => void;
  /** Recording time = monotonic() + offset. */
  private offset: number;
  /** The system clock's offset from the monotonic source when last looked at. */
  private wallOffset: number;
  /** Streams whose refusal has been logged, until one of their appends is stamped. */
  private readonly refusing = new Set<string>();

  constructor(options: RecordingClockOptions = {}) {
    this.wall = options.wall ?? Date.now;
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.toleranceMs = options.toleranceMs ?? CLOCK_TOLERANCE_MS;
    this.thresholdMs = options.thresholdMs ?? CLOCK_THRESHOLD_MS;
    this.log = options.log ?? ((message) => process.stderr.write(`recordedAt: ${message}\n`));
    this.wallOffset = this.edgeOffset();
    this.offset = this.wallOffset;
  }

  /** The recording time now. */
  now(): Date {
    return new Date(this.current());
  }

  /**
   * At start-up, given the highest recordedAt stored (and where it is): never stamp before it.
   * A clock behind it by up to the threshold is moved ahead to it; by more, it is left alone
   * (the stored time may be the wrong one) and the streams that far ahead refuse appends.
   */
  anchor(highest: string | undefined, where = 'the store'): void {
    if (highest === undefined) return;
    const behind = Date.parse(highest) - this.current();
    if (!(behind > 0)) return;
    if (behind > this.thresholdMs) {
      this.log(
        `the latest recordedAt in ${where} (${highest}) is ${seconds(behind)} ahead of the system clock ` +
          `(${this.now().toISOString()}), more than ${seconds(this.thresholdMs)}: either the clock is behind ` +
          '(set it right and restart) or that time was stamped by a clock that was ahead. Stamps are not ' +
          'carried into that future: appends to a negotiation whose last recordedAt is that far ahead are ' +
          'refused (503) until the clock reaches it; see README, "Clocks".',
      );
      return;
    }
    this.offset += behind;
    if (behind > this.toleranceMs) {
      this.log(
        `the system clock is ${seconds(behind)} behind the latest recordedAt in ${where} (${highest}): ` +
          'recordedAt goes on from it, that much ahead of the system clock, until the clock catches up ' +
          'or Parley restarts with it set right.',
      );
    }
  }

  /**
   * The recordedAt of an append to `stream`, whose last recordedAt is `previous` (undefined for a
   * new stream). Throws ClockBehindError when the clock is behind `previous` by more than the threshold.
   */
  stamp(stream: string, previous: string | undefined): string {
    this.noticeSteps();
    const now = this.current();
    // A previous stamp that is not a time (never written so by Parley) bounds nothing.
    const parsed = previous === undefined ? Number.NaN : Date.parse(previous);
    const before = Number.isNaN(parsed) ? Number.NEGATIVE_INFINITY : parsed;
    if (before <= now) {
      this.refusing.delete(stream);
      return new Date(now).toISOString();
    }
    const behind = before - now;
    if (behind > this.thresholdMs) {
      const error = new ClockBehindError(stream, previous!, new Date(now).toISOString());
      if (!this.refusing.has(stream)) {
        this.refusing.add(stream);
        this.log(`${error.message}; appends to it are refused (503) until the clock reaches it.`);
      }
      throw error;
    }
    this.refusing.delete(stream);
    if (behind <= this.toleranceMs) {
      // Another process's clock a little ahead: go on from its stamp (the same millisecond at worst).
      this.offset += behind;
      return previous!;
    }
    // Strictly after it: an answer known at `previous` does not change.
    this.offset += behind + 1;
    this.log(
      `the clock was ${seconds(behind)} behind the last recordedAt of ${stream} (${previous}): ` +
        'recordedAt goes on from it, that much ahead of the system clock.',
    );
    return new Date(before + 1).toISOString();
  }

  /**
   * The system clock's offset from the monotonic source, read where the system clock's millisecond
   * turns: a stamp is then never a millisecond off what the system clock says. The turn lies
   * between the monotonic reading before the last read of the old millisecond and the one after
   * the first read of the new. A pause inside that window (the thread preempted, a collection)
   * would shift every stamp by its length for as long as Parley runs, so a window wider than
   * EDGE_WINDOW_MS is passed over for a later turn (for up to EDGE_SEARCH_MS; the narrowest is
   * taken then).
   */
  private edgeOffset(): number {
    let before = this.monotonic();
    let last = this.wall();
    const until = before + EDGE_SEARCH_MS;
    let best: { width: number; offset: number } | undefined;
    // Bounded in reads too, for sources that do not move (a test's).
    for (let reads = 0; reads < 100_000; reads++) {
      const start = this.monotonic();
      const wall = this.wall();
      const after = this.monotonic();
      if (wall !== last) {
        const width = after - before;
        if (best === undefined || width < best.width)
          best = { width, offset: wall - (before + after) / 2 };
        if (width <= EDGE_WINDOW_MS) break;
        last = wall;
      }
      if (after >= until) break;
      before = start;
    }
    return best?.offset ?? this.wall() - this.monotonic();
  }

  private current(): number {
    return this.monotonic() + this.offset;
  }

  /** Says when the system clock has been set since it was last looked at (stamps do not follow it). */
  private noticeSteps(): void {
    const wallOffset = this.wall() - this.monotonic();
    const step = wallOffset - this.wallOffset;
    if (Math.abs(step) <= this.toleranceMs) return;
    this.wallOffset = wallOffset;
    this.log(
      `the system clock was set ${step > 0 ? 'ahead' : 'back'} by ${seconds(Math.abs(step))} while ` +
        'Parley runs: recordedAt does not follow it (it counts from its start-up anchor); restart to re-anchor.',
    );
  }
}
