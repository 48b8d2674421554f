import { SqliteEventStore, WrongExpectedRevisionError } from '@parley/event-store';
import { randomUUID } from 'node:crypto';

/**
 * The SQLite adapter's check of `expectedLastEventId`, which lets a writer append the next
 * development of a stream before the previous append has committed (see RecordDevelopmentsHandler).
 */
describe('SqliteEventStore: expectedLastEventId', () => {
  let store: SqliteEventStore;
  const event = (eventId = randomUUID()) => ({ eventId, type: 'StatementMade', data: { n: 1 } });

  beforeEach(() => {
    store = new SqliteEventStore({ path: ':memory:' });
  });

  afterEach(() => store.close());

  it('says it checks it', () => {
    expect(store.checksLastEventId).toBe(true);
  });

  it('appends when the stream ends with that event', async () => {
    const first = event();
    await store.append('s', [first], 'no-stream');
    await expect(
      store.append('s', [event()], 0, { expectedLastEventId: first.eventId }),
    ).resolves.toMatchObject({ revision: 1 });
  });

  it('refuses when the stream ends with another event, even at the expected revision', async () => {
    await store.append('s', [event()], 'no-stream');
    await expect(
      store.append('s', [event()], 0, { expectedLastEventId: randomUUID() }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream('s')).toHaveLength(1);
  });

  it('refuses the appends made on top of one that fails in the same group commit, and keeps the others', async () => {
    const opened = event();
    await store.append('s', [opened], 'no-stream');
    const taken = event();
    await store.append('other', [taken], 'no-stream');
    const failing = { ...event(), eventId: taken.eventId }; // a duplicate id: refused
    const onTop = event();
    const results = await Promise.allSettled([
      store.append('s', [failing], 0, { expectedLastEventId: opened.eventId }),
      store.append('s', [onTop], 1, { expectedLastEventId: failing.eventId }),
      store.append('t', [event()], 'no-stream'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream('s')).toHaveLength(1);
  });

  it('commits the appends of one stream in the order they were made', async () => {
    const ids = Array.from({ length: 20 }, () => randomUUID());
    await store.append('s', [event(ids[0])], 'no-stream');
    const appends = ids
      .slice(1)
      .map((id, i) => store.append('s', [event(id)], i, { expectedLastEventId: ids[i] }));
    const results = await Promise.all(appends);
    expect(results.map((r) => r.revision)).toEqual(ids.slice(1).map((_, i) => i + 1));
  });
});
