import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
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
import { onEventStoreDb } from '../support/apps-on-store';
import type { EventStoreDbNode } from '../support/eventstoredb-node';
import {
  EVENTSTORE_IMAGE,
  describeWhenContainersRun,
  startEventStoreDbNode,
} from '../support/eventstoredb-node';
import { negotiation, tariffChanged } from '../support/requests';
import type { HttpAnswer, RunningApp } from '../support/running-app';
import { TcpProxy } from '../support/tcp-proxy';

/*
 * The end-to-end scenarios of the embedded store (test/scenarios), run on the product's production
 * store: the real app on a real EventStoreDB / KurrentDB node started by testcontainers. Without a
 * container runtime (this machine and CI have only a docker client, no engine) they are skipped,
 * and the output says so in one line. There is no stand-in server.
 */

const describeWithEventStoreDb = describeWhenContainersRun(
  'end-to-end scenarios on EventStoreDB',
  'test/event-store/eventstoredb.e2e.spec.ts',
);

describeWithEventStoreDb(`the app on EventStoreDB (${EVENTSTORE_IMAGE} in a container)`, () => {
  let node: EventStoreDbNode | undefined;
  const nodeOrFail = (): EventStoreDbNode => {
    if (!node) throw new Error('the EventStoreDB node did not start');
    return node;
  };

  beforeAll(async () => {
    node = await startEventStoreDbNode();
  }, 240_000);

  afterAll(async () => {
    await node?.stop();
  }, 60_000);

  const apps = onEventStoreDb(() => nodeOrFail().connectionString);

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

  describe('when the store becomes unreachable, and then returns', () => {
    let proxy: TcpProxy | undefined;
    const started: RunningApp[] = [];

    afterEach(async () => {
      await Promise.all(started.splice(0).map((app) => app.stop()));
      await proxy?.close();
    });

    it('answers 503 problem+json with Retry-After meanwhile, and records and follows the store again after', async () => {
      const { host, port } = nodeOrFail();
      proxy = await TcpProxy.start({ host, port });
      const viaProxy = onEventStoreDb(() => `esdb://127.0.0.1:${proxy!.port}?tls=false`);
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

describe('the TCP proxy that makes a store unreachable in the test above', () => {
  let upstream: Server;
  let proxy: TcpProxy;

  beforeEach(async () => {
    upstream = createServer((_request, response) => response.end('upstream answered'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const address = upstream.address();
    proxy = await TcpProxy.start({
      host: '127.0.0.1',
      port: typeof address === 'object' && address ? address.port : 0,
    });
  });

  afterEach(async () => {
    await proxy.close();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  const ask = async (): Promise<string> => {
    try {
      const response = await fetch(`http://127.0.0.1:${proxy.port}/`, {
        headers: { connection: 'close' },
      });
      return await response.text();
    } catch {
      return 'refused';
    }
  };

  it('passes the line through, refuses it while cut, and passes it again once restored', async () => {
    expect(await ask()).toBe('upstream answered');
    proxy.cut();
    expect(await ask()).toBe('refused');
    proxy.restore();
    expect(await ask()).toBe('upstream answered');
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
