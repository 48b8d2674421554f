import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SqliteEventStore } from '@parley/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../apps/api/src/app.factory';
import type { Clock } from '../../apps/api/src/clock';

export interface HttpAnswer<T = unknown> {
  status: number;
  contentType: string;
  body: T;
}

/** The real app on a real SQLite file, listening on a loopback port, driven over HTTP. */
export class RunningApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly baseUrl: string,
    readonly dbPath: string,
  ) {}

  static async start(options: { dbPath?: string; clock?: Clock } = {}): Promise<RunningApp> {
    const dbPath = options.dbPath ?? join(mkdtempSync(join(tmpdir(), 'parley-e2e-')), 'parley.db');
    const store = new SqliteEventStore({ path: dbPath });
    const app = await createApp({
      config: { port: 0, host: '127.0.0.1', store: { kind: 'sqlite', path: dbPath } },
      store,
      logger: ['error'],
      ...(options.clock ? { clock: options.clock } : {}),
    });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new RunningApp(app, `http://127.0.0.1:${port}`, dbPath);
  }

  async stop(): Promise<void> {
    await this.app.close();
  }

  /** Stops the app and deletes its store's folder. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(join(this.dbPath, '..'), { recursive: true, force: true });
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await fetch(this.baseUrl + path, init);
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    return { status: response.status, contentType, body: (text && contentType.includes('json') ? JSON.parse(text) : text) as T };
  }

  get<T = any>(path: string): Promise<HttpAnswer<T>> {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body: unknown, headers?: Record<string, string>): Promise<HttpAnswer<T>> {
    return this.request<T>('POST', path, body, headers);
  }
}
