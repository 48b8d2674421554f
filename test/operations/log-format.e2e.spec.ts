import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ConfigError, configFromEnv, logFormatFor } from '../../apps/api/src/config';
import { aClosedPort } from '../support/eventstoredb-node';
import { checkedFetch as fetch } from '../support/documented-answers';

/*
 * The real entry point (apps/api/src/main.ts) as a child process whose stdout is a pipe, not a
 * terminal: what its log looks like with LOG_FORMAT=pretty, and without LOG_FORMAT (JSON lines).
 */

const ROOT = resolve(__dirname, '../..');

/**
 * Runs the server, asks for one page and one unknown negotiation, stops it; returns its stdout
 * lines (read from the first byte: a helper keeping only a tail would cut the first lines).
 */
async function logOf(dir: string, name: string, env: Record<string, string>): Promise<string[]> {
  const child = spawn(
    process.execPath,
    ['-r', './test/support/register-ts.js', 'apps/api/src/main.ts'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: String(await aClosedPort()),
        SQLITE_PATH: join(dir, `${name}.db`),
        SQLITE_CREATE: 'if-missing',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  try {
    const baseUrl = await new Promise<string>((done, fail) => {
      child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += String(chunk);
        const address = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (address?.[1]) done(address[1]);
      });
      void exited.then(() => fail(new Error(`the API did not start:\n${stdout}${stderr}`)));
    });
    expect((await fetch(`${baseUrl}/negotiations`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/negotiations/nowhere`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/negotiations?api_key=s3cret`)).status).toBe(400);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    return stdout.split('\n').filter((line) => line.length > 0);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

describe('the log of the running server', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-log-format-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given LOG_FORMAT=pretty, writes one readable line per event: UTC time, level, context, the address to open, each answered request', async () => {
    const lines = await logOf(dir, 'pretty', { LOG_FORMAT: 'pretty' });

    const time = String.raw`\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z\]`;
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          String.raw`^${time} INFO: \[Parley\] listening on http://127\.0\.0\.1:(\d+) \(store: sqlite\); open http://127\.0\.0\.1:\d+/ for the timeline page$`,
        ),
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(String.raw`^${time} INFO: \[EventStore\] no event store at .*: creating`),
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(String.raw`^${time} INFO: GET /negotiations 200 in \d+ ms$`),
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(String.raw`^${time} WARN: GET /negotiations/nowhere 404 in \d+ ms$`),
      ),
    );
    // A credential in a URL is redacted in a readable line as in a JSON one.
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          String.raw`^${time} WARN: GET /negotiations\?api_key=\[REDACTED\] 400 in \d+ ms$`,
        ),
      ),
    );
    expect(lines.join('\n')).not.toContain('s3cret');
    expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
  }, 60_000);

  it('given no LOG_FORMAT and an output that is not a terminal, writes JSON lines only, from the first', async () => {
    const lines = await logOf(dir, 'json', {});

    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ name: 'parley', context: 'EventStore', level: 30 });
    expect(parsed).toContainEqual(
      expect.objectContaining({
        context: 'Parley',
        msg: expect.stringMatching(/^listening on http:\/\/127\.0\.0\.1:\d+ .*open http:/),
      }),
    );
    expect(parsed).toContainEqual(
      expect.objectContaining({
        msg: 'request completed',
        req: expect.objectContaining({ method: 'GET', url: '/negotiations' }),
        res: { statusCode: 200 },
      }),
    );
    for (const line of parsed) expect(typeof line.time).toBe('string');
    expect(lines.join('\n')).not.toContain('s3cret');
  }, 60_000);

  it('reads LOG_FORMAT as json or pretty, refuses any other value at start, and when unset is pretty only on a terminal', () => {
    expect(configFromEnv({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(configFromEnv({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => configFromEnv({ LOG_FORMAT: 'text' })).toThrow(ConfigError);
    expect(() => configFromEnv({ LOG_FORMAT: 'text' })).toThrow(
      'LOG_FORMAT must be "json" or "pretty"',
    );
    expect(logFormatFor(configFromEnv({}), true)).toBe('pretty');
    expect(logFormatFor(configFromEnv({}), false)).toBe('json');
    expect(logFormatFor(configFromEnv({ LOG_FORMAT: 'json' }), true)).toBe('json');
    expect(logFormatFor(configFromEnv({ LOG_FORMAT: 'pretty' }), false)).toBe('pretty');
  });
});
