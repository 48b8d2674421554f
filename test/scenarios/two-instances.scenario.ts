import { randomUUID } from 'node:crypto';
import type { AppsOnStore } from '../support/apps-on-store';
import {
  negotiation,
  proposalMade,
  proposalResponded,
  statementMade,
  tariffChanged,
} from '../support/requests';
import type { HttpAnswer, RunningApp } from '../support/running-app';

/** How soon a write through one instance must be visible through the other (issue 3). */
const WITHIN_MS = 1000;

/**
 * Asks `app` for `path` until the answer is accepted, for at most `withinMs` from now; fails
 * with the last answer when the time is up.
 */
async function seenWithin(
  app: RunningApp,
  path: string,
  accept: (answer: HttpAnswer<any>) => boolean,
  withinMs = WITHIN_MS,
): Promise<HttpAnswer<any>> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const answer = await app.get(path);
    if (accept(answer)) return answer;
    if (Date.now() > deadline) {
      throw new Error(
        `${path} not seen as expected within ${withinMs} ms; last answer: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const revisionIs = (revision: number) => (answer: HttpAnswer<any>) =>
  answer.status === 200 && answer.body.revision === revision;

/**
 * Two API instances over one store, each with its own connection to it, as two processes behind a
 * load balancer would be: each sees the other's writes within a second, and a write through one
 * is decided against everything written through the other, however recent.
 */
export function describeTwoInstances(apps: AppsOnStore): void {
  describe(`two API instances on one ${apps.storeName} store`, () => {
    let a: RunningApp;
    let b: RunningApp;

    beforeEach(async () => {
      a = await apps.start();
      b = await apps.start({ sameStoreAs: a });
    });

    afterEach(async () => {
      await b?.stop();
      await a?.destroy();
    });

    it('each lists a negotiation opened through the other within a second', async () => {
      expect((await a.post('/negotiations', negotiation({ id: 'through-a' }))).status).toBe(201);
      await seenWithin(b, '/negotiations/through-a', revisionIs(0));

      expect((await b.post('/negotiations', negotiation({ id: 'through-b' }))).status).toBe(201);
      await seenWithin(a, '/negotiations/through-b', revisionIs(0));

      for (const app of [a, b]) {
        const listed = await app.get<{ id: string }[]>('/negotiations');
        expect(listed.body.map((n) => n.id)).toEqual(['through-a', 'through-b']);
      }
    });

    it('refuses to open through one an id just opened through the other, before it has seen it', async () => {
      expect((await a.post('/negotiations', negotiation())).status).toBe(201);

      const again = await b.post('/negotiations', negotiation({ title: 'Another title' }));

      expect(again.status).toBe(409);
      expect(again.body.rule).toBe('negotiation-exists');
      const seen = await seenWithin(b, '/negotiations/talks', revisionIs(0));
      expect(seen.body.title).toBe('Trade talks');
    });

    it("shows a development recorded through either instance in the other's answers within a second", async () => {
      await a.post('/negotiations', negotiation());
      await seenWithin(b, '/negotiations/talks', revisionIs(0));

      expect((await a.post('/negotiations/talks/events', tariffChanged({ rate: 10 }))).status).toBe(
        201,
      );
      await seenWithin(
        b,
        '/negotiations/talks/tariffs?asOf=2025-03-01',
        (answer) => answer.body[0]?.total === 10,
      );

      const reciprocal = tariffChanged(
        { measure: 'reciprocal', rate: 20, effectiveAt: '2025-03-04' },
        { occurredAt: '2025-03-03' },
      );
      expect((await b.post('/negotiations/talks/events', reciprocal)).status).toBe(201);
      const seen = await seenWithin(
        a,
        '/negotiations/talks/tariffs?asOf=2025-03-10',
        (answer) => answer.body[0]?.total === 30,
      );
      expect(seen.body).toEqual((await b.get('/negotiations/talks/tariffs?asOf=2025-03-10')).body);
    });

    it('records through one instance on a negotiation just opened through the other, without waiting', async () => {
      expect((await a.post('/negotiations', negotiation())).status).toBe(201);

      const recorded = await b.post('/negotiations/talks/events', tariffChanged());

      expect(recorded.status).toBe(201);
      expect(recorded.body.revision).toBe(1);
      expect((await b.get('/negotiations/talks')).body.revision).toBe(1);
      await seenWithin(a, '/negotiations/talks', revisionIs(1));
    });

    it('decides a write through one instance against what the other wrote just before it', async () => {
      await a.post('/negotiations', negotiation());
      await seenWithin(b, '/negotiations/talks', revisionIs(0));
      const proposal = await a.post('/negotiations/talks/events', proposalMade());
      expect(proposal.body.revision).toBe(1);

      // Straight after: B must decide against A's proposal, known to B only through the store.
      const response = await b.post(
        '/negotiations/talks/events',
        proposalResponded({ response: 'accepted' }, { expectedRevision: 1 }),
      );
      expect(response.status).toBe(201);
      expect(response.body.revision).toBe(2);

      // And the other way round: A's stale expectation is refused with B's revision.
      const stale = await a.post(
        '/negotiations/talks/events',
        statementMade({}, { expectedRevision: 1 }),
      );
      expect(stale.status).toBe(409);
      expect(stale.body.actualRevision).toBe(2);
      const current = await a.post(
        '/negotiations/talks/events',
        statementMade({}, { expectedRevision: 2 }),
      );
      expect(current.status).toBe(201);
      expect(current.body.revision).toBe(3);

      const proposals = await seenWithin(
        b,
        '/negotiations/talks/proposals?asOf=2025-05-03&status=all',
        (answer) => answer.body[0]?.status === 'accepted',
      );
      expect(proposals.body).toEqual(
        (await a.get('/negotiations/talks/proposals?asOf=2025-05-03&status=all')).body,
      );
    });

    it('answers a retry through the other instance as the first time, and appends nothing', async () => {
      await a.post('/negotiations', negotiation());
      const development = tariffChanged({}, { eventId: randomUUID() });
      const first = await a.post('/negotiations/talks/events', development);
      expect(first.status).toBe(201);

      const retry = await b.post('/negotiations/talks/events', development);

      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      const clash = await b.post('/negotiations/talks/events', {
        ...development,
        data: { ...development.data, rate: 99 },
      });
      expect(clash.status).toBe(409);
      expect(clash.body.errors[0].path).toBe('eventId');
      expect((await b.get('/negotiations/talks')).body.revision).toBe(1);
    });

    it('ends up with both instances answering alike after writes through both', async () => {
      await a.post('/negotiations', negotiation());
      const writes = [
        () => a.post('/negotiations/talks/events', tariffChanged()),
        () => b.post('/negotiations/talks/events', proposalMade()),
        () => a.post('/negotiations/talks/events', proposalResponded()),
        () =>
          b.post(
            '/negotiations/talks/events',
            tariffChanged({ rate: 20 }, { occurredAt: '2025-03-03' }),
          ),
        () => a.post('/negotiations/talks/events', statementMade()),
      ];
      for (const write of writes) expect((await write()).status).toBe(201);

      const paths = [
        '/negotiations',
        '/negotiations/talks',
        '/negotiations/talks/state?asOf=2025-06-01',
        '/negotiations/talks/events?includeRetracted=true',
      ];
      await seenWithin(b, '/negotiations/talks', revisionIs(5));
      await seenWithin(a, '/negotiations/talks', revisionIs(5));
      for (const path of paths) {
        const [fromA, fromB] = await Promise.all([a.get(path), b.get(path)]);
        expect({ path, body: fromB.body }).toEqual({ path, body: fromA.body });
      }
      expect((await a.get('/negotiations/talks')).body.eventCount).toBe(6);
    });
  });
}
