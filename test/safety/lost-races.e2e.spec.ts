import type { EventStore } from '@parley/event-store';
import { SqliteEventStore } from '@parley/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { negotiation, tariffChanged } from '../support/requests';
import { RunningApp } from '../support/running-app';

/*
 * Two instances on one SQLite file, and the other one wins every race: each time this instance
 * appends to the negotiation, the other has just recorded a development there. A post without
 * expectedRevision is decided again on each loss; when the retries run out the client is told to
 * try again (503, Retry-After), never 409 "expected-revision-mismatch" about a revision it never
 * sent (issue 18, finding 5).
 */

/** This instance's store, on the file, letting `before` run ahead of each of its appends to an existing stream. */
function losingEveryRace(store: EventStore, before: () => Promise<void>): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') return Reflect.get(target, property, receiver) as unknown;
      return async (...args: Parameters<EventStore['append']>) => {
        if (args[2] !== 'no-stream') await before();
        return target.append(...args);
      };
    },
  });
}

describe('a post that loses every race to another instance', () => {
  let dir: string;
  let other: RunningApp;
  let losing: RunningApp;
  let othersWrites = 0;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-races-'));
    const path = join(dir, 'parley.db');
    other = await RunningApp.start({ dbPath: path });
    expect((await other.post('/negotiations', negotiation())).status).toBe(201);
    othersWrites = 0;
    const store = losingEveryRace(new SqliteEventStore({ path }), async () => {
      // Bounded: the other instance stops winning after 50 writes, whatever this one does.
      if (othersWrites >= 50) return;
      othersWrites += 1;
      const won = await other.post(
        '/negotiations/talks/events',
        tariffChanged({ rate: othersWrites }, { eventId: randomUUID() }),
      );
      expect(won.status).toBe(201);
    });
    losing = await RunningApp.start({
      store: { store, config: { kind: 'sqlite', path } },
      logger: false, // its 503 is provoked on purpose
    });
  });

  afterEach(async () => {
    await losing?.stop();
    await other?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('without expectedRevision: 503 with Retry-After once the retries run out, and nothing of it recorded', async () => {
    const eventId = randomUUID();
    const answer = await losing.post(
      '/negotiations/talks/events',
      tariffChanged({ rate: 99 }, { eventId }),
    );

    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(answer.body).toMatchObject({ status: 503 });
    expect(JSON.stringify(answer.body)).not.toMatch(/expected-?revision/i);
    expect(othersWrites).toBeGreaterThan(1); // it did retry, losing each time
    expect(othersWrites).toBeLessThan(50);
    const listed = await other.get('/negotiations/talks/events?includeRetracted=true&limit=1000');
    expect(listed.body.items.map((e: { eventId: string }) => e.eventId)).not.toContain(eventId);
  });

  it('with expectedRevision: the 409 names the revision the client sent', async () => {
    const answer = await losing.post(
      '/negotiations/talks/events',
      tariffChanged({ rate: 99 }, { eventId: randomUUID(), expectedRevision: 0 }),
    );

    expect(answer.status).toBe(409);
    expect(answer.body.detail).toContain('expectedRevision 0 ');
    expect(answer.body.actualRevision).toBe(1);
  });
});
