import type { EventStore, NewEvent, StoredEvent } from '@parley/event-store';
import {
  ClockBehindError,
  DuplicateEventIdError,
  RecordingClock,
  WrongExpectedRevisionError,
} from '@parley/event-store';
import { randomUUID } from 'node:crypto';

/*
 * The store contract: what every EventStore adapter must do, whatever it stores into. Each adapter's
 * *.int.spec.ts calls describeEventStoreContract with a way to open a store of its kind.
 *
 * The specifications hold on a store that already holds other events (EventStoreDB runs them all
 * on one server): every test writes to streams of its own, and reads everything else relative to
 * positions it got from its own appends.
 */

export interface StoreUnderTest {
  store: EventStore;
  cleanup: () => Promise<void>;
}

export interface StoreOptions {
  /** What decides `recordedAt`. */
  clock?: RecordingClock;
}

export type MakeStore = (options?: StoreOptions) => Promise<StoreUnderTest>;

// ---- builders -------------------------------------------------------------------------------

export const aStream = (): string => `negotiation-${randomUUID()}`;

export function aDevelopment(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'TalksHeld',
    data: { occurredAt: '2025-03-01', summary: 'talks held in Geneva', parties: ['EU', 'US'] },
    ...overrides,
  };
}

export const developments = (count: number, type = 'TalksHeld'): NewEvent[] =>
  Array.from({ length: count }, (_, i) => aDevelopment({ type, data: { sequence: i } }));

// ---- helpers ------------------------------------------------------------------------------

const idsOf = (events: readonly { eventId: string }[]): string[] =>
  events.map((e) => e.eventId.toLowerCase());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries an assertion until it holds or the time is up; the last failure is the test's. */
export async function eventually(assertion: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(20);
    }
  }
}

function expectAscending(values: readonly bigint[]): void {
  values.forEach((value, i) => {
    if (i > 0 && !(value > values[i - 1]!)) {
      throw new Error(
        `positions are not strictly ascending at ${i}: ${values[i - 1]} then ${value}`,
      );
    }
  });
}

function expectNonDecreasing(values: readonly string[]): void {
  values.forEach((value, i) => {
    if (i > 0 && value < values[i - 1]!) {
      throw new Error(`recordedAt goes backwards at ${i}: ${values[i - 1]} then ${value}`);
    }
  });
}

async function refusal(attempt: Promise<unknown>): Promise<unknown> {
  try {
    await attempt;
  } catch (error) {
    return error;
  }
  throw new Error('expected the store to refuse, and it accepted');
}

// ---- the contract ----------------------------------------------------------------------------

