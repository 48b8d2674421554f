import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppsOnStore } from '../support/apps-on-store';
import { looseMismatch } from '../support/loose-match';
import type { RunningApp } from '../support/running-app';

interface Development {
  eventId: string;
  [field: string]: unknown;
}

interface SeedArticleV11 {
  negotiation: { id: string };
  developments: Development[];
  refused: { why: string; post: unknown; status: number; problemType: string }[];
  expect: { why: string; get: string; json: unknown }[];
}

/**
 * The seed article re-modelled with contract v1.1 (modality, evidence, dates known roughly):
 * the answers in the fixture were derived from the article and the contract, each with its `why`.
 */
const fixturePath = join(__dirname, '..', 'fixtures', 'seed-article-v1.1.json');
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as SeedArticleV11;

/** `{{recordedAt:<eventId>}}` in a query stands for the recordedAt that development was given. */
function withRecordedAt(path: string, recordedAt: Map<string, string>): string {
  return path.replace(/\{\{recordedAt:([0-9a-f-]{36})\}\}/g, (_, eventId: string) => {
    const at = recordedAt.get(eventId);
    if (at === undefined) throw new Error(`the fixture posts no development ${eventId}`);
    return encodeURIComponent(at);
  });
}

/** ../fixtures/seed-article-v1.1.json played through HTTP, every refusal and `expect` entry checked. */
export function describeSeedArticleV11(apps: AppsOnStore): void {
  describe(`the seed article under contract v1.1, played through HTTP on a fresh ${apps.storeName} store`, () => {
    let app: RunningApp;
    const recordedAt = new Map<string, string>();
    const id = fixture.negotiation.id;

    beforeAll(async () => {
      app = await apps.start();
      const opened = await app.post('/negotiations', fixture.negotiation);
      expect(opened.status).toBe(201);
      for (const [i, development] of fixture.developments.entries()) {
        // A few milliseconds apart, so that a knownAt can fall between two recordings.
        await new Promise((resolve) => setTimeout(resolve, 3));
        const answer = await app.post(`/negotiations/${id}/events`, development);
        expect({ i, status: answer.status, body: answer.body }).toMatchObject({
          i,
          status: 201,
          body: { eventId: development.eventId, revision: i + 1 },
        });
        recordedAt.set(development.eventId, answer.body.recordedAt as string);
      }
    });

    afterAll(() => app.destroy());

    it('records each development at a later time than the one before', () => {
      const times = fixture.developments.map((d) => Date.parse(recordedAt.get(d.eventId)!));
      expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
    });

    it.each(fixture.refused.map((r) => [r.why, r] as const))(
      'refuses, writing nothing: %s',
      async (_, refusal) => {
        const answer = await app.post(`/negotiations/${id}/events`, refusal.post);
        expect({ status: answer.status, type: answer.body.type }).toEqual({
          status: refusal.status,
          type: refusal.problemType,
        });
        expect((await app.get(`/negotiations/${id}`)).body.revision).toBe(
          fixture.developments.length,
        );
      },
    );

    it.each(fixture.expect.map((e) => [e.get, e] as const))(
      'GET %s answers as the article and the contract say',
      async (_, expected) => {
        const answer = await app.get(withRecordedAt(expected.get, recordedAt));
        expect(answer.status).toBe(200);
        const mismatch = looseMismatch(answer.body, expected.json);
        expect(
          mismatch === null ? null : `${mismatch} (expected because: ${expected.why})`,
        ).toBeNull();
      },
    );

    it('lists the negotiation with its revision and the span of its developments', async () => {
      const answer = await app.get(`/negotiations/${id}`);
      expect(answer.body).toMatchObject({
        id,
        revision: fixture.developments.length,
        eventCount: fixture.developments.length + 1,
        firstOccurredAt: '2025-02-01T00:00:00.000Z',
        lastOccurredAt: '2025-05-02T00:00:00.000Z',
      });
    });
  });
}
