import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { aClosedPort } from '../support/eventstoredb-node';
import { negotiation } from '../support/requests';
import { checkedFetch as fetch } from '../support/documented-answers';

/*
 * The environment as the real entry point (apps/api/src/main.ts, compiled on the fly by
 * test/support/register-ts.js) reads it: a server other machines could reach refuses to start
 * without API_KEY, and API_KEY from the environment does guard writes. (The refusing runs never
 * bind, so HOST=0.0.0.0 opens nothing; the run that starts listens on loopback only.)
 */

const ROOT = resolve(__dirname, '../..');

interface Run<T> {
  code: number | null;
  stdout: string;
  stderr: string;
  answered?: T;
}

function runMain<T>(
  env: Record<string, string>,
  whenListening?: () => Promise<T>,
): Promise<Run<T>> {
  const child = spawn(
    process.execPath,
    ['-r', './test/support/register-ts.js', 'apps/api/src/main.ts'],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } },
  );
  let stdout = '';
  let stderr = '';
  let asked = false;
  let answered: T | undefined;
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += String(chunk);
    // Expected to refuse, yet listening: stop it, so that the test fails now, not at its timeout.
    if (!whenListening && stdout.includes('listening on')) child.kill('SIGKILL');
    if (whenListening && !asked && stdout.includes('listening on')) {
      asked = true;
      void whenListening()
        .then((value) => (answered = value))
        .finally(() => child.kill('SIGTERM'));
    }
  });
  return new Promise((done) =>
    child.once('exit', (code) => done({ code, stdout, stderr, ...(asked ? { answered } : {}) })),
  );
}

describe('the entry point, on the environment it is given', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-refuse-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['0.0.0.0', '::', '192.0.2.10'])(
    'with HOST=%s and no API_KEY, exits 1 before listening, saying to set API_KEY or bind to loopback',
    async (host) => {
      const run = await runMain({
        HOST: host,
        PORT: String(await aClosedPort()),
        SQLITE_PATH: join(dir, 'refused.db'),
      });

      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Parley could not start: HOST=${host}`);
      expect(run.stderr).toContain('set API_KEY=');
      expect(run.stderr).toContain('HOST=127.0.0.1');
      expect(run.stdout).not.toContain('listening on');
    },
    30_000,
  );

  it('with API_KEY empty or only commas, still refuses a non-loopback HOST', async () => {
    const run = await runMain({ HOST: '0.0.0.0', API_KEY: ' , ', SQLITE_PATH: join(dir, 'r.db') });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('set API_KEY=');
  }, 30_000);

  it('with a RATE_LIMIT_PER_MINUTE that is not a whole number, exits 1 naming it', async () => {
    const run = await runMain({
      HOST: '127.0.0.1',
      RATE_LIMIT_PER_MINUTE: 'lots',
      SQLITE_PATH: join(dir, 'r.db'),
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Parley could not start: RATE_LIMIT_PER_MINUTE');
  }, 30_000);

  it('with API_KEY holding two keys, writes need one of them: none 401, another 403, either 201', async () => {
    const port = await aClosedPort();
    const url = `http://127.0.0.1:${port}`;
    const post = async (id: string, key?: string) =>
      (
        await fetch(`${url}/negotiations`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(key ? { authorization: `Bearer ${key}` } : {}),
          },
          body: JSON.stringify(negotiation({ id })),
        })
      ).status;

    const run = await runMain(
      {
        HOST: '127.0.0.1',
        PORT: String(port),
        SQLITE_PATH: join(dir, 'keyed.db'),
        SQLITE_CREATE: 'if-missing',
        API_KEY: 'first-key-0123456789, second-key-9876543210',
      },
      async () => ({
        none: await post('a'),
        other: await post('a', 'first-key-0123456789,second-key-9876543210'),
        first: await post('a', 'first-key-0123456789'),
        second: await post('b', 'second-key-9876543210'),
        read: (await fetch(`${url}/negotiations`)).status,
      }),
    );

    expect(run.answered).toEqual({ none: 401, other: 403, first: 201, second: 201, read: 200 });
    expect(run.code).toBe(0);
  }, 30_000);
});
