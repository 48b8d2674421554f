import { negotiation, tariffChanged } from '../support/requests';
import { RunningApp } from '../support/running-app';
import { SseClient } from '../support/sse-client';

const ID = 'cached-talks';
const REVALIDATE = 'private, no-cache';
const FOR_GOOD = 'public, max-age=31536000, immutable';

describe('HTTP: ETag, Cache-Control and compression of reads', () => {
  let app: RunningApp;
  /** A moment after the first two developments were recorded and before the third. */
  let between: string;

  beforeAll(async () => {
    app = await RunningApp.start();
    expect((await app.post('/negotiations', negotiation({ id: ID }))).status).toBe(201);
    await app.post(`/negotiations/${ID}/events`, tariffChanged({ rate: 10 }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await app.post(`/negotiations/${ID}/events`, tariffChanged({ measure: 'later', rate: 25 }));
  });

  afterAll(() => app.destroy());

  describe('given a read answered 200', () => {
    it.each([
      `/negotiations`,
      `/negotiations/${ID}`,
      `/negotiations/${ID}/events`,
      `/negotiations/${ID}/state?asOf=2025-04-01`,
      `/negotiations/${ID}/tariffs?asOf=2025-04-01`,
      `/negotiations/${ID}/talks?asOf=2025-04-01`,
      `/negotiations/${ID}/proposals?asOf=2025-04-01`,
      `/negotiations/${ID}/changes?to=2025-04-01`,
      `/negotiations/${ID}/tariffs/history?imposedBy=US&appliedTo=CN&to=2025-04-01`,
      `/negotiations/${ID}/replay?to=2025-04-01`,
    ])('GET %s has an ETag, is revalidated, and If-None-Match with it answers 304 without a body', async (path) => {
      const first = await app.get(path);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^W\/".+"$/);
      expect(first.headers.get('cache-control')).toBe(REVALIDATE);

      const again = await app.request('GET', path, undefined, { 'if-none-match': etag! });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe(REVALIDATE);
    });

    it('If-None-Match listing another tag among others, or *, is compared as RFC 9110 says', async () => {
      const path = `/negotiations/${ID}`;
      const etag = (await app.get(path)).headers.get('etag')!;
      expect((await app.request('GET', path, undefined, { 'if-none-match': `"other", ${etag}` })).status).toBe(304);
      expect((await app.request('GET', path, undefined, { 'if-none-match': etag.slice(2) })).status).toBe(304);
      expect((await app.request('GET', path, undefined, { 'if-none-match': '*' })).status).toBe(304);
      expect((await app.request('GET', path, undefined, { 'if-none-match': '"other"' })).status).toBe(200);
    });

    it('the ETag changes when the answer does', async () => {
      const path = `/negotiations/${ID}`;
      const before = (await app.get(path)).headers.get('etag')!;
      await app.post('/negotiations/cached-other', negotiation({ id: 'cached-other' }));
      expect((await app.get(path)).headers.get('etag')).toBe(before);
      await app.post(`/negotiations/${ID}/events`, tariffChanged({ measure: 'etag-change' }));
      const changed = await app.request('GET', path, undefined, { 'if-none-match': before });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(before);
    });
  });

  describe('given an answer pinned to a knownAt in the past', () => {
    it.each([
      `/negotiations/${ID}/events?knownAt=BETWEEN`,
      `/negotiations/${ID}/state?asOf=2025-04-01&knownAt=BETWEEN`,
      `/negotiations/${ID}/tariffs?asOf=2025-04-01&knownAt=BETWEEN`,
      `/negotiations/${ID}/talks?asOf=2025-04-01&knownAt=BETWEEN`,
      `/negotiations/${ID}/proposals?asOf=2025-04-01&knownAt=BETWEEN`,
      `/negotiations/${ID}/changes?to=2025-04-01&knownAt=BETWEEN`,
      `/negotiations/${ID}/tariffs/history?imposedBy=US&appliedTo=CN&to=2025-04-01&knownAt=BETWEEN`,
      `/negotiations/${ID}/replay?to=2025-04-01&knownAt=BETWEEN`,
    ])('GET %s is cacheable for good', async (template) => {
      const answer = await app.get(template.replace('BETWEEN', encodeURIComponent(between)));
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe(FOR_GOOD);
      expect(answer.headers.get('etag')).toMatch(/^W\//);
    });

    it('but not when a bound that means "now" when omitted is omitted: the answer moves with the clock', async () => {
      const knownAt = encodeURIComponent(between);
      for (const path of [
        `/negotiations/${ID}/state?knownAt=${knownAt}`,
        `/negotiations/${ID}/changes?knownAt=${knownAt}`,
        `/negotiations/${ID}/replay?from=2025-01-01&knownAt=${knownAt}`,
      ]) {
        expect((await app.get(path)).headers.get('cache-control')).toBe(REVALIDATE);
      }
    });

    it('only once something was recorded after knownAt: until then a development recorded now could still join', async () => {
      const now = encodeURIComponent(new Date(Date.now() - 1).toISOString());
      await app.post(`/negotiations/${ID}/events`, tariffChanged({ measure: 'newest' }));
      const later = encodeURIComponent(new Date(Date.now() + 1).toISOString());
      expect((await app.get(`/negotiations/${ID}/state?asOf=2025-04-01&knownAt=${now}`)).headers.get('cache-control')).toBe(FOR_GOOD);
      expect((await app.get(`/negotiations/${ID}/state?asOf=2025-04-01&knownAt=${later}`)).headers.get('cache-control')).toBe(REVALIDATE);
      expect((await app.get(`/negotiations/${ID}/events?knownAt=2099-01-01`)).headers.get('cache-control')).toBe(REVALIDATE);
    });

    it('and the pinned answer is indeed the same after more developments are recorded', async () => {
      const path = `/negotiations/${ID}/tariffs?asOf=2025-04-01&knownAt=${encodeURIComponent(between)}`;
      const before = await app.get(path);
      await app.post(`/negotiations/${ID}/events`, tariffChanged({ measure: 'after-pinning', rate: 99 }, { occurredAt: '2025-01-20' }));
      const after = await app.get(path);
      expect(after.body).toEqual(before.body);
      expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    });
  });

  describe('given answers that are not JSON reads', () => {
    it('writes, problems and probes carry no ETag, and If-None-Match does not turn them into 304', async () => {
      const write = await app.post(`/negotiations/${ID}/events`, tariffChanged({ measure: 'no-etag' }), { 'if-none-match': '*' });
      expect(write.status).toBe(201);
      expect(write.headers.get('etag')).toBeNull();
      const problem = await app.request('GET', '/negotiations/nobody', undefined, { 'if-none-match': '*' });
      expect(problem.status).toBe(404);
      expect(problem.headers.get('etag')).toBeNull();
      const metrics = await app.get('/metrics');
      expect(metrics.headers.get('cache-control')).toBe('no-store');
      expect(metrics.headers.get('etag')).toBeNull();
    });
  });

  describe('compression', () => {
    it.each(['br', 'gzip'])('an answer of 1 KiB or more is sent with %s when the client accepts it', async (encoding) => {
      const answer = await app.request('GET', '/metrics', undefined, { 'accept-encoding': encoding });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-encoding')).toBe(encoding);
      expect(answer.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(answer.body).toContain('parley_http_requests_total');
    });

    it('a smaller answer, or a client that accepts none, gets it plain', async () => {
      const small = await app.request('GET', `/negotiations/${ID}`, undefined, { 'accept-encoding': 'br, gzip' });
      expect(small.headers.get('content-encoding')).toBeNull();
      const identity = await app.request('GET', '/metrics', undefined, { 'accept-encoding': 'identity' });
      expect(identity.headers.get('content-encoding')).toBeNull();
    });

    it('the ETag of an answer is the same compressed or not', async () => {
      const events = Array.from({ length: 10 }, (_, i) => tariffChanged({ measure: `bulk-${i}` }));
      expect((await app.post(`/negotiations/${ID}/events/batch`, { events })).status).toBe(201);
      const path = `/negotiations/${ID}/events`;
      const plain = await app.request('GET', path, undefined, { 'accept-encoding': 'identity' });
      const zipped = await app.request('GET', path, undefined, { 'accept-encoding': 'gzip' });
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      expect(zipped.headers.get('etag')).toBe(plain.headers.get('etag'));
    });

    it('the live event stream is never compressed', async () => {
      const client = await SseClient.connect(`${app.baseUrl}/negotiations/${ID}/live`, { 'accept-encoding': 'br, gzip' });
      try {
        expect(client.response.headers['content-encoding']).toBeUndefined();
        expect((await client.next('state')).data).toMatchObject({ negotiationId: ID });
      } finally {
        client.close();
      }
    });
  });
});
