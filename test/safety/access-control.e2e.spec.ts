import { configFromEnv } from '../../apps/api/src/config';
import { negotiation, tariffChanged } from '../support/requests';
import { RunningApp } from '../support/running-app';

const WRITE_KEYS = ['old-write-key-0123456789', 'new-write-key-9876543210'];
const READ_KEY = 'read-key-abcdefghij';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('access control', () => {
  describe('when API_KEY is set and reads are open', () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await RunningApp.start({
        security: { access: { writeKeys: WRITE_KEYS, readKeys: [] } },
      });
    });

    afterAll(() => app.destroy());

    it('refuses a write without a key with 401 and WWW-Authenticate, and writes nothing', async () => {
      const answer = await app.post('/negotiations', negotiation());
      expect(answer.status).toBe(401);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await app.get('/negotiations')).body).toEqual([]);
    });

    it('refuses a wrong key with 403', async () => {
      const answer = await app.post('/negotiations', negotiation(), bearer('guess'));
      expect(answer.status).toBe(403);
      expect(answer.contentType).toContain('application/problem+json');
      expect((await app.get('/negotiations')).body).toEqual([]);
    });

    it('accepts every listed key, so keys can be rotated', async () => {
      expect((await app.post('/negotiations', negotiation(), bearer(WRITE_KEYS[0]!))).status).toBe(
        201,
      );
      expect(
        (await app.post('/negotiations/talks/events', tariffChanged(), bearer(WRITE_KEYS[1]!)))
          .status,
      ).toBe(201);
      expect(
        (
          await app.post('/negotiations/talks/events/batch', {
            events: [tariffChanged({ rate: 20 })],
          })
        ).status,
      ).toBe(401);
    });

    it('keeps reads open', async () => {
      expect((await app.get('/negotiations/talks/tariffs?asOf=2025-03-01')).status).toBe(200);
      expect((await app.get('/health')).status).toBe(200);
    });
  });

  describe('when READ_API_KEY is set too', () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await RunningApp.start({
        security: { access: { writeKeys: WRITE_KEYS, readKeys: [READ_KEY] } },
      });
    });

    afterAll(() => app.destroy());

    it('needs a read or write key to read, but a read key cannot write', async () => {
      expect((await app.get('/negotiations')).status).toBe(401);
      expect((await app.request('GET', '/negotiations', undefined, bearer('nope'))).status).toBe(
        403,
      );
      expect((await app.request('GET', '/negotiations', undefined, bearer(READ_KEY))).status).toBe(
        200,
      );
      expect(
        (await app.request('GET', '/negotiations', undefined, bearer(WRITE_KEYS[0]!))).status,
      ).toBe(200);
      expect((await app.post('/negotiations', negotiation(), bearer(READ_KEY))).status).toBe(403);
    });

    it('leaves the health probes open', async () => {
      expect((await app.get('/health')).status).toBe(200);
    });
  });

  describe('key guessing', () => {
    let app: RunningApp | undefined;

    afterEach(() => app?.destroy());

    it('with a rate limit of 5 a minute, refused keys count against it: the sixth request is 429', async () => {
      app = await RunningApp.start({
        security: { access: { writeKeys: WRITE_KEYS, readKeys: [] }, rateLimitPerMinute: 5 },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (await app.post('/negotiations', negotiation(), bearer(`guess-${i}`))).status,
        );
      }
      const next = await app.get('/negotiations');

      expect(statuses).toEqual([403, 403, 403, 403, 403]);
      expect(next.status).toBe(429);
      expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('with no rate limit, the 11th refused key within a minute is 429, and so is the right key from that address until the minute ends', async () => {
      app = await RunningApp.start({
        security: { access: { writeKeys: WRITE_KEYS, readKeys: [] }, rateLimitPerMinute: 0 },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push(
          (await app.post('/negotiations', negotiation(), bearer(`guess-${i}`))).status,
        );
      }
      const right = await app.post('/negotiations', negotiation(), bearer(WRITE_KEYS[0]!));

      expect(statuses).toEqual([...Array(10).fill(403), 429]);
      expect(right.status).toBe(429);
      expect(right.contentType).toContain('application/problem+json');
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(50);
      expect((await app.get('/negotiations')).body).toEqual([]); // nothing written; reads stay open
      expect((await app.post('/negotiations', negotiation())).status).toBe(401);
    });

    it('REFUSED_KEYS_PER_MINUTE sets the number (0 turns it off), 10 by default', () => {
      expect(configFromEnv({}).refusedKeysPerMinute).toBe(10);
      expect(configFromEnv({ REFUSED_KEYS_PER_MINUTE: '0' }).refusedKeysPerMinute).toBe(0);
      expect(() => configFromEnv({ REFUSED_KEYS_PER_MINUTE: 'many' })).toThrow(
        /REFUSED_KEYS_PER_MINUTE must be a whole number/,
      );
    });
  });

  describe('starting on a non-loopback address', () => {
    it('refuses without API_KEY, saying what to set', () => {
      expect(() => configFromEnv({ HOST: '0.0.0.0' })).toThrow(/set API_KEY=/);
    });

    it('starts with API_KEY, or on loopback without one', () => {
      expect(configFromEnv({ HOST: '0.0.0.0', API_KEY: 'a,b' }).access).toEqual({
        writeKeys: ['a', 'b'],
        readKeys: [],
      });
      expect(configFromEnv({ HOST: '127.0.0.1' }).access?.writeKeys).toEqual([]);
      expect(configFromEnv({ HOST: '::1' }).host).toBe('::1');
    });
  });
});
