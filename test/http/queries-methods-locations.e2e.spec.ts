import { negotiation, tariffChanged } from '../support/requests';
import { RunningApp } from '../support/running-app';

const ID = 'talks';

/** Every route the app serves outside the timeline page and the API docs, with its method. */
const ROUTES: Array<[string, string, unknown]> = [
  ['GET', '/negotiations', undefined],
  ['POST', '/negotiations', negotiation({ id: 'other-talks' })],
  ['GET', `/negotiations/${ID}`, undefined],
  ['GET', `/negotiations/${ID}/events`, undefined],
  ['POST', `/negotiations/${ID}/events`, tariffChanged()],
  ['POST', `/negotiations/${ID}/events/batch`, { events: [tariffChanged()] }],
  ['GET', `/negotiations/${ID}/state`, undefined],
  ['GET', `/negotiations/${ID}/tariffs`, undefined],
  ['GET', `/negotiations/${ID}/talks`, undefined],
  ['GET', `/negotiations/${ID}/proposals`, undefined],
  ['GET', `/negotiations/${ID}/changes`, undefined],
  ['GET', `/negotiations/${ID}/tariffs/history?imposedBy=US&appliedTo=CN`, undefined],
  ['GET', `/negotiations/${ID}/replay`, undefined],
  ['GET', `/negotiations/${ID}/live`, undefined],
  ['GET', '/health', undefined],
  ['GET', '/health/ready', undefined],
  ['GET', '/metrics', undefined],
];

describe('HTTP: query parameters, methods, and where a created resource is', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await RunningApp.start();
    expect((await app.post('/negotiations', negotiation({ id: ID }))).status).toBe(201);
  });

  afterAll(() => app.destroy());

  describe('given a query parameter the route does not take', () => {
    it.each(ROUTES)('%s %s answers 400 problem+json naming it, and writes nothing', async (method, path, body) => {
      const before = (await app.get(`/negotiations/${ID}`)).body.revision;
      const answer = await app.request(method, `${path}${path.includes('?') ? '&' : '?'}colour=red`, body);
      expect(answer.status).toBe(400);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.errors).toEqual([{ path: 'colour', message: 'colour should not exist' }]);
      expect((await app.get(`/negotiations/${ID}`)).body.revision).toBe(before);
      expect((await app.get('/negotiations')).body.map((n: { id: string }) => n.id)).toEqual([ID]);
    });
  });

  describe('given a method a known path does not answer', () => {
    it.each([
      ['DELETE', `/negotiations/${ID}`, 'GET, HEAD'],
      ['PUT', '/negotiations', 'GET, HEAD, POST'],
      ['PATCH', `/negotiations/${ID}/events`, 'GET, HEAD, POST'],
      ['GET', `/negotiations/${ID}/events/batch`, 'POST'],
      ['POST', '/health', 'GET, HEAD'],
    ])('%s %s answers 405 problem+json with Allow: %s', async (method, path, allow) => {
      const answer = await app.request(method, path);
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe(allow);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ type: '/problems/method-not-allowed', status: 405 });
    });

    it('an unknown path stays 404, whatever the method', async () => {
      for (const method of ['GET', 'DELETE']) {
        const answer = await app.request(method, '/nowhere/at-all');
        expect(answer.status).toBe(404);
        expect(answer.headers.get('allow')).toBeNull();
      }
    });
  });

  describe('given a request that creates something (201)', () => {
    it('POST /negotiations answers Location: the negotiation, which a GET answers', async () => {
      const answer = await app.post('/negotiations', negotiation({ id: 'located' }));
      expect(answer.status).toBe(201);
      expect(answer.headers.get('location')).toBe('/negotiations/located');
      expect((await app.get(answer.headers.get('location')!)).body).toMatchObject({ id: 'located' });
    });

    it('POST …/events answers Location: the log where the development is listed', async () => {
      const answer = await app.post(
        `/negotiations/${ID}/events`,
        tariffChanged({ measure: 'located-line' }, { occurredAt: '2025-03-07T10:00:00Z' }),
      );
      expect(answer.status).toBe(201);
      const listed = await app.get(answer.headers.get('location')!);
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((d: { eventId: string }) => d.eventId)).toEqual([answer.body.eventId]);
    });

    it('POST …/events/batch answers Location: the log where every member is listed', async () => {
      const answer = await app.post(`/negotiations/${ID}/events/batch`, {
        events: [
          tariffChanged({ measure: 'batch-a' }, { occurredAt: '2025-03-20' }),
          tariffChanged({ measure: 'batch-b' }, { occurredAt: '2025-03-10' }),
        ],
      });
      expect(answer.status).toBe(201);
      const listed = await app.get(answer.headers.get('location')!);
      expect(listed.body.items.map((d: { eventId: string }) => d.eventId).sort()).toEqual(
        answer.body.results.map((r: { eventId: string }) => r.eventId).sort(),
      );
    });

    it('an idempotent retry answers 200 without Location', async () => {
      const development = tariffChanged({ measure: 'retried' }, { eventId: '3f1d2c4b-5a69-4e7f-8a9b-0c1d2e3f4a5b' });
      expect((await app.post(`/negotiations/${ID}/events`, development)).status).toBe(201);
      const retry = await app.post(`/negotiations/${ID}/events`, development);
      expect(retry.status).toBe(200);
      expect(retry.headers.get('location')).toBeNull();
    });
  });
});
