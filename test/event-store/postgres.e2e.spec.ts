import { randomUUID } from 'node:crypto';
import { describeBadRequests } from '../scenarios/bad-requests.scenario';
import { describeEventsListing } from '../scenarios/events-listing.scenario';
import { describeEvidence } from '../scenarios/evidence.scenario';
import { describeModality } from '../scenarios/modality.scenario';
import { describeRecording } from '../scenarios/recording.scenario';
import { describeRestart } from '../scenarios/restart.scenario';
import { describeRoughDates } from '../scenarios/rough-dates.scenario';
import { describeSeedArticleV11 } from '../scenarios/seed-article-v11.scenario';
import { describeSeedFixture } from '../scenarios/seed-fixture.scenario';
import { describeTariffInput } from '../scenarios/tariff-input.scenario';
import { describeTariffsAsPaid } from '../scenarios/tariffs-as-paid.scenario';
import { describeTwoInstances } from '../scenarios/two-instances.scenario';
import { onPostgres } from '../support/apps-on-store';
import { TEST_DATABASE_URL, describeWhenPostgresAnswers } from '../support/postgres-server';
import { negotiation, tariffChanged } from '../support/requests';
import type { HttpAnswer, RunningApp } from '../support/running-app';
import { TcpProxy } from '../support/tcp-proxy';

/*
 * The end-to-end scenarios of the embedded store (test/scenarios), run on PostgreSQL: the real app,
 * opened as `npm start` opens it, on the server at PARLEY_TEST_DATABASE_URL, each fresh store in a
 * schema of its own. Without a server they are skipped, and the output says so in one line.
 */

const describeWithPostgres = describeWhenPostgresAnswers(
  'end-to-end scenarios on PostgreSQL',
  'test/event-store/postgres.e2e.spec.ts',
);

describeWithPostgres('the app on PostgreSQL (PARLEY_TEST_DATABASE_URL)', () => {
  const apps = onPostgres(() => TEST_DATABASE_URL);

  afterAll(async () => {
    await apps.dropSchemas();
  });

  describeSeedFixture(apps);
  describeSeedArticleV11(apps);
  describeRecording(apps);
  describeBadRequests(apps);
  describeEventsListing(apps);
  describeEvidence(apps);
  describeModality(apps);
  describeRestart(apps);
  describeRoughDates(apps);
  describeTariffInput(apps);
  describeTariffsAsPaid(apps);
  describeTwoInstances(apps);

  describe('two instances, measured', () => {
    let a: RunningApp;
    let b: RunningApp;

    afterEach(async () => {
      await b?.stop();
      await a?.stop();
    });

    it('shows a write through one instance through the other within a second, every time', async () => {
      a = await apps.start();
      b = await apps.start({ sameStoreAs: a });
      expect((await a.post('/negotiations', negotiation())).status).toBe(201);
      const lags: number[] = [];
      for (let i = 0; i < 40; i++) {
        const writer = i % 2 === 0 ? a : b;
        const reader = writer === a ? b : a;
        const written = await writer.post(
          '/negotiations/talks/events',
          tariffChanged({ rate: i + 1 }),
        );
        expect(written.status).toBe(201);
        const acknowledged = Date.now();
        for (;;) {
          const seen = await reader.get('/negotiations/talks');
          if (seen.body.revision === written.body.revision) break;
          expect(Date.now() - acknowledged).toBeLessThan(1000);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        lags.push(Date.now() - acknowledged);
      }
      lags.sort((x, y) => x - y);
      const median = lags[Math.floor(lags.length / 2)]!;
      process.stdout.write(
        `two instances on PostgreSQL: a write through one was visible through the other after ${median} ms at the median, ${lags[lags.length - 1]} ms at most, over ${lags.length} writes\n`,
      );
      expect(lags[lags.length - 1]).toBeLessThan(1000);
    }, 60_000);
  });

  describe('when the store becomes unreachable, and then returns', () => {
    let proxy: TcpProxy | undefined;
    const started: RunningApp[] = [];

    afterEach(async () => {
      await Promise.all(started.splice(0).map((app) => app.stop()));
      await proxy?.close();
    });

    it('answers 503 problem+json with Retry-After meanwhile, and records and follows the store again after', async () => {
      const server = new URL(TEST_DATABASE_URL);
      proxy = await TcpProxy.start({
        host: server.hostname,
        port: Number(server.port || 5432),
      });
      const viaProxy = onPostgres(() => {
        const url = new URL(TEST_DATABASE_URL);
        url.hostname = '127.0.0.1';
        url.port = String(proxy!.port);
        return url.toString();
      });
      const other = await apps.start();
      started.push(other);
      const app = await viaProxy.start({ sameStoreAs: other });
      started.push(app);
      expect((await app.post('/negotiations', negotiation())).status).toBe(201);

      proxy.cut();
      const development = tariffChanged({}, { eventId: randomUUID() });
      const refused = await app.post('/negotiations/talks/events', development);
      expect(refused.status).toBe(503);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body).toMatchObject({ type: '/problems/store-unavailable', status: 503 });
      expect((await app.get('/health/ready')).status).toBe(503);
      // Queries keep answering from the read model meanwhile.
      expect((await app.get('/negotiations/talks')).status).toBe(200);
      // Meanwhile another instance, still connected, records a development.
      expect(
        (await other.post('/negotiations/talks/events', tariffChanged({ rate: 20 }))).status,
      ).toBe(201);

      proxy.restore();
      // The client retries as Retry-After says, with the same eventId, until the store answers.
      const recorded = await retryWhile503(() =>
        app.post('/negotiations/talks/events', development),
      );
      expect(recorded.status).toBe(201);
      expect(recorded.body.revision).toBe(2);
      // The subscription resumes too: a write through the other instance shows up here.
      expect(
        (await other.post('/negotiations/talks/events', tariffChanged({ rate: 30 }))).status,
      ).toBe(201);
      await eventually(async () => {
        expect((await app.get('/negotiations/talks')).body.revision).toBe(3);
      }, 10_000);
      expect((await app.get('/health/ready')).status).toBe(200);
    }, 60_000);
  });
});

async function retryWhile503(request: () => Promise<HttpAnswer<any>>): Promise<HttpAnswer<any>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await request();
    if (answer.status !== 503 || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function eventually(assertion: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
