/**
 * The read model is fed by the write path and the store subscription directly, not through an
 * event bus that swallows errors: a projection that throws is logged, fails readiness, and the
 * write it happened on is not answered as if it were visible.
 */
import { Logger } from '@nestjs/common';
import { NegotiationReadModel } from '@parley/projections';
import { negotiation, statementMade } from '../support/requests';
import { RunningApp } from '../support/running-app';

describe('when a projection throws on a development', () => {
  let app: RunningApp;
  let logged: string[];

  beforeAll(async () => {
    app = await RunningApp.start({ logger: false });
    expect((await app.post('/negotiations', negotiation())).status).toBe(201);
    logged = [];
    jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation((message: unknown) => void logged.push(String(message)));
    jest.spyOn(app.app.get(NegotiationReadModel), 'apply').mockImplementation(() => {
      throw new Error('a projection bug');
    });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await app.destroy();
  });

  it('does not answer the write as visible: 500, and the error is logged with the negotiation', async () => {
    const answer = await app.post('/negotiations/talks/events', statementMade());
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('a projection bug');
    expect(logged).toContainEqual(
      expect.stringMatching(/projecting talks revisions 1\.\.1 threw: a projection bug/),
    );
  });

  it('fails readiness from then on, naming the projections check', async () => {
    const ready = await app.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toContain('a projection failed');
  });
});
