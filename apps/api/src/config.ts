import { isAbsolute, resolve } from 'node:path';
import type { HttpLimits } from './http/http-limits';
import { httpLimitsFromEnv } from './http/http-limits';

export type StoreKind = 'sqlite' | 'eventstoredb' | 'postgres';

/** Parley's configuration, from the environment (see README.md, "Configuration"). */
export interface ParleyConfig {
  port: number;
  host: string;
  store:
    | { kind: 'sqlite'; path: string; create?: 'never' | 'if-missing' }
    | { kind: 'eventstoredb'; connectionString: string }
    | { kind: 'postgres'; connectionString: string };
  /** Who may do what (README "Operating Parley safely"); open when unset. */
  access?: AccessConfig;
  /** Requests per minute per client address; 0 or unset: no limit. */
  rateLimitPerMinute?: number;
  /** Refused API keys per minute per client address before it may present none (0: no limit). */
  refusedKeysPerMinute?: number;
  /** Origins allowed to call the API from a browser; CORS is off when empty or unset. */
  corsOrigins?: string[];
  /**
   * Origins whose pages may show the embeddable chart (`/embed/…`) in a frame, as CSP
   * `frame-ancestors` sources; `['*']` (any origin) when unset. Every other route forbids framing.
   */
  embedOrigins?: string[];
  /** Timeouts and the bytes of unread answers a client may hold; DEFAULT_HTTP_LIMITS when unset. */
  http?: HttpLimits;
  /**
   * How log lines are written: `json` (one JSON object a line), `pretty` (for people at a
   * terminal). Unset: pretty when stdout is a terminal, JSON otherwise (see `logFormatFor`).
   */
  logFormat?: LogFormat;
}

export type LogFormat = 'json' | 'pretty';

/** The log format asked for, else pretty for a person at a terminal and JSON for everything else. */
export function logFormatFor(
  config: Pick<ParleyConfig, 'logFormat'>,
  isTerminal: boolean,
): LogFormat {
  return config.logFormat ?? (isTerminal ? 'pretty' : 'json');
}

export interface AccessConfig {
  /** Bearer keys that may write (and read). Empty: writes are open. */
  writeKeys: string[];
  /** Bearer keys that may read. Empty: reads are open. */
  readKeys: string[];
}

/** Refused keys a client address may send in a minute: enough for typos, too few for guessing. */
export const DEFAULT_REFUSED_KEYS_PER_MINUTE = 10;

/** The default rate limit: generous for people and scripts, a brake on a runaway client. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 6000;

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** Loopback addresses, where only this machine can reach the API. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * An origin a frame may be in, as a CSP source: `*`, or http(s)://host[:port], the host possibly
 * `*.`-prefixed (any subdomain). Nothing else: a path, a quote or `;` would change the policy.
 */
const EMBED_ORIGIN =
  /^(\*|https?:\/\/(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+(:(\d{1,5}|\*))?|https?:\/\/\[[0-9a-f:.]+\](:\d{1,5})?)$/i;

/** EMBED_ORIGINS: any origin when unset or empty; else each entry must be an origin (lower-cased). */
export function embedOriginsFrom(value: string | undefined): string[] {
  const origins = list(value).map((origin) => origin.replace(/\/$/, '').toLowerCase());
  if (origins.length === 0) return ['*'];
  const wrong = origins.filter((origin) => !EMBED_ORIGIN.test(origin));
  if (wrong.length > 0) {
    throw new ConfigError(
      `EMBED_ORIGINS must be origins such as https://news.example or https://*.news.example (scheme, host, optional port; comma-separated), or * for any; not ${wrong.map((w) => `"${w}"`).join(', ')}`,
    );
  }
  return origins.includes('*') ? ['*'] : origins;
}

const isLogFormat = (value: string): value is LogFormat => value === 'json' || value === 'pretty';

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ParleyConfig {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number (0-65535), got "${env.PORT}"`);
  }
  const host = env.HOST ?? '127.0.0.1';
  const access: AccessConfig = { writeKeys: list(env.API_KEY), readKeys: list(env.READ_API_KEY) };
  if (!isLoopback(host) && access.writeKeys.length === 0) {
    throw new ConfigError(
      `HOST=${host} lets other machines reach Parley, so writes must need a key: set API_KEY=<a long random secret> ` +
        '(several, comma-separated, to rotate them), or bind to HOST=127.0.0.1',
    );
  }
  const rateLimitPerMinute = Number(env.RATE_LIMIT_PER_MINUTE ?? DEFAULT_RATE_LIMIT_PER_MINUTE);
  if (!Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 0) {
    throw new ConfigError(
      `RATE_LIMIT_PER_MINUTE must be a whole number (0 turns the limit off), got "${env.RATE_LIMIT_PER_MINUTE}"`,
    );
  }
  const refusedKeysPerMinute = Number(
    env.REFUSED_KEYS_PER_MINUTE ?? DEFAULT_REFUSED_KEYS_PER_MINUTE,
  );
  if (!Number.isInteger(refusedKeysPerMinute) || refusedKeysPerMinute < 0) {
    throw new ConfigError(
      `REFUSED_KEYS_PER_MINUTE must be a whole number (0 turns the limit off), got "${env.REFUSED_KEYS_PER_MINUTE}"`,
    );
  }
  const logFormat = env.LOG_FORMAT;
  if (logFormat !== undefined && !isLogFormat(logFormat)) {
    throw new ConfigError(
      `LOG_FORMAT must be "json" or "pretty" (unset: pretty on a terminal, JSON otherwise), got "${logFormat}"`,
    );
  }
  const problems: string[] = [];
  const http = httpLimitsFromEnv(env, problems);
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  const common = {
    port,
    host,
    access,
    rateLimitPerMinute,
    refusedKeysPerMinute,
    corsOrigins: list(env.CORS_ORIGINS),
    embedOrigins: embedOriginsFrom(env.EMBED_ORIGINS),
    http,
    ...(logFormat === undefined ? {} : { logFormat }),
  };
  const kind = env.EVENT_STORE ?? 'sqlite';
  if (kind === 'sqlite') {
    const path = env.SQLITE_PATH ?? './data/parley.db';
    // A fresh clone just works: the default file is created when absent. A path someone chose
    // must lead to a store, unless they ask for a new one (a mistyped or lost path is not an
    // empty store).
    const create = env.SQLITE_CREATE ?? (env.SQLITE_PATH === undefined ? 'if-missing' : 'never');
    if (create !== 'if-missing' && create !== 'never') {
      throw new ConfigError(`SQLITE_CREATE must be "if-missing" or "never", got "${create}"`);
    }
    return {
      ...common,
      store: {
        kind,
        path: path === ':memory:' || isAbsolute(path) ? path : resolve(path),
        create,
      },
    };
  }
  if (kind === 'eventstoredb') {
    const connectionString = env.EVENTSTORE_CONNECTION_STRING ?? 'esdb://localhost:2113?tls=false';
    return { ...common, store: { kind, connectionString } };
  }
  if (kind === 'postgres') {
    // No default: libpq's own (a local socket, the OS user's name) would rarely be the database meant.
    const connectionString = env.DATABASE_URL;
    if (!connectionString) {
      throw new ConfigError(
        'EVENT_STORE=postgres needs DATABASE_URL, a libpq connection string such as postgres://parley:<password>@localhost:5432/parley',
      );
    }
    return { ...common, store: { kind, connectionString } };
  }
  throw new ConfigError(
    `EVENT_STORE must be "sqlite", "eventstoredb" or "postgres", got "${kind}"`,
  );
}
