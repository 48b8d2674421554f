/**
 * The real app for the benchmark, in its own process (so that the load generator does not share
 * its event loop): opens the SQLite file given in SQLITE_PATH (or, with EVENT_STORE=postgres, the
 * database at DATABASE_URL, as npm start does), catches up, listens on a loopback port, and sends
 * its parent (IPC) the port, the start-up timings and memory.
 * Started by bench/main.ts with `node -r ./test/support/register-ts.js bench/server.ts`.
 */
import 'reflect-metadata';
import type { LogLevel } from '@nestjs/common';
import { createEventStore } from '@parley/event-store';
import { createApp } from '../apps/api/src/app.factory';
import { configFromEnv } from '../apps/api/src/config';

async function main(): Promise<void> {
  const started = performance.now();
  // The app's own configuration from the environment, as main.ts reads it (the parent sets
  // RATE_LIMIT_PER_MINUTE=0: every load-generator client shares one loopback address).
  const config = configFromEnv({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    EVENT_STORE: process.env.EVENT_STORE ?? 'sqlite',
  });
  if (config.store.kind === 'sqlite' && !process.env.SQLITE_PATH)
    throw new Error('SQLITE_PATH is required');
  const store = await createEventStore(config.store);
  const app = await createApp({
    config,
    store,
    logger: (process.env.BENCH_LOG_LEVELS ?? 'error,warn,log').split(',') as LogLevel[],
  });
  const created = performance.now();
  await app.init();
  const initialised = performance.now();
  await app.listen(0, '127.0.0.1');
  const listening = performance.now();
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  (globalThis as { gc?: () => void }).gc?.();
  const rssAfterGcMb = process.memoryUsage().rss / 2 ** 20;
  const report = {
    port,
    pid: process.pid,
    createMs: created - started,
    initMs: initialised - created,
    toListeningMs: listening - started,
    processUptimeMs: process.uptime() * 1000,
    rssMb,
    heapMb,
    rssAfterGcMb,
  };
  process.send?.(report);
  // The parent may ask for the memory in use later (after queries have built snapshots).
  process.on('message', (message) => {
    if (message === 'memory')
      process.send?.({
        memory: {
          rssMb: process.memoryUsage().rss / 2 ** 20,
          heapMb: process.memoryUsage().heapUsed / 2 ** 20,
        },
      });
  });
  const stop = (): void => {
    void app.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
