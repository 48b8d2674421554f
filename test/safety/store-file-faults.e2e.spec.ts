import Database from 'better-sqlite3';
import type { ChildProcessByStdio } from 'node:child_process';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statfsSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { aClosedPort } from '../support/eventstoredb-node';
import { negotiation, tariffChanged } from '../support/requests';
import { allEvents, call } from './api-process';

/*
 * The embedded store's file under faults, on the real server (apps/api/src/main.ts as a child
 * process): the file or its folder deleted, truncated, replaced, its write-ahead log deleted, a
 * full disk (a tmpfs of a few MB), a read-only file, a byte changed in a stored row. Whatever
 * the server acknowledged must still be there afterwards (in the file, or in the copy it says
 * it made), or the server must have stopped acknowledging: never a 201 for a development that
 * is then gone, never a start on a store that is not the one recorded.
 */

const ROOT = resolve(__dirname, '../..');
const NOBODY = 65534;

interface Server {
  readonly baseUrl: string;
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly exited: Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

/** The entry point on `env` (loopback, a free port): listening, or exited with what it said. */
async function start(
  env: Record<string, string>,
  options: { uid?: number; cwd?: string } = {},
): Promise<
  { listening: true; server: Server } | { listening: false; code: number | null; output: string }
> {
  const port = await aClosedPort();
  const child = spawn(
    process.execPath,
    ['-r', join(ROOT, 'test/support/register-ts.js'), join(ROOT, 'apps/api/src/main.ts')],
    {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
    },
  );
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const listening = await new Promise<boolean>((done) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes('listening on')) done(true);
    });
    void exited.then(() => done(false));
  });
  if (!listening) return { listening: false, code: await exited, output };
  return {
    listening: true,
    server: { baseUrl: `http://127.0.0.1:${port}`, child, exited, output: () => output },
  };
}

/** The entry point on `env`, expected to refuse: stopped at once if it listens, so that nothing is left running. */
async function refusal(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const run = await start(env);
  if (!run.listening) return run;
  await stop(run.server, 'SIGKILL');
  return { code: null, output: `listening, not refusing:\n${run.server.output()}` };
}

async function serve(env: Record<string, string>, options: { uid?: number } = {}) {
  const run = await start(env, options);
  if (!run.listening) throw new Error(`the API did not start (${run.code}):\n${run.output}`);
  return run.server;
}

async function stop(server: Server, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  await server.exited;
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

/** A stack trace line, as a logged Error would print it. */
const STACK_LINE = /\n\s+at .+\(.+:\d+:\d+\)/;

interface Answered {
  eventId: string;
  status: number;
  /** When the request was sent (Date.now()). */
  sentAt: number;
  detail?: string;
}

/** One client posting developments to `negotiationId` until `stop.now`. */
async function writer(
  baseUrl: string,
  negotiationId: string,
  answers: Answered[],
  halt: { now: boolean },
): Promise<void> {
  for (let n = 0; !halt.now; n++) {
    const eventId = randomUUID();
    const sentAt = Date.now();
    const answer = await call(baseUrl, 'POST', `/negotiations/${negotiationId}/events`, {
      ...tariffChanged({ measure: `line-${n % 7}`, rate: n % 150 }),
      eventId,
    });
    answers.push({ eventId, status: answer.status, sentAt, detail: answer.body?.detail });
    // Refused writes come back at once: do not spin on them.
    if (answer.status !== 201) await new Promise((done) => setTimeout(done, 20));
  }
}

async function readiness(baseUrl: string): Promise<{ status: number; text: string }> {
  const answer = await call(baseUrl, 'GET', '/health/ready');
  return { status: answer.status, text: JSON.stringify(answer.body) };
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((done) => setTimeout(done, 100));
  }
}

