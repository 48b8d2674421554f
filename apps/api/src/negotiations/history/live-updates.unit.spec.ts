import type { MessageEvent } from '@nestjs/common';
import type { EventBus, IEvent } from '@nestjs/cqrs';
import type { RecordedDevelopment } from '@parley/domain';
import { toInstant } from '@parley/domain';
import { at } from '@parley/domain/testing';
import type { NegotiationTimeline } from '@parley/projections';
import { NegotiationReadModel } from '@parley/projections';
import { DevelopmentsRecorded } from '../../store/developments-recorded.event';
import type { Subscription } from 'rxjs';
import { Subject } from 'rxjs';
import { Metrics } from '../../operations/metrics';
import type { StatePacing } from './live-updates.service';
import { LiveUpdates } from './live-updates.service';

const ID = 'talks';
const NOW = new Date('2025-06-01T00:00:00.000Z');

function development(revision: number): RecordedDevelopment {
  const recordedAt = toInstant(Date.UTC(2025, 4, 1, 0, revision));
  if (revision === 0) {
    return {
      type: 'NegotiationOpened',
      eventId: 'e0',
      occurredAt: at('2025-01-01'),
      negotiationId: ID,
      revision,
      recordedAt,
      data: {
        title: 'Talks',
        parties: [
          { code: 'US', name: 'US' },
          { code: 'CN', name: 'CN' },
        ],
      },
    };
  }
  return {
    type: 'TariffChanged',
    eventId: `e${revision}`,
    occurredAt: at('2025-02-01'),
    negotiationId: ID,
    revision,
    recordedAt,
    data: {
      imposedBy: 'US',
      appliedTo: 'CN',
      measure: `line-${revision}`,
      rate: 10,
      effectiveAt: at('2025-02-01'),
      coverage: 'all-goods',
    },
  };
}

const services: LiveUpdates[] = [];
afterEach(() => services.splice(0).forEach((live) => live.onModuleDestroy()));

