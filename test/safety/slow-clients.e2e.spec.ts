import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { negotiation, tariffChanged } from '../support/requests';
import type { ApiProcess } from './api-process';
import { call, kill, startApi } from './api-process';
import { RunningApp } from '../support/running-app';

/*
 * Clients that send slowly or ask without reading cost the server a bounded amount of memory and
 * time (README.md, "Operating Parley safely"): the real server as a child process on loopback,
 * with probes bounded in count and time.
 */

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The resident memory of a process, in MB (Linux). */
function rssMb(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with the time a socket took to be closed by the server, or -1 if still open after `ms`. */
function closedWithin(socket: Socket, ms: number): Promise<number> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(0);
    const timer = setTimeout(() => resolve(-1), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - t0);
    });
  });
}

/** /health on a new connection: its status and how long it took (-1, -1 when not answered in `ms`). */
async function health(baseUrl: string, ms: number): Promise<{ status: number; took: number }> {
  const t0 = Date.now();
  try {
    const answer = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(ms) });
    await answer.text();
    return { status: answer.status, took: Date.now() - t0 };
  } catch {
    return { status: -1, took: -1 };
  }
}

const portOf = (baseUrl: string): number => Number(new URL(baseUrl).port);

/** The clients following a /live stream, as /metrics counts them. */
async function liveClients(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return Number(/^parley_live_clients (\d+)/m.exec(text)?.[1] ?? -1);
}