describe('the embedded store at start-up', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-store-start-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('with SQLITE_PATH naming a file that does not exist, exits 1 naming it and how to create one, creating nothing', async () => {
    const path = join(dir, 'typo', 'parley.db');

    const run = await refusal({ SQLITE_PATH: path });

    expect(run.code).toBe(1);
    expect(run.output).toContain(`there is no event store at ${path}`);
    expect(run.output).toContain('SQLITE_CREATE=if-missing');
    expect(existsSync(dirname(path))).toBe(false);
  }, 60_000);

  it('with SQLITE_CREATE=if-missing, creates the file and says so', async () => {
    const path = join(dir, 'new', 'parley.db');

    const server = await serve({ SQLITE_PATH: path, SQLITE_CREATE: 'if-missing' });
    await stop(server);

    expect(server.output()).toContain(`no event store at ${path}: creating a new, empty one`);
    expect(existsSync(path)).toBe(true);
  }, 60_000);

  it('with no SQLITE_PATH, as on a fresh clone, creates ./data/parley.db and says so', async () => {
    const run = await start({}, { cwd: dir });
    if (run.listening) await stop(run.server);

    expect(run.listening).toBe(true);
    expect(run.listening && run.server.output()).toContain(
      `no event store at ${join(dir, 'data', 'parley.db')}: creating a new, empty one`,
    );
    expect(existsSync(join(dir, 'data', 'parley.db'))).toBe(true);
  }, 60_000);

  it.each<Record<string, string>>([{}, { SQLITE_CREATE: 'if-missing' }])(
    'with a 0-byte file (%j), exits 1 saying it is empty, probably truncated',
    async (create) => {
      const path = join(dir, 'parley.db');
      writeFileSync(path, '');

      const run = await refusal({ SQLITE_PATH: path, ...create });

      expect(run.code).toBe(1);
      expect(run.output).toContain(`the event store file ${path} is empty (0 bytes)`);
    },
    60_000,
  );

  it('with a file that is not a SQLite database, exits 1 naming the file and the cause', async () => {
    const path = join(dir, 'parley.db');
    writeFileSync(path, 'not a database\n'.repeat(500));

    const run = await refusal({ SQLITE_PATH: path });

    expect(run.code).toBe(1);
    expect(run.output).toContain(path);
    expect(run.output).toContain('file is not a database');
  }, 60_000);
});

/** A fault done to the store's file under the running server, and where the acknowledged developments are afterwards. */
interface Fault {
  name: string;
  do(path: string): void;
  /** 'in-place': in the file; 'rescued': in the copy the server made beside it; 'refused': the file no longer starts. */
  survivors: 'in-place' | 'rescued' | 'refused';
}

const FAULTS: Fault[] = [
  {
    name: 'its folder is removed',
    do: (path) => rmSync(dirname(path), { recursive: true, force: true }),
    survivors: 'rescued',
  },
  { name: 'the file is deleted', do: (path) => unlinkSync(path), survivors: 'rescued' },
  {
    name: 'the file is replaced by another (renamed over it)',
    do: (path) => {
      writeFileSync(`${path}.other`, 'another file');
      renameSync(`${path}.other`, path);
    },
    survivors: 'rescued',
  },
  {
    name: 'the file is truncated to 0 bytes',
    do: (path) => truncateSync(path, 0),
    survivors: 'refused',
  },
  {
    name: 'its write-ahead log is deleted',
    do: (path) => unlinkSync(`${path}-wal`),
    survivors: 'in-place',
  },
];

