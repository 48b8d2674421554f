import { negotiation, tariffChanged } from '../support/requests';
import { RunningApp } from '../support/running-app';

/*
 * A time finer than the millisecond is refused, naming the field, rather than cut silently
 * (issue 18: "9 fractional digits cut silently"): Parley keeps instants to the millisecond, and a
 * cut time is not the time the client sent.
 */

const FINE = '2025-04-10T00:00:00.123456789Z';

describe('a time with more than millisecond precision', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await RunningApp.start();
    expect((await app.post('/negotiations', negotiation())).status).toBe(201);
  });

  afterAll(async () => {
    await app.destroy();
  });

  it.each([
    ['occurredAt', tariffChanged({}, { occurredAt: FINE })],
    ['data.effectiveAt', tariffChanged({ effectiveAt: FINE })],
  ])(
    'in a development (%s): 400 naming it, saying the millisecond is the finest',
    async (path, body) => {
      const answer = await app.post('/negotiations/talks/events', body);

      expect(answer.status).toBe(400);
      expect(answer.body.errors).toContainEqual({
        path,
        message: expect.stringMatching(/to the millisecond at the finest/),
      });
      expect((await app.get('/negotiations/talks/events')).body.items).toHaveLength(1);
    },
  );

  it('as knownAt: 400 naming it', async () => {
    const answer = await app.get(`/negotiations/talks/state?knownAt=${FINE}`);

    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: { path: string }) => e.path)).toEqual(['knownAt']);
  });

  it('to the millisecond: recorded as sent', async () => {
    const answer = await app.post(
      '/negotiations/talks/events',
      tariffChanged({}, { occurredAt: '2025-04-10T00:00:00.123Z' }),
    );

    expect(answer.status).toBe(201);
  });
});
