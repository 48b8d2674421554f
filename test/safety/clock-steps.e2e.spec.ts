import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { negotiation, tariffChanged } from '../support/requests';
import type { ApiProcess } from './api-process';
import { allEvents, call, kill, startApi } from './api-process';

/*
 * The real server as a child process whose system clock is set by libfaketime (Debian's faketime
 * package), through a file it reads on every call, so a test can set the clock back while the
 * server runs. The monotonic clock is left alone (FAKETIME_DONT_FAKE_MONOTONIC), as when someone
 * sets the system clock. Issue 18, finding 4: a clock step never changes the past, never freezes
 * a negotiation in the future, and is said in the log.
 */

/** Where Debian's libfaketime is, when the faketime package is installed. */
function libfaketime(): string | undefined {
  try {
    for (const dir of readdirSync('/usr/lib')) {
      const lib = join('/usr/lib', dir, 'faketime', 'libfaketime.so.1');
      if (existsSync(lib)) return lib;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

const LIB = libfaketime();
const describeWithFaketime = ((): jest.Describe => {
  if (LIB) return describe;
  process.stdout.write(
    'SKIPPED: clock steps under libfaketime (test/safety/clock-steps.e2e.spec.ts) — libfaketime is not installed (apt-get install faketime; .ci/run does it)\n',
  );
  return describe.skip;
})();

jest.setTimeout(120_000);

describeWithFaketime('clock steps, on the real server under libfaketime', () => {
  let dir: string;
  let file: string;
  let clockFile: string;
  let api: ApiProcess | undefined;

  /** Sets the system clock the server sees: an offset such as '+0', '-1h', '+365d'. */
  const setClock = (offset: string): void => writeFileSync(clockFile, `${offset}\n`);
  const faked = (): Record<string, string> => ({
    LD_PRELOAD: LIB!,
    FAKETIME_TIMESTAMP_FILE: clockFile,
    FAKETIME_NO_CACHE: '1',
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  });
  const start = async (offset?: string): Promise<ApiProcess> => {
    if (offset !== undefined) setClock(offset);
    api = await startApi(file, 3, offset === undefined ? {} : faked());
    return api;
  };
  const stop = async (): Promise<void> => {
    if (api) await kill(api, 'SIGTERM');
    api = undefined;
  };
  const record = (rate: number) =>
    call(api!.baseUrl, 'POST', '/negotiations/talks/events', tariffChanged({ rate }));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-clock-'));
    file = join(dir, 'parley.db');
    clockFile = join(dir, 'faketime');
  });

  afterEach(async () => {
    if (api) await kill(api, 'SIGKILL');
    api = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens `talks` and records one development on a server with the right clock; its recordedAt. */
  async function recordedBefore(): Promise<string> {
    await start();
    expect((await call(api!.baseUrl, 'POST', '/negotiations', negotiation())).status).toBe(201);
    const first = await record(10);
    expect(first.status).toBe(201);
    await stop();
    return first.body.recordedAt as string;
  }

  it('started an hour behind the store: a write is refused (503, Retry-After, said in the log), and what was known at the last recordedAt does not change', async () => {
    const last = await recordedBefore();
    await start('-1h');
    const knownThen = await call(
      api!.baseUrl,
      'GET',
      `/negotiations/talks/state?asOf=2025-12-31&knownAt=${last}`,
    );
    expect(knownThen.status).toBe(200);

    const response = await fetch(`${api!.baseUrl}/negotiations/talks/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tariffChanged({ rate: 99 })),
    });
    const refused = (await response.json()) as { type: string; detail: string };

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.type).toBe('/problems/store-unavailable');
    expect(refused.detail).toMatch(/clock .* is behind the time the last development of this negotiation was recorded/);
    expect(api!.output()).toMatch(/RecordingClock.*latest recordedAt.*ahead of the system clock/);
    expect((await allEvents(api!.baseUrl, 'talks')).map((e) => e.recordedAt)).toEqual([
      expect.any(String),
      last,
    ]);
    const knownNow = await call(
      api!.baseUrl,
      'GET',
      `/negotiations/talks/state?asOf=2025-12-31&knownAt=${last}`,
    );
    expect(knownNow.body).toEqual(knownThen.body);
  });

  it('started 30 s behind the store: recording goes on strictly after the last recordedAt, and the log says so', async () => {
    const last = await recordedBefore();
    await start('-30s');

    const next = await record(20);

    expect(next.status).toBe(201);
    expect(next.body.recordedAt > last).toBe(true);
    expect(api!.output()).toMatch(/RecordingClock.*system clock is \d+\.\d+ s behind/);
  });

  it('the clock set back an hour while the server runs: the next development is stamped later than the last, as time went on', async () => {
    await start('+0');
    expect((await call(api!.baseUrl, 'POST', '/negotiations', negotiation())).status).toBe(201);
    const first = await record(10);
    expect(first.status).toBe(201);

    setClock('-1h');
    await new Promise((r) => setTimeout(r, 50));
    const second = await record(20);

    expect(second.status).toBe(201);
    expect(second.body.recordedAt > first.body.recordedAt).toBe(true);
    // Counted on from the start-up anchor, not from the clock set back: about now.
    expect(Math.abs(Date.parse(second.body.recordedAt) - Date.now())).toBeLessThan(5_000);
    expect(api!.output()).toMatch(/RecordingClock.*system clock was set back by 3\d{3}\.\d+ s/);
  });

  it('after a start with the clock a year ahead: that negotiation is not stamped in the future again (503, logged at start-up), and others record as before', async () => {
    await start('+365d');
    expect((await call(api!.baseUrl, 'POST', '/negotiations', negotiation())).status).toBe(201);
    const future = await record(10);
    expect(future.status).toBe(201);
    await stop();

    await start();
    expect(api!.output()).toMatch(
      /RecordingClock.*latest recordedAt in negotiation talks.*ahead of the system clock/,
    );
    const refused = await record(20);
    expect(refused.status).toBe(503);
    expect(refused.body.type).toBe('/problems/store-unavailable');
    expect(refused.body.detail).toMatch(/clock .* is behind/);
    expect((await allEvents(api!.baseUrl, 'talks')).length).toBe(2);

    const opened = await call(
      api!.baseUrl,
      'POST',
      '/negotiations',
      negotiation({ id: 'present' }),
    );
    expect(opened.status).toBe(201);
    const now = new Date().toISOString();
    const known = await call(
      api!.baseUrl,
      'GET',
      `/negotiations/present/state?asOf=2025-12-31&knownAt=${now}`,
    );
    expect(known.status).toBe(200);
  });
});
