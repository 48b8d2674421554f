import { isAbsolute, resolve } from 'node:path';

export type StoreKind = 'sqlite' | 'eventstoredb';

/** Parley's configuration, from the environment (see README.md, "Configuration"). */
export interface ParleyConfig {
  port: number;
  host: string;
  store: { kind: 'sqlite'; path: string } | { kind: 'eventstoredb'; connectionString: string };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ParleyConfig {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number (0-65535), got "${env.PORT}"`);
  }
  const host = env.HOST ?? '127.0.0.1';
  const kind = env.EVENT_STORE ?? 'sqlite';
  if (kind === 'sqlite') {
    const path = env.SQLITE_PATH ?? './data/parley.db';
    return {
      port,
      host,
      store: { kind, path: path === ':memory:' || isAbsolute(path) ? path : resolve(path) },
    };
  }
  if (kind === 'eventstoredb') {
    const connectionString = env.EVENTSTORE_CONNECTION_STRING ?? 'esdb://localhost:2113?tls=false';
    return { port, host, store: { kind, connectionString } };
  }
  throw new ConfigError(`EVENT_STORE must be "sqlite" or "eventstoredb", got "${kind}"`);
}