describe('clients that ask without reading, or send slowly', () => {
  let dir: string;
  let api: ApiProcess | undefined;
  const sockets: Socket[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-slow-'));
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    if (api) await kill(api, 'SIGKILL');
    api = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string> = {}): Promise<ApiProcess> =>
    (api = await startApi({
      EVENT_STORE: 'sqlite',
      SQLITE_PATH: join(dir, 'parley.db'),
      SQLITE_CREATE: 'if-missing',
      ...env,
    }));

  it('120 connections each pipelining 20 pages of 1,000 developments and never reading: memory stays bounded and /health answers', async () => {
    const server = await start();
    expect((await call(server.baseUrl, 'POST', '/negotiations', negotiation())).status).toBe(201);
    const events = Array.from({ length: 1000 }, (_, k) =>
      tariffChanged(
        { measure: `line-${k}`, rate: k % 300 },
        { summary: `A development long enough to weigh what a real one does. ${'x'.repeat(300)}` },
      ),
    );
    expect(
      (await call(server.baseUrl, 'POST', '/negotiations/talks/events/batch', { events })).status,
    ).toBe(201);
    const page = await fetch(`${server.baseUrl}/negotiations/talks/events?limit=1000`);
    const pageBytes = (await page.arrayBuffer()).byteLength;
    expect(pageBytes).toBeGreaterThan(700_000);

    const before = rssMb(server.child.pid!);
    const request =
      'GET /negotiations/talks/events?limit=1000 HTTP/1.1\r\nHost: parley\r\n\r\n'.repeat(20);
    for (let i = 0; i < 120; i++) {
      const socket = await open(portOf(server.baseUrl));
      socket.on('error', () => undefined);
      socket.pause(); // never reads
      socket.write(request);
      sockets.push(socket);
    }
    // What the requests asked for: 120 x 20 x ~0.8 MB, about 1.9 GB if it were all queued.
    let peak = before;
    const probes: { status: number; took: number }[] = [];
    // Before answers were held back, this grew about 25 MB a second (340 MB at 12 s); now about
    // 120 MB: at most one unread answer per connection, 64 MiB (MAX_QUEUED_BYTES) in all, the
    // rest of the requests 503, and the garbage of computing them.
    for (let t = 0; t < 12; t++) {
      await sleep(1_000);
      peak = Math.max(peak, rssMb(server.child.pid!));
      probes.push(await health(server.baseUrl, 5_000));
      if (peak - before > 600) break; // unbounded: stop before the machine suffers
    }

    expect(Math.round(peak - before)).toBeLessThan(200);
    expect(probes.every((p) => p.status === 200 && p.took < 2_000)).toBe(true);
    for (const socket of sockets.splice(0)) socket.destroy();
    expect((await health(server.baseUrl, 5_000)).status).toBe(200);
  });

  it('MAX_PIPELINED_REQUESTS may wait on one connection: the next is 503 and the connection closes', async () => {
    const server = await start();
    const port = portOf(server.baseUrl);

    const pipelined = await open(port);
    const chunks: Buffer[] = [];
    pipelined.on('data', (chunk: Buffer) => chunks.push(chunk));
    sockets.push(pipelined);
    pipelined.write('GET /negotiations HTTP/1.1\r\nHost: parley\r\n\r\n'.repeat(12));
    expect(await closedWithin(pipelined, 10_000)).toBeGreaterThanOrEqual(0);
    const statuses = [
      ...Buffer.concat(chunks)
        .toString('latin1')
        .matchAll(/HTTP\/1\.1 (\d{3}) /g),
    ].map((m) => Number(m[1]));
    expect(statuses).toEqual([...Array(8).fill(200), 503]);
  });

  it('40 /live followers that never read are dropped once 1 Mi characters of events wait for each, and cost little memory meanwhile', async () => {
    const server = await start();
    expect((await call(server.baseUrl, 'POST', '/negotiations', negotiation())).status).toBe(201);
    const followers: Socket[] = [];
    for (let i = 0; i < 40; i++) {
      const socket = await open(portOf(server.baseUrl));
      socket.on('error', () => undefined);
      socket.write(
        'GET /negotiations/talks/live HTTP/1.1\r\nHost: parley\r\nAccept: text/event-stream\r\n\r\n',
      );
      followers.push(socket);
    }
    sockets.push(...followers);
    await sleep(500);
    for (const socket of followers) socket.pause(); // never reads again
    expect(await liveClients(server.baseUrl)).toBe(40);
    const before = rssMb(server.child.pid!);
    let peak = before;
    // About 6 MB of events for each follower: more than its socket's buffers and the 1 Mi cap.
    for (let batch = 0; batch < 6; batch++) {
      const events = Array.from({ length: 1000 }, (_, k) =>
        tariffChanged({ measure: `line-${batch}-${k}` }, { summary: 'x'.repeat(450) }),
      );
      const posted = await call(server.baseUrl, 'POST', '/negotiations/talks/events/batch', {
        events,
      });
      expect(posted.status).toBe(201);
      peak = Math.max(peak, rssMb(server.child.pid!));
    }
    // A paused client does not see its connection closed (it reads nothing): the server counts.
    let following = await liveClients(server.baseUrl);
    for (let t = 0; t < 20 && following > 0; t++) {
      await sleep(500);
      following = await liveClients(server.baseUrl);
    }
    peak = Math.max(peak, rssMb(server.child.pid!));

    expect(following).toBe(0);
    expect(Math.round(peak - before)).toBeLessThan(150);
    expect((await health(server.baseUrl, 5_000)).status).toBe(200);
  });

  it('connections sending their request a byte at a time are closed past REQUEST_TIMEOUT_MS and HEADERS_TIMEOUT_MS', async () => {
    const server = await start({ REQUEST_TIMEOUT_MS: '2000', HEADERS_TIMEOUT_MS: '1000' });
    const port = portOf(server.baseUrl);
    const body = JSON.stringify(negotiation());
    const slowBodies: Socket[] = [];
    const slowHeads: Socket[] = [];
    for (let i = 0; i < 100; i++) {
      const socket = await open(port);
      socket.on('error', () => undefined);
      socket.resume(); // reads what the server answers (a 408) and sees it close
      socket.write(
        `POST /negotiations HTTP/1.1\r\nHost: parley\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      slowBodies.push(socket);
      const head = await open(port);
      head.on('error', () => undefined);
      head.resume();
      head.write('GET /negotiations HTTP/1.1\r\n');
      slowHeads.push(head);
    }
    sockets.push(...slowBodies, ...slowHeads);
    let sent = 0;
    const trickle = setInterval(() => {
      for (const socket of slowBodies)
        if (!socket.destroyed) socket.write(body[sent % body.length]!);
      for (const socket of slowHeads) if (!socket.destroyed) socket.write('X');
      sent++;
    }, 250);
    try {
      const bodies = await Promise.all(slowBodies.map((s) => closedWithin(s, 6_000)));
      const heads = await Promise.all(slowHeads.map((s) => closedWithin(s, 6_000)));
      expect(bodies.filter((took) => took < 0)).toHaveLength(0);
      expect(heads.filter((took) => took < 0)).toHaveLength(0);
    } finally {
      clearInterval(trickle);
    }
    expect((await health(server.baseUrl, 5_000)).status).toBe(200);
    expect((await call(server.baseUrl, 'GET', '/negotiations')).body).toEqual([]);
  });

  it('SIGTERM with a client still sending its body: exits 0 within SHUTDOWN_DRAIN_MS', async () => {
    const server = await start({ SHUTDOWN_DRAIN_MS: '1500' });
    const socket = await open(portOf(server.baseUrl));
    socket.on('error', () => undefined);
    socket.resume();
    sockets.push(socket);
    socket.write(
      'POST /negotiations HTTP/1.1\r\nHost: parley\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    const trickle = setInterval(() => socket.destroyed || socket.write(' '), 200);
    try {
      await sleep(500);
      const t0 = Date.now();
      const stopping = kill(server, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([
        stopping,
        new Promise((resolve) => (timer = setTimeout(() => resolve('still running'), 10_000))),
      ]);
      clearTimeout(timer);
      const took = Date.now() - t0;

      expect(exit).toEqual({ code: 0, signal: null });
      expect(took).toBeLessThan(5_000);
      expect(server.output()).toMatch(/1 connection\(s\) still open after 1500 ms/);
    } finally {
      clearInterval(trickle);
    }
  });
});

describe('the HTTP server by default', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await RunningApp.start();
  });

  afterAll(() => app.destroy());

  it('times out requests (30 s), request heads (10 s), idle sockets (60 s) and idle keep-alive (72 s)', () => {
    const server = app.app.getHttpServer();
    expect({
      requestTimeout: server.requestTimeout,
      headersTimeout: server.headersTimeout,
      timeout: server.timeout,
      keepAliveTimeout: server.keepAliveTimeout,
    }).toEqual({
      requestTimeout: 30_000,
      headersTimeout: 10_000,
      timeout: 60_000,
      keepAliveTimeout: 72_000,
    });
  });
});
