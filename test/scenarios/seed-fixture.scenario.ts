import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppsOnStore } from '../support/apps-on-store';
import { looseMismatch } from '../support/loose-match';
import type { RunningApp } from '../support/running-app';

interface SeedFixture {
  negotiation: { id: string };
  developments: unknown[];
  expect: { get: string; json: unknown }[];
}

// A copy of ../shared/fixtures/seed-article.json, so that a clone runs its tests on its own.
const fixturePath = join(__dirname, '..', 'fixtures', 'seed-article.json');
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as SeedFixture;

/** The seed article of ../shared/fixtures played through HTTP, every `expect` entry checked. */
export function describeSeedFixture(apps: AppsOnStore): void {
  describe(`the seed article, played through HTTP on a fresh ${apps.storeName} store`, () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await apps.start();
      const opened = await app.post('/negotiations', fixture.negotiation);
      expect(opened.status).toBe(201);
      expect(opened.body).toEqual({ id: fixture.negotiation.id, revision: 0 });
      for (const [i, development] of fixture.developments.entries()) {
        const answer = await app.post(`/negotiations/${fixture.negotiation.id}/events`, development);
        expect({ i, status: answer.status, body: answer.body }).toMatchObject({ i, status: 201 });
        expect(answer.body.revision).toBe(i + 1);
      }
    });

    afterAll(() => app.destroy());

    it.each(fixture.expect.map((e) => [e.get, e.json]))('GET %s answers as the fixture expects', async (path, json) => {
      const answer = await app.get(path);
      expect(answer.status).toBe(200);
      expect(looseMismatch(answer.body, json)).toBeNull();
    });

    it('lists the negotiation with its revision, event count and the span of its developments', async () => {
      const answer = await app.get(`/negotiations/${fixture.negotiation.id}`);
      expect(answer.body).toEqual({
        id: 'us-china-trade',
        title: 'US-China trade and fentanyl talks',
        parties: [
          { code: 'US', name: 'United States' },
          { code: 'CN', name: 'China' },
          { code: 'HK', name: 'Hong Kong' },
        ],
        revision: fixture.developments.length,
        eventCount: fixture.developments.length + 1,
        firstOccurredAt: '2025-02-01T00:00:00.000Z',
        lastOccurredAt: '2025-05-02T00:00:00.000Z',
      });
    });
  });
}
