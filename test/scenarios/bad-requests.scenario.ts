import type { AppsOnStore } from '../support/apps-on-store';
import { negotiation, proposalMade, proposalResponded, statementMade, tariffChanged } from '../support/requests';
import type { RunningApp } from '../support/running-app';

/** Each bad request: what is sent, the status it must get, and the field (or rule) it must name. */
const BAD_EVENTS: Array<[string, unknown, number, string]> = [
  ['unknown type', { ...tariffChanged(), type: 'TariffRaised' }, 400, 'type'],
  ['NegotiationOpened posted as a development', { ...tariffChanged(), type: 'NegotiationOpened' }, 400, 'type'],
  ['missing occurredAt', { type: 'TariffChanged', data: tariffChanged().data }, 400, 'occurredAt'],
  ['impossible date', tariffChanged({}, { occurredAt: '2025-02-30' }), 400, 'occurredAt'],
  ['time without zone', tariffChanged({}, { occurredAt: '2025-02-03T10:00:00' }), 400, 'occurredAt'],
  ['missing data', { type: 'TariffChanged', occurredAt: '2025-02-01' }, 400, 'data'],
  ['unknown top-level field', { ...tariffChanged(), note: 'x' }, 400, 'note'],
  ['unknown data field', tariffChanged({ currency: 'USD' }), 400, 'data.currency'],
  ['rate as a string', tariffChanged({ rate: '10' }), 400, 'data.rate'],
  ['rate over 1000', tariffChanged({ rate: 1001 }), 400, 'data.rate'],
  ['negative rate', tariffChanged({ rate: -5 }), 400, 'data.rate'],
  ['bad coverage', tariffChanged({ coverage: 'some-goods' }), 400, 'data.coverage'],
  ['lower-case party code', tariffChanged({ imposedBy: 'us' }), 400, 'data.imposedBy'],
  ['measure not a slug', tariffChanged({ measure: 'Reciprocal Tariff' }), 400, 'data.measure'],
  ['impossible effectiveAt', tariffChanged({ effectiveAt: '2025-04-31' }), 400, 'data.effectiveAt'],
  ['eventId not a UUID', tariffChanged({}, { eventId: 'abc' }), 400, 'eventId'],
  ['summary over 500', tariffChanged({}, { summary: 'x'.repeat(501) }), 400, 'summary'],
  ['source url not http(s)', tariffChanged({}, { source: { url: 'ftp://example.org/a' } }), 400, 'source.url'],
  ['unknown attribution', tariffChanged({}, { source: { attribution: 'rumour' } }), 400, 'source.attribution'],
  ['negative expectedRevision', tariffChanged({}, { expectedRevision: -1 }), 400, 'expectedRevision'],
  ['quote over 2000', statementMade({ quote: 'x'.repeat(2001) }), 400, 'data.quote'],
  ['speaker over 200', statementMade({ speaker: 'x'.repeat(201) }), 400, 'data.speaker'],
  ['terms over 50 items', proposalMade({ terms: Array.from({ length: 51 }, () => 't') }), 400, 'data.terms'],
  ['talks held by one party', { type: 'TalksHeld', occurredAt: '2025-05-10', data: { participants: ['US'] } }, 400, 'data.participants'],
  ['body not an object', [tariffChanged()], 400, 'body'],
  ['undeclared party', tariffChanged({ appliedTo: 'EU' }), 422, 'data.appliedTo'],
  ['a party tariffing itself', tariffChanged({ appliedTo: 'US' }), 422, 'data.appliedTo'],
  ['occurred more than a day ahead', tariffChanged({}, { occurredAt: '2099-01-01' }), 422, 'occurredAt'],
  ['response to an unknown proposal', proposalResponded({ proposalId: 'nope' }), 422, 'data.proposalId'],
  ['retraction of an unknown event', { type: 'DevelopmentRetracted', occurredAt: '2025-05-01', data: { targetEventId: '0b8f3c1e-6a8e-4a47-9a52-8d7d2f0c1a11', reason: 'x' } }, 422, 'data.targetEventId'],
  ['DemandResolved with no open demand', { type: 'DemandResolved', occurredAt: '2025-05-01', data: { by: 'US', of: 'CN', issue: 'fentanyl' } }, 422, 'data.issue'],
];

const BAD_QUERIES: Array<[string, string, string]> = [
  ['impossible asOf', '/negotiations/talks/state?asOf=2025-02-29', 'asOf'],
  ['malformed knownAt', '/negotiations/talks/tariffs?knownAt=yesterday', 'knownAt'],
  ['unknown query parameter', '/negotiations/talks/talks?as_of=2025-01-01', 'as_of'],
  ['limit out of range', '/negotiations/talks/events?limit=1001', 'limit'],
  ['limit not a number', '/negotiations/talks/events?limit=ten', 'limit'],
  ['forged cursor', '/negotiations/talks/events?cursor=bm90LWEtY3Vyc29y', 'cursor'],
  ['unknown type filter', '/negotiations/talks/events?type=TariffRaised', 'type'],
  ['from after to', '/negotiations/talks/events?from=2025-05-01&to=2025-04-01', 'from'],
  ['unknown proposal status', '/negotiations/talks/proposals?status=pending', 'status'],
  ['negotiation id not a slug', '/negotiations/Talks_2025/state', 'id'],
];

export function describeBadRequests(apps: AppsOnStore): void {
  describe(`bad requests (${apps.storeName})`, () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await apps.start();
      await app.post('/negotiations', negotiation());
      await app.post('/negotiations/talks/events', tariffChanged());
    });

    afterAll(() => app.destroy());

    it.each(BAD_EVENTS)('%s: answers %i naming %s, and writes nothing', async (_case, body, status, path) => {
      const answer = await app.post('/negotiations/talks/events', body);
      expect(answer.status).toBe(status);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect((await app.get('/negotiations/talks')).body.revision).toBe(1);
    });

    it.each(BAD_QUERIES)('%s: answers 400 naming %s', async (_case, path, field) => {
      const answer = await app.get(path);
      expect(answer.status).toBe(400);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    });

    it('answers 400 for malformed JSON, and 413 for a body over 1 MiB', async () => {
      const malformed = await app.post('/negotiations/talks/events', '{"type": "TariffChanged",');
      expect(malformed.status).toBe(400);
      expect(malformed.contentType).toContain('application/problem+json');
      const huge = await app.post('/negotiations/talks/events', tariffChanged({}, { summary: 'x'.repeat(1024 * 1024) }));
      expect(huge.status).toBe(413);
      expect(huge.contentType).toContain('application/problem+json');
      expect((await app.get('/negotiations/talks')).body.revision).toBe(1);
    });
  });
}