/** The live service over a read model at `revision`, with an EventBus the test publishes on. */
function given(
  revision: number,
  heartbeatMs = 60_000,
  { clock = () => NOW, pacing }: { clock?: () => Date; pacing?: StatePacing } = {},
) {
  const bus = new Subject<IEvent>();
  const readModel = new NegotiationReadModel();
  readModel.apply(
    ID,
    Array.from({ length: revision + 1 }, (_, r) => development(r)),
  );
  const live = new LiveUpdates(
    bus as unknown as EventBus,
    readModel,
    clock,
    new Metrics(),
    heartbeatMs,
    pacing,
  );
  services.push(live);
  const events: MessageEvent[] = [];
  const subscriptions: Subscription[] = [];
  return {
    live,
    events,
    follow(lastEventId: number | null) {
      subscriptions.push(live.follow(ID, lastEventId).subscribe((e) => events.push(e)));
    },
    /** Records developments as ReadModelSync does: the read model applies them inside the publish. */
    record(...revisions: number[]) {
      const developments = revisions.map(development);
      readModel.apply(ID, developments);
      bus.next(new DevelopmentsRecorded(ID, developments));
    },
    /** A notice seen before the read model applied it (subscribers in the other order). */
    noticeThenApply(...revisions: number[]) {
      const developments = revisions.map(development);
      bus.next(new DevelopmentsRecorded(ID, developments));
      readModel.apply(ID, developments);
    },
    unsubscribeAll() {
      for (const s of subscriptions) s.unsubscribe();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const shape = (events: MessageEvent[]) =>
  events.map((e) => (e.comment !== undefined ? `:${e.comment}` : `${e.type}#${e.id}`));

describe('LiveUpdates', () => {
  describe('when a client follows from now on', () => {
    it('sends the state at once, then each development followed by the new state', async () => {
      const world = given(2);
      world.follow(null);
      world.record(3);
      await settle();
      world.record(4, 5);
      await settle();
      expect(shape(world.events)).toEqual([
        'state#2',
        'development#3',
        'state#3',
        'development#4',
        'development#5',
        'state#5',
      ]);
      expect(JSON.parse(world.events.at(-1)!.data as string)).toEqual({
        negotiationId: ID,
        revision: 5,
        asOf: NOW.toISOString(),
        tariffs: [{ imposedBy: 'US', appliedTo: 'CN', total: 50 }],
        talksStatus: 'none',
        openProposals: 0,
      });
    });

    it('sends a development once however often it is announced (locally and through the store)', async () => {
      const world = given(1);
      world.follow(null);
      world.record(2);
      world.record(2);
      await settle();
      world.record(2);
      await settle();
      expect(shape(world.events)).toEqual(['state#1', 'development#2', 'state#2']);
    });

    it('sends a development announced before the read model applied it', async () => {
      const world = given(1);
      world.follow(null);
      world.noticeThenApply(2);
      await settle();
      expect(shape(world.events)).toEqual(['state#1', 'development#2', 'state#2']);
    });
  });

  describe('when several batches are announced in one turn', () => {
    it('sends their developments in order, then one state', async () => {
      const world = given(1);
      world.follow(null);
      world.record(2);
      world.record(3, 4);
      await settle();
      expect(shape(world.events)).toEqual([
        'state#1',
        'development#2',
        'development#3',
        'development#4',
        'state#4',
      ]);
    });
  });

  describe('when many clients follow one negotiation', () => {
    it('folds the state once per development for all of them, and sends each the same', async () => {
      const world = given(1);
      const timeline = (
        world.live as unknown as { readModel: NegotiationReadModel }
      ).readModel.timeline(ID)!;
      const fold = jest.spyOn(Object.getPrototypeOf(timeline) as NegotiationTimeline, 'fold');
      const events: MessageEvent[][] = [];
      for (let i = 0; i < 50; i++) {
        const mine: MessageEvent[] = [];
        events.push(mine);
        world.live.follow(ID, null).subscribe((e) => mine.push(e));
      }
      const atConnect = fold.mock.calls.length;
      world.record(2);
      await settle();
      world.record(3);
      await settle();
      const folds = fold.mock.calls.length;
      fold.mockRestore();

      expect(atConnect).toBe(1); // 50 clients connected within a second of each other
      expect(folds - atConnect).toBe(2);
      for (const mine of events) expect(mine).toEqual(events[0]);
      expect(shape(events[0]!)).toEqual([
        'state#1',
        'development#2',
        'state#2',
        'development#3',
        'state#3',
      ]);
      expect(JSON.parse(events[0]!.at(-1)!.data as string)).toMatchObject({ revision: 3 });
    });
  });

  describe('while states take longer to fold than recordings leave time for', () => {
    /** A world whose every fold takes 40 ms of its clock, which stands still otherwise. */
    function slowFolds(pacing: StatePacing) {
      let now = NOW.getTime();
      const world = given(1, 60_000, { clock: () => new Date(now), pacing });
      const timeline = (
        world.live as unknown as { readModel: NegotiationReadModel }
      ).readModel.timeline(ID)!;
      const prototype = Object.getPrototypeOf(timeline) as NegotiationTimeline;
      // Called below with the timeline as `this`, as the original is.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      const fold = prototype.fold;
      const folds = jest.spyOn(prototype, 'fold').mockImplementation(function (
        this: NegotiationTimeline,
        perspective,
      ) {
        now += 40;
        return fold.call(this, perspective);
      });
      spies.push(folds);
      return { world, folds };
    }
    const spies: jest.SpyInstance[] = [];
    afterEach(() => spies.splice(0).forEach((spy) => spy.mockRestore()));
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    it('sends each development at once, and one state after several recordings once 3x the last fold has passed', async () => {
      const { world, folds } = slowFolds({ minFoldMs: 20, waitPerFoldMs: 3 });
      world.follow(null);
      world.record(2);
      await settle();
      world.record(3, 4);
      await settle();
      expect(shape(world.events)).toEqual([
        'state#1',
        'development#2',
        'development#3',
        'development#4',
      ]);
      expect(folds).toHaveBeenCalledTimes(1);
      await wait(200);
      expect(shape(world.events).slice(4)).toEqual(['state#4']);
      expect(JSON.parse(world.events.at(-1)!.data as string)).toMatchObject({
        revision: 4,
        tariffs: [{ imposedBy: 'US', appliedTo: 'CN', total: 40 }],
      });
      // The clock has not moved since that fold: the next recording waits again.
      world.record(5);
      await settle();
      expect(shape(world.events).slice(5)).toEqual(['development#5']);
      await wait(200);
      expect(shape(world.events).slice(5)).toEqual(['development#5', 'state#5']);
      expect(folds).toHaveBeenCalledTimes(3);
    });

    it('folds a state for each recording when folds take less than minFoldMs', async () => {
      const { world } = slowFolds({ minFoldMs: 41, waitPerFoldMs: 3 });
      world.follow(null);
      world.record(2);
      await settle();
      world.record(3);
      await settle();
      expect(shape(world.events)).toEqual([
        'state#1',
        'development#2',
        'state#2',
        'development#3',
        'state#3',
      ]);
    });

    it('sends nothing more to a client that leaves during the wait', async () => {
      const { world, folds } = slowFolds({ minFoldMs: 20, waitPerFoldMs: 3 });
      world.follow(null);
      world.record(2);
      await settle();
      world.unsubscribeAll();
      await wait(200);
      expect(shape(world.events)).toEqual(['state#1', 'development#2']);
      expect(folds).toHaveBeenCalledTimes(1);
    });
  });

  describe('when a client resumes after a revision', () => {
    it('first sends what it missed, then the state', () => {
      const world = given(4);
      world.follow(1);
      expect(shape(world.events)).toEqual([
        'development#2',
        'development#3',
        'development#4',
        'state#4',
      ]);
    });

    it('waits, sending nothing, while this instance is behind the revision the client has seen', async () => {
      const world = given(2);
      world.follow(4);
      world.record(3);
      await settle();
      expect(shape(world.events)).toEqual([]);
      world.record(4, 5);
      await settle();
      expect(shape(world.events)).toEqual(['development#5', 'state#5']);
    });
  });

  describe('while nothing happens', () => {
    it('sends a heartbeat comment every interval, with no id', async () => {
      const world = given(0, 20);
      world.follow(null);
      await new Promise((resolve) => setTimeout(resolve, 70));
      world.unsubscribeAll();
      expect(shape(world.events).slice(0, 3)).toEqual(['state#0', ':heartbeat', ':heartbeat']);
      expect(world.events[1]).toEqual({ comment: 'heartbeat' });
    });
  });

  describe('when clients leave or the app shuts down', () => {
    it('forgets a client that unsubscribes', () => {
      const world = given(0);
      world.follow(null);
      world.follow(null);
      expect(world.live.followerCount(ID)).toBe(2);
      world.unsubscribeAll();
      expect(world.live.followerCount(ID)).toBe(0);
    });

    it('completes every stream on shutdown', () => {
      const world = given(0);
      let completed = false;
      world.live.follow(ID, null).subscribe({ complete: () => (completed = true) });
      world.live.onModuleDestroy();
      expect(completed).toBe(true);
      expect(world.live.followerCount(ID)).toBe(0);
    });
  });
});
