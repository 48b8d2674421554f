import type { StoredEvent } from '@parley/event-store';
import { DuplicateEventIdError, SqliteEventStore, createEventStore } from '@parley/event-store';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { StoreOptions } from './event-store.contract';
import {
  aDevelopment,
  aStream,
  describeEventStoreContract,
  eventually,
} from './event-store.contract';

/** A store on a fresh file in its own temporary directory, removed afterwards. */
function aTemporaryFile(): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
  return {
    path: join(dir, 'parley.db'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Another process appending `count` events with 'any' to one stream of the file, through the
 * adapter itself (compiled on the fly with swc, as jest does). Prints how many were refused.
 */
async function appendFromAnotherProcess(
  path: string,
  stream: string,
  count: number,
): Promise<string> {
  const adapter = resolve(__dirname, '../../libs/event-store/src/sqlite-event-store.ts');
  const script = `
    const swc = require('@swc/core');
    const fs = require('node:fs');
    require.extensions['.ts'] = (module, filename) => module._compile(swc.transformSync(fs.readFileSync(filename, 'utf8'),
      { filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code, filename);
    const { SqliteEventStore } = require(${JSON.stringify(adapter)});
    const { randomUUID } = require('node:crypto');
    const store = new SqliteEventStore({ path: ${JSON.stringify(path)} });
    Promise.allSettled(Array.from({ length: ${count} }, (_, i) =>
      new Promise((r) => setTimeout(r, i % 20)).then(() =>
        store.append(${JSON.stringify(stream)}, [{ eventId: randomUUID(), type: 'ReportPublished', data: { pid: process.pid, i } }], 'any'))))
      .then(async (results) => {
        const refused = results.filter((r) => r.status === 'rejected');
        process.stdout.write(refused.length + (refused[0] ? ' ' + refused[0].reason.message : ''));
        await store.close();
      });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: resolve(__dirname, '../..'),
  });
  return stdout.trim();
}

describeEventStoreContract('SQLite', async (options: StoreOptions = {}) => {
  const file = aTemporaryFile();
  const store = new SqliteEventStore({
    path: file.path,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    store,
    cleanup: async () => {
      await store.close();
      file.remove();
    },
  };
});

describe('the SQLite event store, beyond the contract', () => {
  let file: ReturnType<typeof aTemporaryFile>;
  const opened: SqliteEventStore[] = [];
  const open = (): SqliteEventStore => {
    const store = new SqliteEventStore({ path: file.path });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    file = aTemporaryFile();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    file.remove();
  });

  describe('when two instances share one file', () => {
    it("each one's subscription sees the other's writes within a second", async () => {
      const [one, two] = [open(), open()];
      const stream = aStream();
      const seenByTwo: StoredEvent[] = [];
      const seenByOne: StoredEvent[] = [];
      const subscriptions = [
        two.subscribeToAll(-1n, (batch) => void seenByTwo.push(...batch)),
        one.subscribeToAll(-1n, (batch) => void seenByOne.push(...batch)),
      ];
      try {
        const written = (await one.append(stream, [aDevelopment()], 'no-stream')).events;
        await eventually(() => expect(seenByTwo).toEqual(written), 1000);

        const answered = (await two.append(stream, [aDevelopment()], 0)).events;
        await eventually(() => expect(seenByOne).toEqual([...written, ...answered]), 1000);
      } finally {
        await Promise.all(subscriptions.map((s) => s.close()));
      }
    });

    it('loses no append when other processes append to the same stream at the same time', async () => {
      const store = open();
      const stream = aStream();
      await store.append(stream, [aDevelopment()], 'no-stream');

      const [here, ...elsewhere] = await Promise.all([
        Promise.all(
          Array.from({ length: 100 }, () => store.append(stream, [aDevelopment()], 'any')),
        ),
        appendFromAnotherProcess(file.path, stream, 150),
        appendFromAnotherProcess(file.path, stream, 150),
        appendFromAnotherProcess(file.path, stream, 150),
      ]);

      expect(here).toHaveLength(100);
      expect(elsewhere).toEqual(['0', '0', '0']);
      const events = await store.readStream(stream);
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 551 }, (_, i) => i));
    }, 60_000);

    it('refuses an id one of them stored through the other', async () => {
      const [one, two] = [open(), open()];
      const original = aDevelopment();
      await one.append(aStream(), [original], 'no-stream');

      await expect(two.append(aStream(), [original], 'no-stream')).rejects.toBeInstanceOf(
        DuplicateEventIdError,
      );
    });
  });

  it('refuses an event id stored in another stream (ids are unique in the whole store)', async () => {
    const store = open();
    const original = aDevelopment();
    const [first, second] = [aStream(), aStream()];
    await store.append(first, [original], 'no-stream');

    const refused = store.append(second, [original], 'no-stream');

    await expect(refused).rejects.toBeInstanceOf(DuplicateEventIdError);
    await expect(refused).rejects.toMatchObject({ existing: { stream: first, revision: 0 } });
    expect(await store.readStream(second)).toEqual([]);
  });

  it('is opened by createEventStore from its configuration', async () => {
    const store = await createEventStore({ kind: 'sqlite', path: file.path });
    try {
      await store.ping();
      const stream = aStream();
      await store.append(stream, [aDevelopment()], 'no-stream');
      expect(await store.readStream(stream)).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