describe('when the store file changes under the running server', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-store-fault-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(FAULTS)(
    '$name: later writes are 503 and readiness 503, the reason logged once; every acknowledged development is in the file or a rescued copy, or the next start refuses',
    async (fault) => {
      const path = join(dir, 'store', 'parley.db');
      const server = await serve({ SQLITE_PATH: path, SQLITE_CREATE: 'if-missing' });
      const answers: Answered[] = [];
      let faultAt = 0;
      try {
        expect((await call(server.baseUrl, 'POST', '/negotiations', negotiation())).status).toBe(
          201,
        );
        const halt = { now: false };
        const writers = [1, 2, 3, 4].map(() => writer(server.baseUrl, 'talks', answers, halt));
        await until(async () => answers.filter((a) => a.status === 201).length >= 40, 20_000);
        fault.do(path);
        faultAt = Date.now();
        await new Promise((done) => setTimeout(done, 1500));
        halt.now = true;
        await Promise.all(writers);

        const after = answers.filter((a) => a.sentAt > faultAt);
        expect(after.length).toBeGreaterThan(0);
        expect(after.filter((a) => a.status !== 503)).toEqual([]);
        expect(after[0]!.detail).toContain('Parley must be restarted');
        const ready = await readiness(server.baseUrl);
        expect(ready.status).toBe(503);
        expect(ready.text).toContain('Parley must be restarted');
        expect(occurrences(server.output(), "the event store's file changed under it")).toBe(1);
        expect(server.output()).not.toMatch(STACK_LINE);
      } finally {
        await stop(server);
      }

      const acknowledged = answers.filter((a) => a.status === 201).map((a) => a.eventId);
      expect(acknowledged.length).toBeGreaterThanOrEqual(40);
      const summary = (kept: string): boolean =>
        process.stdout.write(
          `store fault "${fault.name}": ${acknowledged.length} acknowledged, ` +
            `${answers.filter((a) => a.sentAt > faultAt).length} sent after it all 503, ${kept}\n`,
        );
      if (fault.survivors === 'refused') {
        const run = await refusal({ SQLITE_PATH: path });
        expect(run.code).toBe(1);
        expect(run.output).toContain('is empty (0 bytes)');
        summary('the file cannot be saved: the next start refuses it');
        return;
      }
      if (fault.survivors === 'rescued') {
        const rescued = readdirSync(dirname(path)).filter((name) =>
          name.startsWith('parley.db.rescued-'),
        );
        expect(rescued).toHaveLength(1);
        expect(server.output()).toContain(`copied to ${join(dirname(path), rescued[0]!)}`);
        // As the log says: with Parley stopped, the copy goes in place of what is at the path.
        rmSync(path, { force: true });
        renameSync(join(dirname(path), rescued[0]!), path);
      }
      const again = await serve({ SQLITE_PATH: path });
      try {
        const stored = new Set((await allEvents(again.baseUrl, 'talks')).map((e) => e.eventId));
        expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
        summary(
          `${acknowledged.filter((id) => stored.has(id)).length} of them in the ${fault.survivors === 'rescued' ? 'rescued copy' : 'file'} after a restart`,
        );
      } finally {
        await stop(again);
      }
    },
    120_000,
  );
});

describe('when the disk is full (a tmpfs of 8 MB)', () => {
  let dir: string;
  let mounted = false;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-store-full-'));
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir]);
    mounted = mount.status === 0;
    if (!mounted) {
      console.log(`SKIPPED: a full disk needs mount -t tmpfs (${String(mount.stderr).trim()})`);
    }
  });

  afterAll(() => {
    if (mounted) spawnSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes are 503 "database or disk is full", readiness 503, logged once without a stack; with space again both recover, and every acknowledged development survives kill -9', async () => {
    if (!mounted) return;
    const path = join(dir, 'parley.db');
    const filler = join(dir, 'filler');
    const server = await serve({ SQLITE_PATH: path, SQLITE_CREATE: 'if-missing' });
    const answers: Answered[] = [];
    try {
      expect((await call(server.baseUrl, 'POST', '/negotiations', negotiation())).status).toBe(201);
      // Leave about 300 KB free, so that the disk fills after a few hundred developments.
      const free = statfsSync(dir);
      writeFileSync(filler, Buffer.alloc(Math.max(0, free.bavail * free.bsize - 300_000)));
      const halt = { now: false };
      const writers = [1, 2, 3, 4].map(() => writer(server.baseUrl, 'talks', answers, halt));
      await until(async () => answers.filter((a) => a.status === 503).length >= 50, 60_000);
      halt.now = true;
      await Promise.all(writers);

      const refused = answers.filter((a) => a.status === 503);
      expect(refused.length).toBeGreaterThanOrEqual(50);
      expect(answers.filter((a) => a.status !== 201 && a.status !== 503)).toEqual([]);
      expect(refused[0]!.detail).toBe(
        'The event store cannot record: the database or disk is full.',
      );
      const ready = await readiness(server.baseUrl);
      expect(ready.status).toBe(503);
      expect(ready.text).toContain('database or disk is full');
      expect(occurrences(server.output(), 'cannot write: database or disk is full')).toBe(1);
      expect(server.output()).not.toMatch(STACK_LINE);

      unlinkSync(filler);
      expect(
        await until(async () => (await readiness(server.baseUrl)).status === 200, 10_000),
      ).toBe(true);
      const before = answers.length;
      await writer(server.baseUrl, 'talks', answers, {
        get now() {
          return answers.length >= before + 50;
        },
      });
      expect(answers.slice(before).map((a) => a.status)).toEqual(Array(50).fill(201));
      expect(server.output()).toContain('writes again');
    } finally {
      await stop(server, 'SIGKILL');
    }

    const acknowledged = answers.filter((a) => a.status === 201).map((a) => a.eventId);
    const again = await serve({ SQLITE_PATH: path });
    try {
      const stored = new Set((await allEvents(again.baseUrl, 'talks')).map((e) => e.eventId));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      process.stdout.write(
        `full disk: ${acknowledged.length} acknowledged, ${answers.filter((a) => a.status === 503).length} 503, ` +
          `${acknowledged.filter((id) => stored.has(id)).length} of the acknowledged there after kill -9\n`,
      );
    } finally {
      await stop(again);
    }
  }, 180_000);
});

