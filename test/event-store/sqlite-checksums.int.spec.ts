import type { StoreLog } from '@parley/event-store';
import {
  DuplicateEventIdError,
  SqliteEventStore,
  StoreCorruptionError,
  eventChecksum,
} from '@parley/event-store';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Every stored event carries a checksum over its fields and the previous event's checksum in its
 * stream. Changes made to the file behind the store's back (with the sqlite3 command line here)
 * are found when the event is read, and refused naming the file, the position and the event.
 */

describe('the SQLite store’s checksums', () => {
  let dir: string;
  let path: string;
  const logged: string[] = [];
  const log: StoreLog = { log: (m) => logged.push(m), error: (m) => logged.push(m) };
  const opened: SqliteEventStore[] = [];
  const open = (): SqliteEventStore => {
    const store = new SqliteEventStore({ path, log, create: 'if-missing' });
    opened.push(store);
    return store;
  };
  const edit = (sql: string, ...params: unknown[]): void => {
    const db = new Database(path);
    db.prepare(sql).run(...params);
    db.close();
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-checksums-'));
    path = join(dir, 'parley.db');
    logged.length = 0;
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Three events in one stream: rates 20, 125, 10; the store closed. */
  async function threeEvents(): Promise<void> {
    const store = open();
    for (const [i, rate] of [20, 125, 10].entries()) {
      await store.append(
        'negotiation-talks',
        [{ eventId: `e${i}`, type: 'TariffChanged', data: { rate } }],
        i - 1 < 0 ? 'no-stream' : i - 1,
      );
    }
    await store.close();
  }

  const positionOf = (eventId: string): number => {
    const db = new Database(path, { readonly: true });
    const row = db.prepare('SELECT position FROM events WHERE event_id = ?').get(eventId) as {
      position: number;
    };
    db.close();
    return row.position;
  };

  it('reads back what was stored, checksums and all', async () => {
    await threeEvents();

    const events = await open().readStream('negotiation-talks');

    expect(events.map((e) => e.data.rate)).toEqual([20, 125, 10]);
  });

  it('refuses a duplicate of an event past the first of its stream as a duplicate, checked and whole', async () => {
    await threeEvents();

    const appending = open().append(
      'negotiation-other',
      [{ eventId: 'e2', type: 'TariffChanged', data: { rate: 1 } }],
      'no-stream',
    );

    await expect(appending).rejects.toThrow(DuplicateEventIdError);
    await expect(appending).rejects.toMatchObject({
      existing: { revision: 2, data: { rate: 10 } },
    });
  });

  it('given a changed byte in a stored row, refuses it on read naming the file, the position and the event', async () => {
    await threeEvents();
    edit(`UPDATE events SET data = replace(data, '125', '725') WHERE event_id = 'e1'`);

    const reading = open().readAll(-1n, 100);

    await expect(reading).rejects.toThrow(StoreCorruptionError);
    await expect(reading).rejects.toThrow(
      `${path}: the stored event at position ${positionOf('e1')} (event e1, revision 1 of negotiation-talks) does not match its checksum`,
    );
  });

  it('given a row changed and its own checksum recomputed, the chain refuses the next one', async () => {
    await threeEvents();
    const db = new Database(path);
    const previous = db
      .prepare("SELECT checksum FROM events WHERE event_id = 'e0'")
      .pluck()
      .get() as string;
    const row = db.prepare("SELECT * FROM events WHERE event_id = 'e1'").get() as Parameters<
      typeof eventChecksum
    >[1];
    const forged = { ...row, data: row.data.replace('125', '725') };
    db.prepare("UPDATE events SET data = ?, checksum = ? WHERE event_id = 'e1'").run(
      forged.data,
      eventChecksum(previous, forged),
    );
    db.close();

    const reading = open().readStream('negotiation-talks', 2);

    await expect(reading).rejects.toThrow(`position ${positionOf('e2')} (event e2, revision 2`);
  });

  it('given a row removed, refuses the one after it', async () => {
    await threeEvents();
    const position = positionOf('e2');
    edit("DELETE FROM events WHERE event_id = 'e1'");

    await expect(open().readAll(-1n, 100)).rejects.toThrow(`position ${position} (event e2`);
  });

  describe('on a store written before checksums', () => {
    /** The schema and rows as the store wrote them before this version. */
    function anOldStore(): void {
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.exec(`CREATE TABLE events (
        position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, revision INTEGER NOT NULL,
        event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL,
        UNIQUE (stream, revision))`);
      const insert = db.prepare(
        "INSERT INTO events (stream, revision, event_id, type, data, recorded_at) VALUES (?, ?, ?, 'TariffChanged', ?, '2025-01-01T00:00:00.000Z')",
      );
      insert.run('negotiation-a', 0, 'a0', '{"rate":20}');
      insert.run('negotiation-b', 0, 'b0', '{"rate":5}');
      insert.run('negotiation-a', 1, 'a1', '{"rate":125}');
      db.close();
    }

    it('computes and stores them on the first open, says so, and finds a change made after', async () => {
      anOldStore();

      const store = open();
      const read = await store.readAll(-1n, 100);
      await store.close();
      edit(`UPDATE events SET data = '{"rate":725}' WHERE event_id = 'a1'`);

      expect(read.map((e) => e.eventId)).toEqual(['a0', 'b0', 'a1']);
      expect(logged).toContain(
        `${path}: 3 stored events had no checksum (written before checksums were kept): computed and stored now, so that any later change is found`,
      );
      await expect(open().readStream('negotiation-a')).rejects.toThrow('(event a1, revision 1');
    });

    it('appends after them in the chain', async () => {
      anOldStore();
      const store = open();
      await store.append(
        'negotiation-a',
        [{ eventId: 'a2', type: 'TariffChanged', data: { rate: 1 } }],
        1,
      );
      await store.close();

      expect((await open().readStream('negotiation-a')).map((e) => e.eventId)).toEqual([
        'a0',
        'a1',
        'a2',
      ]);
    });
  });
});
