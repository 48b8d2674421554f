import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { RecordingClock, createEventStore } from '@parley/event-store';
import { NegotiationReadModel } from '@parley/projections';
import { createApp } from './app.factory';
import { anchorToStored } from './clock';
import { configFromEnv, logFormatFor } from './config';
import { prettyLogStream, startupLogger } from './operations/logging';

/** The address a person opens in a browser: a wildcard host is reached on this machine's loopback. */
function pageAddress(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '::') return `http://127.0.0.1:${port}/`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
}

async function main(): Promise<void> {
  const config = configFromEnv();
  // Readable lines for a person at a terminal, JSON lines for a collector (LOG_FORMAT decides).
  const logDestination =
    logFormatFor(config, process.stdout.isTTY === true) === 'pretty'
      ? prettyLogStream({ colorize: process.stdout.isTTY === true })
      : undefined;
  Logger.overrideLogger(startupLogger(logDestination)); // until the app's own logger takes over
  // Faults of the store's file and disk are told here, once per episode (then through the app's logger).
  // What the clock finds (a system clock behind the store, or set while running) is an error to see.
  const clockLogger = new Logger('RecordingClock');
  const clock = new RecordingClock({ log: (message) => clockLogger.error(message) });
  const store = await createEventStore(config.store, { log: new Logger('EventStore'), clock });
  const app = await createApp({ config, store, ...(logDestination ? { logDestination } : {}) });
  await app.init(); // catches the read model up on the store
  anchorToStored(clock, app.get(NegotiationReadModel));
  await app.listen(config.port, config.host);
  const logger = new Logger('Parley');
  logger.log(
    `listening on http://${config.host}:${config.port} (store: ${config.store.kind}); ` +
      `open ${pageAddress(config.host, config.port)} for the timeline page`,
  );
  // Graceful stop: requests in flight are answered, the store is closed, the exit code is 0.
  const stop = (signal: NodeJS.Signals): void => {
    logger.log(`${signal}: finishing the requests in flight, then closing the store`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(
          `Parley could not stop cleanly: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(
    `Parley could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