describe('when the store cannot write', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-store-readonly-'));
  });

  afterEach(() => {
    spawnSync('chattr', ['-R', '-i', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a read-only file: the server starts and serves reads, writes are 503 saying so, readiness 503, logged once', async () => {
    const path = join(dir, 'parley.db');
    const first = await serve({ SQLITE_PATH: path, SQLITE_CREATE: 'if-missing' });
    expect((await call(first.baseUrl, 'POST', '/negotiations', negotiation())).status).toBe(201);
    await stop(first);
    // As a user the file does not let write (root would write anyway).
    chownSync(dir, NOBODY, NOBODY);
    chownSync(path, NOBODY, NOBODY);
    chmodSync(path, 0o444);

    const server = await serve({ SQLITE_PATH: path }, { uid: NOBODY });
    try {
      const ready = await readiness(server.baseUrl);
      const write = await call(
        server.baseUrl,
        'POST',
        '/negotiations/talks/events',
        tariffChanged(),
      );
      await call(server.baseUrl, 'POST', '/negotiations/talks/events', tariffChanged());
      const read = await call(server.baseUrl, 'GET', '/negotiations/talks');

      expect(ready.status).toBe(503);
      expect(ready.text).toContain('its file is read-only');
      expect(write.status).toBe(503);
      expect(write.body.detail).toBe('The event store cannot record: its file is read-only.');
      expect(read.status).toBe(200);
      expect(occurrences(server.output(), 'cannot write: its file or folder is read-only')).toBe(1);
      expect(server.output()).not.toMatch(STACK_LINE);
    } finally {
      await stop(server);
    }
  }, 90_000);

  it('a read-only file written before checksums: exits 1 naming it and why (adding them needs to write)', async () => {
    const path = join(dir, 'parley.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    // The schema as the store wrote it before checksums.
    db.exec(`CREATE TABLE events (
      position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, revision INTEGER NOT NULL,
      event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL,
      UNIQUE (stream, revision))`);
    db.close();
    chownSync(dir, NOBODY, NOBODY);
    chownSync(path, NOBODY, NOBODY);
    chmodSync(path, 0o444);

    const run = await start({ SQLITE_PATH: path }, { uid: NOBODY });
    if (run.listening) await stop(run.server, 'SIGKILL');

    expect(run.listening).toBe(false);
    expect(!run.listening && run.code).toBe(1);
    expect(!run.listening && run.output).toContain(
      `${path} holds events stored before checksums were kept; adding them once needs to write to it, which failed: attempt to write a readonly database`,
    );
  }, 60_000);

  it('its write-ahead log made immutable while running: writes 503, readiness 503, logged once; writable again, both recover', async () => {
    const path = join(dir, 'parley.db');
    const server = await serve({ SQLITE_PATH: path, SQLITE_CREATE: 'if-missing' });
    try {
      expect((await call(server.baseUrl, 'POST', '/negotiations', negotiation())).status).toBe(201);
      const immutable = spawnSync('chattr', ['+i', `${path}-wal`]);
      if (immutable.status !== 0) {
        console.log(`SKIPPED: chattr +i is not possible here (${String(immutable.stderr).trim()})`);
        return;
      }
      const refused = await call(
        server.baseUrl,
        'POST',
        '/negotiations/talks/events',
        tariffChanged(),
      );
      await call(server.baseUrl, 'POST', '/negotiations/talks/events', tariffChanged());
      const ready = await readiness(server.baseUrl);

      expect(refused.status).toBe(503);
      expect(refused.body.detail).toBe(
        'The event store cannot record: its disk refused the write.',
      );
      expect(ready.status).toBe(503);
      expect(occurrences(server.output(), 'cannot write: the disk refused the write')).toBe(1);
      expect(server.output()).not.toMatch(STACK_LINE);

      execFileSync('chattr', ['-i', `${path}-wal`]);
      expect((await readiness(server.baseUrl)).status).toBe(200);
      expect(
        (await call(server.baseUrl, 'POST', '/negotiations/talks/events', tariffChanged())).status,
      ).toBe(201);
    } finally {
      await stop(server);
    }
  }, 90_000);
});

describe('a stored development changed in the file', () => {
  let dir: string;
  let path: string;
  let changed: { eventId: string; position: number };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-store-tamper-'));
    path = join(dir, 'parley.db');
    const server = await serve({ SQLITE_PATH: path, SQLITE_CREATE: 'if-missing' });
    try {
      await call(server.baseUrl, 'POST', '/negotiations', negotiation());
      const eventId = randomUUID();
      await call(server.baseUrl, 'POST', '/negotiations/talks/events', {
        ...tariffChanged({ measure: 'reciprocal', rate: 125 }),
        eventId,
      });
      await call(server.baseUrl, 'POST', '/negotiations/talks/events', tariffChanged({ rate: 20 }));
      const db = new Database(path, { readonly: true });
      const { position } = db
        .prepare('SELECT position FROM events WHERE event_id = ?')
        .get(eventId) as { position: number };
      db.close();
      changed = { eventId, position };
    } finally {
      await stop(server);
    }
  }, 60_000);

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const refusesNamingIt = async (): Promise<void> => {
    const run = await refusal({ SQLITE_PATH: path });

    expect(run.code).toBe(1);
    expect(run.output).toContain(path);
    expect(run.output).toContain(`position ${changed.position}`);
    expect(run.output).toContain(changed.eventId);
    expect(run.output).toContain('does not match its checksum');
  };

  it('by a byte edit of the file ("rate":125 -> 725), refuses to start naming the file, the position and the event', async () => {
    const bytes = readFileSync(path);
    const at = bytes.indexOf('"rate":125');
    expect(at).toBeGreaterThan(0);
    expect(bytes.indexOf('"rate":125', at + 1)).toBe(-1);
    bytes[at + '"rate":'.length] = '7'.charCodeAt(0);
    writeFileSync(path, bytes);

    await refusesNamingIt();
  }, 60_000);

  it('by an UPDATE with the sqlite3 command line, refuses to start naming the file, the position and the event', async () => {
    const db = new Database(path);
    db.prepare(
      `UPDATE events SET data = replace(data, '"rate":125', '"rate":725') WHERE event_id = ?`,
    ).run(changed.eventId);
    db.close();

    await refusesNamingIt();
  }, 60_000);

  it('structurally (a page of the file overwritten), refuses to start naming the file and the cause', async () => {
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    expect(bytes.length).toBeGreaterThanOrEqual(3 * pageSize);
    bytes.fill(0xa5, pageSize, 3 * pageSize);
    writeFileSync(path, bytes);

    const run = await refusal({ SQLITE_PATH: path });

    expect(run.code).toBe(1);
    expect(run.output).toContain(path);
    expect(run.output).toMatch(/malformed|not a database|SQLITE_CORRUPT/);
  }, 60_000);
});
