import type { LogLevel } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EventStore } from '@parley/event-store';
import { SqliteEventStore } from '@parley/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../apps/api/src/app.factory';
import type { Clock } from '../../apps/api/src/clock';
import type { ParleyConfig } from '../../apps/api/src/config';
import { DocumentedAnswers } from './documented-answers';

export interface HttpAnswer<T = unknown> {
  status: number;
  contentType: string;
  body: T;
  headers: Headers;
}

export interface StartOptions {
  /** The SQLite file to run on; a fresh one in a temporary folder when neither this nor `store` is given. */
  dbPath?: string;
  /**
   * An opened store to run on instead of a SQLite file, with the configuration it stands for
   * (see apps/api/src/config.ts). The app closes it when it stops.
   */
  store?: { store: EventStore; config: ParleyConfig['store'] };
  clock?: Clock;
  /** API keys, rate limit and CORS origins, as configFromEnv would read them; open and unlimited when unset. */
  security?: Pick<
    ParleyConfig,
    'access' | 'rateLimitPerMinute' | 'refusedKeysPerMinute' | 'corsOrigins' | 'embedOrigins'
  >;
  /** Nest log levels; errors only when unset, false for none (a test that provokes 5xx on purpose). */
  logger?: LogLevel[] | false;
}

/**
 * The real app, listening on a loopback port, driven over HTTP: on a real SQLite file, or on a
 * store given to start() (test/support/apps-on-store.ts starts it on EventStoreDB).
 */
export class RunningApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly baseUrl: string,
    private readonly sqlitePath: string | undefined,
    /** The served OpenAPI document: every answer `request` receives is checked against it. */
    readonly documented: DocumentedAnswers,
  ) {}

  static async start(options: StartOptions = {}): Promise<RunningApp> {
    let opened: { store: EventStore; config: ParleyConfig['store'] };
    let sqlitePath: string | undefined;
    if (options.store) {
      opened = options.store;
    } else {
      sqlitePath = options.dbPath ?? join(mkdtempSync(join(tmpdir(), 'parley-e2e-')), 'parley.db');
      opened = {
        store: new SqliteEventStore({ path: sqlitePath }),
        config: { kind: 'sqlite', path: sqlitePath },
      };
    }
    const app = await createApp({
      config: { port: 0, host: '127.0.0.1', store: opened.config, ...options.security },
      store: opened.store,
      logger: options.logger ?? ['error'],
      ...(options.clock ? { clock: options.clock } : {}),
    });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const baseUrl = `http://127.0.0.1:${port}`;
    return new RunningApp(app, baseUrl, sqlitePath, await DocumentedAnswers.of(baseUrl));
  }

  /** The SQLite file the app runs on (start another app on it to restart, or for a second instance). */
  get dbPath(): string {
    if (this.sqlitePath === undefined) throw new Error('this app does not run on a SQLite file');
    return this.sqlitePath;
  }

  async stop(): Promise<void> {
    await this.app.close();
  }

  /** Stops the app and deletes its SQLite file's folder (a store given to start() is only closed). */
  async destroy(): Promise<void> {
    await this.stop();
    if (this.sqlitePath !== undefined) {
      rmSync(join(this.sqlitePath, '..'), { recursive: true, force: true });
    }
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await fetch(this.baseUrl + path, init);
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    this.documented.check({
      method,
      url: path,
      status: response.status,
      contentType,
      text,
      headers: response.headers,
    });
    return {
      status: response.status,
      contentType,
      body: (text && contentType.includes('json') ? JSON.parse(text) : text) as T,
      headers: response.headers,
    };
  }

  get<T = any>(path: string): Promise<HttpAnswer<T>> {
    return this.request<T>('GET', path);
  }

  post<T = any>(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer<T>> {
    return this.request<T>('POST', path, body, headers);
  }
}
