import type { ClientRequest, IncomingMessage } from 'node:http';
import { request } from 'node:http';
import { DocumentedAnswers } from './documented-answers';

export interface ServerSentEvent {
  type: string;
  id: string | undefined;
  data: any;
}

/**
 * A Server-Sent Events client over node's http, as a browser's EventSource reads a stream:
 * `event:`, `id:` and `data:` fields, blank line between events, `:` comments.
 */
export class SseClient {
  readonly events: ServerSentEvent[] = [];
  readonly comments: string[] = [];
  private buffer = '';
  private read = 0;
  private ended = false;
  private waiting: (() => void)[] = [];

  /** An event that is not as the served OpenAPI document says: reading any event then fails. */
  private undocumented: Error | undefined;

  private constructor(
    private readonly req: ClientRequest,
    readonly response: IncomingMessage,
    private readonly url: string,
    private readonly documented: DocumentedAnswers,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.receive(chunk));
    response.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const documented = await DocumentedAnswers.at(url);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { headers: { accept: 'text/event-stream', ...headers } },
        (response) => {
          const { pathname, search } = new URL(url);
          try {
            documented.checkStream({
              method: 'GET',
              url: pathname + search,
              status: response.statusCode ?? 0,
              contentType: String(response.headers['content-type'] ?? ''),
              headers: new Headers(response.headers as Record<string, string>),
            });
          } catch (error) {
            req.destroy();
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          resolve(new SseClient(req, response, pathname, documented));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  get contentType(): string {
    return String(this.response.headers['content-type'] ?? '');
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The next event not read yet (of `type`, skipping others), or an error after `timeoutMs`. */
  async next(type?: string, timeoutMs = 5000): Promise<ServerSentEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.undocumented) throw this.undocumented;
      while (this.read < this.events.length) {
        const event = this.events[this.read++]!;
        if (type === undefined || event.type === type) return event;
      }
      if (this.ended) throw new Error(`stream ended while waiting for ${type ?? 'an event'}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no ${type ?? 'event'} within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next `count` events of `type`, in the order they came. */
  async take(count: number, type: string, timeoutMs = 5000): Promise<ServerSentEvent[]> {
    const taken: ServerSentEvent[] = [];
    while (taken.length < count) taken.push(await this.next(type, timeoutMs));
    return taken;
  }

  /** Events of `type` not read yet, after waiting `ms` for any more to arrive. */
  async unreadAfter(ms: number, type: string): Promise<ServerSentEvent[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (this.undocumented) throw this.undocumented;
    return this.events.slice(this.read).filter((e) => e.type === type);
  }

  /** Resolves once the server has ended the stream. */
  async untilEnded(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('the stream did not end');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Hangs up, as a browser closing the page does. */
  close(): void {
    this.req.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.parse(block);
    }
    this.wake();
  }

  private parse(block: string): void {
    let type = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '') continue;
      if (line.startsWith(':')) {
        this.comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    const event = { type, id, data: JSON.parse(data.join('\n')) as unknown };
    try {
      this.documented.checkEvent(this.url, event);
    } catch (error) {
      this.undocumented ??= error as Error;
    }
    this.events.push(event);
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }
}
