import { negotiation } from '../support/requests';
import { RunningApp } from '../support/running-app';

describe('hardening', () => {
  describe('with a rate limit of 5 requests a minute', () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await RunningApp.start({ security: { rateLimitPerMinute: 5 } });
    });

    afterAll(() => app.destroy());

    it('answers the sixth request from one client, on any route, 429 problem+json with Retry-After', async () => {
      const statuses: number[] = [];
      for (const path of [
        '/negotiations',
        '/negotiations/nope',
        '/negotiations',
        '/negotiations/y/talks',
        '/negotiations/x/state',
      ]) {
        statuses.push((await app.get(path)).status);
      }
      const limited = await app.get('/negotiations');
      expect(statuses).toEqual([200, 404, 200, 404, 404]);
      expect(limited.status).toBe(429);
      expect(limited.contentType).toContain('application/problem+json');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });

  describe('by default', () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await RunningApp.start();
    });

    afterAll(() => app.destroy());

    it('sends security headers', async () => {
      const answer = await app.get('/negotiations');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(answer.headers.get('strict-transport-security')).toContain('max-age');
    });

    it('sends no CORS headers, so browsers on other origins cannot call it', async () => {
      const answer = await app.request('GET', '/negotiations', undefined, {
        origin: 'https://elsewhere.example',
      });
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answers errors without stack traces or internal paths', async () => {
      const answers = await Promise.all([
        app.post('/negotiations', '{"id": '),
        app.post('/negotiations', negotiation({ parties: 'none' })),
        app.get('/negotiations/nope/state'),
        app.get('/no/such/route'),
      ]);
      for (const answer of answers) {
        const text = JSON.stringify(answer.body);
        expect(answer.contentType).toContain('application/problem+json');
        expect(text).not.toMatch(/\n\s+at |node_modules|\/work\/|\.ts:\d/);
      }
    });
  });

  describe('with CORS_ORIGINS listing an origin', () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await RunningApp.start({ security: { corsOrigins: ['https://newsroom.example'] } });
    });

    afterAll(() => app.destroy());

    it('allows that origin and no other', async () => {
      const listed = await app.request('GET', '/negotiations', undefined, {
        origin: 'https://newsroom.example',
      });
      const other = await app.request('GET', '/negotiations', undefined, {
        origin: 'https://elsewhere.example',
      });
      expect(listed.headers.get('access-control-allow-origin')).toBe('https://newsroom.example');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
