import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createEventStore } from '@parley/event-store';
import { createApp } from './app.factory';
import { configFromEnv } from './config';

async function main(): Promise<void> {
  const config = configFromEnv();
  const store = await createEventStore(config.store);
  const app = await createApp({ config, store });
  await app.listen(config.port, config.host);
  new Logger('Parley').log(
    `listening on http://${config.host}:${config.port} (store: ${config.store.kind})`,
  );
}

main().catch((error: unknown) => {
  console.error(
    `Parley could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