export function describeEventStoreContract(name: string, makeStore: MakeStore): void {
  describe(`the ${name} event store`, () => {
    let subject: StoreUnderTest;
    let store: EventStore;

    beforeEach(async () => {
      subject = await makeStore();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    describe('appending and reading back', () => {
      it('reads a stream back in order: ids, types, data, revisions from 0', async () => {
        const stream = aStream();
        const first = [
          aDevelopment({
            type: 'NegotiationOpened',
            data: { title: 'EU-US steel', parties: ['EU', 'US'] },
          }),
          aDevelopment({ type: 'TariffRaised', data: { by: 'US', product: 'steel', ratePct: 25 } }),
        ];
        const second = aDevelopment({
          type: 'OfferMade',
          data: { by: 'EU', terms: { quotaTonnes: 3_000_000 } },
        });

        const appended = await store.append(stream, first, 'no-stream');
        await store.append(stream, [second], 1);

        const events = await store.readStream(stream);
        expect(events.map((e) => [e.stream, e.revision, e.type, e.data])).toEqual([
          [stream, 0, 'NegotiationOpened', { title: 'EU-US steel', parties: ['EU', 'US'] }],
          [stream, 1, 'TariffRaised', { by: 'US', product: 'steel', ratePct: 25 }],
          [stream, 2, 'OfferMade', { by: 'EU', terms: { quotaTonnes: 3_000_000 } }],
        ]);
        expect(idsOf(events)).toEqual(idsOf([...first, second]));
        expect(appended.revision).toBe(1);
      });

      it('answers an append with the events as stored, as a later read gives them', async () => {
        const stream = aStream();
        const appended = await store.append(stream, developments(3), 'no-stream');

        const read = await store.readStream(stream);
        expect(appended.events).toEqual(read);
        expect(appended.revision).toBe(2);
        expectAscending(read.map((e) => e.position));
      });

      it('reads a stream from a revision on', async () => {
        const stream = aStream();
        const written = (await store.append(stream, developments(4), 'no-stream')).events;

        expect(idsOf(await store.readStream(stream, 2))).toEqual(idsOf(written.slice(2)));
        expect(await store.readStream(stream, 4)).toEqual([]);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await store.readStream(aStream())).toEqual([]);
      });

      it('stamps recordedAt as an ISO instant at append, one for all events of an append', async () => {
        const stream = aStream();
        const before = new Date().toISOString();
        const { events } = await store.append(stream, developments(2), 'no-stream');
        const after = new Date().toISOString();

        for (const event of events) {
          expect(new Date(event.recordedAt).toISOString()).toBe(event.recordedAt);
          expect(event.recordedAt >= before && event.recordedAt <= after).toBe(true);
        }
        expect(events[0]!.recordedAt).toBe(events[1]!.recordedAt);
      });

      describe('when the clock goes backwards', () => {
        // A clock whose time the test sets: both its sources read `time`.
        const settable = (start: string) => {
          const at = { time: Date.parse(start) };
          const clock = new RecordingClock({
            wall: () => at.time,
            monotonic: () => at.time,
            log: () => undefined,
          });
          return { at, clock };
        };

        it('never stamps an event earlier than the one before it in the stream', async () => {
          const { at, clock } = settable('2030-01-01T00:00:00.000Z');
          const clocked = await makeStore({ clock });
          try {
            const stream = aStream();
            await clocked.store.append(stream, [aDevelopment()], 'no-stream');
            at.time -= 30_000; // behind by less than the threshold: goes on from the last stamp
            await clocked.store.append(stream, [aDevelopment()], 0);
            at.time += 60_000; // a minute later: it counts on from there
            await clocked.store.append(stream, [aDevelopment()], 1);

            const stamps = (await clocked.store.readStream(stream)).map((e) => e.recordedAt);
            expect(stamps).toEqual([
              '2030-01-01T00:00:00.000Z',
              '2030-01-01T00:00:00.001Z',
              '2030-01-01T00:01:00.001Z',
            ]);
          } finally {
            await clocked.cleanup();
          }
        });

        it('refuses an append rather than stamp it far before the one before it, and keeps nothing of it', async () => {
          const { at, clock } = settable('2030-01-01T00:00:00.000Z');
          const clocked = await makeStore({ clock });
          try {
            const stream = aStream();
            await clocked.store.append(stream, [aDevelopment()], 'no-stream');
            at.time -= 3_600_000; // an hour behind

            await expect(clocked.store.append(stream, [aDevelopment()], 0)).rejects.toBeInstanceOf(
              ClockBehindError,
            );
            const stored = await clocked.store.readStream(stream);
            expect(stored.map((e) => e.recordedAt)).toEqual(['2030-01-01T00:00:00.000Z']);
          } finally {
            await clocked.cleanup();
          }
        });
      });
    });

    describe('expected revision', () => {
      it("'no-stream' starts a stream, and is refused once the stream exists", async () => {
        const stream = aStream();
        await store.append(stream, [aDevelopment()], 'no-stream');

        const error = await refusal(store.append(stream, [aDevelopment()], 'no-stream'));

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ stream, expected: 'no-stream', actual: 0 });
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('an exact revision appends when it is the stream’s last one', async () => {
        const stream = aStream();
        await store.append(stream, developments(2), 'no-stream');

        const appended = await store.append(stream, [aDevelopment()], 1);

        expect(appended.revision).toBe(2);
        expect(appended.events.map((e) => e.revision)).toEqual([2]);
      });

      it('a stale revision is refused with the actual one, and nothing is written', async () => {
        const stream = aStream();
        await store.append(stream, developments(3), 'no-stream');

        const stale = await refusal(store.append(stream, [aDevelopment()], 1));
        const ahead = await refusal(store.append(stream, [aDevelopment()], 7));

        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect(stale).toMatchObject({ stream, expected: 1, actual: 2 });
        expect(ahead).toMatchObject({ stream, expected: 7, actual: 2 });
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('an exact revision on a stream that does not exist is refused with actual -1', async () => {
        const stream = aStream();

        const error = await refusal(store.append(stream, [aDevelopment()], 0));

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ stream, expected: 0, actual: -1 });
        expect(await store.readStream(stream)).toEqual([]);
      });

      it("'any' appends whatever the stream holds, new or not", async () => {
        const stream = aStream();

        const first = await store.append(stream, [aDevelopment()], 'any');
        const next = await store.append(stream, developments(2), 'any');

        expect(first.revision).toBe(0);
        expect(next.revision).toBe(2);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });
    });

    describe('duplicate event ids', () => {
      it('refuses an event id already stored, naming the stored event, and writes nothing', async () => {
        const stream = aStream();
        const original = aDevelopment({
          type: 'StatementIssued',
          data: { by: 'EU', text: 'we will respond' },
        });
        await store.append(stream, [original, aDevelopment()], 'no-stream');

        const retry = { ...original, data: { by: 'EU', text: 'another text' } };
        const error = await refusal(store.append(stream, [retry], 1));

        expect(error).toBeInstanceOf(DuplicateEventIdError);
        const duplicate = error as DuplicateEventIdError;
        expect(duplicate.eventId.toLowerCase()).toBe(original.eventId.toLowerCase());
        expect(duplicate.existing).toMatchObject({
          stream,
          revision: 0,
          type: 'StatementIssued',
          data: { by: 'EU', text: 'we will respond' },
        });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it("refuses it when appended with 'any' too", async () => {
        const stream = aStream();
        const original = aDevelopment();
        await store.append(stream, [original], 'any');

        const error = await refusal(store.append(stream, [original], 'any'));

        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect((error as DuplicateEventIdError).existing.revision).toBe(0);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('refuses a stale revision as such before looking at ids', async () => {
        const stream = aStream();
        const original = aDevelopment();
        await store.append(stream, [original, aDevelopment()], 'no-stream');

        const error = await refusal(store.append(stream, [original], 0));

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ expected: 0, actual: 1 });
      });
    });

    describe('appending several events at once', () => {
      it('stores them with consecutive revisions and ascending positions', async () => {
        const stream = aStream();
        await store.append(stream, [aDevelopment()], 'no-stream');

        const { events, revision } = await store.append(stream, developments(5), 0);

        expect(revision).toBe(5);
        expect(events.map((e) => e.revision)).toEqual([1, 2, 3, 4, 5]);
        expectAscending(events.map((e) => e.position));
      });

      it('stores none of them when one is a duplicate: all or nothing', async () => {
        const stream = aStream();
        const anchor = (await store.append(stream, [aDevelopment()], 'no-stream')).events[0]!;
        const fresh = aDevelopment();

        const error = await refusal(
          store.append(stream, [fresh, aDevelopment({ eventId: anchor.eventId })], 0),
        );

        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(idsOf(await store.readStream(stream))).toEqual(idsOf([anchor]));
        const later = (await store.readAll(anchor.position, 1000)).filter(
          (e) => e.stream === stream,
        );
        expect(later).toEqual([]);
      });
    });

    describe('reading all streams by global position', () => {
      it('gives the events after a position, across streams, in the order they were appended', async () => {
        const [one, two] = [aStream(), aStream()];
        const anchor = (await store.append(one, [aDevelopment()], 'no-stream')).events[0]!;
        const a = (await store.append(two, developments(2), 'no-stream')).events;
        const b = (await store.append(one, [aDevelopment()], 0)).events;
        const c = (await store.append(two, [aDevelopment()], 1)).events;
        const later = [...a, ...b, ...c];

        const all = await store.readAll(anchor.position, 1000);

        expect(idsOf(all)).toEqual(idsOf(later));
        expect(all).toEqual(later);
        expectAscending([anchor.position, ...all.map((e) => e.position)]);
      });

      it('gives at most `limit` events, and goes on from the last one given', async () => {
        const stream = aStream();
        const anchor = (await store.append(stream, [aDevelopment()], 'no-stream')).events[0]!;
        const later = (await store.append(stream, developments(5), 0)).events;

        const page = await store.readAll(anchor.position, 2);
        const rest = await store.readAll(page[page.length - 1]!.position, 1000);

        expect(idsOf(page)).toEqual(idsOf(later.slice(0, 2)));
        expect(idsOf(rest)).toEqual(idsOf(later.slice(2)));
        expect(await store.readAll(later[later.length - 1]!.position, 1000)).toEqual([]);
      });

      it('reads from the very start with -1', async () => {
        const stream = aStream();
        const written = (await store.append(stream, developments(2), 'no-stream')).events;

        const all = await store.readAll(-1n, 1_000_000);

        expect(all.filter((e) => e.stream === stream)).toEqual(written);
        expectAscending(all.map((e) => e.position));
      });
    });

    describe('subscribing to all streams', () => {
      /** Collects what a subscription delivers, watching that batches come one at a time. */
      function follower(stream: string) {
        const delivered: StoredEvent[] = [];
        const positions: bigint[] = [];
        let inFlight = 0;
        let maxInFlight = 0;
        const onEvents = async (batch: StoredEvent[]): Promise<void> => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await sleep(2);
          positions.push(...batch.map((e) => e.position));
          delivered.push(...batch.filter((e) => e.stream === stream));
          inFlight--;
        };
        return { delivered, positions, onEvents, maxInFlight: () => maxInFlight };
      }

      it('delivers what is stored first, then what is appended, in order, none twice', async () => {
        const stream = aStream();
        const stored = [
          ...(await store.append(stream, developments(2), 'no-stream')).events,
          ...(await store.append(stream, [aDevelopment()], 1)).events,
        ];
        const follow = follower(stream);

        const subscription = store.subscribeToAll(-1n, follow.onEvents);
        try {
          await eventually(() => expect(idsOf(follow.delivered)).toEqual(idsOf(stored)));

          const live = [
            ...(await store.append(stream, [aDevelopment()], 2)).events,
            ...(await store.append(stream, developments(2), 3)).events,
          ];
          await eventually(() =>
            expect(idsOf(follow.delivered)).toEqual(idsOf([...stored, ...live])),
          );
          await sleep(200);

          expect(follow.delivered).toEqual([...stored, ...live]);
          expectAscending(follow.positions);
          expect(follow.maxInFlight()).toBe(1);
        } finally {
          await subscription.close();
        }
      });

      it('starts after a checkpoint', async () => {
        const stream = aStream();
        const written = (await store.append(stream, developments(4), 'no-stream')).events;
        const follow = follower(stream);

        const subscription = store.subscribeToAll(written[1]!.position, follow.onEvents);
        try {
          await eventually(() => expect(idsOf(follow.delivered)).toEqual(idsOf(written.slice(2))));
          await sleep(200);
          expect(idsOf(follow.delivered)).toEqual(idsOf(written.slice(2)));
        } finally {
          await subscription.close();
        }
      });

      it('delivers nothing more once closed', async () => {
        const stream = aStream();
        const follow = follower(stream);
        const subscription = store.subscribeToAll(-1n, follow.onEvents);
        const first = (await store.append(stream, [aDevelopment()], 'no-stream')).events;
        await eventually(() => expect(idsOf(follow.delivered)).toEqual(idsOf(first)));

        await subscription.close();
        await store.append(stream, [aDevelopment()], 0);
        await sleep(300);

        expect(idsOf(follow.delivered)).toEqual(idsOf(first));
      });

      it('delivers a batch again when its handler failed', async () => {
        const stream = aStream();
        const written = (await store.append(stream, developments(2), 'no-stream')).events;
        const delivered: StoredEvent[] = [];
        let failures = 0;

        const subscription = store.subscribeToAll(-1n, (batch) => {
          const ours = batch.filter((e) => e.stream === stream);
          if (ours.length > 0 && failures === 0) {
            failures++;
            throw new Error('projection failed once');
          }
          delivered.push(...ours);
        });
        try {
          await eventually(() => expect(idsOf(delivered)).toEqual(idsOf(written)), 10_000);
          expect(failures).toBe(1);
        } finally {
          await subscription.close();
        }
      });
    });

    describe('many appenders on one stream at once', () => {
      it('loses nothing and keeps revisions gapless, whether appenders retry races or append blind', async () => {
        const stream = aStream();
        const optimistic = Array.from({ length: 50 }, async (_, client) => {
          const event = aDevelopment({ type: 'StatementIssued', data: { client } });
          for (;;) {
            const current = await store.readStream(stream);
            const last = current[current.length - 1];
            try {
              return await store.append(stream, [event], last ? last.revision : 'no-stream');
            } catch (error) {
              if (!(error instanceof WrongExpectedRevisionError)) throw error;
            }
          }
        });
        const blind = Array.from({ length: 200 }, (_, i) =>
          store.append(
            stream,
            [aDevelopment({ type: 'ReportPublished', data: { report: i } })],
            'any',
          ),
        );

        const results = await Promise.all([...optimistic, ...blind]);

        const events = await store.readStream(stream);
        expect(events).toHaveLength(250);
        expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 250 }, (_, i) => i));
        expect(new Set(idsOf(events)).size).toBe(250);
        expect(new Set(results.map((r) => r.revision)).size).toBe(250);
        expectAscending(events.map((e) => e.position));
        expectNonDecreasing(events.map((e) => e.recordedAt));
      }, 120_000);
    });
  });
}
