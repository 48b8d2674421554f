import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

export interface ServerReport {
  port: number;
  pid: number;
  createMs: number;
  initMs: number;
  toListeningMs: number;
  processUptimeMs: number;
  rssMb: number;
  heapMb: number;
  rssAfterGcMb: number;
  /** From the app's own log line "caught up on N stored events in M ms". */
  catchUp?: { events: number; ms: number };
}

export interface BenchServer {
  report: ServerReport;
  /** The server's resident and heap memory now, in MB. */
  memory(): Promise<{ rssMb: number; heapMb: number }>;
  baseUrl: string;
  /** Node flags the server ran with. */
  stop(): Promise<void>;
  process: ChildProcess;
}

/**
 * Starts bench/server.ts on `dbPath` (or on the store `env` names) in a child process and waits
 * until it listens. The app's JSON log lines (one per request, as in production) go to a file
 * beside `dbPath`; the server reports its port and start-up figures over IPC.
 */
export function startServer(
  dbPath: string,
  // As `npm start` runs it: a larger young generation (fewer scavenges of per-request garbage).
  nodeFlags: string[] = ['--max-semi-space-size=32'],
  env: Record<string, string> = {},
): Promise<BenchServer> {
  const logPath = `${dbPath}.log`;
  const logFd = openSync(logPath, 'a');
  const child = spawn(
    process.execPath,
    // BENCH_SERVER_FLAGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the server.
    [
      ...nodeFlags,
      ...(process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []),
      '--expose-gc',
      '-r',
      join(ROOT, 'test/support/register-ts.js'),
      join(ROOT, 'bench/server.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        // The embedded store unless `env` names another, whatever the shell has.
        EVENT_STORE: 'sqlite',
        SQLITE_PATH: dbPath,
        SQLITE_CREATE: 'if-missing',
        NODE_ENV: 'production',
        // Issue 5's limit is per client address, and all the load comes from 127.0.0.1: off.
        RATE_LIMIT_PER_MINUTE: '0',
        // The benchmark's server is on loopback and open, whatever keys the shell has.
        API_KEY: '',
        READ_API_KEY: '',
        ...env,
      },
      stdio: ['ignore', logFd, 'pipe', 'ipc'],
    },
  );
  closeSync(logFd);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const onExit = (code: number | null): void =>
      reject(new Error(`bench server exited (${code}): ${err.slice(-2000)}`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      const report = message as ServerReport;
      void (async () => {
        // The catch-up log line may still be on its way to the file.
        for (let i = 0; i < 40 && !report.catchUp; i++) {
          const caught = /caught up on (\d+) stored events in (\d+) ms/.exec(
            readFileSync(logPath, 'utf8'),
          );
          if (caught) report.catchUp = { events: Number(caught[1]), ms: Number(caught[2]) };
          else await new Promise((r) => setTimeout(r, 50));
        }
        child.off('exit', onExit);
        resolve({
          report,
          baseUrl: `http://127.0.0.1:${report.port}`,
          process: child,
          memory: () =>
            new Promise((answer) => {
              const onMessage = (message: unknown): void => {
                const reply = message as { memory?: { rssMb: number; heapMb: number } };
                if (!reply.memory) return;
                child.off('message', onMessage);
                answer(reply.memory);
              };
              child.on('message', onMessage);
              child.send('memory');
            }),
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      })();
    });
  });
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One HTTP request on a keep-alive agent. */
export function send(
  agent: Agent,
  baseUrl: string,
  method: string,
  path: string,
  body?: string,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      baseUrl + path,
      {
        method,
        agent,
        headers:
          body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
