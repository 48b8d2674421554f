import { CORS_EXPOSED_HEADERS } from '../../apps/api/src/app.factory';
import { negotiation } from '../support/requests';
import { RunningApp } from '../support/running-app';
import { SseClient } from '../support/sse-client';

/** The value of one sample of the Prometheus text format (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (wanted.every((pair) => have.includes(pair))) return Number(match[3]);
  }
  return 0;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('HTTP: rate limiting answers', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await RunningApp.start({ security: { rateLimitPerMinute: 3 } });
  });

  afterAll(() => app.destroy());

  it('given a client over its limit, answers 429 problem+json of type rate-limited, with Retry-After and no class name', async () => {
    let answer = await app.get('/negotiations');
    for (let i = 0; i < 5 && answer.status !== 429; i++) answer = await app.get('/negotiations');
    expect(answer.status).toBe(429);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ type: '/problems/rate-limited', status: 429, title: 'Too many requests' });
    expect(answer.body.type).toMatch(/\/problems\/rate-limited$/);
    expect(answer.body.detail).toContain('3 requests');
    expect(JSON.stringify(answer.body)).not.toMatch(/Exception/);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('HTTP: CORS exposes the headers clients read', () => {
  let app: RunningApp;
  const ORIGIN = 'https://newsroom.example.org';

  beforeAll(async () => {
    app = await RunningApp.start({ security: { corsOrigins: [ORIGIN], rateLimitPerMinute: 1000 } });
  });

  afterAll(() => app.destroy());

  it('given an allowed origin, an answer lets its scripts read x-request-id, Retry-After, ETag, Location and the rate-limit headers', async () => {
    const answer = await app.request('POST', '/negotiations', negotiation({ id: 'cors-talks' }), { origin: ORIGIN });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const exposed = answer.headers.get('access-control-expose-headers')!.split(/,\s*/).map((h) => h.toLowerCase());
    for (const header of ['x-request-id', 'retry-after', 'etag', 'location', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      expect(exposed).toContain(header);
    }
    // Each exposed header this answer carries is one the server really sends.
    for (const header of ['x-request-id', 'location', 'x-ratelimit-remaining']) expect(answer.headers.get(header)).not.toBeNull();
    expect(CORS_EXPOSED_HEADERS.length).toBe(exposed.length);
  });
});

describe('HTTP: the live stream and its metrics', () => {
  let app: RunningApp;
  const ID = 'live-metrics';
  const metrics = async (): Promise<string> => (await app.get('/metrics')).body as string;
  const liveCount = async (): Promise<number> =>
    sample(await metrics(), 'parley_http_requests_total', {
      method: 'GET',
      route: '/negotiations/:id/live',
      status: '200',
    });

  beforeAll(async () => {
    app = await RunningApp.start();
    expect((await app.post('/negotiations', negotiation({ id: ID }))).status).toBe(201);
  });

  afterAll(() => app.destroy());

  it('answers Expires: 0 (not the misspelt Expire) and no-cache', async () => {
    const client = await SseClient.connect(`${app.baseUrl}/negotiations/${ID}/live`);
    try {
      expect(client.status).toBe(200);
      expect(client.response.headers.expires).toBe('0');
      expect(client.response.headers.expire).toBeUndefined();
      expect(client.response.headers['cache-control']).toContain('no-cache');
    } finally {
      client.close();
    }
  });

  it('gauges the clients connected, and counts each stream in the request metrics once it ends', async () => {
    const countedBefore = await liveCount();
    expect(sample(await metrics(), 'parley_live_clients')).toBe(0);

    const clients = [
      await SseClient.connect(`${app.baseUrl}/negotiations/${ID}/live`),
      await SseClient.connect(`${app.baseUrl}/negotiations/${ID}/live`),
    ];
    await Promise.all(clients.map((client) => client.next('state')));
    expect(sample(await metrics(), 'parley_live_clients')).toBe(2);

    for (const client of clients) client.close();
    await until(async () => sample(await metrics(), 'parley_live_clients') === 0);
    await until(async () => (await liveCount()) >= countedBefore + 2);
    const text = await metrics();
    expect(
      sample(text, 'parley_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/negotiations/:id/live',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(2);
  });

  it("names prom-client's defaults as Prometheus expects: no gauge ends in _total (promtool check metrics)", async () => {
    const types = [...(await metrics()).matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => ({ name: name!, type: type! }));
    expect(types.length).toBeGreaterThan(20);
    expect(types.filter(({ name, type }) => type !== 'counter' && name.endsWith('_total'))).toEqual([]);
    expect(types.map((t) => t.name)).toContain('parley_live_clients');
  });
});
