import type { AppsOnStore } from '../support/apps-on-store';
import { negotiation, proposalMade, tariffChanged } from '../support/requests';

export function describeRestart(apps: AppsOnStore): void {
  describe(`restarting on the same ${apps.storeName} store`, () => {
    it('answers with the same state and carries on recording', async () => {
      const first = await apps.start();
      await first.post('/negotiations', negotiation());
      await first.post('/negotiations/talks/events', tariffChanged());
      await first.post('/negotiations/talks/events', tariffChanged({ measure: 'reciprocal', rate: 125, effectiveAt: '2025-04-10' }, { occurredAt: '2025-04-09' }));
      await first.post('/negotiations/talks/events', proposalMade());
      const paths = ['/negotiations', '/negotiations/talks/state?asOf=2025-05-02', '/negotiations/talks/events?includeRetracted=true'];
      const before = await Promise.all(paths.map((p) => first.get(p)));
      await first.stop();

      const second = await apps.start({ sameStoreAs: first });
      try {
        const after = await Promise.all(paths.map((p) => second.get(p)));
        expect(after.map((a) => a.body)).toEqual(before.map((b) => b.body));
        const next = await second.post('/negotiations/talks/events', tariffChanged({ rate: 20 }, { occurredAt: '2025-03-03' }));
        expect(next.status).toBe(201);
        expect(next.body.revision).toBe(4);
      } finally {
        await second.destroy();
      }
    });
  });
}
