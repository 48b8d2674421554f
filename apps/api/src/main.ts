import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { RecordingClock, createEventStore } from '@parley/event-store';
import { NegotiationReadModel } from '@parley/projections';
import { createApp } from './app.factory';
import { anchorToStored } from './clock';
import { configFromEnv } from './config';

async function main(): Promise<void> {
  const config = configFromEnv();
  // Faults of the store's file and disk are told here, once per episode (then through the app's logger).
  // What the clock finds (a system clock behind the store, or set while running) is an error to see.
  const clockLogger = new Logger('RecordingClock');
  const clock = new RecordingClock({ log: (message) => clockLogger.error(message) });
  const store = await createEventStore(config.store, { log: new Logger('EventStore'), clock });
  const app = await createApp({ config, store });
  await app.init(); // catches the read model up on the store
  anchorToStored(clock, app.get(NegotiationReadModel));
  await app.listen(config.port, config.host);
  const logger = new Logger('Parley');
  logger.log(`listening on http://${config.host}:${config.port} (store: ${config.store.kind})`);
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
