import { instantOf } from '@parley/domain';
import type { MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { EventBus, ofType } from '@nestjs/cqrs';
import type { NegotiationTimeline, StateSummary } from '@parley/projections';
import { NegotiationReadModel, summarize } from '@parley/projections';
import { DevelopmentsRecorded } from '../../store/developments-recorded.event';
import {
  Observable,
  Subject,
  asapScheduler,
  interval,
  map,
  merge,
  observeOn,
  takeUntil,
  tap,
} from 'rxjs';
import type { Subscriber, Subscription } from 'rxjs';
import type { Clock } from '../../clock';
import { CLOCK } from '../../clock';
import { Metrics } from '../../operations/metrics';
import { listedAt } from '../reading/listed-development';

/** How often an idle live stream gets a comment line, so that proxies keep it open and clients notice a dead one. */
export const LIVE_HEARTBEAT_MS = Symbol('LIVE_HEARTBEAT_MS');
export const DEFAULT_LIVE_HEARTBEAT_MS = 15_000;

/**
 * How long the state computed for one revision is handed to every follower: the followers told of
 * a development share one fold and one serialization (the fold costs far more than a write).
 * Beyond it a follower that connects computes it anew, so that `now` moves on.
 */
export const SHARED_STATE_MS = 1_000;

/**
 * How a negotiation's followers are kept from holding its recordings back: after a state that took
 * F ms to fold (at least `minFoldMs`), the next is folded no sooner than `waitPerFoldMs` × F ms
 * later. While recordings come faster than that (a batch import landing all over a long history,
 * where each state to now folds nearly all of it again), their developments still go out at once
 * and one state follows them when the wait is over: the states take at most about
 * 1 / (1 + waitPerFoldMs) of the server's time, whatever the history's length.
 */
export const LIVE_STATE_PACING = Symbol('LIVE_STATE_PACING');
export interface StatePacing {
  minFoldMs: number;
  waitPerFoldMs: number;
}
export const DEFAULT_STATE_PACING: StatePacing = { minFoldMs: 20, waitPerFoldMs: 3 };

/**
 * Characters of events that may wait for a follower that does not read them; past it, its
 * connection is closed, and an EventSource reconnects with Last-Event-ID, missing nothing. About a
 * thousand developments: a whole batch still reaches a follower that reads slowly.
 */
export const LIVE_MAX_PENDING_CHARS = 1024 * 1024;

/**
 * Drops a follower that does not read: counts the characters of the events emitted while its
 * answer is backed up (its last write was refused until a drain), and past `maxPending` closes
 * the connection. (Nest's own limit only counts while a single event fills its stream's buffer,
 * so events of a few KB pile up without end.)
 */
export function dropWhenNotReading(
  events: Observable<MessageEvent>,
  response: ServerResponse,
  maxPending = LIVE_MAX_PENDING_CHARS,
  logger: Pick<Logger, 'warn'> = new Logger('LiveUpdates'),
): Observable<MessageEvent> {
  let waiting = 0;
  response.on('drain', () => (waiting = 0));
  return events.pipe(
    tap((event) => {
      if (!response.writableNeedDrain) {
        waiting = 0;
        return;
      }
      waiting += charactersOf(event.data) + charactersOf(event.comment) + 16;
      if (waiting > maxPending && !response.destroyed) {
        logger.warn(
          `a /live follower is not reading: ${waiting} characters of events wait for it (at most ${maxPending}); its connection is closed`,
        );
        response.destroy();
      }
    }),
  );
}

const charactersOf = (value: unknown): number =>
  typeof value === 'string' ? value.length : value === undefined ? 0 : JSON.stringify(value).length;

/** The `data` of a `state` event: the summary of the state of play now, with everything recorded up to `revision`. */
export interface LiveState extends StateSummary {
  negotiationId: string;
  revision: number;
}

/**
 * Follows every negotiation's new developments on this instance, whatever wrote them: it listens
 * to DevelopmentsRecorded on the EventBus, which ReadModelSync announces, once applied, for local writes and for
 * everything the store's subscription brings from other instances.
 *
 * A follower tracks the last revision it has sent and, on each notice, sends what the timeline
 * holds after it. So a write seen twice (locally and through the store), a batch, or a notice that
 * arrives before the read model has applied it, never causes a gap or a duplicate.
 */
@Injectable()
export class LiveUpdates implements OnModuleDestroy {
  /** Who to tell, by negotiation, when it has new developments. */
  private readonly listeners = new Map<string, Set<Subscriber<void>>>();
  private readonly closing = new Subject<void>();
  private readonly bus: Subscription;
  /**
   * By negotiation, what was last written to its followers, serialized once: the state at a
   * revision (computed at `computedAt`) and the developments as listed at that revision.
   */
  private readonly shared = new Map<
    string,
    { revision: number; computedAt: number; state?: string; listed: Map<number, string> }
  >();
  /** By negotiation, when its last state was folded (clock ms, once done) and how long that took. */
  private readonly lastFold = new Map<string, { doneAt: number; tookMs: number }>();

  constructor(
    eventBus: EventBus,
    private readonly readModel: NegotiationReadModel,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Optional()
    @Inject(LIVE_HEARTBEAT_MS)
    private readonly heartbeatMs: number = DEFAULT_LIVE_HEARTBEAT_MS,
    @Optional()
    @Inject(LIVE_STATE_PACING)
    private readonly pacing: StatePacing = DEFAULT_STATE_PACING,
  ) {
    this.bus = eventBus.pipe(ofType(DevelopmentsRecorded)).subscribe((event) => {
      for (const listener of this.listeners.get(event.negotiationId) ?? []) listener.next();
    });
  }

  /** The serialized answers shared by the followers of a negotiation at a revision. */
  private sharedAt(timeline: NegotiationTimeline) {
    const now = this.clock().getTime();
    let shared = this.shared.get(timeline.negotiationId);
    if (
      !shared ||
      shared.revision !== timeline.revision ||
      Math.abs(now - shared.computedAt) > SHARED_STATE_MS
    ) {
      shared = { revision: timeline.revision, computedAt: now, listed: new Map() };
      this.shared.set(timeline.negotiationId, shared);
    }
    return shared;
  }

  /**
   * The events of one negotiation: first the developments recorded after `lastEventId` (none when
   * it is null), then the state; from then on each new development as it is recorded, followed by
   * the new state (while states are paced, one state after the developments of several
   * recordings: see StatePacing); a heartbeat comment while nothing happens. Every event's id is
   * a revision: a state's, the last it includes.
   */
  follow(negotiationId: string, lastEventId: number | null): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      const timeline = this.readModel.timeline(negotiationId);
      let sent = lastEventId ?? timeline?.revision ?? -1;
      /** The revision of the last state sent (-1: none yet). */
      let stateSent = -1;
      /** The state to send once its pacing wait is over. */
      let paced: ReturnType<typeof setTimeout> | undefined;
      const flush = (stateNow: boolean): void => {
        const current = this.readModel.timeline(negotiationId);
        // Nothing to say until this instance has caught up with what the client has seen.
        if (!current || current.revision < sent) return;
        const fresh = current.developmentsAfter(sent);
        if (fresh.length === 0 && stateSent === current.revision) return;
        // Serialized once for all the followers at this revision (Nest writes a string as it is).
        const shared = this.sharedAt(current);
        for (const development of fresh) {
          let listed = shared.listed.get(development.revision);
          if (listed === undefined) {
            listed = JSON.stringify(listedAt(current, development, current.revision));
            shared.listed.set(development.revision, listed);
          }
          subscriber.next({ type: 'development', id: String(development.revision), data: listed });
        }
        sent = current.revision;
        if (shared.state === undefined && !stateNow) {
          const wait = this.stateWait(negotiationId);
          if (wait > 0) {
            paced ??= setTimeout(() => {
              paced = undefined;
              flush(true);
            }, wait);
            return;
          }
        }
        if (paced !== undefined) clearTimeout(paced);
        paced = undefined;
        shared.state ??= JSON.stringify(this.stateOf(current));
        subscriber.next({ type: 'state', id: String(sent), data: shared.state });
        stateSent = sent;
      };
      flush(true);
      // ReadModelSync applies developments to the read model before it announces them.
      const updates = this.notices(negotiationId).pipe(observeOn(asapScheduler));
      const heartbeats = interval(this.heartbeatMs).pipe(
        map((): MessageEvent => ({ comment: 'heartbeat' })),
      );
      const subscription = merge(updates.pipe(map(() => null)), heartbeats)
        .pipe(takeUntil(this.closing))
        .subscribe({
          next: (heartbeat) => (heartbeat ? subscriber.next(heartbeat) : flush(false)),
          complete: () => subscriber.complete(),
        });
      this.metrics.liveClients.inc();
      return () => {
        this.metrics.liveClients.dec();
        if (paced !== undefined) clearTimeout(paced);
        subscription.unsubscribe();
      };
    });
  }

  /** How many clients follow a negotiation on this instance. */
  followerCount(negotiationId: string): number {
    return this.listeners.get(negotiationId)?.size ?? 0;
  }

  private notices(negotiationId: string): Observable<void> {
    return new Observable<void>((subscriber) => {
      let listeners = this.listeners.get(negotiationId);
      if (!listeners) this.listeners.set(negotiationId, (listeners = new Set()));
      listeners.add(subscriber);
      return () => {
        listeners.delete(subscriber);
        if (listeners.size === 0 && this.listeners.get(negotiationId) === listeners) {
          this.listeners.delete(negotiationId);
          this.shared.delete(negotiationId);
          this.lastFold.delete(negotiationId);
        }
      };
    });
  }

  /** Ends every stream, so that the HTTP server can close: it would otherwise wait for them. */
  endStreams(): void {
    this.closing.next();
    this.closing.complete();
  }

  onModuleDestroy(): void {
    this.endStreams();
    this.bus.unsubscribe();
  }

  /** How long a state to fold now must wait (ms, 0: none): see StatePacing. */
  private stateWait(negotiationId: string): number {
    const last = this.lastFold.get(negotiationId);
    if (!last || last.tookMs < this.pacing.minFoldMs) return 0;
    const pause = last.tookMs * this.pacing.waitPerFoldMs;
    // At most the whole pause, should the clock be set back.
    return Math.min(pause, last.doneAt + pause - this.clock().getTime());
  }

  private stateOf(timeline: NegotiationTimeline): LiveState {
    const began = this.clock();
    const now = instantOf(began);
    const state = {
      negotiationId: timeline.negotiationId,
      revision: timeline.revision,
      ...summarize(timeline.fold({ asOf: now, knownAt: null }), now),
    };
    const doneAt = this.clock().getTime();
    this.lastFold.set(timeline.negotiationId, { doneAt, tookMs: doneAt - began.getTime() });
    return state;
  }
}
